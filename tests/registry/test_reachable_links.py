"""Every link a person is shown opens (issue 22, item 6): a crawl of the demo from each role's
home finds no link that answers 403 or 404. Templates offer a link only where the view's access
check lets the person in (registry/roles.py, each app's access.py)."""

import html
import re
from collections import Counter
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

from programs.models import Program
from registry.models import GroupMember, User

ROLES = ["head", "curator", "council", "sysadmin", "mentor", "mentee", "teacher", "metodist"]
LINK = re.compile(r'href="(/[^"#]*)"')
# Documents and files (PDF, XLSX, CSV, iCalendar, scans, evidence), downloaded, not read.
FILE_VIEWS = {
    "programs:program-pdf",
    "programs:program-export",
    "programs:overdue-export",
    "programs:evidence-download",
    "programs:my-calendar",
    "programs:calendar-feed",
    "registry:bank-export",
    "registry:group-export",
    "registry:order-export",
    "registry:user-export",
    "registry:import-template",
    "registry:consent-scan",
    "registry:order-pdf",
    "registry:council-meeting-pdf",
    "reports:growth-export",
    "reports:survey-export",
    "reports:material-download",
    "reports:summary-download",
    "reports:statistics-export",
    "reports:report-pdf",
    "roadmap:roadmap-pdf",
    "roadmap:version-pdf",
    "roadmap:evidence-download",
}
# Pages of one shape (the same path but for ids and query values) whose links are followed:
# every link found is opened, the links of the fortieth person's page are those of the first.
EXPANDED_PER_SHAPE = 2


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _skipped(url: str) -> bool:
    if url.startswith(("/static/", "/media/")):
        return True
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False  # a link to nowhere is a broken link: opened, answers 404
    return (
        match.view_name == "logout" or match.namespace == "public" or match.view_name in FILE_VIEWS
    )


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def crawl(client, start: str) -> tuple[int, list[tuple[str, int, str]]]:
    """Opens every link reachable from ``start`` (GET, within the site); returns the number of
    pages opened and the broken links as (url, status, the page that shows the link)."""
    seen, queue, broken, shapes, opened = set(), [(start, "")], [], Counter(), 0
    while queue:
        url, source = queue.pop(0)
        if url in seen or _skipped(url):
            continue
        seen.add(url)
        response = client.get(url)
        opened += 1
        if response.status_code in (403, 404):
            broken.append((url, response.status_code, source))
            continue
        if response.status_code in (301, 302):
            queue.append((response["Location"], url))
            continue
        shapes[_shape(url)] += 1
        if shapes[_shape(url)] > EXPANDED_PER_SHAPE or "text/html" not in response.get(
            "Content-Type", ""
        ):
            continue
        for link in LINK.findall(response.content.decode()):
            queue.append((html.unescape(link), url))
    return opened, broken


def _member_of_the_active_program(role: str) -> User:
    """The demo's logins «mentor» and «mentee» wait for a pair to be confirmed: the mentor and
    the mentee of its program being carried out get a login here, to walk a program's pages."""
    program = Program.objects.filter(status=Program.Status.ACTIVE).first()
    member = program.group.members.select_related("person").get(role=role)
    user = User.objects.create_user(
        username=f"active-{role}", password="-", institution=program.group.institution
    )
    member.person.user = user
    member.person.save(update_fields=["user"])
    return user


@pytest.mark.parametrize("login", ROLES + ["active-mentor", "active-mentee"])
def test_no_link_shown_to_a_role_leads_to_403_or_404(demo, db, client, login):
    if login.startswith("active-"):
        user = _member_of_the_active_program(GroupMember.Role(login.removeprefix("active-")))
    else:
        user = User.objects.get(username=login)
    client.force_login(user)
    opened, broken = crawl(client, "/")
    assert opened > 5
    assert broken == [], f"{login} is shown links that refuse them: {broken}"
