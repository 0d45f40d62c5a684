"""Keep less where it travels (issue 17 item 5): a page's title — the browser's tab, history and
bookmarks, the title of a PDF — and a calendar feed synced to a phone carry a person's surname
and initials, never the full name."""

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from programs.models import Meeting
from programs.services.calendar import calendar_feed_rotate
from tests.programs.test_lifecycle import active_program

pytestmark = pytest.mark.django_db

FULL = "Петрова Мария Ивановна"
SHORT = "Петрова М. И."


def _title(response) -> str:
    assert response.status_code == 200
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def _pdf_title(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (poppler-utils).
    command = [shutil.which("pdfinfo"), str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return next(line for line in result.stdout.splitlines() if line.startswith("Title:"))


def test_the_person_page_title_carries_initials(world, as_user):
    url = reverse("registry:person-detail", args=[world.mentor_person.pk])
    response = as_user(world.curator).get(url)
    title = _title(response)
    assert SHORT in title and FULL not in title
    assert FULL in response.content.decode()  # the heading still names the person in full


def test_the_personal_data_pdf_title_carries_initials(world, as_user, tmp_path):
    url = reverse("registry:person-data-pdf", args=[world.mentor_person.pk])
    title = _pdf_title(as_user(world.curator).get(url).content, tmp_path)
    assert SHORT in title and FULL not in title


def test_no_page_title_template_prints_a_full_name():
    """Every template's title block: the rule holds for pages yet to be written as well."""
    titles = [
        match.group(1)
        for template in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for match in re.finditer(r"{% block title %}(.*?){% endblock", template.read_text(), re.S)
    ]
    assert titles
    assert [t for t in titles if "full_name" in t] == []


def test_the_calendar_feed_carries_initials(world, client):
    program = active_program(world)
    Meeting.objects.create(
        program=program,
        topic="Разбор занятия",
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=45,
    )
    feed = calendar_feed_rotate(user=world.mentor)
    text = client.get(reverse("programs:calendar-feed", args=[feed.token])).content.decode()
    text = text.replace("\r\n ", "")  # unfolded (RFC 5545)
    assert "Разбор занятия" in text
    assert SHORT in text
    assert FULL not in text
    assert "Иванова Анна Сергеевна" not in text
