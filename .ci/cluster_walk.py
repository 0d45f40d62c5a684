"""Several servers (issue 20, п. 7): two application servers and one background worker on one
database, and a journey that alternates between the servers the way a balancer without
stickiness may serve it — a form read on one server is posted to the other, a redirect is
followed on the other.

    .venv/bin/python .ci/cluster_walk.py
    # options: --ports 8101,8102 --postgres postgres://postgres@127.0.0.1:5432
    #          --database mentoring_cluster --redis redis://127.0.0.1:6379/11

It starts: a fresh PostgreSQL database (dropped first when present) with the migrations and the
demo (``manage.py load_demo``); the static files collected with the production storage for
each server into a temporary STATIC_ROOT of its own; two gunicorn servers with
``docs/deploy/gunicorn.conf.py`` (2 sync workers each) and production settings — DEBUG off, one
secret key, cookies allowed over plain HTTP, one Redis database as the cache (emptied first),
one temporary MEDIA_ROOT — and one ``manage.py db_worker``, whose console mail backend prints
the letters it sends.

Every answer is checked by its status code, the Russian text that shows the effect and, where
useful, the rows of the database: static files, sessions, CSRF, messages, a decision, the
cached indicators, an uploaded file, the summary the worker builds and the letters it sends
work whichever server answers. The walk stops at the first failure with the logs of the servers
and of the worker, always stops its processes, drops its database and empties its Redis
database, and exits 1 on failure. HTTP goes through the standard library only.
"""

import argparse
import email
import email.policy
import http.cookiejar
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import redis
from gunicorn.config import Config as GunicornConfig
from openpyxl import load_workbook

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "demo-2026-registry"  # noqa: S105  (the demo's: mentoring_site/demo/data.py)
INSTITUTION = "ГБДОУ детский сад № 64"
WAIT_SECONDS = 60  # for a server to answer, for the worker to send or build
MAIL_SEPARATOR = "-" * 79  # Django's console mail backend prints it after each letter


class Failed(Exception):
    """A step did not see what it expected."""


def check(condition, message: str) -> None:
    if not condition:
        raise Failed(message)


def visible_text(html: str) -> str:
    """The page's text as a person reads it: no tags, entities decoded, spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- A browser ----------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: list = field(default_factory=list)  # [(name, value)] as a browser sends them

    def value(self, name: str) -> str:
        return dict(self.fields)[name]


class FormParser(HTMLParser):
    """The forms of a page with their default values: inputs, the selected (or first) option of
    each select, textareas."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select = None  # [name, first value, selected value]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.forms.append(Form(attrs.get("action") or ""))
        elif not self.forms or (tag != "option" and not name):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            skipped = kind in {"submit", "button", "image", "reset", "file"}
            unchecked = kind in {"checkbox", "radio"} and "checked" not in attrs
            if not skipped and not unchecked:
                self.forms[-1].fields.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2] = value
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, first, selected = self._select
            if first is not None:
                self.forms[-1].fields.append((name, first if selected is None else selected))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append(tuple(self._textarea))
            self._textarea = None


@dataclass
class Page:
    server: "Server"
    method: str
    path: str
    status: int
    headers: dict
    body: bytes

    @property
    def html(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def text(self) -> str:
        return visible_text(self.html)

    def where(self) -> str:
        return f"{self.method} {self.path} on {self.server}"

    def expect(self, status: int, *texts: str) -> "Page":
        location = self.headers.get("location")
        check(
            self.status == status,
            f"{self.where()}: expected {status}, got {self.status}"
            + (f" → {location}" if location else "")
            + f"\n  {self.text[:600]}",
        )
        for text in texts:
            check(
                text in self.text, f"{self.where()}: no «{text}» on the page\n  {self.text[:900]}"
            )
        return self

    def expect_redirect(self, to: "str | re.Pattern") -> str:
        check(self.status == 302, f"{self.where()}: expected a redirect, got {self.status}")
        location = self.headers.get("location", "")
        path = urllib.parse.urlsplit(location).path
        wanted = to.fullmatch(path) if isinstance(to, re.Pattern) else path == to
        check(wanted, f"{self.where()}: redirected to {location}, expected {to}")
        return location

    def form(self, action: str) -> Form:
        """The form that posts to ``action`` (a path), with its values and its CSRF token."""
        parser = FormParser()
        parser.feed(self.html)
        for form in parser.forms:
            target = urllib.parse.urljoin(self.path, form.action or self.path)
            if urllib.parse.urlsplit(target).path == action:
                return Form(target, form.fields)
        raise Failed(f"{self.where()}: no form posting to {action}")

    def link(self, pattern: str) -> re.Match:
        found = re.search(rf'href="({pattern})"', self.html)
        check(found, f"{self.where()}: no link matching {pattern}")
        return found


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand, on whichever server the walk names next."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """One person's browser. Cookies belong to the host name, not the port, so both servers get
    the same cookies, as behind one balancer address."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def request(self, server, method, path, body=None, content_type=None) -> Page:
        headers = {"Content-Type": content_type} if content_type else {}
        # Always http://127.0.0.1:<port>, built from the walk's own servers.
        request = urllib.request.Request(server.url + path, body, headers, method=method)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Page(server, method, path, answer.status, _headers(answer), answer.read())
        except urllib.error.HTTPError as error:
            return Page(server, method, path, error.code, _headers(error), error.read())
        except OSError as error:
            raise Failed(f"{method} {path} on {server}: {error}") from error

    def get(self, server, path) -> Page:
        return self.request(server, "GET", path)

    def post(self, server, form: Form, changes=None, files=None) -> Page:
        """Submits ``form`` — read from a page, perhaps of the other server — to ``server``."""
        changes = changes or {}
        fields = [(n, v) for n, v in form.fields if n not in changes] + list(changes.items())
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(server, "POST", form.action, body, content_type)

    def log_in(self, form_server, post_server, username) -> Page:
        """The login form read from one server and posted to the other."""
        login = self.get(form_server, "/login/").expect(200, "Вход в реестр наставничества")
        return self.post(
            post_server, login.form("/login/"), {"username": username, "password": PASSWORD}
        )


def _headers(answer) -> dict:
    return {key.lower(): value for key, value in answer.headers.items()}


def _multipart(fields, files) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(f"{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# --- The processes and the database -------------------------------------------------------------


@dataclass
class Process:
    """A command of this repository in a process group of its own, its output in a log file."""

    name: str
    argv: list
    log: Path
    popen: subprocess.Popen | None = None

    def start(self, env: dict) -> "Process":
        with self.log.open("wb") as output:
            self.popen = subprocess.Popen(  # noqa: S603  (fixed commands of this repository)
                self.argv,
                cwd=BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def finish(self, timeout: float) -> None:
        """Waits for a command that ends by itself; fails with its output unless it succeeded."""
        try:
            code = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failed(f"{self.name} did not finish in {timeout} s:\n{self.tail()}") from None
        check(code == 0, f"{self.name} failed with exit status {code}:\n{self.tail()}")

    def stop(self) -> None:
        """SIGTERM to the whole group (gunicorn's master and workers), SIGKILL after 20 s."""
        if self.popen is None:
            return
        for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                self.popen.poll()  # reaps the leader, so that only live members keep the group
                try:
                    os.killpg(self.popen.pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.1)

    def text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.text().splitlines()[-lines:]) or "(nothing)"


@dataclass
class Server:
    name: str
    port: int
    process: Process
    static_root: Path  # each server collects its own static files, as on deploy

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __str__(self) -> str:
        return f"{self.name} (:{self.port})"

    def requests_served(self) -> list[str]:
        """The access log's lines (docs/deploy/gunicorn.conf.py: «host "METHOD /path" status …»)."""
        return re.findall(r'^\S+ "[A-Z]+ \S+" \d{3} .*$', self.process.text(), flags=re.M)


class Database:
    """The walk's own PostgreSQL database, read with plain SQL to check what the pages say."""

    def __init__(self, server_url: str, name: str):
        self.server_url, self.name = server_url.rstrip("/"), name
        self.url = f"{self.server_url}/{name}"
        self._connection = None

    def _administer(self, sql: str) -> None:
        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> None:
        self.drop()
        self._administer(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._administer(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def rows(self, sql: str, *params) -> list[tuple]:
        if self._connection is None:
            self._connection = psycopg.connect(self.url, autocommit=True)
        return self._connection.execute(sql, params).fetchall()

    def value(self, sql: str, *params):
        rows = self.rows(sql, *params)
        return rows[0][0] if rows else None


class Cluster:
    """The database, the cache, two servers and the worker, with the settings they share."""

    def __init__(self, options):
        self.options = options
        self.folder = Path(tempfile.mkdtemp(prefix="cluster-walk-"))
        self.media = self.folder / "media"
        self.db = Database(options.postgres, options.database)
        self.cache = redis.Redis.from_url(options.redis)
        self.owns_database = self.owns_cache = False
        first, second = options.ports
        self.a = Server("A", first, self._gunicorn("server A", first), self.folder / "static-a")
        self.b = Server("B", second, self._gunicorn("server B", second), self.folder / "static-b")
        self.worker = self._manage("worker", "db_worker")
        self.processes = [self.a.process, self.b.process, self.worker]
        self.env = self._environment()

    def _environment(self) -> dict:
        """The production settings every process shares (README.md lists the variables)."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "GUNICORN_", "EMAIL_", "DATABASE_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="mentoring_site.settings",
            DATABASE_URL=self.db.url,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_COOKIES="false",
            DJANGO_CACHE_URL=self.options.redis,
            DJANGO_MEDIA_ROOT=str(self.media),
            DJANGO_STATIC_ROOT=str(self.a.static_root),
            SITE_URL=self.a.url,
            GUNICORN_WORKERS="2",
            TZ="Europe/Moscow",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _gunicorn(self, name: str, port: int) -> Process:
        argv = [str(BIN / "gunicorn"), "-c", "docs/deploy/gunicorn.conf.py"]
        argv += ["--bind", f"127.0.0.1:{port}"]
        if "control_socket" in GunicornConfig().settings:
            # gunicorn 27's control socket is one path per user: two servers on one host clash.
            argv.append("--no-control-socket")
        return Process(name, [*argv, "mentoring_site.wsgi"], self.folder / f"{name}.log")

    def _manage(self, name: str, *args) -> Process:
        argv = [sys.executable, "manage.py", *args]
        return Process(name, argv, self.folder / f"{name.replace(' ', '-')}.log")

    def check_services(self) -> None:
        """Before anything is touched: the ports are free (another walk may be running), Redis
        and PostgreSQL answer."""
        for port in self.options.ports:
            with socket.socket() as probe:
                # As gunicorn binds: connections of an earlier run in TIME_WAIT do not count.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError as error:
                    raise Failed(f"port {port} is taken: {error}") from error
        try:
            self.cache.ping()
        except redis.RedisError as error:
            raise Failed(f"Redis at {self.options.redis} does not answer: {error}") from error
        try:
            psycopg.connect(f"{self.db.server_url}/postgres", connect_timeout=5).close()
        except psycopg.Error as error:
            raise Failed(f"PostgreSQL at {self.db.server_url} does not answer: {error}") from error

    def server_env(self, server: Server) -> dict:
        return {**self.env, "DJANGO_STATIC_ROOT": str(server.static_root)}

    def prepare(self) -> None:
        """The database with the demo, and each server's static files (beside the migrations:
        they need no database)."""
        self.owns_cache = True
        self.cache.flushdb()
        self.owns_database = True
        self.db.create()
        self.media.mkdir()
        collect = [
            self._manage(f"collectstatic {server.name}", "collectstatic", "--noinput", "-v", "0")
            for server in (self.a, self.b)
        ]
        migrate = self._manage("migrate", "migrate", "--noinput", "-v", "0")
        demo = self._manage("load_demo", "load_demo")
        self.processes += [*collect, migrate, demo]
        for process, server in zip(collect, (self.a, self.b), strict=True):
            process.start(self.server_env(server))
        migrate.start(self.env).finish(timeout=300)
        demo.start(self.env).finish(timeout=300)
        for process in collect:
            process.finish(timeout=300)

    def start(self) -> None:
        for server in (self.a, self.b):
            server.process.start(self.server_env(server))
        self.worker.start(self.env)
        for server in (self.a, self.b):
            self._wait_ready(server)
        check(self.worker.running(), f"the worker stopped at once:\n{self.worker.tail()}")

    def _wait_ready(self, server: Server) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            check(server.process.running(), f"server {server} stopped while starting")
            try:
                with urllib.request.urlopen(server.url + "/healthz", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:  # not listening yet
                pass
            time.sleep(0.3)
        raise Failed(f"server {server} did not answer /healthz in {WAIT_SECONDS} s")

    def print_logs(self) -> None:
        for process in self.processes:
            if process.popen is not None:
                print(f"\n--- {process.name}: the end of its output ---", file=sys.stderr)
                print(process.tail(), file=sys.stderr)

    def tear_down(self) -> list[str]:
        """Stops every process, drops the database, empties the cache, deletes the folder;
        returns what could not be cleaned up."""
        for process in self.processes:
            process.stop()
        problems = [
            f"{p.name} (pid {p.popen.pid}) still runs" for p in self.processes if p.running()
        ]
        steps = [self.db.drop] if self.owns_database else []
        steps += [self.cache.flushdb] if self.owns_cache else []
        for step in [*steps, self.cache.close]:
            try:
                step()
            except Exception as error:  # every step is tried; the walk fails on any of them
                problems.append(f"{step.__qualname__}: {error}")
        shutil.rmtree(self.folder, ignore_errors=True)
        return problems


# --- The journey --------------------------------------------------------------------------------


class Journey:
    """The steps, in order; each prints ✓ with the time or raises ``Failed``."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.a, self.b, self.db = cluster.a, cluster.b, cluster.db
        self.started = self.step_started = time.monotonic()

    def done(self, title: str) -> None:
        now = time.monotonic()
        print(
            f"✓ {now - self.started:5.1f} s  {title}  ({now - self.step_started:.1f} s)", flush=True
        )
        self.step_started = now

    def failed(self, failure: Failed) -> None:
        print(f"✗ {time.monotonic() - self.started:5.1f} s  {failure}", file=sys.stderr, flush=True)

    def run(self) -> None:
        self.cluster.check_services()
        self.cluster.prepare()
        self.done(f"database {self.db.name} migrated with the demo; each server's static files")
        self.cluster.start()
        self.done(f"servers {self.a} and {self.b} answer /healthz; the worker runs")
        self.static_files()
        head = self.sessions()
        self.decision(head)
        self.letters_of_the_decision()
        curator = self.uploaded_file()
        self.cached_indicators(curator)
        self.summary()
        self.log_out(head)
        self.logs()

    def static_files(self) -> None:
        """Each server collected the static files on its own, to the same hashed names: a page
        of one names a file the other serves, cached for a year."""
        anonymous = Browser()
        login = anonymous.get(self.a, "/login/").expect(200)
        path = login.link(r"/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css")[1]
        from_a = anonymous.get(self.a, path).expect(200)
        from_b = anonymous.get(self.b, path).expect(200)
        check(from_b.body == from_a.body and len(from_b.body) > 100_000, "A and B differ: " + path)
        cache_control = from_b.headers.get("cache-control", "")
        check("immutable" in cache_control, f"{path} on B without a long cache: {cache_control!r}")
        self.done(f"static: A's login page names {path.rsplit('/')[-1]}; B serves the same bytes")

    def head_sessions(self) -> int:
        return self.db.value(
            "SELECT count(*) FROM mentoring_session s JOIN registry_user u ON u.id = s.user_id "
            "WHERE u.username = 'head'"
        )

    def sessions(self) -> Browser:
        """The login form of A (its CSRF token) posted to B; the session then works on A."""
        head = Browser()
        landed = head.log_in(self.a, self.b, "head").expect_redirect("/")
        home = head.get(self.a, head.get(self.a, landed).expect_redirect("/home/head/"))
        home.expect(200, "Заведующий", "Ждут решения")
        check(self.head_sessions() == 1, f"head's session rows: {self.head_sessions()}")
        self.done("sessions: head logs in with A's form posted to B; A opens her home")
        return head

    def head_figures(self, page: Page) -> tuple[int, int]:
        """The head's home: approved pairs and groups (a cached indicator), and those waiting."""
        # Each counter agrees with its number (issue 19): «1 утверждённая пара или группа».
        approved = re.search(r"(\d+) утвержд\w+ пар\w* (?:и|или) групп", page.text)
        waiting = re.search(r"(\d+) пар\w* (?:и|или) групп\w* жд\w+ утверждения", page.text)
        check(approved and waiting, f"{page.where()}: no figures of the head\n  {page.text[:900]}")
        return int(approved[1]), int(waiting[1])

    def decision(self, head: Browser) -> None:
        """The head opens the approval on A and approves on B; the message B stored shows on A
        (a cookie signed with the shared key); A shows the group approved, renews the cached
        figures and refuses a second approval."""
        home = head.get(self.a, "/home/head/").expect(200)
        before = self.head_figures(home)
        check(before[1] >= 1, f"head's home on A: {before[1]} pairs and groups wait")
        check(self.cluster.cache.keys("*indicators*"), "the head's figures are not in Redis")
        found = home.link(r"/groups/(\d+)/approve/")
        path, group_id = found[1], int(found[2])
        page = head.get(self.a, path).expect(200, "Утверждение приказом")
        form = page.form(path)
        number, day = form.value("number"), ".".join(reversed(form.value("date").split("-")))
        order_page = head.post(self.b, form).expect_redirect(re.compile(r"/orders/\d+/"))
        approved = f"Группа утверждена приказом № {number} от {day}."
        head.get(self.a, order_page).expect(200, approved)
        row = self.db.rows(
            "SELECT g.status, o.number, o.status FROM registry_mentoringgroup g "
            "JOIN registry_order o ON o.id = g.order_id WHERE g.id = %s",
            group_id,
        )
        check(row == [("active", number, "signed")], f"group {group_id} and its order: {row}")
        self.done(f"decision: head opens group {group_id} on A, approves on B; A: «{approved}»")

        head.get(self.a, f"/groups/{group_id}/").expect(200, "утверждена", f"№ {number}")
        after = self.head_figures(head.get(self.a, "/home/head/").expect(200))
        expected = (before[0] + 1, before[1] - 1)
        check(after == expected, f"head's home on A: {after} approved, waiting; not {expected}")
        again = head.post(self.a, form).expect_redirect(f"/groups/{group_id}/")
        head.get(self.b, again).expect(200, "Утвердить нельзя: группа сейчас в состоянии")
        self.approved = (number, day)
        self.done(
            f"decision seen on A: the group «утверждена»; head's figures (cached) {before[0]} → "
            f"{after[0]} approved, {before[1]} → {after[1]} waiting; approving again is refused"
        )

    def printed_letters(self) -> list[tuple[str, str]]:
        """(to, subject) of the letters the console backend printed to the worker's output."""
        letters = []
        for chunk in self.cluster.worker.text().split(MAIL_SEPARATOR):
            start = chunk.find("Content-Type: text/plain")
            if start >= 0:
                letter = email.message_from_string(chunk[start:], policy=email.policy.default)
                letters.append((str(letter["To"]), " ".join(str(letter["Subject"]).split())))
        return letters

    def letters_of_the_decision(self) -> None:
        """The approval queued letters to the mentor and the curator; the worker sends them."""
        number, day = self.approved
        subject = f"Наставничество: Наставническая пара (группа) утверждена приказом № {number} "
        subject += f"от {day}."
        rows = self.wait_for(
            "the worker to send the approval's letters",
            lambda: self.db.rows(
                "SELECT l.to, l.status FROM registry_letter l WHERE l.subject = %s ORDER BY l.to",
                subject,
            ),
            lambda rows: rows and all(status == "sent" for _, status in rows),
        )
        addresses = [to for to, _ in rows]
        check(len(addresses) == 2, f"letters to the mentor and the curator expected: {addresses}")
        printed = self.printed_letters()
        for to in addresses:
            check((to, subject) in printed, f"the worker printed no letter to {to}: {printed}")
        self.done(f"letters: the worker sent «{subject}» to {' and '.join(addresses)}")

    def uploaded_file(self) -> Browser:
        """The curator uploads a consent's scan through A; B gives back the same bytes."""
        curator = Browser()
        curator.log_in(self.b, self.a, "curator").expect_redirect("/")
        person_id = self.db.value(
            "SELECT id FROM registry_person WHERE last_name = 'Петрова' AND first_name = 'Мария'"
        )
        person = curator.get(self.b, f"/people/{person_id}/").expect(200, "Петрова Мария Ивановна")
        found = person.link(r"/consents/(\d+)/scan/upload/")
        path, consent_id = found[1], int(found[2])
        form = curator.get(self.b, path).expect(200, "Скан подписанного согласия").form(path)
        scan = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + secrets.token_bytes(300_000) + b"\n%%EOF\n"
        files = {"scan": ("petrova.pdf", scan, "application/pdf")}
        answer = curator.post(self.a, form, files=files)
        curator.get(self.b, answer.expect_redirect(f"/people/{person_id}/")).expect(
            200, "Скан согласия", "загружен."
        )
        stored = self.db.value("SELECT scan FROM registry_consent WHERE id = %s", consent_id)
        check(stored, f"consent {consent_id} has no scan in the database")
        check((self.cluster.media / stored).read_bytes() == scan, f"{stored} differs on disk")
        download = curator.get(self.b, f"/consents/{consent_id}/scan/").expect(200)
        check(download.body == scan, f"B gave {len(download.body)} bytes, not the {len(scan)} sent")
        disposition = download.headers.get("content-disposition", "")
        check(disposition.startswith("attachment;"), f"the scan's disposition: {disposition!r}")
        self.done(
            f"file: a {len(scan) // 1024} KB scan posted to A comes back from B byte for byte"
        )
        return curator

    def mentors_in_bank(self, page: Page) -> int:
        found = re.search(r"(\d+) наставник\w* в банке", page.text)
        check(found, f"{page.where()}: no «наставников в банке»\n  {page.text[:900]}")
        return int(found[1])

    def cached_indicators(self, curator: Browser) -> None:
        """A dashboard figure cached by A, a change saved on B, the new figure on A."""
        before = self.mentors_in_bank(curator.get(self.a, "/reports/dashboard/").expect(200))
        keys = self.cluster.cache.keys("*indicators*")
        check(len(keys) >= 3, f"the dashboard's indicators are not in Redis: {keys}")
        again = self.mentors_in_bank(curator.get(self.a, "/reports/dashboard/").expect(200))
        check(again == before, f"A's dashboard changed by itself: {before} → {again}")
        questionnaire_id = self.db.value(
            "SELECT id FROM registry_selfquestionnaire "
            "WHERE kind = 'mentor' AND status = 'submitted'"
        )
        path = f"/questionnaires/{questionnaire_id}/"
        waiting = curator.get(self.b, "/questionnaires/").expect(200, "Козлова Н. В.")
        check(f'href="{path}"' in waiting.html, f"{waiting.where()}: no link to {path}")
        detail = curator.get(self.b, path).expect(200, "Анкета потенциального наставника")
        answer = curator.post(self.b, detail.form(f"{path}accept/"))
        curator.get(self.a, answer.expect_redirect(re.compile(r"/people/\d+/"))).expect(
            200, "Анкета принята и включена в банк наставников: Козлова Надежда Владимировна"
        )
        after = self.mentors_in_bank(curator.get(self.a, "/reports/dashboard/").expect(200))
        check(after == before + 1, f"A's dashboard: {after} mentors in the bank, not {before + 1}")
        self.done(
            f"cache: A's dashboard «{before} наставников в банке» (in Redis); a mentor "
            f"questionnaire accepted on B; A shows {after}"
        )

    def summary(self) -> None:
        """The methodologist asks on A; the worker builds it; B shows it ready and gives the
        Excel file, the same as A gives; the worker sends the letter that it is ready."""
        metodist = Browser()
        metodist.log_in(self.a, self.b, "metodist").expect_redirect("/")
        page = metodist.get(self.a, "/reports/summaries/").expect(200, "Сформировать сводку")
        answer = metodist.post(self.a, page.form("/reports/summaries/new/"))
        metodist.get(self.b, answer.expect_redirect("/reports/summaries/")).expect(
            200, "поставлена в очередь"
        )
        ready = self.wait_for(
            "the worker to build the summary",
            lambda: metodist.get(self.b, "/reports/summaries/").expect(200),
            lambda page: "Скачать Excel" in page.text,
        )
        ready.expect(200, "Итоги последней готовой сводки", "учреждений: 1")
        path = ready.link(r"/reports/summaries/\d+/download/")[1]
        from_b = metodist.get(self.b, path).expect(200)
        from_a = metodist.get(self.a, path).expect(200)
        check(from_a.body == from_b.body, "A and B give different files of the summary")
        sheet = load_workbook(io.BytesIO(from_b.body), read_only=True).active
        cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        check(any(INSTITUTION in cell for cell in cells), f"no row of {INSTITUTION}: {cells[:40]}")
        check("Итого" in cells, f"no «Итого» in the summary: {cells[:40]}")
        self.wait_for(
            "the worker to send «Сводка … готова»",
            lambda: [subject for _, subject in self.printed_letters()],
            lambda subjects: any("Сводка по учреждениям" in s and "готова" in s for s in subjects),
        )
        self.done(
            "summary: asked on A, built by the worker, ready on B; the same Excel from B and A "
            "(«Итого» and the kindergarten); its letter sent"
        )

    def log_out(self, head: Browser) -> None:
        """Logging out on B ends the session on A."""
        page = head.get(self.a, "/home/head/").expect(200)
        head.post(self.b, page.form("/logout/")).expect_redirect("/login/")
        head.get(self.a, "/home/head/").expect_redirect("/login/")
        check(self.head_sessions() == 0, f"head's session rows after: {self.head_sessions()}")
        self.done("logout on B: A sends head to the login page; her session row is gone")

    def logs(self) -> None:
        counts = []
        for server in (self.a, self.b):
            served = server.requests_served()
            errors = [line for line in served if re.search(r'" 5\d\d ', line)]
            check(not errors, f"server {server} answered with errors:\n" + "\n".join(errors))
            counts.append(f"{server.name} {len(served)}")
        for process in self.cluster.processes:
            check("Traceback" not in process.text(), f"{process.name} logged a traceback")
        self.done(f"logs: requests served by {', '.join(counts)}; no 5xx, no traceback")

    def wait_for(self, what: str, read, ready):
        deadline = time.monotonic() + WAIT_SECONDS
        while not ready(value := read()):
            check(self.cluster.worker.running(), f"the worker stopped while waiting for {what}")
            check(time.monotonic() < deadline, f"waited {WAIT_SECONDS} s for {what}: {value}")
            time.sleep(0.5)
        return value


def parse_options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", default="8101,8102", help="the two servers' ports")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="mentoring_cluster", help="dropped and made anew")
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/11",
        help="a Redis database of the walk's own: emptied before and after",
    )
    options = parser.parse_args(argv)
    options.ports = tuple(int(port) for port in options.ports.split(","))
    check(len(set(options.ports)) == 2, "--ports: two different ports")
    return options


def main(argv=None) -> int:
    options = parse_options(argv)
    # SIGTERM (CI stopping) cleans up as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = Cluster(options)
    journey = Journey(cluster)
    print(f"== two servers, one worker: {cluster.a}, {cluster.b}, database {options.database}")
    try:
        journey.run()
    except Failed as failure:
        journey.failed(failure)
        cluster.print_logs()
        return 1
    except BaseException:
        cluster.print_logs()
        raise
    finally:
        problems = cluster.tear_down()
        for problem in problems:
            print(f"✗ cleaning up: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"== the walk passed in {time.monotonic() - journey.started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
