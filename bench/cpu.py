"""CPU per request, in-process, interleaved (issue 21, item 6): the figure that resists noise.

    .venv/bin/python bench/cpu.py [--database-url postgres://…/bench] [--rounds 9] [--runs 3]
        [--tree before=/work/main] [--profile 5] [--write docs/benchmarks.md] [--save run.json]
        [--only Банк --only Пары]  (the pages whose names have these words, and the references)
    .venv/bin/python bench/cpu.py --agree first.json second.json [--within 15] [--write …]
    .venv/bin/python bench/cpu.py --show run.json [--write docs/benchmarks.md]

A wall clock on a shared machine waits for other people's work; the CPU time of the process
(``time.process_time``) much less. Each *tree* (this checkout, and with ``--tree NAME=PATH``
another checkout of the project, e.g. the main branch: «before») runs in a child process of its
own, Django with ``bench.settings`` on the same database, each with a cache table of its own
(``bench_cache_N``, so one checkout's culling never evicts another's entries); the parent asks
each child for one request at a time and gets back its CPU time.

What keeps two runs together on a busy machine:

- **Interleaving by request.** The pages go round in a fresh random order every round; within
  a page the trees alternate request by request (in a random order each time), so «before» and
  «after» of a page are measured a few milliseconds apart and see the same moment of the
  machine. The change of a page is the median of these back-to-back pairs' ratios.
- **Ratios by pairs too.** Beside every request of a page the same tree answers the bare view
  and the admin changelist, the three in a random order; «× ok» and «к admin» are the medians of
  these pairs' ratios. A run costs about twice the requests, and a busy second of the machine
  moves both sides of a ratio.
- **No garbage collector on the clock**, as ``timeit`` does: the objects of Django's start are
  frozen (``gc.freeze()``), the collector is off during a timed request and collects after it,
  off the clock. Otherwise a full collection falls into one request in some runs and not in
  others.

Per tree and page: the median CPU of all its requests, the queries of one request, the ratios.
``--save`` keeps a run's figures as JSON; ``--agree A B`` compares two saved runs page by page
(ratios and changes) and counts those within ``--within`` per cent of each other.

``--profile N`` samples the N heaviest pages of the first tree (a ``SIGPROF`` timer every
millisecond of CPU) and splits each sample by what is on the stack: ORM (``django/db``),
templates (``django/template``, ``jinja2``), middleware (the request outside the view), the
view's own Python.

With ``--write`` the table goes into docs/benchmarks.md between ``<!-- bench:cpu -->`` and
``<!-- /bench:cpu -->``.
"""

import argparse
import gc
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
    gc.collect()
    gc.freeze()  # Django's start is not the requests' garbage
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the pipe
    print(json.dumps({"pages": list(pages)}), file=out, flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        url, role = pages[command.get("page", OK)]
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
        else:  # "time": the pages asked, one request each, in the order given
            times = []
            for label in command["pages"]:
                url, role = pages[label]
                gc.disable()
                started = time.process_time()
                clients[role].get(url)
                times.append((time.process_time() - started) * 1000)
                gc.enable()
                gc.collect()
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
        # cpu[page][round] = the CPU milliseconds of the round's requests, in the order asked:
        # the k-th request of a page in a round is the k-th of every tree (the pairs).
        self.cpu = {page: [] for page in self.pages}
        # near[page][reference] = the CPU of the reference asked right beside each request of
        # the page (in the same order as the page's requests): the ratios' pairs.
        self.near = {page: {OK: [], ADMIN: []} for page in self.pages}
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
    pages = [
        page
        for page in trees[-1].pages
        if not args.only or page in (OK, OK_IN, ADMIN) or any(w in page for w in args.only)
    ]
    for tree in trees:
        tree.pages = pages
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
            for tree in trees:
                tree.cpu[page].append([])
            for _ in range(args.runs):
                for tree in shuffle.sample(trees, len(trees)):
                    # The page and, right beside it in a random order, the two references.
                    asked = list(dict.fromkeys([page, OK, ADMIN]))
                    shuffle.shuffle(asked)
                    cpu = dict(zip(asked, tree.ask(op="time", pages=asked)["cpu"], strict=True))
                    tree.cpu[page][-1].append(cpu[page])
                    for reference in (OK, ADMIN):
                        tree.near[page][reference].append(cpu[reference])
    if args.profile:
        main = trees[-1]
        heaviest = sorted(
            (p for p in pages if p not in (OK, OK_IN, ADMIN)),
            key=lambda p: -statistics.median(sum(main.cpu[p], [])),
        )[: args.profile]
        for tree in trees:
            for page in heaviest:
                tree.split[page] = tree.ask(op="profile", page=page, n=args.profile_runs)["split"]
    for tree in trees:
        tree.close()
    return trees


def figures(trees: list[Tree], args) -> dict:
    """The run's figures, as saved by ``--save`` and compared by ``--agree``."""

    def ratio(tree: Tree, page: str, reference: str) -> float:
        pairs = zip(sum(tree.cpu[page], []), tree.near[page][reference], strict=True)
        return statistics.median(p / r for p, r in pairs)

    result = {
        "when": f"{datetime.now():%d.%m.%Y %H:%M}",
        "load": round(os.getloadavg()[0], 1),
        "rounds": args.rounds,
        "runs": args.runs,
        "institution": args.institution,
        "trees": [tree.name for tree in trees],
        "pages": {},
    }
    for page in trees[-1].pages:
        row = {}
        for tree in trees:
            row[tree.name] = {
                "queries": tree.queries[page],
                "cpu": statistics.median(sum(tree.cpu[page], [])),
                "ok": ratio(tree, page, OK),
                "admin": ratio(tree, page, ADMIN),
            }
        if len(trees) > 1:
            before, after = sum(trees[0].cpu[page], []), sum(trees[-1].cpu[page], [])
            pairs = zip(after, before, strict=True)
            row["change"] = statistics.median(a / b for a, b in pairs) - 1
        result["pages"][page] = row
    result["split"] = {
        page: {tree.name: tree.split[page] for tree in trees} for page in trees[-1].split
    }
    return result


def fmt(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def fmt_ratio(value: float) -> str:
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def header_rows(head: list[str]) -> list[str]:
    """The heading and the rule of a Markdown table."""
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]


def table(result: dict) -> str:
    import django

    names = result["trees"]
    head = ["страница"]
    for name in names:
        head += [f"SQL ({name})", f"CPU, мс ({name})"]
    for name in names:
        head += [f"× «ok» ({name})", f"к admin ({name})"]
    if len(names) > 1:
        head.append("CPU: изменение")
    lines = [
        f"Прогон {result['when']}: Python {sys.version.split()[0]}, "
        f"Django {django.get_version()}; учреждение «ДС № {result['institution']:04d}»; "
        f"{result['rounds']} кругов × {result['runs']} запросов, страницы вперемешку, "
        f"деревья через запрос; нагрузка машины (load average) {result['load']:.1f}.",
        "",
        *header_rows(head),
    ]
    for page, row in result["pages"].items():
        cells = [page]
        for name in names:
            cells += [str(row[name]["queries"]), fmt(row[name]["cpu"])]
        for name in names:
            cells += [f"{row[name]['ok']:.0f}×", fmt_ratio(row[name]["admin"])]
        if "change" in row:
            cells.append(f"{row['change'] * 100:+.0f} %")
        lines.append("| " + " | ".join(cells) + " |")
    if result["split"]:
        lines += [
            "",
            "| страница (самые тяжёлые) | дерево | ORM | шаблоны | middleware | код вида |",
            "|---|---|---|---|---|---|",
        ]
        for page, by_tree in result["split"].items():
            for name in names:
                split = by_tree[name]
                total = sum(split.values()) or 1
                share = [
                    f"{split.get(k, 0) / total * 100:.0f} %"
                    for k in ("orm", "templates", "middleware", "view")
                ]
                lines.append(f"| {page} | {name} | " + " | ".join(share) + " |")
    return "\n".join(lines)


def apart(a: float, b: float) -> float:
    """How far apart two positive figures are, in per cent of the smaller."""
    return (max(a, b) / min(a, b) - 1) * 100


def agree(first: dict, second: dict, within: float) -> tuple[str, int, int]:
    """Two saved runs compared page by page: each tree's «× ok» and «к admin», and the change
    (as the ratio after / before). Returns the table, the figures within ``within`` per cent of
    each other and the figures compared."""
    names = [name for name in first["trees"] if name in second["trees"]]
    head = ["страница"]
    for name in names:
        head += [f"× «ok» ({name})", f"к admin ({name})"]
    if len(names) > 1:
        head.append("изменение")
    lines = [
        f"Прогон 1: {first['when']}, нагрузка {first['load']}; "
        f"прогон 2: {second['when']}, нагрузка {second['load']}. "
        f"В ячейке: прогон 1 / прогон 2 (расхождение, %).",
        "",
        *header_rows(head),
    ]
    close = compared = 0

    def cell(a: float, b: float, shown: str) -> str:
        nonlocal close, compared
        gap = apart(a, b)
        compared += 1
        close += gap <= within
        mark = "" if gap <= within else " **!**"
        return f"{shown} ({gap:.0f}){mark}"

    for page, row in first["pages"].items():
        other = second["pages"].get(page)
        if other is None:
            continue
        cells = [page]
        for name in names:
            for key, form in (("ok", "{:.0f}"), ("admin", None)):
                a, b = row[name][key], other[name][key]
                if page in (OK, ADMIN) and key == {OK: "ok", ADMIN: "admin"}[page]:
                    cells.append("1")  # the reference itself
                    continue
                shown = (
                    f"{form.format(a)} / {form.format(b)}"
                    if form
                    else (f"{fmt_ratio(a)} / {fmt_ratio(b)}")
                )
                cells.append(cell(a, b, shown))
        if "change" in row and "change" in other:
            a, b = 1 + row["change"], 1 + other["change"]
            shown = f"{row['change'] * 100:+.0f} / {other['change'] * 100:+.0f} %"
            cells.append(cell(a, b, shown))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"В пределах {within:.0f} %: {close} из {compared}."]
    return "\n".join(lines), close, compared


def write(path: Path, text: str, marker: str = "bench:cpu") -> None:
    start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
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
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument(
        "--only", action="append", default=[], metavar="WORDS", help="pages whose name has these"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--profile-runs", type=int, default=30)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--save", type=Path, metavar="RUN.json")
    parser.add_argument("--show", type=Path, metavar="RUN.json", help="the table of a saved run")
    parser.add_argument("--agree", nargs=2, type=Path, metavar="RUN.json")
    parser.add_argument("--within", type=float, default=15.0, metavar="PER_CENT")
    args = parser.parse_args()
    if args.show:
        text = table(json.loads(args.show.read_text()))
        print(text)
        if args.write:
            write(args.write, text)
        return
    if args.agree:
        first, second = (json.loads(path.read_text()) for path in args.agree)
        text, close, compared = agree(first, second, args.within)
        print(text)
        if args.write:
            write(args.write, text, marker="bench:agree")
        sys.exit(0 if close == compared else 1)
    sys.path.insert(0, str(HERE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    result = figures(run(args), args)
    if args.save:
        args.save.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    text = table(result)
    print(text)
    if args.write:
        write(args.write, text)


if __name__ == "__main__":
    main()
