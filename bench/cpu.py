"""CPU per request, in-process, interleaved (issue 21, item 6): the figure that resists noise.

    .venv/bin/python bench/cpu.py [--database-url postgres://…/bench] [--rounds 7] [--runs 5]
        [--tree before=/work/main] [--profile 5] [--write docs/benchmarks.md]

A wall clock on a shared machine waits for other people's work; the CPU time of the process
(``time.process_time``) much less. Each *tree* (this checkout, and with ``--tree NAME=PATH``
another checkout of the project, e.g. the main branch: «before») runs in a child process of its
own, Django with ``bench.settings`` on the same database, each with a cache table of its own
(``bench_cache_N``, so one checkout's culling never evicts another's entries); the parent sends
each child «request this page N times» and gets back the CPU time of each request. The pages go
round in a fresh random order every round, and each page is asked of every tree back to back, so the
bare view, the admin changelist and the pages of every tree see the same moments of the
machine. Per tree and page: the median over rounds of the per-round median, the queries of one
request, and the ratios to the bare «ok» view and to the admin changelist **of the same tree
in the same run** — the ratios are what compare between runs.

``--profile N`` samples the N heaviest pages of the first tree (a ``SIGPROF`` timer every
millisecond of CPU) and splits each sample by what is on the stack: ORM (``django/db``),
templates (``django/template``, ``jinja2``), middleware (the request outside the view), the
view's own Python.

With ``--write`` the table goes into docs/benchmarks.md between ``<!-- bench:cpu -->`` and
``<!-- /bench:cpu -->``.
"""

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/mentoring_bench"
ADMIN_URL = "/bench-admin/registry/person/"
OK = "«ok» (аноним)"
OK_IN = "«ok» (вошедший)"
ADMIN = "admin changelist"


# --- The child: one tree, Django loaded, answers the parent's requests ----------------------


def pages_of(number: int) -> list[tuple[str, str, str | None]]:
    """(label, url, role) of the pages measured for institution ``number``."""
    from programs.models import Program
    from registry.models import Organization, Person
    from roadmap.models import Roadmap

    institution = Organization.objects.get(short_name=f"ДС № {number:04d}")
    mentee = (
        Person.objects.filter(institution=institution, mentee_profile__isnull=False)
        .order_by("pk")
        .first()
    )
    program = Program.objects.filter(
        group__institution=institution, status=Program.Status.ACTIVE
    ).order_by("pk")[0]
    roadmap = Roadmap.objects.get(institution=institution)
    slug = getattr(institution, "public_slug", None) or f"ds{number:04d}"
    pages = [
        (OK, "/bench-ok/", None),
        (OK_IN, "/bench-ok/", "curator"),
        (ADMIN, ADMIN_URL, "admin"),
        ("Проверка сеанса", "/session/status/", "curator"),
    ]
    roles = ["head", "curator", "council", "sysadmin", "mentor", "mentee", "teacher"]
    pages += [(f"Главная: {role}", f"/home/{role}/", role) for role in roles]
    pages += [
        ("Банк: участники", "/people/", "curator"),
        ("Банк: наставники", "/mentors/", "curator"),
        ("Банк: наставляемые", "/mentees/", "curator"),
        ("Пары и группы", "/groups/", "curator"),
        ("Программы", "/programs/", "curator"),
        ("Реестр приказов", "/orders/", "head"),
        ("Карточка участника", f"/people/{mentee.pk}/", "curator"),
        ("Подбор наставника", f"/matching/{mentee.pk}/", "curator"),
        ("Программа", f"/programs/{program.pk}/", "curator"),
        ("Дорожная карта: ход", f"/roadmap/{roadmap.pk}/timeline/", "curator"),
        ("Показатели (дашборд)", "/reports/dashboard/", "curator"),
        ("Раздел «Наставничество»", f"/nastavnichestvo/{slug}/", None),
    ]
    return pages


def clients_of(number: int) -> dict:
    from django.test import Client

    from registry.models import Organization, User

    institution = Organization.objects.get(short_name=f"ДС № {number:04d}")
    prefix = f"ds{number:04d}"
    roles = ["head", "curator", "council", "sysadmin", "mentor", "mentee", "teacher"]
    users = {role: User.objects.get(username=f"{prefix}-{role}") for role in roles}
    users["admin"], _ = User.objects.get_or_create(
        username=f"{prefix}-bench-admin",
        defaults={"institution": institution, "is_staff": True, "is_superuser": True},
    )
    clients = {None: Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


class Sampler:
    """Every millisecond of CPU, the category of what runs (see the module's docstring)."""

    def __init__(self):
        self.counts = Counter()

    def _sample(self, signum, frame):
        files, names = [], set()
        while frame is not None:
            files.append(frame.f_code.co_filename)
            names.add(frame.f_code.co_name)
            frame = frame.f_back
        if any("/django/db/" in f for f in files):
            self.counts["orm"] += 1
        elif any("/django/template/" in f or "/jinja2/" in f for f in files):
            self.counts["templates"] += 1
        elif "_get_response" not in names:
            self.counts["middleware"] += 1
        else:
            self.counts["view"] += 1

    def __enter__(self):
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


def own_cache(table: str) -> None:
    """Give this tree a database cache table of its own (issue 21: two runs within 15 %). A
    shared table let the «before» checkout's stock culling (at 300 entries) evict the «after»
    checkout's cached figures now and then, and the cached pages of «после» paid a miss. Before
    the first use of the cache only; a cache that is not a database table is left alone."""
    from django.core.cache import caches
    from django.core.management import call_command

    default = caches.settings["default"]
    if "DatabaseCache" in default["BACKEND"]:
        default["LOCATION"] = table
        if hasattr(caches._connections, "default"):
            del caches["default"]  # built already (an app's ready()): build it again
        call_command("createcachetable", table, verbosity=0)
        caches["default"].clear()


def serve(root: Path, database_url: str, number: int, cache_table: str = "") -> None:
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    import django

    django.setup()
    if cache_table:
        own_cache(cache_table)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS.append("testserver")
    clients = clients_of(number)
    pages = {label: (url, role) for label, url, role in pages_of(number)}
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the pipe
    print(json.dumps({"pages": list(pages)}), file=out, flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        url, role = pages[command["page"]]
        client = clients[role]
        if command["op"] == "queries":
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            answer = {"queries": len(captured), "status": response.status_code}
        elif command["op"] == "profile":
            with Sampler() as sampler:
                for _ in range(command["n"]):
                    client.get(url)
            answer = {"split": dict(sampler.counts)}
        else:
            times = []
            for _ in range(command["n"]):
                started = time.process_time()
                client.get(url)
                times.append((time.process_time() - started) * 1000)
            answer = {"cpu": times}
        print(json.dumps(answer), file=out, flush=True)


# --- The parent: the interleaving and the table ------------------------------------------------


class Tree:
    def __init__(self, name: str, root: Path, database_url: str, number: int, cache_table: str):
        self.name = name
        self.process = subprocess.Popen(  # noqa: S603 — this script, our arguments
            [sys.executable, __file__, "--serve", str(root), database_url, str(number)]
            + [cache_table],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pages = self._read()["pages"]
        self.cpu = {page: [] for page in self.pages}
        self.queries = {}
        self.split = {}

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.name}: the child process stopped")
        return json.loads(line)

    def ask(self, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def run(args) -> list[Tree]:
    trees = [Tree("после", HERE, args.database_url, args.institution, "bench_cache_0")]
    for index, spec in enumerate(args.tree, start=1):
        name, _, path = spec.partition("=")
        root = Path(path).resolve()
        cache_table = f"bench_cache_{index}"
        trees.insert(0, Tree(name, root, args.database_url, args.institution, cache_table))
    pages = trees[-1].pages
    for tree in trees:
        for page in pages:
            answer = tree.ask(op="queries", page=page)
            if answer["status"] != 200:
                raise SystemExit(f"{tree.name}: {page} answered {answer['status']}")
            tree.queries[page] = answer["queries"]
    shuffle = random.Random(args.seed)
    for _ in range(args.rounds):
        order = list(pages)
        shuffle.shuffle(order)
        for page in order:
            for tree in shuffle.sample(trees, len(trees)):
                times = tree.ask(op="time", page=page, n=args.runs)["cpu"]
                tree.cpu[page].append(statistics.median(times))
    if args.profile:
        main = trees[-1]
        heaviest = sorted(
            (p for p in pages if p not in (OK, OK_IN, ADMIN)),
            key=lambda p: -statistics.median(main.cpu[p]),
        )[: args.profile]
        for tree in trees:
            for page in heaviest:
                tree.split[page] = tree.ask(op="profile", page=page, n=args.profile_runs)["split"]
    for tree in trees:
        tree.close()
    return trees


def fmt(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def table(trees: list[Tree], args) -> str:
    import django

    medians = {t.name: {p: statistics.median(c) for p, c in t.cpu.items()} for t in trees}
    pages = trees[-1].pages
    head = ["страница"]
    for tree in trees:
        head += [f"SQL ({tree.name})", f"CPU, мс ({tree.name})"]
    for tree in trees:
        head += [f"× «ok» ({tree.name})", f"к admin ({tree.name})"]
    if len(trees) > 1:
        head.append("CPU: изменение")
    lines = [
        f"Прогон {datetime.now():%d.%m.%Y %H:%M}: Python {sys.version.split()[0]}, "
        f"Django {django.get_version()}; учреждение «ДС № {args.institution:04d}»; "
        f"{args.rounds} кругов × {args.runs} запросов, страницы вперемешку; "
        f"нагрузка машины (load average) {os.getloadavg()[0]:.1f}.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for page in pages:
        row = [page]
        for tree in trees:
            row += [str(tree.queries[page]), fmt(medians[tree.name][page])]
        for tree in trees:
            m = medians[tree.name]
            row += [f"{m[page] / m[OK]:.0f}×", f"{m[page] / m[ADMIN]:.2f}"]
        if len(trees) > 1:
            before, after = medians[trees[0].name][page], medians[trees[-1].name][page]
            row.append(f"{(after - before) / before * 100:+.0f} %")
        lines.append("| " + " | ".join(row) + " |")
    if trees[-1].split:
        lines += [
            "",
            "| страница (самые тяжёлые) | дерево | ORM | шаблоны | middleware | код вида |",
            "|---|---|---|---|---|---|",
        ]
        for page in trees[-1].split:
            for tree in trees:
                split = tree.split[page]
                total = sum(split.values()) or 1
                share = [
                    f"{split.get(k, 0) / total * 100:.0f} %"
                    for k in ("orm", "templates", "middleware", "view")
                ]
                lines.append(f"| {page} | {tree.name} | " + " | ".join(share) + " |")
    return "\n".join(lines)


def write(path: Path, text: str) -> None:
    start, end = "<!-- bench:cpu -->", "<!-- /bench:cpu -->"
    doc = path.read_text()
    if start in doc:
        before, rest = doc.split(start, 1)
        after = rest.split(end, 1)[1]
        doc = f"{before}{start}\n{text}\n{end}{after}"
    else:
        doc = f"{doc}\n{start}\n{text}\n{end}\n"
    path.write_text(doc)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), *sys.argv[5:6])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--institution", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--profile-runs", type=int, default=30)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    trees = run(args)
    text = table(trees, args)
    print(text)
    if args.write:
        write(args.write, text)


if __name__ == "__main__":
    main()
