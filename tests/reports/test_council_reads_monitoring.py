"""The council's read access to monitoring (п. 3.4: it «участвует в мониторинге реализации
персонализированных программ», «принимает участие в формировании банка лучших практик» and
«разрабатывает … персонализированные программы»): it reads the growth records with their
export, the bank of best practices and the library of typical events; it changes none of the
growth records or the library's entries and approves no practice for publication."""

from datetime import date

import pytest
from django.urls import reverse

from programs.models import EventForm, TypicalEvent
from registry.models import Direction
from reports.models import GrowthRecord, Practice
from tests.download_helpers import download_name

pytestmark = pytest.mark.django_db


def test_a_council_member_reads_growth_practices_and_the_library_without_editing(world, as_user):
    record = GrowthRecord.objects.create(
        person=world.mentee_person,
        kind=GrowthRecord.Kind.COURSE,
        title="Курсы «ФОП ДО»",
        date=date(2026, 10, 1),
        created_by=world.curator,
    )
    direction = Direction.objects.get(name="методическое")
    practice = Practice.objects.create(
        institution=world.institution,
        title="Интерактивная доска в работе молодого воспитателя",
        direction=direction,
        summary="Как пара освоила интерактивную доску.",
    )
    own = TypicalEvent.objects.create(
        institution=world.institution,
        direction=direction,
        form=EventForm.objects.first(),
        title="Взаимопосещение занятий по ИКТ",
        week=2,
    )
    client = as_user(world.council)

    growth = client.get(reverse("reports:growth-list"))
    assert growth.status_code == 200
    page = growth.content.decode()
    assert "Курсы «ФОП ДО»" in page
    assert reverse("reports:growth-update", args=[record.pk]) not in page
    export = client.get(reverse("reports:growth-export"))
    assert export.status_code == 200 and download_name(export).endswith(".xlsx")

    practices = client.get(reverse("reports:practice-list")).content.decode()
    assert "Интерактивная доска в работе молодого воспитателя" in practices
    detail = client.get(reverse("reports:practice-detail", args=[practice.pk]))
    assert detail.status_code == 200
    assert reverse("reports:practice-approve", args=[practice.pk]) not in detail.content.decode()

    library = client.get(reverse("programs:library-list"))
    assert library.status_code == 200
    page = library.content.decode()
    assert "Взаимопосещение занятий по ИКТ" in page
    assert "Добавить мероприятие" not in page
    assert reverse("programs:library-update", args=[own.pk]) not in page

    # No editing: the server refuses what the page does not offer.
    assert client.get(reverse("reports:growth-update", args=[record.pk])).status_code == 403
    assert client.post(reverse("reports:growth-delete", args=[record.pk])).status_code == 403
    assert client.post(reverse("reports:practice-approve", args=[practice.pk])).status_code == 403
    assert client.get(reverse("programs:library-create")).status_code == 403
    assert client.get(reverse("programs:library-update", args=[own.pk])).status_code == 403
    record.refresh_from_db()
    practice.refresh_from_db()
    assert GrowthRecord.objects.filter(pk=record.pk).exists()
    assert practice.status == Practice.Status.DRAFT
