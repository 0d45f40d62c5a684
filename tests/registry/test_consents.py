"""Consents: record, withdraw, the signed scan and the printable forms (152-ФЗ ст. 9,
ст. 10.1; ТК РФ ст. 351.8)."""

import shutil
import subprocess
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.downloads import ascii_filename
from mentoring_site.lib.pdf import pdf_response, render_pdf
from registry.forms.consents import scan_help_text
from registry.models import Consent
from registry.services.consents import consent_attach_scan, consent_record, consent_withdraw
from registry.views.consents import CONSENT_FILE_NAMES
from tests.docx_helpers import docx_download_text
from tests.download_helpers import download_name, fallback_name
from tests.factories import give_consent

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name="soglasie.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def create_url(person):
    return reverse("registry:consent-create", args=[person.pk])


def withdraw_url(consent):
    return reverse("registry:consent-withdraw", args=[consent.pk])


def scan_url(consent):
    return reverse("registry:consent-scan", args=[consent.pk])


def scan_upload_url(consent):
    return reverse("registry:consent-scan-upload", args=[consent.pk])


def pdf_url(person, kind):
    return reverse("registry:consent-form-pdf", args=[person.pk, kind])


# The fields of ст. 10.1 a consent to dissemination adds: every category allowed here.
DISSEMINATION_POST = {
    "allows_name": "yes",
    "allows_position": "yes",
    "allows_photo": "yes",
    "allows_participation": "yes",
    "resource_url": "https://ds64.example/nastavnichestvo/",
}


def consent_data(kind="processing", given_on="2026-09-01", method="paper", **extra):
    terms = DISSEMINATION_POST if kind == "dissemination" else {}
    return {"kind": kind, "given_on": given_on, "method": method, "note": "", **terms, **extra}


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def body(response) -> bytes:
    """The file's bytes; read to the end, the response closes its file."""
    return b"".join(response.streaming_content)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def consent_with_scan(person, kind=Consent.Kind.DISSEMINATION, content=PDF_BYTES):
    consent = give_consent(person, kind)
    consent.scan.save("scan.pdf", SimpleUploadedFile("scan.pdf", content))
    return consent


# Recording


@pytest.mark.parametrize("kind", ["processing", "dissemination", "mentoring"])
def test_curator_records_each_kind_of_consent(world, as_user, kind):
    person = world.teacher_person
    response = as_user(world.curator).post(
        create_url(person), consent_data(kind, method="online", note="на собрании")
    )
    assert response.status_code == 302
    assert response.url == reverse("registry:person-detail", args=[person.pk])
    consent = Consent.objects.get(person=person, kind=kind)
    assert consent.given_on == date(2026, 9, 1)
    assert consent.method == "online"
    assert consent.note == "на собрании"
    assert consent.recorded_by == world.curator
    assert consent.withdrawn_on is None
    assert "внесено" in messages_of(response)[0]


def test_sysadmin_records_consent_with_scan(world, as_user):
    person = world.teacher_person
    response = as_user(world.sysadmin).post(
        create_url(person), consent_data("mentoring", scan=upload("Смирнова скан.PDF"))
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person, kind="mentoring")
    assert consent.scan.name.endswith(".pdf")
    assert "Смирнова" not in consent.scan.name
    with consent.scan.open("rb") as handle:
        assert handle.read() == PDF_BYTES


def test_create_form_shows_fields_and_preselects_kind(world, as_user):
    response = as_user(world.curator).get(
        create_url(world.teacher_person), {"kind": "dissemination"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="date"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<option value="dissemination" selected>' in html
    assert html.count("<h1") == 1


def test_second_active_consent_of_same_kind_is_refused(world, as_user):
    person = world.mentor_person  # has a processing consent since 01.09.2026
    response = as_user(world.curator).post(create_url(person), consent_data("processing"))
    assert response.status_code == 200
    assert "Согласие этого вида уже действует с 01.09.2026." in response.content.decode()
    assert person.consents.filter(kind="processing").count() == 1


def test_consent_can_be_recorded_again_after_withdrawal(world, as_user):
    person = world.mentor_person
    old = person.consents.get(kind="processing")
    old.withdrawn_on = date(2026, 10, 1)
    old.save()
    response = as_user(world.curator).post(
        create_url(person), consent_data("processing", given_on="2026-11-02")
    )
    assert response.status_code == 302
    assert person.consents.filter(kind="processing").count() == 2
    assert person.consents.get(withdrawn_on__isnull=True).given_on == date(2026, 11, 2)


def test_future_given_on_is_refused(world, as_user):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = as_user(world.curator).post(
        create_url(world.teacher_person), consent_data(given_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert "Дата согласия не может быть в будущем." in response.content.decode()
    assert not world.teacher_person.consents.exists()


def test_missing_kind_and_date_are_reported_in_russian(world, as_user):
    response = as_user(world.curator).post(
        create_url(world.teacher_person), {"method": "paper", "note": ""}
    )
    assert response.status_code == 200
    assert "Обязательное поле." in response.content.decode()
    assert not world.teacher_person.consents.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.pdf", PDF_BYTES), ("scan.png", PNG_BYTES), ("scan.jpg", JPEG_BYTES)],
)
def test_scan_in_pdf_jpeg_or_png_is_accepted(world, as_user, name, content):
    response = as_user(world.curator).post(
        create_url(world.teacher_person), consent_data(scan=upload(name, content))
    )
    assert response.status_code == 302
    consent = world.teacher_person.consents.get()
    assert consent.scan.name.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", PNG_BYTES),  # renamed: the bytes say PNG
        ("scan.png", PDF_BYTES),
        ("scan.pdf", b"just some text, not a scan"),
        ("scan.exe", PDF_BYTES),
    ],
)
def test_scan_whose_bytes_do_not_match_an_allowed_type_is_refused(world, as_user, name, content):
    response = as_user(world.curator).post(
        create_url(world.teacher_person), consent_data(scan=upload(name, content))
    )
    assert response.status_code == 200
    assert "Загрузите скан в формате PDF, JPEG или PNG" in response.content.decode()
    assert not world.teacher_person.consents.exists()


@override_settings(UPLOAD_MAX_BYTES=32)
def test_oversize_scan_is_refused(world, as_user):
    response = as_user(world.curator).post(
        create_url(world.teacher_person), consent_data(scan=upload(content=PDF_BYTES))
    )
    assert response.status_code == 200
    assert "Файл слишком большой" in response.content.decode()
    assert not world.teacher_person.consents.exists()


def test_service_refuses_second_active_consent(world):
    with pytest.raises(ValidationError) as error:
        consent_record(
            person=world.mentee_person,
            kind=Consent.Kind.PROCESSING,
            given_on=date(2026, 10, 1),
            method=Consent.Method.PAPER,
            scan=None,
            note="",
            user=world.curator,
        )
    assert error.value.message_dict["kind"] == ["Согласие этого вида уже действует с 01.09.2026."]
    assert world.mentee_person.consents.count() == 1


# Scan download


def test_curator_downloads_scan_as_attachment(world, as_user):
    consent = consent_with_scan(world.mentor_person)
    response = as_user(world.curator).get(scan_url(consent))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == PDF_BYTES


@pytest.mark.parametrize("role", ["head", "council", "sysadmin"])
def test_staff_roles_download_scan(world, as_user, role):
    consent = consent_with_scan(world.mentor_person)
    response = as_user(world.user(role)).get(scan_url(consent))
    assert response.status_code == 200
    assert body(response) == PDF_BYTES


def test_png_scan_is_served_as_image(world, as_user):
    consent = give_consent(world.teacher_person)
    consent.scan.save("scan.png", SimpleUploadedFile("scan.png", PNG_BYTES))
    response = as_user(world.curator).get(scan_url(consent))
    assert response["Content-Type"] == "image/png"
    assert body(response) == PNG_BYTES


def test_person_downloads_own_scan(world, as_user):
    consent = consent_with_scan(world.mentee_person)
    response = as_user(world.mentee).get(scan_url(consent))
    assert response.status_code == 200
    assert body(response) == PDF_BYTES


@pytest.mark.parametrize("role", ["outsider", "mentee", "teacher"])
def test_others_cannot_download_someone_elses_scan(world, as_user, role):
    consent = consent_with_scan(world.mentor_person)
    response = as_user(world.user(role)).get(scan_url(consent))
    assert response.status_code == 404


def test_scan_of_another_institution_is_not_found(world, as_user):
    consent = consent_with_scan(world.other_person)
    assert as_user(world.curator).get(scan_url(consent)).status_code == 404


def test_consent_without_scan_has_no_download(world, as_user):
    consent = world.mentor_person.consents.get()
    assert as_user(world.curator).get(scan_url(consent)).status_code == 404


# Withdrawal


def test_withdraw_page_names_person_and_consent(world, as_user):
    consent = world.mentor_person.consents.get()
    response = as_user(world.curator).get(withdraw_url(consent))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Петрова Мария Ивановна" in html
    assert "на обработку персональных данных" in html
    assert "01.09.2026" in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert "data-confirm=" in html


def test_curator_withdraws_processing_consent(world, as_user):
    consent = world.mentor_person.consents.get()
    response = as_user(world.curator).post(withdraw_url(consent), {"withdrawn_on": "2026-11-20"})
    assert response.status_code == 302
    assert response.url == reverse("registry:person-detail", args=[world.mentor_person.pk])
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 20)
    assert consent.withdrawn_by == world.curator
    assert not consent.is_active
    message = messages_of(response)[0]
    assert "отозвано с 20.11.2026" in message
    assert "Обработка персональных данных прекращается. Реестр обезличит" in message


def test_withdrawal_before_the_consent_date_is_refused(world, as_user):
    consent = world.mentor_person.consents.get()
    response = as_user(world.curator).post(withdraw_url(consent), {"withdrawn_on": "2026-08-31"})
    assert response.status_code == 200
    assert "Дата отзыва не может быть раньше даты согласия (01.09.2026)." in (
        response.content.decode()
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawal_in_the_future_is_refused(world, as_user):
    consent = world.mentor_person.consents.get()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = as_user(world.curator).post(
        withdraw_url(consent), {"withdrawn_on": tomorrow.isoformat()}
    )
    assert "Дата отзыва не может быть в будущем." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_second_withdrawal_is_refused(world, as_user):
    consent = world.mentor_person.consents.get()
    client = as_user(world.curator)
    client.post(withdraw_url(consent), {"withdrawn_on": "2026-10-01"})
    response = client.post(withdraw_url(consent), {"withdrawn_on": "2026-11-01"})
    assert response.status_code == 200
    assert "Согласие уже отозвано 01.10.2026." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 10, 1)
    assert consent.withdrawn_by == world.curator


def test_withdraw_page_of_withdrawn_consent_offers_no_form(world, as_user):
    consent = world.mentor_person.consents.get()
    consent_withdraw(consent=consent, withdrawn_on=date(2026, 10, 1), user=world.curator)
    response = as_user(world.curator).get(withdraw_url(consent))
    html = response.content.decode()
    assert "уже отозвано 01.10.2026" in html
    assert "withdrawn_on" not in html


# Scan upload after the consent was recorded


def test_scan_upload_page_names_person_and_consent(world, as_user):
    consent = world.mentor_person.consents.get()
    response = as_user(world.curator).get(scan_upload_url(consent))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<h1>Скан согласия на обработку персональных данных (152-ФЗ, ст. 9): "
        "Петрова Мария Ивановна</h1>" in html
    )
    assert "01.09.2026" in html
    assert 'type="file"' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html
    assert "PDF, JPEG или PNG, не больше" in html
    assert "заменит" not in html
    assert "data-confirm" not in html  # nothing is replaced, nothing to ask


def test_curator_uploads_scan_for_consent_recorded_without_one(world, as_user):
    consent = world.mentor_person.consents.get()
    response = as_user(world.curator).post(
        scan_upload_url(consent), {"scan": upload("Петрова согласие.pdf")}
    )
    assert response.status_code == 302
    assert response.url == reverse("registry:person-detail", args=[world.mentor_person.pk])
    assert messages_of(response) == [
        "Скан согласия на обработку персональных данных (152-ФЗ, ст. 9) от 01.09.2026 загружен."
    ]
    consent.refresh_from_db()
    assert consent.scan.name.endswith(".pdf")
    assert "Петрова" not in consent.scan.name
    with consent.scan.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    assert consent.recorded_by is None  # who recorded the consent is not rewritten


def test_sysadmin_replaces_scan_and_old_file_is_deleted_after_commit(
    world, as_user, django_capture_on_commit_callbacks
):
    consent = consent_with_scan(world.mentor_person)
    old_name = consent.scan.name
    storage = consent.scan.storage
    client = as_user(world.sysadmin)
    html = client.get(scan_upload_url(consent)).content.decode()
    assert "Скан уже загружен: новый файл заменит его, прежний будет удалён." in html
    assert "Заменить скан</button>" in html
    assert 'data-confirm="Заменить скан согласия' in html
    assert scan_url(consent) in html

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(scan_upload_url(consent), {"scan": upload("new.png", PNG_BYTES)})
    assert response.status_code == 302
    # One deletion of the old file (the cached figures' token is forgotten after the commit too).
    deletions = [c for c in callbacks if "consent_attach_scan" in c.__qualname__]
    assert len(deletions) == 1
    assert messages_of(response)[0].endswith("от 01.09.2026 заменён.")
    consent.refresh_from_db()
    assert consent.scan.name.endswith(".png")
    assert consent.scan.name != old_name
    with consent.scan.open("rb") as handle:
        assert handle.read() == PNG_BYTES
    assert not storage.exists(old_name)


def test_old_scan_is_kept_until_the_commit(world):
    consent = consent_with_scan(world.mentor_person)
    old_name = consent.scan.name
    # The test transaction is never committed: the earlier file must still be there.
    consent_attach_scan(consent=consent, scan=upload("new.pdf"), user=world.curator)
    consent.refresh_from_db()
    assert consent.scan.name != old_name
    assert consent.scan.storage.exists(old_name)


def test_failed_replacement_keeps_the_old_scan(world):
    consent = consent_with_scan(world.mentor_person)
    old_name = consent.scan.name
    with (
        mock.patch.object(Consent, "full_clean", side_effect=ValidationError("сбой")),
        pytest.raises(ValidationError),
    ):
        consent_attach_scan(consent=consent, scan=upload("new.pdf"), user=world.curator)
    consent.refresh_from_db()
    assert consent.scan.name == old_name
    assert consent.scan.storage.exists(old_name)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", PNG_BYTES),
        ("scan.png", PDF_BYTES),
        ("scan.pdf", b"just some text, not a scan"),
        ("scan.exe", PDF_BYTES),
    ],
)
def test_scan_upload_refuses_files_that_are_not_scans(world, as_user, name, content):
    consent = consent_with_scan(world.mentor_person)
    old_name = consent.scan.name
    response = as_user(world.curator).post(
        scan_upload_url(consent), {"scan": upload(name, content)}
    )
    assert response.status_code == 200
    assert "Загрузите скан в формате PDF, JPEG или PNG" in response.content.decode()
    consent.refresh_from_db()
    assert consent.scan.name == old_name


@override_settings(UPLOAD_MAX_BYTES=32)
def test_scan_upload_refuses_oversize_file_and_shows_the_limit(world, as_user):
    consent = world.mentor_person.consents.get()
    client = as_user(world.curator)
    assert scan_help_text() in client.get(scan_upload_url(consent)).content.decode()
    response = client.post(scan_upload_url(consent), {"scan": upload(content=PDF_BYTES)})
    assert response.status_code == 200
    assert "Файл слишком большой" in response.content.decode()
    consent.refresh_from_db()
    assert not consent.scan


def test_scan_upload_without_a_file_asks_for_one(world, as_user):
    consent = world.mentor_person.consents.get()
    response = as_user(world.curator).post(scan_upload_url(consent), {})
    assert response.status_code == 200
    assert response.context["form"].errors["scan"] == [
        "Выберите файл со сканом подписанного согласия."
    ]
    consent.refresh_from_db()
    assert not consent.scan


# Printable forms

# The institution's name declined as each consent's sentence asks (issue 18, item 10).
INSTITUTION_IN_SENTENCE = {
    "processing": "даю согласие оператору — ГБДОУ детскому саду № 64 Невского района",
    "dissemination": "оператором — ГБДОУ детским садом № 64 Невского района",
    "mentoring": "Заведующему ГБДОУ детского сада № 64 Невского района",
}


@pytest.mark.parametrize(
    ("kind", "phrases", "institution_phrase"),
    [
        (
            "processing",
            ["Согласие", "на обработку персональных данных", "статья 9"],
            # The institution's name declined as the sentence asks (issue 18, item 10).
            "даю согласие оператору — ГБДОУ детскому саду № 64 Невского района",
        ),
        (
            "dissemination",
            ["Согласие", "персональных данных", "для распространения", "разрешаю"],
            "оператором — ГБДОУ детским садом № 64 Невского района",
        ),
        (
            "mentoring",
            ["Согласие", "на осуществление наставничества", "351.8", "три рабочих дня"],
            "Заведующему ГБДОУ детского сада № 64 Невского района",
        ),
    ],
)
def test_printable_form_holds_the_persons_and_institutions_data(
    world, as_user, tmp_path, kind, phrases, institution_phrase
):
    person = world.mentor_person
    response = as_user(world.curator).get(pdf_url(person, kind))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert download_name(response) == f"{CONSENT_FILE_NAMES[kind]} {person.pk}.pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Петрова Мария Ивановна" in text
    assert institution_phrase in " ".join(text.split())
    assert "воспитатель" in text
    for phrase in phrases:
        assert phrase.lower() in text.lower()


@pytest.mark.parametrize(
    ("kind", "phrases"),
    [
        ("processing", ["Согласие на обработку персональных данных", "статья 9"]),
        (
            "dissemination",
            ["для распространения", "Категория Перечень персональных данных разрешаю не разрешаю"],
        ),
        ("mentoring", ["Согласие на осуществление наставничества", "351.8", "три рабочих дня"]),
    ],
)
def test_printable_form_in_docx_holds_the_same_data(world, as_user, kind, phrases):
    """Issue 19: each consent in Word from the same template, with the lines to fill by hand
    and the signature line under it."""
    person = world.mentor_person
    response = as_user(world.curator).get(pdf_url(person, kind) + "?format=docx")
    text = docx_download_text(response, f"{CONSENT_FILE_NAMES[kind]} {person.pk}.docx")
    assert "Петрова Мария Ивановна" in text
    assert INSTITUTION_IN_SENTENCE[kind] in " ".join(text.split())
    assert "воспитатель" in text
    for phrase in phrases:
        assert phrase.lower() in text.lower(), phrase
    assert "(дата) (подпись) (расшифровка подписи)" in text
    assert f"/ {person.short_name}" in text
    assert "«___» __________ 20___ г." in text  # the date to write by hand


def test_processing_form_lists_purpose_actions_and_withdrawal(world, as_user, tmp_path):
    person = world.teacher_person
    person.email = "smirnova@example.org"
    person.save()
    world.institution.address = "193000, Санкт-Петербург, ул. Примерная, д. 1"
    world.institution.save()
    response = as_user(world.curator).get(pdf_url(person, "processing"))
    text = pdf_text(response.content, tmp_path)
    assert "193000" in text  # pdftotext joins words broken at a hyphen, so parts only
    assert "ул. Примерная, д. 1" in text
    assert "smirnova@example.org" in text
    assert person.birth_date.strftime("%d.%m.%Y") in text
    assert "формирование банков наставников и наставляемых" in text
    assert "обезличивание, блокирование, удаление, уничтожение" in text
    assert "письменным заявлением на имя заведующего" in text
    assert "документ, удостоверяющий личность" in text


@pytest.mark.parametrize("role", ["head", "council", "sysadmin"])
def test_staff_roles_print_forms(world, as_user, role):
    response = as_user(world.user(role)).get(pdf_url(world.mentee_person, "processing"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_person_prints_own_form(world, as_user):
    response = as_user(world.teacher).get(pdf_url(world.teacher_person, "mentoring"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["mentor", "teacher", "outsider"])
def test_others_cannot_print_someone_elses_form(world, as_user, role):
    response = as_user(world.user(role)).get(pdf_url(world.mentee_person, "processing"))
    assert response.status_code == 404


def test_form_of_another_institutions_person_is_not_found(world, as_user):
    response = as_user(world.curator).get(pdf_url(world.other_person, "processing"))
    assert response.status_code == 404


def test_unknown_kind_of_form_is_not_found(world, as_user):
    response = as_user(world.curator).get(pdf_url(world.mentee_person, "marketing"))
    assert response.status_code == 404


def test_render_pdf_returns_a_pdf_with_the_text(world, tmp_path):
    content = render_pdf(
        "documents/consent_mentoring.html",
        {"person": world.mentor_person, "institution": world.institution, "position": ""},
    )
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "Петрова Мария Ивановна" in text
    assert "Страница 1 из 1" in text


def test_the_same_html_is_laid_out_once_and_another_anew(world, monkeypatch):
    """mentoring_site/lib/pdf.py keeps the PDFs of the last HTML it rendered: the same
    document asked for again costs no second layout; any change in the text renders anew."""
    import weasyprint

    from mentoring_site.lib import pdf

    monkeypatch.setattr(pdf, "_RENDERED", type(pdf._RENDERED)())
    layouts = []
    write_pdf = weasyprint.HTML.write_pdf
    monkeypatch.setattr(
        weasyprint.HTML, "write_pdf", lambda self: layouts.append(1) or write_pdf(self)
    )
    context = {"person": world.mentor_person, "institution": world.institution, "position": ""}
    first = render_pdf("documents/consent_mentoring.html", context)
    assert render_pdf("documents/consent_mentoring.html", context) == first
    assert len(layouts) == 1
    world.mentor_person.last_name = "Другая"
    assert render_pdf("documents/consent_mentoring.html", context) != first
    assert len(layouts) == 2
    for n in range(pdf._RENDERED_MAX + 5):
        pdf._RENDERED[bytes([n])] = b"%PDF"
    world.mentor_person.last_name = "Третья"
    render_pdf("documents/consent_mentoring.html", context)
    assert len(pdf._RENDERED) == pdf._RENDERED_MAX


def test_pdf_response_sanitises_the_filename():
    response = pdf_response(b"%PDF-1.4", 'Согласие "Иванова"\r\n.pdf')
    assert download_name(response) == "Согласие -Иванова-.pdf"
    assert fallback_name(response) == "Soglasie_-Ivanova.pdf"
    assert ascii_filename("soglasie-processing-12.pdf") == "soglasie-processing-12.pdf"
    assert ascii_filename("a/b\\c d.pdf") == "a_b_c_d.pdf"
    assert ascii_filename("Café report.pdf") == "Cafe_report.pdf"


# Permissions


@pytest.mark.parametrize("role", ["council", "head"])
def test_read_only_staff_cannot_record_or_withdraw(world, as_user, role):
    client = as_user(world.user(role))
    consent = world.mentor_person.consents.get()
    assert client.get(create_url(world.teacher_person)).status_code == 403
    response = client.post(create_url(world.teacher_person), consent_data())
    assert response.status_code == 403
    assert not world.teacher_person.consents.exists()
    response = client.post(withdraw_url(consent), {"withdrawn_on": "2026-11-01"})
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@pytest.mark.parametrize("role", ["mentor", "teacher", "outsider"])
def test_others_cannot_reach_someone_elses_consent(world, as_user, role):
    client = as_user(world.user(role))
    consent = world.mentee_person.consents.get()
    assert client.get(withdraw_url(consent)).status_code == 404
    assert client.post(withdraw_url(consent), {"withdrawn_on": "2026-11-01"}).status_code == 404
    assert client.post(create_url(world.mentee_person), consent_data()).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@pytest.mark.parametrize("role", ["council", "head"])
def test_read_only_staff_cannot_upload_a_scan(world, as_user, role):
    consent = world.mentor_person.consents.get()
    client = as_user(world.user(role))
    assert client.get(scan_upload_url(consent)).status_code == 403
    assert client.post(scan_upload_url(consent), {"scan": upload()}).status_code == 403
    consent.refresh_from_db()
    assert not consent.scan


def test_person_cannot_upload_a_scan_of_own_consent(world, as_user):
    consent = world.mentee_person.consents.get()
    client = as_user(world.mentee)
    assert client.get(scan_upload_url(consent)).status_code == 403
    assert client.post(scan_upload_url(consent), {"scan": upload()}).status_code == 403
    consent.refresh_from_db()
    assert not consent.scan


@pytest.mark.parametrize("role", ["mentor", "teacher", "outsider"])
def test_others_cannot_upload_a_scan_of_someone_elses_consent(world, as_user, role):
    consent = world.mentee_person.consents.get()
    client = as_user(world.user(role))
    assert client.get(scan_upload_url(consent)).status_code == 404
    assert client.post(scan_upload_url(consent), {"scan": upload()}).status_code == 404
    consent.refresh_from_db()
    assert not consent.scan


def test_scan_upload_for_another_institutions_consent_is_not_found(world, as_user):
    consent = give_consent(world.other_person)
    response = as_user(world.curator).post(scan_upload_url(consent), {"scan": upload()})
    assert response.status_code == 404
    consent.refresh_from_db()
    assert not consent.scan


def test_person_cannot_record_or_withdraw_own_consent(world, as_user):
    client = as_user(world.mentee)
    consent = world.mentee_person.consents.get()
    response = client.post(create_url(world.mentee_person), consent_data("mentoring"))
    assert response.status_code == 403
    assert client.post(withdraw_url(consent), {"withdrawn_on": "2026-11-01"}).status_code == 403
    assert world.mentee_person.consents.count() == 1


def test_outsider_cannot_record_for_another_institutions_person(world, as_user):
    response = as_user(world.outsider).post(create_url(world.mentee_person), consent_data())
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    consent = consent_with_scan(world.mentor_person)
    for url in (
        create_url(world.mentor_person),
        withdraw_url(consent),
        scan_url(consent),
        scan_upload_url(consent),
        pdf_url(world.mentor_person, "processing"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# The partial on the person's page


def test_person_consents_partial_shows_statuses_and_actions(world):
    person = world.mentor_person
    withdrawn = consent_with_scan(person, Consent.Kind.DISSEMINATION)
    consent_withdraw(consent=withdrawn, withdrawn_on=date(2026, 10, 1), user=world.curator)
    active = person.consents.get(kind="processing")
    html = render_to_string(
        "registry/consents/_person_consents.html",
        {"person": person, "consents": list(person.consents.all()), "can_edit": True},
    )
    assert "действует" in html
    assert "отозвано" in html
    assert "01.10.2026" in html
    assert "Внести согласие" in html
    assert withdraw_url(active) in html
    assert withdraw_url(withdrawn) not in html
    assert f"кем внесено: {world.curator}" in html
    assert scan_upload_url(active) in html
    assert scan_upload_url(withdrawn) in html
    assert html.count("Загрузить скан<") == 1  # the active consent has none yet
    assert html.count("Заменить скан<") == 1
    for kind in ("processing", "dissemination", "mentoring"):
        assert pdf_url(person, kind) in html
    assert "/media/" not in html


def test_person_consents_partial_read_only_and_empty(world):
    person = world.teacher_person
    html = render_to_string(
        "registry/consents/_person_consents.html",
        {"person": person, "consents": [], "can_edit": False},
    )
    assert "Согласий пока нет." in html
    assert "Внести согласие</a>" not in html
    assert "Отозвать" not in html
    assert "Печатная форма" in html


def test_person_consents_partial_offers_no_scan_upload_to_read_only_users(world):
    person = world.mentor_person
    consent = consent_with_scan(person)
    consent_withdraw(consent=consent, withdrawn_on=date(2026, 10, 1), user=world.curator)
    html = render_to_string(
        "registry/consents/_person_consents.html",
        {"person": person, "consents": list(person.consents.all()), "can_edit": False},
    )
    assert "Скачать скан" in html
    assert "Загрузить скан" not in html
    assert "Заменить скан" not in html
    assert scan_upload_url(consent) not in html
    assert "кем внесено" in html
