"""Property-based fuzzing of every form (issue 8 «Bad input, broadly»).

The permission table (``tests/test_permissions.py::TABLE``) names every URL and the roles that
may use it. Each URL that takes a POST (a POST row, or a page that does not answer 405 to one)
is fuzzed as a role allowed to use it, with the fields of the forms that post to it, read from
the rendered pages of that role (``tests/fuzz_strategies.py::parse_forms``). Every page's query
string is fuzzed too: the fields of its GET forms (django-filter sets, search boxes) and the
names the views read themselves. The properties, per example, in a savepoint rolled back after
it: no answer is a server error (the test client raises what the view raised), and a form shown
again with its errors wrote nothing.
"""

import copy
import os
import re
import time
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.core.cache import cache
from django.db import connection, transaction
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisWarning

from registry.models import Person
from tests.factories import make_person
from tests.fuzz_strategies import Field, form_data, parse_forms, query_data
from tests.permission_helpers import expected_for, finished
from tests.test_permissions import TABLE, _objects

# Examples per POST target and per page query string. Derandomized: a failure reproduces.
# FUZZ_SCALE=10 runs ten times as many, for a longer hunt by hand.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
POST_EXAMPLES = max(1, round(20 * SCALE))
POST_BARE_EXAMPLES = max(1, round(5 * SCALE))  # no form in the world's state: unknown keys
GET_FORM_EXAMPLES = max(1, round(20 * SCALE))  # pages with a GET form (filters, search)
GET_PLAIN_EXAMPLES = max(1, round(2 * SCALE))  # other pages: the names the views read by hand

# The role a URL is fuzzed as: the first allowed of these (group B's members add nothing).
PREFERENCE = ["curator", "sysadmin", "head", "council", "mentor", "mentee", "teacher", "outsider"]

ROLES_CRAWLED = [r for r in PREFERENCE if r != "outsider"] + ["anonymous"]

# POST URLs that are not fuzzed, each with its reason. Keep it short.
EXCLUDED = {}

# POST URLs that no role of the table may use, fuzzed as the user who may (made by Site).
OWN_USERS = {"reports:summary-create": "methodologist"}
# The pages of those users, read for their forms (and fuzzed by query string).
OWN_PAGES = {"methodologist": ["reports:summary-list"]}

# Query names the views read from request.GET by hand (grep ``request.GET.get``), besides the
# fields of their GET forms.
QUERY_NAMES = [
    "page",
    "sort",
    "per_page",
    "kind",
    "status",
    "next",
    "mode",
    "template",
    "year",
    "print",
    "size",
    "scheme",
    "images",
    "spacing",
]

# Tables a request may write without changing anything a person entered: the session (idle
# time, messages) and django-axes' record of login attempts.
BOOKKEEPING_TABLES = re.compile(r"^(django_session|mentoring_session|axes_)")
ERROR_MARKERS = ("is-invalid", "invalid-feedback", "error-summary")


@dataclass
class Target:
    name: str
    role: str
    method: str
    fields: list = field(default_factory=list)
    extra_names: tuple = ()


class Writes:
    """The tables written by the SQL run inside the block (connection.execute_wrapper), less
    the writes a savepoint rolled back: a service that checks after writing and raises inside
    its ``transaction.atomic`` leaves nothing behind."""

    WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
    SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\s+"?(\w+)"?')

    def __init__(self):
        self._frames = [("", set())]  # (savepoint, tables written since it)

    @property
    def tables(self):
        return set().union(*(written for _name, written in self._frames))

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if match := self.WRITE.match(sql):
            if not BOOKKEEPING_TABLES.match(match.group(1)):
                self._frames[-1][1].add(match.group(1))
        elif match := self.SAVEPOINT.match(sql):
            command, name = match.groups()
            if command == "SAVEPOINT":
                self._frames.append((name, set()))
            else:
                names = [frame for frame, _written in self._frames]
                if name in names:
                    at = len(names) - 1 - names[::-1].index(name)
                    if command == "ROLLBACK TO SAVEPOINT":  # its writes are gone
                        del self._frames[at + 1 :]
                        self._frames[at][1].clear()
                    else:  # released: its writes belong to the enclosing frame
                        written = set().union(*(w for _n, w in self._frames[at:]))
                        del self._frames[at:]
                        self._frames[-1][1].update(written)
        return result


@contextmanager
def recording_writes():
    writes = Writes()
    with connection.execute_wrapper(writes):
        yield writes


def _view_name(url: str):
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _role_for(row, kwargs, wanted):
    """The first role of PREFERENCE whose answer on the row's method is in `wanted`."""
    for role in PREFERENCE:
        if expected_for(row.expected, role, kwargs) in wanted:
            return role
    if row.expected.get("anonymous") == 200:
        return "anonymous"
    return None


class Site:
    """The URLs of the table for one world, the pages each role sees and their forms.

    A row may build its own objects (``Row.kwargs``), and the objects of two rows may not live
    together (two roadmaps of one year): each row's objects exist only in a savepoint around
    the requests made to its URL (``row_url``)."""

    def __init__(self, world, client):
        self.world = world
        self.client = client
        self.objects = _objects(world)
        self._pages, self._actions = {}, {}
        # Ids that belong to the other kindergarten: they must be refused like nonexistent ones.
        self.foreign_ids = sorted(
            {
                world.other_institution.pk,
                world.other_person.pk,
                world.outsider.pk,
                *Person.objects.filter(institution=world.other_institution).values_list(
                    "pk", flat=True
                ),
            }
        )

    @contextmanager
    def row_url(self, name):
        """(url, row, kwargs) of the row, its objects rolled back at the end of the block."""
        row = TABLE[name]
        with transaction.atomic():
            kwargs = row.kwargs(self.world, dict(self.objects))  # rows cache objects there
            yield reverse(name, kwargs=kwargs), row, kwargs
            transaction.set_rollback(True)

    def login(self, role):
        user = self._methodologist() if role == "methodologist" else self.world.user(role)
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)

    def _methodologist(self):
        """The district's methodologist: no kindergarten, the summary permission."""
        from django.contrib.auth.models import Permission

        from registry.models import User

        user, created = User.objects.get_or_create(username="fuzz-metodist")
        if created:
            permission = Permission.objects.get(codename="run_institution_summary")
            user.user_permissions.add(permission)
        return user

    def pages(self, role):
        """{url name: (url, forms)} of every HTML page the role may GET (200 in the table)."""
        if not self._pages:
            self._crawl()
        return self._pages[role]

    def _crawl(self):
        """Each GET row once, its objects built once for all the roles that may see it. The
        outsider is left out: their pages are another kindergarten's copies of the curator's."""
        self._pages = {role: {} for role in ROLES_CRAWLED}
        for name, row in TABLE.items():
            if row.method != "get":
                continue
            with self.row_url(name) as (url, row, kwargs):
                for role in ROLES_CRAWLED:
                    if expected_for(row.expected, role, kwargs) != 200:
                        continue
                    self.login(role)
                    response = finished(self.client.get(url))
                    if "html" not in response.get("Content-Type", ""):
                        break  # a document (PDF, XLSX, JSON): not a page, for no role
                    if response.status_code == 200:
                        self._pages[role][name] = (url, parse_forms(response.content.decode()))
        for role, names in OWN_PAGES.items():
            self.login(role)
            self._pages[role] = {}
            for name in names:
                response = finished(self.client.get(reverse(name)))
                assert response.status_code == 200, name
                self._pages[role][name] = (reverse(name), parse_forms(response.content.decode()))

    def _fields(self, name, role, method):
        """The fields of the forms on the role's pages whose action is the URL `name`."""
        fields = self._forms_by_action(role).get((name, method), {})
        return [f for field_name, f in fields.items() if field_name != "csrfmiddlewaretoken"]

    def _forms_by_action(self, role):
        """{(url name of the action, method): {field name: field}} of the role's pages, read
        once: resolving every form's action for every question took a fifth of the test."""
        if role not in self._actions:
            by_action = {}
            for page_url, forms in self.pages(role).values():
                for form in forms:
                    action = urljoin(page_url, form.action or page_url)
                    fields = by_action.setdefault((_view_name(action), form.method), {})
                    for f in form.fields:
                        fields.setdefault(f.name, f)
            self._actions[role] = by_action
        return self._actions[role]

    def post_targets(self):
        """The POST rows and the pages some role's form posts to; then the pages that take a
        POST although no form of the world's state posts there (``formless``: a form shown
        only in another state, e.g. no change of term while one waits for agreement), with the
        fields of the forms their answer to an empty POST shows."""
        targets, formless = [], []
        for name, row in TABLE.items():
            if row.method == "post":
                with self.row_url(name) as (url, row, kwargs):
                    role = _role_for(row, kwargs, {200, 302}) or OWN_USERS.get(name)
                if role is not None:
                    fields = self._fields(name, role, "post")
                    targets.append(Target(name, role, "post", fields, tuple(row.data)))
                continue
            with_form = [r for r in ROLES_CRAWLED if self._fields(name, r, "post")]
            if with_form:
                role = with_form[0]
                targets.append(Target(name, role, "post", self._fields(name, role, "post")))
                continue
            seen_by = [r for r in ROLES_CRAWLED if name in self._pages[r]]
            if seen_by:
                target = self._probe(name, seen_by[0])
                if target is not None:
                    formless.append(target)
        return targets, formless

    def _probe(self, name, role):
        """An empty POST as the role: anything but 405 means the URL takes a POST."""
        with self.row_url(name) as (url, _row, _kwargs):
            self.login(role)
            response = finished(self.client.post(url))
            if response.status_code == 405:
                return None
            fields = {}
            if "html" in response.get("Content-Type", ""):
                for form in parse_forms(response.content.decode()):
                    if form.method == "post" and _view_name(urljoin(url, form.action)) == name:
                        fields.update({f.name: f for f in form.fields})
            fields.pop("csrfmiddlewaretoken", None)
        return Target(name, role, "post", list(fields.values()))

    def get_targets(self):
        """Every HTML page once, as the first role of PREFERENCE that sees it."""
        targets = {}
        for role in [*ROLES_CRAWLED, *OWN_PAGES]:
            for name in self.pages(role):
                if name not in targets:
                    targets[name] = Target(name, role, "get", self._fields(name, role, "get"))
        return list(targets.values())


def _shows_form_errors(response):
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return False
    text = response.content.decode(errors="replace")
    return any(marker in text for marker in ERROR_MARKERS)


def _send(site, target, url, cookies, data):
    """One example: in a savepoint rolled back afterwards, so the world serves the next one.
    The session row comes back with the rollback, its cookie from `cookies` (an example may
    have logged out or cycled the key)."""
    cache.clear()
    site.client.cookies = copy.deepcopy(cookies)
    with transaction.atomic():
        with recording_writes() as writes:
            send = site.client.post if target.method == "post" else site.client.get
            response = finished(send(url, data=data))
        status = response.status_code
        refused_form = target.method == "post" and _shows_form_errors(response)
        transaction.set_rollback(True)
    assert status < 500, f"{target.method.upper()} {target.name} as {target.role}: {status}"
    if refused_form:
        assert not writes.tables, (
            f"{target.name} showed the form with errors but wrote {sorted(writes.tables)}"
        )
    return status


def _fuzz(site, target, strategy, examples):
    """Runs `examples` examples of `strategy` against the target; returns the answers seen."""
    seen = set()
    with site.row_url(target.name) as (url, _row, _kwargs), warnings.catch_warnings():
        # Hypothesis warns when it prints a failing example with a 10^5-character value.
        warnings.filterwarnings("ignore", "Generating overly large repr", HypothesisWarning)
        site.login(target.role)
        if TABLE[target.name].method == "get":
            # Opened before it is sent, as a person does: rows a page creates on first view
            # (an institution's public section) are not the form's writes.
            finished(site.client.get(url))
        cookies = copy.deepcopy(site.client.cookies)

        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(st.data())
        def run(data):
            seen.add(_send(site, target, url, cookies, data.draw(strategy, label=target.name)))

        run()
    return seen


def _failure(target, error):
    notes = "\n".join(getattr(error, "__notes__", []))
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return f"{target.method.upper()} {target.name} as {target.role}: {text[:600]}\n{notes[:1500]}"


def _run_all(site, targets, strategy_for, examples_for):
    failures, statuses = [], {}
    for target in targets:
        try:
            statuses[target.name] = _fuzz(site, target, strategy_for(target), examples_for(target))
        except Exception as error:  # collected, so one run reports every failing form
            failures.append(_failure(target, error))
    return failures, statuses


def test_no_form_and_no_query_string_answers_a_server_error(world, client):
    """One test for both, so the pages are read once (about 40 s of the run)."""
    started = time.monotonic()
    site = Site(world, client)
    site.pages("curator")
    crawled = time.monotonic() - started
    found, formless = site.post_targets()
    post_targets = [t for t in found + formless if t.name not in EXCLUDED]
    get_targets = site.get_targets()

    # Every POST URL of the table is fuzzed or excluded with its reason.
    post_urls = {t.name for t in found + formless}
    assert set(EXCLUDED) <= post_urls, f"stale exclusions: {set(EXCLUDED) - post_urls}"
    assert post_urls >= {name for name, row in TABLE.items() if row.method == "post"}

    def post_examples(target):
        return POST_EXAMPLES if target.fields else POST_BARE_EXAMPLES

    def get_examples(target):
        return GET_FORM_EXAMPLES if target.fields else GET_PLAIN_EXAMPLES

    post_failures, post_seen = _run_all(
        site,
        post_targets,
        lambda t: form_data(t.fields, site.foreign_ids, t.extra_names),
        post_examples,
    )
    posted = time.monotonic()
    get_failures, get_seen = _run_all(
        site,
        get_targets,
        lambda t: query_data(t.fields, site.foreign_ids, QUERY_NAMES),
        get_examples,
    )
    with_fields = [t for t in post_targets if t.fields]
    # How deep the examples went: forms that accepted some example (a redirect after success).
    accepted = sorted(name for name, seen in post_seen.items() if 302 in seen)
    with_form = [t for t in get_targets if t.fields]
    print(
        f"\nPOST URLs fuzzed: {len(post_targets)} of {len(post_urls)} ({len(EXCLUDED)} excluded):"
        f" {len(with_fields)} with the fields of their forms, {POST_EXAMPLES} examples each;"
        f" {len(post_targets) - len(with_fields)} without a form in the world's state (unknown"
        f" keys, the row's data), {POST_BARE_EXAMPLES} each; {len(formless)} of them pages that"
        f" no form posts to.\nPages fuzzed by query string: {len(get_targets)}, {len(with_form)}"
        f" with a GET form ({GET_FORM_EXAMPLES} examples each), the others {GET_PLAIN_EXAMPLES}."
        f"\nPOST URLs that answered some example with a redirect: {len(accepted)}."
        f"\nTime: reading the pages {crawled:.0f} s, POST {posted - started - crawled:.0f} s,"
        f" GET {time.monotonic() - posted:.0f} s."
    )
    assert not post_failures + get_failures, "\n\n".join(post_failures + get_failures)
    assert len(post_seen) == len(post_targets) > 100
    assert len(get_seen) == len(get_targets) > 100
    assert len(with_fields) > 60 and len(with_form) >= 10


def test_the_form_parser_reads_every_kind_of_field():
    html = """
    <form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="title" value="Т"><input type="number" name="n">
      <input type="checkbox" name="d" value="1" checked><input type="checkbox" name="d" value="2">
      <select name="s" multiple><option value="">—</option><option value="5">пять</option></select>
      <textarea name="t">текст</textarea><input type="file" name="f">
      <button type="submit" name="decision" value="yes">Да</button></form>
    <form><input type="search" name="q"></form>"""
    post, search = parse_forms(html)
    assert (post.method, post.action, search.method) == ("post", "/x/", "get")
    by_name = {f.name: f for f in post.fields}
    assert by_name["d"].options == ["1", "2"] and by_name["d"].value == "1"
    assert by_name["s"] == Field("s", "select", "", ["", "5"], True)
    assert (by_name["t"].value, by_name["f"].kind, by_name["n"].kind) == ("текст", "file", "number")
    assert by_name["decision"].options == ["yes"]
    assert [f.name for f in search.fields] == ["q"]


def test_the_write_check_sees_what_stays_and_not_what_a_savepoint_undid(world):
    with transaction.atomic():
        with recording_writes() as writes:
            try:
                with transaction.atomic():
                    make_person(world.institution, "Откатова")
                    raise ValueError
            except ValueError:
                pass
            assert writes.tables == set()
            with transaction.atomic():
                make_person(world.institution, "Новая")
        transaction.set_rollback(True)
    assert "registry_person" in writes.tables


# --- Regression tests of the server errors the fuzzing found ---------------------------------

HUGE_ID = "9223372036854775808"  # 2**63: beyond every integer column


def test_an_id_beyond_the_integer_range_in_a_multiple_choice_is_refused_as_unknown(world, client):
    """mentoring_site/lib/lookups.py: `pk__in` of ModelMultipleChoiceField crashed on SQLite."""
    client.force_login(world.curator)
    url = reverse("registry:mentee-profile", args=[world.mentee_person.pk])
    response = client.post(url, {"preferred_kinds": [HUGE_ID]})
    assert response.status_code == 200
    assert "preferred_kinds" in response.context["form"].errors
    survey = client.post(reverse("reports:survey-create"), {"programs": [HUGE_ID, "-" + HUGE_ID]})
    assert survey.status_code == 200
    assert "programs" in survey.context["form"].errors


def test_the_integer_in_lookup_leaves_out_values_out_of_range_and_keeps_the_rest(world):
    people = Person.objects.filter(institution=world.institution)
    found = people.filter(pk__in=[world.mentee_person.pk, int(HUGE_ID), -int(HUGE_ID) - 1])
    assert list(found) == [world.mentee_person]
    assert not people.filter(pk__in=[int(HUGE_ID)]).exists()


def test_calendar_reset_with_a_next_that_is_no_path_goes_home(world, client):
    """programs/views/calendar.py: redirect("0") took the word for a view name (500)."""
    client.force_login(world.mentor)
    for back in ["0", "home-page", "javascript:alert(1)", "//evil.example/"]:
        response = client.post(reverse("programs:calendar-reset"), {"next": back})
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
    mine = reverse("programs:my-calendar")
    assert client.post(reverse("programs:calendar-reset"), {"next": mine})["Location"] == mine


def test_a_template_id_of_digits_int_cannot_read_is_ignored(world, client):
    """reports/views/surveys.py: "²".isdigit() is true, but int("²") fails (500)."""
    client.force_login(world.curator)
    response = client.get(reverse("reports:survey-create"), {"template": "²"})
    assert response.status_code == 200
    assert response.context["form"]["template"].value() is None
