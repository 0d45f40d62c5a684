"""Web benchmark of the registry on the synthetic city (issue 9).

Run from the project folder on a database built by ``generate_dataset`` (see bench/README.md):

    .venv/bin/python bench/web.py [--database-url postgres://…/mentoring_bench]
        [--duration 10] [--connections 8] [--memory-requests 10000] [--write docs/benchmarks.md]

It serves the application with gunicorn (docs/deploy/gunicorn.conf.py, 2 sync workers,
persistent database connections) on a free loopback port, makes a session for each role of
institution ДС № 0001 (Django's test client, ``force_login``), and loads each key page with
``wrk`` from another process: p50 and p95 at one connection, requests per second at 8. In the
same run: a bare «ok» view (the ceiling) and the Django admin changelist of the same model with
the same page size; the time of each document; the workers' memory after 10,000 requests; the
SQL queries of each page. It prints the table and, with ``--write``, puts it into
docs/benchmarks.md between the markers ``<!-- bench:web -->`` and ``<!-- /bench:web -->``.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mentoring_bench"
P95_TARGET_MS = 100
DOCUMENT_TARGET_S = 3
WAIT_TARGET_S = 5
LIST_SHARE_OF_CEILING = 0.15
LIST_TIMES_ADMIN = 5
MEMORY_GROWTH = 0.10
ADMIN_URL = "/bench-admin/registry/person/"

LUA = r"""
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
-- BENCH_PATHS: «path<TAB>cookie» lines; the requests go round them (the memory check).
local paths = {}
for line in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^\n]+") do
  local path, value = line:match("^([^\t]*)\t?(.*)$")
  table.insert(paths, {path, value})
end
local turn = 0
if #paths > 0 then
  request = function()
    turn = turn % #paths + 1
    local headers = {}
    if paths[turn][2] ~= "" then headers["Cookie"] = paths[turn][2] end
    return wrk.format("GET", paths[turn][1], headers)
  end
end
local seen = 0
response = function(status, headers, body)
  seen = seen + 1
  if limit > 0 and seen >= limit then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "non2xx": %d, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass
class Page:
    label: str
    kind: str  # home, list, detail, public, reference
    url: str
    role: str | None  # None: anonymous
    queries: int | None = None
    cpu_ms: float = 0.0  # the Django process's CPU per request, in-process (noise-robust)
    sql_ms: float = 0.0  # the database's time per request, as Django measured it
    c1: dict = field(default_factory=dict)
    cn: dict = field(default_factory=dict)
    ceiling_rps: float = 0.0  # the bare view at n connections, measured right after this page
    load: float = 0.0  # the machine's 1-minute load average when this page was measured


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = database_url
    # Imported here: the settings are chosen above, before Django loads.
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS.append("testserver")
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:  # a city built by an older version: fail now, not after minutes of loading
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in unapplied)
        sys.exit(f"Миграции не применены к базе бенчмарка ({names}): выполните manage.py migrate.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(number: int):
    """Sessions for each role of institution ``number`` and the pages to load."""
    # Imported here: models and services load only after setup_django().
    from django.test import Client

    from programs.models import Program
    from registry.models import Order, Organization, Person, User
    from reports.models import FinalReport
    from roadmap.models import Roadmap

    institution = Organization.objects.get(short_name=f"ДС № {number:04d}")
    prefix = f"ds{number:04d}"
    roles = ["head", "curator", "council", "sysadmin", "mentor", "mentee", "teacher"]
    users = {role: User.objects.get(username=f"{prefix}-{role}") for role in roles}
    admin, _ = User.objects.get_or_create(
        username=f"{prefix}-bench-admin",
        defaults={"institution": institution, "is_staff": True, "is_superuser": True},
    )
    users["admin"] = admin
    clients, cookies = {}, {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
        cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    clients[None], cookies[None] = Client(), ""

    mentee = (
        Person.objects.filter(institution=institution, mentee_profile__isnull=False)
        .order_by("pk")
        .first()
    )
    program = Program.objects.filter(
        group__institution=institution, status=Program.Status.ACTIVE
    ).order_by("pk")[0]
    roadmap = Roadmap.objects.get(institution=institution)
    order = Order.objects.filter(institution=institution, kind=Order.Kind.GROUPS).order_by("-date")[
        0
    ]
    report, _ = FinalReport.objects.get_or_create(
        institution=institution, year_start=roadmap.year_start - 1
    )
    slug = getattr(institution, "public_slug", None) or prefix
    pages = [
        Page("Эталон: «ok» (в начале)", "reference", "/bench-ok/", None),
        Page("Эталон: admin changelist (в начале)", "reference", ADMIN_URL, "admin"),
    ]
    pages += [Page(f"Главная: {role}", "home", f"/home/{role}/", role) for role in roles]
    pages += [
        Page("Банк: участники", "list", "/people/", "curator"),
        Page("Банк: наставники", "list", "/mentors/", "curator"),
        Page("Банк: наставляемые", "list", "/mentees/", "curator"),
        Page("Карточка участника", "detail", f"/people/{mentee.pk}/", "curator"),
        Page("Подбор наставника", "detail", f"/matching/{mentee.pk}/", "curator"),
        Page("Пары и группы", "list", "/groups/", "curator"),
        Page("Программы", "list", "/programs/", "curator"),
        Page("Программа", "detail", f"/programs/{program.pk}/", "curator"),
        Page("Реестр приказов", "list", "/orders/", "head"),
        Page("Дорожная карта: ход", "detail", f"/roadmap/{roadmap.pk}/timeline/", "curator"),
        Page("Показатели (дашборд)", "detail", "/reports/dashboard/", "curator"),
        Page("Раздел «Наставничество»", "public", f"/nastavnichestvo/{slug}/", None),
        Page("Раздел: программы", "public", f"/nastavnichestvo/{slug}/programs/", None),
        Page("Раздел: документы", "public", f"/nastavnichestvo/{slug}/documents/", None),
        Page("Эталон: «ok» (в конце)", "reference", "/bench-ok/", None),
        Page("Эталон: admin changelist (в конце)", "reference", ADMIN_URL, "admin"),
    ]
    documents = [
        ("Приказ «О закреплении…» (PDF)", f"/orders/{order.pk}/pdf/", "head"),
        ("Программа (PDF)", f"/programs/{program.pk}/pdf/", "curator"),
        ("Дорожная карта (PDF)", f"/roadmap/{roadmap.pk}/pdf/", "curator"),
        ("Итоговый отчёт (PDF)", f"/reports/final/{report.pk}/pdf/", "curator"),
    ]
    return institution, clients, cookies, pages, documents


def count_queries(clients, pages, runs: int = 7) -> None:
    """SQL queries of each page (second request), and the median CPU time of the Django
    process per request: on a shared machine the wall clock waits for other work, the
    process's CPU time much less, so it says what a quiet core would do."""
    # Imported here: models and services load only after setup_django().
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        client = clients[page.role]
        client.get(page.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        if response.status_code != 200:
            raise SystemExit(f"{page.url} ({page.role}): ответ {response.status_code}")
        page.queries = len(captured)
        page.sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        cpu = []
        for _ in range(runs):
            started = time.process_time()
            client.get(page.url)
            cpu.append((time.process_time() - started) * 1000)
        page.cpu_ms = statistics.median(cpu)


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_ACCESS_LOG": "",
        "DATABASE_CONN_MAX_AGE": "600",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(  # noqa: S603 — our gunicorn with our own arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(ROOT / "docs" / "deploy" / "gunicorn.conf.py"),
            "mentoring_site.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench-ok/", timeout=2).read()  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn не запустился, см. {log}")


def workers_of(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wrk(
    url: str,
    cookie: str,
    *,
    connections: int,
    duration: float,
    script: Path,
    limit: int = 0,
    paths: str = "",
    threads: int = 2,
) -> dict:
    threads = min(connections, threads)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
    ]
    command += ["-s", str(script), url]
    env = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_LIMIT": str(limit), "BENCH_PATHS": paths}
    output = subprocess.run(  # noqa: S603 — wrk with our own arguments
        command, env=env, capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def go_round(port: int, paths: list[tuple[str, str]], total: int, connections: int) -> dict:
    """``total`` GET requests going round ``paths`` ((url, cookie) pairs) from ``connections``
    threads, each request on a connection of its own (``Connection: close``)."""
    # Imported here: only the load generator's rounds need these.
    import http.client
    import itertools
    import threading

    numbers, failures = itertools.count(), []

    def run():
        while (number := next(numbers)) < total:
            url, cookie = paths[number % len(paths)]
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Connection": "close", **({"Cookie": cookie} if cookie else {})}
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                failures.append((url, response.status))

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"ошибки при проверке памяти: {failures[:5]}")
    return {"requests": total, "seconds": time.perf_counter() - started}


def time_documents(base: str, cookies, documents, runs: int) -> list[tuple]:
    rows = []
    for label, url, role in documents:
        timings = []
        for _ in range(runs + 1):
            request = urllib.request.Request(base + url, headers={"Cookie": cookies[role]})  # noqa: S310
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                body = response.read()
                assert response.status == 200 and body[:4] == b"%PDF", url
            timings.append(time.perf_counter() - started)
        timings = timings[1:]  # the first one warms the worker up
        rows.append((label, statistics.median(timings), max(timings), len(body)))
    return rows


def city_report() -> tuple[float, float, int]:
    """«Сводка по учреждениям» as the registry builds it: the request that queues it (the
    service its view calls) and the background build of every institution's indicators (what
    ``manage.py db_worker`` does, in this process). Returns (request ms, build s, institutions)."""
    # Imported here: models and services load only after setup_django().
    from django.utils import timezone

    from mentoring_site.lib.academic_year import academic_year_start
    from reports.models import InstitutionSummary
    from reports.services import summary as services

    year = academic_year_start(timezone.localdate()).year - 1
    started = time.perf_counter()
    summary, _ = services.request_summary(user=None, year_start=year)
    asked_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    while (claimed := services.claim_next()) is not None:
        services.build(claimed)
    built_s = time.perf_counter() - started
    summary.refresh_from_db()
    assert summary.status == InstitutionSummary.Status.DONE, summary.error
    return asked_ms, built_s, summary.total


def ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def admin_rps(pages: list[Page]) -> float:
    """The admin changelist's requests per second: the mean of the runs at start and end."""
    return statistics.mean(p.cn["rps"] for p in pages if p.url == ADMIN_URL)


def render(meta: dict, pages: list[Page], documents, memory, city) -> str:
    admin = admin_rps(pages)
    lines = [
        f"Прогон {meta['when']}: {meta['machine']}; {meta['stack']}; город из "
        f"{meta['institutions']} учреждений ({meta['people']} участников, "
        f"{meta['events']} мероприятий программ); замеры у «{meta['institution']}». "
        f"{meta['duration']:.0f} с на страницу на каждую нагрузку; wrk на той же машине.",
        "",
        f"| страница | роль | SQL | CPU, мс | SQL, мс | p50, мс (1 соед.) | p95, мс (1 соед.) "
        f"| запр./с ({meta['connections']} соед.) | «ok» рядом, запр./с | к «ok» | к admin "
        "| load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        rps = page.cn["rps"]
        lines.append(
            f"| {page.label} | {page.role or 'аноним'} | {page.queries} | {ms(page.cpu_ms)} "
            f"| {ms(page.sql_ms)} | {ms(page.c1['p50'])} "
            f"| {ms(page.c1['p95'])} | {rps:.0f} | {page.ceiling_rps:.0f} "
            f"| {rps / page.ceiling_rps:.1%} | {rps / admin:.1f}× | {page.load:.1f} |"
        )
    lines += [
        "",
        "| документ (одно учреждение) | медиана, с | худший, с | размер, КБ |",
        "|---|---|---|---|",
    ]
    for label, median, worst, size in documents:
        lines.append(f"| {label} | {median:.2f} | {worst:.2f} | {size / 1024:.0f} |")
    asked_ms, built_s, total = city
    lines += [
        f"| Сводка по учреждениям: все {total} (запрос {asked_ms:.0f} мс, строится в фоне) "
        f"| {built_s:.0f} | {built_s:.0f} | — |",
        "",
        f"Память воркеров (RSS, МБ) после разогрева и после ещё {memory['requests']} запросов "
        f"({memory['label']}): "
        + "; ".join(
            f"{before:.0f} → {after:.0f} ({after / before - 1:+.1%})"
            for before, after in memory["rss"]
        )
        + ".",
    ]
    return "\n".join(lines)


def verdicts(pages: list[Page], documents, memory, city) -> list[str]:
    admin = admin_rps(pages)
    checked = [p for p in pages if p.kind != "reference"]
    lists = [p for p in pages if p.kind == "list"]
    slow = [p.label for p in checked if p.c1["p95"] > P95_TARGET_MS]
    low = [
        p.label
        for p in lists
        if p.cn["rps"] < LIST_SHARE_OF_CEILING * p.ceiling_rps
        or p.cn["rps"] < LIST_TIMES_ADMIN * admin
    ]
    heavy = [label for label, median, worst, _ in documents if worst > DOCUMENT_TARGET_S]
    grew = any(after > before * (1 + MEMORY_GROWTH) for before, after in memory["rss"])
    return [
        f"p95 ≤ {P95_TARGET_MS} мс: " + ("да" if not slow else "нет — " + ", ".join(slow)),
        f"списки: ≥ {LIST_SHARE_OF_CEILING:.0%} от «ok» и ≥ {LIST_TIMES_ADMIN}× admin: "
        + ("да" if not low else "нет — " + ", ".join(low)),
        f"документ ≤ {DOCUMENT_TARGET_S} с: "
        + ("да" if not heavy else "нет — " + ", ".join(heavy)),
        f"ожидание в запросе ≤ {WAIT_TARGET_S} с: "
        + (
            f"да — сводка по городу: запрос {city[0]:.0f} мс, в фоне {city[1]:.0f} с"
            if city[0] <= WAIT_TARGET_S * 1000
            else f"нет — запрос сводки {city[0]:.0f} мс"
        ),
        f"память +≤ {MEMORY_GROWTH:.0%}: " + ("да" if not grew else "нет"),
    ]


def write(path: Path, table: str) -> None:
    start, end = "<!-- bench:web -->", "<!-- /bench:web -->"
    text = path.read_text(encoding="utf-8") if path.exists() else f"{start}\n{end}\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--institution", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--memory-requests", type=int, default=10_000)
    parser.add_argument("--document-runs", type=int, default=3)
    parser.add_argument("--only", default="", help="только страницы, чей адрес содержит это")
    parser.add_argument("--write", type=Path, help="например docs/benchmarks.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("Нужен wrk: apt-get install -y wrk")
    setup_django(args.database_url or DEFAULT_DATABASE)
    # Imported here: models and services load only after setup_django().
    from django.db import connection

    from programs.models import ProgramEvent
    from registry.models import Organization, Person

    if connection.vendor != "postgresql":
        raise SystemExit("Замер — на PostgreSQL: --database-url postgres://…")
    institution, clients, cookies, pages, documents = prepare(args.institution)
    if args.only:
        keep = {"/bench-ok/", ADMIN_URL}
        pages = [p for p in pages if args.only in p.url or p.url in keep]
    count_queries(clients, pages)
    connection.close()

    folder = Path(tempfile.mkdtemp(prefix="mentoring-web-bench-"))
    script = folder / "bench.lua"
    script.write_text(LUA)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, folder / "gunicorn.log")
    try:
        for page in pages:
            cookie = cookies[page.role]
            wrk(base + page.url, cookie, connections=1, duration=1, script=script)
            page.c1 = wrk(
                base + page.url, cookie, connections=1, duration=args.duration, script=script
            )
            page.cn = wrk(
                base + page.url,
                cookie,
                connections=args.connections,
                duration=args.duration,
                script=script,
            )
            # The machine is shared and noisy: the ceiling is measured again next to each
            # page, and the ratio uses that nearby value. The pause lets the workers finish
            # the requests wrk left in the listen queue.
            time.sleep(2)
            page.ceiling_rps = wrk(
                base + "/bench-ok/",
                "",
                connections=args.connections,
                duration=max(2, args.duration / 3),
                script=script,
            )["rps"]
            page.load = os.getloadavg()[0]
            if page.c1["non2xx"] or page.cn["non2xx"] or page.c1["errors"]:
                raise SystemExit(f"{page.url}: ошибки под нагрузкой {page.c1} {page.cn}")
            print(
                f"{page.label:<32} SQL {page.queries:>3}  CPU {ms(page.cpu_ms):>4} мс  "
                f"p50 {ms(page.c1['p50']):>5} мс  "
                f"p95 {ms(page.c1['p95']):>5} мс  {page.cn['rps']:6.0f} запр./с  "
                f"(«ok» рядом {page.ceiling_rps:.0f}, load {page.load:.1f})",
                flush=True,
            )
        docs = time_documents(base, cookies, documents, args.document_runs)
        for label, median, worst, _ in docs:
            print(f"{label:<32} {median:.2f} с (худший {worst:.2f} с)", flush=True)

        # Memory: the requests go round every page of the table (all roles), so a leak in
        # any of them shows. A small client of our own makes exactly --memory-requests
        # requests, each on its own connection: wrk stopped at a count keeps its connections
        # open until its duration ends, and gunicorn killed the sync worker waiting on one
        # of them after its 30 s timeout (a fresh worker's memory says nothing).
        rotation = [p for p in pages if p.kind != "reference"]
        workers = workers_of(server)
        before = [rss_mb(pid) for pid in workers]
        result = go_round(
            port, [(p.url, cookies[p.role]) for p in rotation], args.memory_requests, 2
        )
        if sorted(workers_of(server)) != sorted(workers):
            log = (folder / "gunicorn.log").read_text()[-2000:]
            raise SystemExit(f"воркер перезапущен во время проверки памяти:\n{log}")
        after = [rss_mb(pid) for pid in workers]
        memory = {
            "label": f"все {len(rotation)} страниц таблицы по кругу",
            "requests": result["requests"],
            "rss": list(zip(before, after, strict=True)),
        }
        print(f"Память: {memory['rss']}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    city = city_report()
    print(
        f"Сводка по учреждениям: запрос {city[0]:.0f} мс, {city[2]} учреждений за {city[1]:.0f} с"
    )

    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    import django

    meta = {
        "when": f"{datetime.now():%d.%m.%Y %H:%M}",
        "machine": f"{os.cpu_count()} vCPU {cpu}",
        "stack": f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {pg}, gunicorn 2 sync-воркера",
        "institutions": Organization.objects.filter(partner_of=None).count(),
        "people": Person.objects.count(),
        "events": ProgramEvent.objects.count(),
        "institution": institution.short_name,
        "duration": args.duration,
        "connections": args.connections,
    }
    table = render(meta, pages, docs, memory, city)
    results = verdicts(pages, docs, memory, city)
    table += "\n\nЦели: " + "; ".join(results) + "."
    print()
    print(table)
    if args.write:
        write(args.write, table)
        print(f"\nЗаписано в {args.write}")
    return 0 if all(": да" in line for line in results) else 1


if __name__ == "__main__":
    sys.exit(main())
