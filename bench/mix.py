"""Requests per second of one application server on a realistic mix of pages (issue 20, п. 7;
docs/deployment.md «Sizing»), on the city of ``generate_dataset`` (bench/README.md).

    .venv/bin/python bench/mix.py [--database-url postgres://…/mentoring_bench]
        [--institutions 20] [--duration 60] [--connections 8] [--logins 20]
        [--cache-url redis://127.0.0.1:6379/12]

gunicorn as bench/web.py starts it (docs/deploy/gunicorn.conf.py, 2 sync workers, persistent
database connections, bench.settings), with the shared cache several servers use (Redis; that
database is emptied before and after). Sessions for every role of the first ``--institutions``
kindergartens; ``wrk`` goes round a shuffled list in which each page of each of them appears as
many times as its weight in ``MIX``, so the requests spread over the institutions as at a busy
hour. Before the clock: every page once in-process (fills the cache of the indicators, as the
hours before the peak did) and 10 s of load. Then:

- the mix at ``--connections`` for ``--duration`` s: requests per second, p50/p95/p99, non-2xx
  answers, and the CPU time the gunicorn workers spent per request (``/proc``) — on a shared
  machine the wall clock waits for other work, the workers' CPU time much less;
- the session ping of ``static/js/session.js`` (every open page of a logged-in person asks
  every 30 s) alone, for a third of that time;
- ``--logins`` logins through the form, one after another: the password hash makes a login
  the dearest request of a visit;
- the CPU time of the Django process per page in-process (median of 7), for comparison with
  docs/benchmarks.md.

Exit status 1 on any non-2xx answer.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import web  # noqa: E402  (the harness's settings, sessions, server and pages)

# Page label of bench/web.py → its weight in a hundred page views at the busiest hour. Every
# visit starts at the role's home and comes back to it; mentors and mentees, most of the
# people, work in their program; the curator works in the banks, the groups and the programs;
# the head signs and reads the figures; parents and colleagues read the public section.
MIX = {
    "Главная: mentor": 10,
    "Главная: mentee": 10,
    "Главная: teacher": 6,
    "Главная: curator": 6,
    "Главная: head": 4,
    "Главная: council": 2,
    "Главная: sysadmin": 1,
    "Программа": 13,
    "Программы": 5,
    "Пары и группы": 4,
    "Банк: участники": 5,
    "Банк: наставники": 3,
    "Банк: наставляемые": 3,
    "Карточка участника": 6,
    "Подбор наставника": 2,
    "Реестр приказов": 2,
    "Дорожная карта: ход": 3,
    "Показатели (дашборд)": 4,
    "Раздел «Наставничество»": 6,
    "Раздел: программы": 3,
    "Раздел: документы": 2,
}
PING = "/session/status/"  # every open page of a logged-in person, every 30 s

# Goes round the lines «path<TAB>cookie» of BENCH_PATHS_FILE, each thread from its own place.
LUA = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS_FILE")) do
  local path, cookie = line:match("^([^\t]*)\t?(.*)$")
  table.insert(paths, {path, cookie})
end
local threads = 0
setup = function(thread)
  thread:set("turn", threads * 997)
  threads = threads + 1
end
request = function()
  turn = turn % #paths + 1
  local headers = {}
  if paths[turn][2] ~= "" then headers["Cookie"] = paths[turn][2] end
  return wrk.format("GET", paths[turn][1], headers)
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "non2xx": %d, '
    .. '"errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used (/proc/PID/stat, fields 14 and 15)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk(
    base: str, paths: list[tuple[str, str]], folder: Path, connections: int, seconds, workers=()
):
    """Loads the server; with ``workers`` (pids) also their CPU milliseconds per request."""
    listing = folder / f"paths-{len(paths)}.tsv"
    listing.write_text("".join(f"{url}\t{cookie}\n" for url, cookie in paths))
    script = folder / "mix.lua"
    script.write_text(LUA)
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{round(seconds)}s"]
    command += ["--timeout", "10s", "-s", str(script), base + "/"]
    cpu_before = cpu_seconds(workers)
    output = subprocess.run(  # noqa: S603 — wrk with our own arguments
        command,
        env={**os.environ, "BENCH_PATHS_FILE": str(listing)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    result["cpu_ms"] = (cpu_seconds(workers) - cpu_before) * 1000 / max(result["requests"], 1)
    result["load"] = os.getloadavg()[0]
    return result


def log_in(base: str, username: str, workers: list[int], times: int) -> dict:
    """``times`` logins through the form (its page, then the POST with the password): the
    password hash (PBKDF2) makes it the dearest request of a visit. Wall and worker CPU ms."""
    from mentoring_site.dataset.data import DATASET_PASSWORD

    cpu_before, started = cpu_seconds(workers), time.perf_counter()
    for _ in range(times):
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(base + "/login/", timeout=30) as page:  # loopback, our server
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
        form = {"username": username, "password": DATASET_PASSWORD, "csrfmiddlewaretoken": token[1]}
        with opener.open(
            base + "/login/", urllib.parse.urlencode(form).encode(), timeout=30
        ) as home:
            if "/home/" not in home.url:
                raise SystemExit(f"Вход {username} не удался: {home.url}")
    return {
        "ms": (time.perf_counter() - started) * 1000 / times,
        "cpu_ms": (cpu_seconds(workers) - cpu_before) * 1000 / times,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--institutions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--logins", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("Нужен wrk: apt-get install -y wrk")
    os.environ["DJANGO_CACHE_URL"] = args.cache_url
    web.setup_django(args.database_url or web.DEFAULT_DATABASE)
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    paths, pings, first = [], [], None
    for number in range(1, args.institutions + 1):
        _, clients, cookies, pages, _ = web.prepare(number)
        pages = [page for page in pages if page.label in MIX]
        missing = set(MIX) - {page.label for page in pages}
        if missing:
            raise SystemExit(f"Нет страниц {missing} в bench/web.py")
        for page in pages:  # fills the shared cache, as the hours before the peak did
            response = clients[page.role].get(page.url)
            if response.status_code != 200:
                raise SystemExit(f"{page.url} ({page.role}): ответ {response.status_code}")
            paths += [(page.url, cookies[page.role])] * MIX[page.label]
        pings += [(PING, cookies[role]) for role in ("head", "curator", "mentor", "mentee")]
        if first is None:
            first = (clients, pages)
    clients, pages = first
    web.count_queries(clients, pages)
    weighted = sum(MIX[p.label] * p.cpu_ms for p in pages) / sum(MIX.values())
    connection.close()
    random.Random(args.seed).shuffle(paths)

    folder = Path(tempfile.mkdtemp(prefix="mentoring-mix-bench-"))
    port = web.free_port()
    base = f"http://127.0.0.1:{port}"
    server = web.start_server(port, folder / "gunicorn.log")
    try:
        workers = web.workers_of(server)
        run_wrk(base, paths, folder, args.connections, 10)  # the workers warm up
        mix = run_wrk(base, paths, folder, args.connections, args.duration, workers)
        time.sleep(2)
        ping = run_wrk(base, pings, folder, args.connections, args.duration / 3, workers)
        login = log_in(base, "ds0001-teacher", workers, args.logins)
        if sorted(web.workers_of(server)) != sorted(workers):
            raise SystemExit("Воркер gunicorn перезапущен во время замера")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
        cache.clear()

    print("| страница | вес | SQL | CPU, мс |")
    print("|---|---|---|---|")
    for page in sorted(pages, key=lambda p: -MIX[p.label]):
        print(f"| {page.label} | {MIX[page.label]} | {page.queries} | {web.ms(page.cpu_ms)} |")
    print(
        f"\nСмесь по {args.institutions} учреждениям, {args.connections} соединений, "
        f"{mix['seconds']:.0f} с: {mix['rps']:.0f} запр./с; p50 {web.ms(mix['p50'])} мс, "
        f"p95 {web.ms(mix['p95'])} мс, p99 {web.ms(mix['p99'])} мс; не 2xx: {mix['non2xx']}, "
        f"ошибок: {mix['errors']}; load {mix['load']:.1f}."
    )
    print(
        f"CPU воркеров gunicorn на запрос смеси: {mix['cpu_ms']:.1f} мс → два ядра, занятые "
        f"только ими: {2000 / mix['cpu_ms']:.0f} запр./с."
    )
    print(
        f"Пинг сеанса {PING}: {ping['rps']:.0f} запр./с; p95 {web.ms(ping['p95'])} мс; "
        f"CPU воркеров {ping['cpu_ms']:.1f} мс на запрос; не 2xx: {ping['non2xx']}; "
        f"load {ping['load']:.1f}."
    )
    print(
        f"Вход (страница входа и POST, с её переходом на главную): {login['ms']:.0f} мс, "
        f"CPU воркеров {login['cpu_ms']:.0f} мс на вход."
    )
    median = statistics.median(p.cpu_ms for p in pages)
    print(
        f"CPU процесса Django на страницу смеси в процессе замера (взвешенное среднее медиан): "
        f"{weighted:.1f} мс; медиана по страницам {median:.1f} мс."
    )
    failed = mix["non2xx"] or mix["errors"] or ping["non2xx"] or ping["errors"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
