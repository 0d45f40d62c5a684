"""Anonymization leaves nothing (152-ФЗ ст. 21 ч. 5; issue 17, item 3): after the person is
anonymized, no text column of any table and no stored file holds any form of her surname, first
name or patronymic, her initials with the surname, her phone, e-mail address or birth date.

The world is the demo institution with the demo mentee renamed «Ёлкина Дарья Аркадьевна», and
her name planted, through the models' own saves (so the audit trail records the values too),
in every listed text column of a row of every model that has rows, plus the records the demo
lacks: her comment with her phone, evidence she uploaded named «Ёлкина Д.А. — отчёт,
07.12.2000.pdf», evidence of the mentor whose PDF names her, a petition, a term change,
notifications to the curator naming her."""

import json
import os
import re
import shutil
import subprocess
import time
from datetime import date, timedelta
from io import StringIO

import pytest
from auditlog.context import set_actor
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib import morphology
from mentoring_site.lib.pdf import render_pdf
from programs.models import Evidence, Program, ProgramComment, ProgramEvent, TermChange
from registry.models import (
    Consent,
    DestructionAct,
    GroupMember,
    Letter,
    Notification,
    Order,
    Person,
    Petition,
    PublicDocument,
    User,
)
from registry.services import erasure
from registry.services import personal_data as services
from tests.factories import make_institution, make_person, make_user

pytestmark = pytest.mark.django_db

SURNAME, FIRST, PATRONYMIC = "Ёлкина", "Дарья", "Аркадьевна"
PHONE, EMAIL, BIRTH = "+7 912 345-67-89", "elkina.d@example.org", date(2000, 12, 7)
LONG = (
    "Ёлкина Дарья Аркадьевна показала сильные стороны; Ёлкиной Д. А. поручено; отзыв о "
    "Д. А. Ёлкиной; Дарье Аркадьевне сообщили; с Елкиной, Ёлкину Д.А.; тел. +7 912 345-67-89, "
    "elkina.d@example.org, родилась 07.12.2000"
)
MIDDLE = "Ёлкиной Д. А., Дарье Аркадьевне, тел. 8 (912) 345-67-89"
SHORT = "Ёлкиной Д. А."


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def _forms(word: str, grammeme: str) -> set[str]:
    forms = set(morphology.name_forms(word, grammeme)) | {word.lower()}
    forms |= {morphology.inflect(word, case) for case in morphology.CASES}
    return {_norm(form) for form in forms}


# Found independently of the code under test: the dictionary's forms and the usual endings.
NAME_FORMS = (
    _forms(SURNAME, "Surn")
    | {"елкина", "елкиной", "елкину", "елкиною"}
    | _forms(FIRST, "Name")
    | {"дарья", "дарьи", "дарье", "дарью", "дарьей", "дарьею"}
    | _forms(PATRONYMIC, "Patr")
    | {"аркадьевна", "аркадьевны", "аркадьевне", "аркадьевну", "аркадьевной"}
)
LITERALS = [EMAIL, "912 345-67-89", "9123456789", "07.12.2000", "2000-12-07"]
_WORD = re.compile(r"[^\W\d_]+")


def _names_her(text: str) -> bool:
    if not text:
        return False
    if any(literal in text for literal in LITERALS):
        return True
    return any(_norm(word) in NAME_FORMS for word in _WORD.findall(text))


def _scan() -> list[str]:
    """Every text, JSON and file-name column of every row of every table, and the bytes of
    every stored file, that still names her. Kept on purpose: the act's subject (it must name
    whose data was destroyed) and signed orders (archival documents)."""
    found = []
    for model in apps.get_models():
        label = model._meta.label
        columns = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.FileField
            )
        ]
        if label == "registry.DestructionAct":
            columns.remove("subject_name")
        if not columns:
            continue
        rows = model._default_manager.all()
        if label in erasure.ROWS_KEPT:
            rows = rows.exclude(erasure.ROWS_KEPT[label]())
        for pk, *values in rows.values_list("pk", *columns):
            for name, value in zip(columns, values, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if _names_her(text):
                    found.append(f"{label}.{name} № {pk}: {text[:120]}")
    for folder, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for filename in files:
            path = os.path.join(folder, filename)
            if _names_her(filename) or _names_her(_file_text(path)):
                found.append(f"file {path}")
    return found


def _file_text(path: str) -> str:
    with open(path, "rb") as handle:
        content = handle.read()
    if content.startswith(b"%PDF"):
        return subprocess.run(  # noqa: S603 the installed pdftotext on a file the test wrote
            [shutil.which("pdftotext"), "-q", path, "-"], capture_output=True, check=True
        ).stdout.decode()
    return content.decode("utf-8", "ignore")


def _pdf_naming_her() -> bytes:
    return render_pdf(
        "documents/destruction_act.html",
        {
            "act": DestructionAct(
                number=1,
                subject_name="Отчёт: Ёлкина Дарья Аркадьевна, 07.12.2000",
                destroyed_on=date(2026, 12, 2),
                keep_until=date(2029, 12, 2),
                institution=Person.objects.first().institution,
            )
        },
    )


def _plant(row, model) -> list[str]:
    """Her name in every listed column of ``row``, saved through the model (the trail records
    the values as it would for a form)."""
    planted = []
    for name in erasure.FREE_TEXT[model._meta.label]:
        f = model._meta.get_field(name)
        if isinstance(f, models.JSONField):
            value = getattr(row, name)
            if isinstance(value, list):
                setattr(row, name, [*value, LONG])
            elif isinstance(value, dict):
                setattr(row, name, {**value, "_note": LONG})
            else:
                continue
        else:
            limit = f.max_length or 10_000
            text = next((t for t in (LONG, MIDDLE, SHORT) if len(t) <= limit), None)
            if text is None:
                continue
            setattr(row, name, text)
        planted.append(name)
    if planted:
        row.save()
    return planted


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _build_world():
    call_command("load_demo", stdout=StringIO())
    # The mentee of the demo's program, with a login of her own.
    program = Program.objects.select_related("group").first()
    person = Person.objects.get(
        memberships__group=program.group, memberships__role=GroupMember.Role.MENTEE
    )
    account = person.user or make_user(person.institution, "elkina", person=person)
    # Nobody else bears her first name in the demo: the other «Дарья» is renamed.
    Person.objects.filter(first_name=FIRST).exclude(pk=person.pk).update(first_name="Вероника")
    person.last_name, person.first_name, person.patronymic = SURNAME, FIRST, PATRONYMIC
    person.phone, person.email, person.birth_date = PHONE, EMAIL, BIRTH
    person.save()
    curator = User.objects.filter(role_assignments__role="curator").first()
    event = ProgramEvent.objects.filter(program=program).first()
    group = program.group

    # The records the demo lacks.
    ProgramComment.objects.create(program=program, author=account, text=f"Мой телефон {PHONE}")
    Evidence.objects.create(
        event=event,
        uploaded_by=account,
        name="Ёлкина Д.А. — отчёт, 07.12.2000.pdf",
        file=ContentFile(_pdf_naming_her(), name="report.pdf"),
    )
    Evidence.objects.create(
        event=event,
        uploaded_by=curator,
        name="Протокол.pdf",
        file=ContentFile(_pdf_naming_her(), name="protocol.pdf"),
    )
    kept = Evidence.objects.create(
        event=event,
        uploaded_by=curator,
        name="План.txt",
        file=ContentFile("План занятий без имён".encode(), name="plan.txt"),
    )
    Petition.objects.create(
        group=group,
        kind=Petition.Kind.choices[0][0],
        author=Person.objects.filter(institution=person.institution).exclude(pk=person.pk).first(),
        text=LONG,
    )
    TermChange.objects.create(
        program=program,
        new_end=program.end + timedelta(days=30),
        reason=LONG,
        requested_by=curator,
    )
    PublicDocument.objects.create(
        institution=person.institution,
        level=PublicDocument.Level.choices[0][0],
        title="Отчёт о наставничестве за полугодие",
        file=ContentFile(_pdf_naming_her(), name="otchet.pdf"),
    )
    # A signed order naming her: an archival document, kept as signed.
    Order.objects.filter(pk=Order.objects.filter(status="signed").values("pk")[:1]).update(
        title="О закреплении наставника за Ёлкиной Д. А."
    )
    Letter.objects.create(
        institution=person.institution, user=account, to=EMAIL, subject="Вам задача", body="…"
    )
    Notification.objects.bulk_create(
        Notification(user=curator, text=f"{SHORT} загрузила отчёт № {i}") for i in range(7)
    )
    # Her name in a row of every model that has rows, saved through the model.
    planted = {}
    for label in erasure.FREE_TEXT:
        if label == "audit.LogEntry":
            continue  # the trail records the values of the saves above and below
        model = apps.get_model(label)
        rows = model._default_manager.all()
        if label in erasure.ROWS_KEPT:
            rows = rows.exclude(erasure.ROWS_KEPT[label]())
        row = rows.order_by("pk").first()
        if row is not None and _plant(row, model):
            planted[label] = row.pk
    Consent.objects.filter(person=person, kind=Consent.Kind.PROCESSING).update(
        withdrawn_on=timezone.localdate() - timedelta(days=3)
    )
    return person, account, curator, planted, kept


def test_every_text_column_is_rewritten_or_exempt_with_a_reason():
    assert erasure.unlisted_columns() == []
    for label, fields in erasure.FREE_TEXT.items():
        model = apps.get_model(label)
        for name in fields:
            model._meta.get_field(name)  # a listed column exists
    assert all(reason.strip() for reason in erasure.EXEMPT.values())


def test_after_anonymization_no_table_and_no_file_names_her(
    media_root, django_capture_on_commit_callbacks
):
    person, account, curator, planted, kept = _build_world()
    before = _scan()
    # The world is rich: she is named in every kind of text the issue lists.
    for label in [
        "programs.Program",
        "programs.ProgramChange",
        "programs.ProgramEvent",
        "programs.Meeting",
        "programs.ProgramComment",
        "programs.Evidence",
        "programs.TermChange",
        "registry.GroupEvent",
        "registry.Notification",
        "registry.Letter",
        "registry.NewsItem",
        "registry.PublicSection",
        "registry.PublicDocument",
        "registry.Petition",
        "registry.CouncilMeeting",
        "reports.Practice",
        "reports.GrowthRecord",
        "roadmap.Activity",
        "audit.LogEntry",
    ]:
        assert any(hit.startswith(label + ".") for hit in before), label
    assert any(hit.startswith("file ") for hit in before)
    assert len(planted) >= 35, sorted(planted)

    # set_actor: as in the request «Обезличить сейчас», where the middleware names the actor.
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
        set_actor(curator),
    ):
        started = time.perf_counter()
        act = services.person_anonymize(person=person, user=curator)
        took = time.perf_counter() - started

    left = _scan()
    assert left == [], "\n".join(left)
    # Evidence she uploaded and evidence whose text names her are gone, files too; the rest stays.
    assert list(Evidence.objects.values_list("pk", flat=True)) == [kept.pk]
    assert os.path.exists(kept.file.path)
    assert Order.objects.filter(status="signed", title__contains="Ёлкиной Д. А.").exists()
    # A stored document of the public section whose file names her is withdrawn.
    withdrawn = PublicDocument.objects.get(title="Отчёт о наставничестве за полугодие")
    assert (withdrawn.file.name, withdrawn.is_published) == ("", False)
    assert withdrawn.text.startswith("Документ отозван")
    assert act.files_deleted == 3
    # The placeholder stands where she was named.
    placeholder = f"Обезличенный участник № {person.pk}"
    assert Notification.objects.filter(user=curator, text__startswith=placeholder).count() >= 7
    # The act lists what was destroyed, with the extract from the event log, without values.
    assert act.texts_rewritten["программы наставничества"] >= 1
    assert act.texts_rewritten["уведомления"] >= 7
    assert act.texts_rewritten["письма субъекту (удалены)"] >= 1
    assert not Letter.objects.filter(user=account).exists()
    assert any(row["object"] == "программы наставничества" for row in act.log_extract)
    assert any(row["action"] == "удаление" for row in act.log_extract)
    assert any("фамилия" in row["fields"] for row in act.log_extract)  # read before the scrub
    assert all(row["actor"] == str(curator) for row in act.log_extract)
    assert not _names_her(json.dumps(act.log_extract, ensure_ascii=False))
    assert not _names_her(json.dumps(act.texts_rewritten, ensure_ascii=False))
    # One transaction, a bounded number of queries (one read per model, not per row).
    print(f"person_anonymize: {len(queries)} queries, {took:.2f} s")  # noqa: T201
    assert len(queries) < 400


def test_the_act_page_and_pdf_carry_the_extract_from_the_event_log(
    media_root, client, django_capture_on_commit_callbacks
):
    person, account, curator, planted, kept = _build_world()
    with django_capture_on_commit_callbacks(execute=True):
        act = services.person_anonymize(person=person, user=curator)
    client.force_login(User.objects.filter(role_assignments__role="head").first())
    page = client.get(reverse("registry:destruction-act-list")).content.decode()
    assert "Выписка из журнала регистрации событий" in page
    pdf = client.get(reverse("registry:destruction-act-pdf", args=[act.pk]))
    path = media_root / "act.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    text = " ".join(_file_text(str(path)).split())
    assert "Выписка из журнала регистрации событий" in text
    assert "Записи, из которых удалены упоминания субъекта" in text
    assert "Программы наставничества" in text or "программы наставничества" in text
    # The act names whose data it was, nothing else does.
    assert "Ёлкина Дарья Аркадьевна" in text
    path.unlink()


# ---------------------------------------------------------------- the rewriting itself


@pytest.fixture
def her(db):
    institution = make_institution()
    person = make_person(
        institution, SURNAME, first_name=FIRST, patronymic=PATRONYMIC, phone=PHONE, email=EMAIL
    )
    person.birth_date = BIRTH
    person.save()
    make_person(institution, "Ёлкина", first_name="Мария", patronymic="Ивановна")  # a namesake
    return person


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ёлкина Дарья Аркадьевна — наставляемая", "N — наставляемая"),
        ("Отзыв о Д. А. Ёлкиной и Ёлкиной Д.А.", "Отзыв о N и N"),
        ("Дарье Аркадьевне сообщили", "N сообщили"),
        ("с Елкиной Дарьей", "с N"),
        ("Ёлкина М. И. — другой человек", "Ёлкина М. И. — другой человек"),
        ("Ёлкина — однофамилица есть", "Ёлкина — однофамилица есть"),
        (
            "Звоните: 8 (912) 345-67-89 или elkina.D@example.org",
            "Звоните: [обезличено] или [обезличено]",
        ),
        (
            "Родилась 07.12.2000, в 2000-12-07 по ISO",
            "Родилась [обезличено], в [обезличено] по ISO",
        ),
        ("ёлочка и ёлкин лес", "ёлочка и ёлкин лес"),
    ],
)
def test_every_form_is_replaced_and_others_are_left(her, text, expected):
    rewritten = erasure.erasure_for(her).rewrite(text)
    assert rewritten == expected.replace("N", f"Обезличенный участник № {her.pk}")


def test_a_first_name_alone_is_hers_only_when_nobody_else_of_the_institution_has_it(her):
    assert erasure.erasure_for(her).rewrite("Спасибо, Дарья!") == (
        f"Спасибо, Обезличенный участник № {her.pk}!"
    )
    make_person(her.institution, "Иванова", first_name="Дарья")
    assert erasure.erasure_for(her).rewrite("Спасибо, Дарья!") == "Спасибо, Дарья!"


def test_a_first_name_alone_in_another_kindergartens_text_is_someone_else(her):
    other = make_institution("ГБДОУ детский сад № 65")
    ours = make_user(her.institution, "curator")
    theirs = make_user(other, "their-curator")
    mine = Notification.objects.create(user=ours, text="Дарья загрузила отчёт")
    not_mine = Notification.objects.create(user=theirs, text="Дарья загрузила отчёт")
    surely_mine = Notification.objects.create(user=theirs, text="Ёлкина Д. А. перешла к нам")
    erasure.rewrite_everywhere(erasure.erasure_for(her))
    placeholder = f"Обезличенный участник № {her.pk}"
    mine.refresh_from_db()
    not_mine.refresh_from_db()
    surely_mine.refresh_from_db()
    assert mine.text == f"{placeholder} загрузила отчёт"
    assert not_mine.text == "Дарья загрузила отчёт"
    assert surely_mine.text == f"{placeholder} перешла к нам"


def test_every_listed_model_with_an_institution_knows_the_way_to_it():
    for label in erasure.FREE_TEXT:
        model = apps.get_model(label)
        if erasure._institution_path(model) is None:
            assert label.split(".")[0] in {"axes", "django_tasks_database"}, label


def test_a_surname_that_is_also_a_common_word_is_replaced_alone_too(db):
    institution = make_institution()
    person = make_person(institution, "Орлова", first_name="Вера", patronymic="Павловна")
    assert erasure.erasure_for(person).rewrite("Отчёт Орловой принят") == (
        f"Отчёт Обезличенный участник № {person.pk} принят"
    )
