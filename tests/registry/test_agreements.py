"""The mentor's supplementary agreement (ТК РФ ст. 351.8): drafted from the pair with the pay
(an amount or a share, exactly one), printed, signed on paper, required before the head approves
(a partner's staff member: the partner's cooperation agreement), printed in the order's appendix,
ended early with three working days' notice, listed with the pay for the accounting office."""

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import Consent, MentoringAgreement, Order
from registry.services import agreements as services
from registry.services.groups import group_approve, group_submit
from registry.services.orders import order_appendix
from tests.docx_helpers import docx_text
from tests.factories import give_consent, make_mentee, make_mentor, make_person, sign_agreement
from tests.registry.test_group_services import confirm_all, give_written_consent, propose

pytestmark = pytest.mark.django_db

Status = MentoringAgreement.Status


def submitted(world, **changes):
    """A pair sent to the head without any agreement yet."""
    group = confirm_all(propose(world, **changes))
    for mentor in changes.get("mentors", [world.mentor_person]):
        if not mentor.consents.filter(kind=Consent.Kind.MENTORING).exists():
            give_written_consent(mentor)
    return group_submit(group=group, user=world.curator)


def draft(world, group, mentor=None, **pay):
    pay = pay or {"pay_amount": Decimal("5000")}
    return services.agreement_draft(
        group=group,
        mentor=mentor or world.mentor_person,
        user=world.curator,
        content="Наставничество",
        starts_on=group.planned_start,
        ends_on=group.planned_end,
        **pay,
    )


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


# --- The rule of the approval ---------------------------------------------------------------


def test_the_head_cannot_approve_until_the_mentors_agreement_is_signed(world):
    group = submitted(world)
    with pytest.raises(ValidationError) as refused:
        group_approve(group=group, head=world.head, number="1", signed_on=timezone.localdate())
    assert "Нет подписанного дополнительного соглашения с наставником «Петрова М. И.»" in str(
        refused.value
    )
    assert not Order.objects.exists()
    agreement = draft(world, group)
    # A draft is not enough: the agreement must be signed.
    with pytest.raises(ValidationError, match="Петрова М. И."):
        group_approve(group=group, head=world.head, number="1", signed_on=timezone.localdate())

    services.agreement_sign(
        agreement=agreement,
        number="12-н",
        signed_on=date(2026, 9, 10),
        user=world.curator,
        today=timezone.localdate(),
    )
    order = group_approve(group=group, head=world.head, number="1", signed_on=date(2026, 9, 15))

    [row] = order_appendix(order)
    assert row.mentor_consents == ["согласие от 01.09.2026; доп. соглашение № 12-н от 10.09.2026"]


def test_an_agreement_signed_after_the_order_is_not_printed_in_its_appendix(world):
    group = submitted(world)
    sign_agreement(group, world.mentor_person, by=world.curator, number="3", on=date(2026, 9, 20))
    order = group_approve(group=group, head=world.head, number="1", signed_on=date(2026, 9, 15))
    [row] = order_appendix(order)
    assert row.mentor_consents == ["согласие от 01.09.2026; доп. соглашение не указано"]


def partner_mentor(world):
    person = make_person(
        world.institution, "Колледжева", first_name="Ирина", organization=world.partner
    )
    make_mentor(person)
    give_consent(person, Consent.Kind.MENTORING)
    return person


def test_a_partners_mentor_needs_the_partners_cooperation_agreement(world):
    mentor = partner_mentor(world)
    group = submitted(world, mentors=[mentor])
    with pytest.raises(ValidationError) as refused:
        group_approve(group=group, head=world.head, number="1", signed_on=date(2026, 9, 15))
    assert "договор о сотрудничестве" in str(refused.value)
    assert "«Колледжева И. С.»" in str(refused.value)
    # No supplementary agreement with a partner's staff member: she is not our employee.
    with pytest.raises(ValidationError, match="организации-партнёра"):
        draft(world, group, mentor)

    world.partner.cooperation_agreement_number = "14-с"
    world.partner.cooperation_agreement_date = date(2026, 8, 28)
    world.partner.save()
    order = group_approve(group=group, head=world.head, number="1", signed_on=date(2026, 9, 15))

    [row] = order_appendix(order)
    assert row.mentor_consents == [
        "согласие от 01.09.2026; договор о сотрудничестве с «Педагогический колледж № 4» "
        "№ 14-с от 28.08.2026"
    ]


def test_the_partner_form_asks_for_both_number_and_date(world, as_user):
    url = reverse("registry:partner-update", args=[world.partner.pk])
    data = {
        "name": world.partner.name,
        "short_name": world.partner.short_name,
        "kind": world.partner.kind,
        "address": "",
        "cooperation_agreement_number": "14-с",
        "cooperation_agreement_date": "",
    }
    response = as_user(world.curator).post(url, data)
    assert response.status_code == 200
    assert "и номер, и дату договора о сотрудничестве" in response.content.decode()
    data["cooperation_agreement_date"] = "2026-08-28"
    assert as_user(world.curator).post(url, data).status_code == 302
    world.partner.refresh_from_db()
    assert world.partner.cooperation_agreement_date == date(2026, 8, 28)


# --- The agreement's own rules --------------------------------------------------------------


def test_the_pay_is_an_amount_or_a_share_exactly_one(world):
    group = submitted(world)
    with pytest.raises(ValidationError, match="одно из двух"):
        draft(world, group, pay_amount=Decimal("5000"), pay_percent=Decimal("10"))
    with pytest.raises(ValidationError, match="одно из двух"):
        services.agreement_draft(
            group=group,
            mentor=world.mentor_person,
            user=world.curator,
            content="x",
            starts_on=group.planned_start,
            ends_on=group.planned_end,
        )
    agreement = draft(world, group, pay_percent=Decimal("15"))
    assert agreement.pay_text == "15 % должностного оклада"
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringAgreement.objects.filter(pk=agreement.pk).update(pay_amount=Decimal("1"))


def test_one_live_agreement_per_mentor_and_pair(world):
    group = submitted(world)
    draft(world, group)
    with pytest.raises(ValidationError, match="уже есть соглашение"):
        draft(world, group)


def test_signing_needs_a_number_and_a_past_date_and_happens_once(world):
    group = submitted(world)
    agreement = draft(world, group)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="в будущем"):
        services.agreement_sign(
            agreement=agreement, number="1", signed_on=date(2099, 1, 1), user=None, today=today
        )
    with pytest.raises(ValidationError, match="номер"):
        services.agreement_sign(
            agreement=agreement, number=" ", signed_on=today, user=None, today=today
        )
    services.agreement_sign(
        agreement=agreement, number="1", signed_on=today, user=None, today=today
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.number, agreement.date) == (Status.SIGNED, "1", today)
    with pytest.raises(ValidationError, match="уже внесены"):
        services.agreement_sign(
            agreement=agreement, number="2", signed_on=today, user=None, today=today
        )
    with pytest.raises(ValidationError, match="не меняется"):
        services.agreement_update_draft(
            agreement=agreement,
            content="x",
            starts_on=group.planned_start,
            ends_on=group.planned_end,
            pay_amount=Decimal("1"),
        )


@pytest.mark.parametrize(
    ("notice_on", "earliest"),
    [
        # Friday → Monday, Tuesday, Wednesday.
        (date(2026, 11, 27), date(2026, 12, 2)),
        # 4 November is a holiday (День народного единства): it is not counted.
        (date(2026, 11, 2), date(2026, 11, 6)),
    ],
)
def test_ending_early_needs_three_working_days_notice(world, notice_on, earliest):
    group = submitted(world)
    agreement = sign_agreement(group, world.mentor_person, by=world.curator, on=date(2026, 9, 1))
    day_before = date.fromordinal(earliest.toordinal() - 1)
    with pytest.raises(ValidationError) as refused:
        services.agreement_end(
            agreement=agreement,
            ended_by="employer",
            notice_on=notice_on,
            ended_on=day_before,
            note="",
            user=world.curator,
        )
    assert refused.value.message_dict["ended_on"] == [
        "Соглашение прекращается не ранее чем через три рабочих дня после письменного "
        f"уведомления (ТК РФ, ст. 351.8): не раньше {earliest:%d.%m.%Y}."
    ]
    services.agreement_end(
        agreement=agreement,
        ended_by="mentor",
        notice_on=notice_on,
        ended_on=earliest,
        note="По семейным обстоятельствам",
        user=world.curator,
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ended_by, agreement.ended_on) == (
        Status.ENDED,
        "mentor",
        earliest,
    )
    assert "по инициативе наставника" in group.events.last().text


def test_a_draft_cannot_be_ended_and_the_side_is_named(world):
    group = submitted(world)
    agreement = draft(world, group)
    with pytest.raises(ValidationError, match="только подписанное"):
        services.agreement_end(
            agreement=agreement,
            ended_by="employer",
            notice_on=date(2026, 11, 2),
            ended_on=date(2026, 12, 1),
            note="",
            user=None,
        )


# --- The pages --------------------------------------------------------------------------------


def test_the_curator_drafts_the_agreement_from_the_pair(world, as_user):
    group = submitted(world)
    member = group.members.get(person=world.mentor_person)
    url = reverse("registry:group-member-agreement", args=[member.pk])
    page = as_user(world.curator).get(url)
    content = page.context["form"].initial["content"]
    assert "Иванова Анна Сергеевна, воспитатель" in content
    assert "традиционное («один-на-один»)" in content
    assert page.context["form"].initial["ends_on"] == group.planned_end

    refused = as_user(world.curator).post(
        url,
        {"content": content, "starts_on": group.planned_start, "ends_on": group.planned_end},
    )
    assert refused.status_code == 200
    assert "одно из двух" in refused.content.decode()
    assert not MentoringAgreement.objects.exists()

    response = as_user(world.curator).post(
        url,
        {
            "content": content,
            "starts_on": group.planned_start,
            "ends_on": group.planned_end,
            "pay_amount": "5000",
        },
    )
    agreement = MentoringAgreement.objects.get()
    assert response.url == reverse("registry:agreement-detail", args=[agreement.pk])
    assert (agreement.status, agreement.pay_amount, agreement.form) == (
        Status.DRAFT,
        Decimal("5000"),
        group.form,
    )
    # A second visit opens the existing agreement.
    assert as_user(world.curator).get(url).url == response.url


def test_the_agreement_prints_both_parties_and_the_terms(world, as_user, tmp_path):
    world.institution.head_name = "Тимофеева Елена Викторовна"
    world.institution.save()
    group = submitted(world)
    agreement = draft(world, group)
    url = reverse("registry:agreement-document", args=[agreement.pk])
    text = pdf_text(as_user(world.curator).get(url).content, tmp_path)
    for expected in (
        world.institution.name,
        "заведующий — Тимофеева Елена Викторовна",
        "Петрова Мария Ивановна, воспитатель",
        "Иванова Анна Сергеевна",
        "5 000,00 руб. в месяц",
        f"с {group.planned_start:%d.%m.%Y} по {group.planned_end:%d.%m.%Y}",
        "педагог – педагог",
        "не менее чем за 3 рабочих дня",
        "Экземпляр соглашения получила",
    ):
        assert expected in text, expected
    word = docx_text(as_user(world.curator).get(url, {"format": "docx"}).content)
    assert "Петрова Мария Ивановна" in word and "5 000,00 руб. в месяц" in word


def test_signing_and_ending_through_the_pages(world, as_user):
    group = submitted(world)
    agreement = draft(world, group)
    client = as_user(world.curator)
    sign_url = reverse("registry:agreement-sign", args=[agreement.pk])
    future = client.post(sign_url, {"number": "7-н", "date": "2099-01-01"})
    assert "Дата подписания не может быть в будущем." in future.content.decode()
    client.post(sign_url, {"number": "7-н", "date": "2026-09-10"})
    agreement.refresh_from_db()
    assert agreement.is_signed
    # Signed: the draft's edit sends back with a message.
    edit = client.get(reverse("registry:agreement-update", args=[agreement.pk]))
    assert edit.status_code == 302
    assert "изменения вносятся приказом" in said(edit)[-1]

    end_url = reverse("registry:agreement-end", args=[agreement.pk])
    early = client.post(
        end_url, {"ended_by": "employer", "notice_on": "2026-11-27", "ended_on": "2026-12-01"}
    )
    assert "не раньше 02.12.2026" in early.content.decode()
    client.post(
        end_url, {"ended_by": "employer", "notice_on": "2026-11-27", "ended_on": "2026-12-02"}
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ended_by) == (Status.ENDED, "employer")
    page = client.get(reverse("registry:agreement-detail", args=[agreement.pk])).content.decode()
    assert "с 02.12.2026, по инициативе работодателя; уведомление от 27.11.2026" in page


def test_the_pair_page_links_the_agreement_or_offers_to_draft_it(world, as_user):
    group = submitted(world)
    member = group.members.get(person=world.mentor_person)
    url = reverse("registry:group-detail", args=[group.pk])
    draft_url = reverse("registry:group-member-agreement", args=[member.pk])
    assert draft_url in as_user(world.curator).get(url).content.decode()
    agreement = sign_agreement(group, world.mentor_person, by=world.curator, number="9")
    text = as_user(world.curator).get(url).content.decode()
    assert reverse("registry:agreement-detail", args=[agreement.pk]) in text
    assert f"№ 9 от {agreement.date:%d.%m.%Y}" in text
    # The mentee does not see the mentor's pay or agreement.
    assert "доп. соглашение" not in as_user(world.mentee).get(url).content.decode()


# --- The register ---------------------------------------------------------------------------


def _register_queries(client) -> int:
    client.get(reverse("registry:agreement-list"))  # the menu's cached counters filled
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("registry:agreement-list")).status_code == 200
    return len(queries)


def _more_agreements(world, count):
    for n in range(count):
        mentor = make_person(world.institution, f"Наставникова{n}")
        mentee = make_person(world.institution, f"Молодая{n}")
        make_mentor(mentor)
        make_mentee(mentee)
        give_written_consent(mentor)
        group = submitted(world, mentors=[mentor], mentees=[mentee])
        sign_agreement(group, mentor, by=world.curator)


def test_the_register_lists_the_pay_in_the_same_queries_at_two_sizes(world, as_user):
    client = as_user(world.head)
    group = submitted(world)
    agreement = draft(world, group, pay_percent=Decimal("12.5"))
    few = _register_queries(client)
    _more_agreements(world, 4)
    assert _register_queries(client) == few
    text = client.get(reverse("registry:agreement-list")).content.decode()
    assert "12,5 % должностного оклада" in text
    assert "5 000,00 руб. в месяц" in text
    assert reverse("registry:agreement-detail", args=[agreement.pk]) in text
    signed = client.get(reverse("registry:agreement-list"), {"status": "signed"})
    assert len(signed.context["agreements"]) == 4


def test_the_register_exports_the_pay_for_the_accounting_office(world, as_user):
    group = submitted(world)
    draft(world, group, pay_amount=Decimal("4500.50"))
    response = as_user(world.curator).get(reverse("registry:agreement-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Наставник")
    data = rows[rows.index(header) + 1]
    record = dict(zip(header, data, strict=False))
    assert record["Наставник"] == "Петрова Мария Ивановна"
    assert record["Доплата, руб. в месяц"] == 4500.5
    assert record["Доплата, % оклада"] is None
    assert record["Наставляемые"] == "Иванова Анна Сергеевна"
    assert record["Состояние"] == "проект"


def test_the_curator_is_told_to_prepare_the_agreement_before_submitting(world, as_user):
    group = confirm_all(propose(world))
    member = group.members.get(person=world.mentor_person)
    url = reverse("registry:group-detail", args=[group.pk])
    text = as_user(world.curator).get(url).content.decode()
    next_step = text.split("Заведующий утвердит пару, когда будет подписано")[1].split("</ul>")[0]
    assert "Петрова Мария Ивановна" in next_step
    assert reverse("registry:group-member-agreement", args=[member.pk]) in next_step
    sign_agreement(group, world.mentor_person, by=world.curator)
    assert "Заведующий утвердит" not in as_user(world.curator).get(url).content.decode()


def test_the_partner_list_shows_the_cooperation_agreement(world, as_user):
    url = reverse("registry:partner-list")
    assert "не внесён: наставников организации не утвердить" in (
        as_user(world.curator).get(url).content.decode()
    )
    world.partner.cooperation_agreement_number = "14-с"
    world.partner.cooperation_agreement_date = date(2026, 8, 28)
    world.partner.save()
    assert "№ 14-с от 28.08.2026" in as_user(world.curator).get(url).content.decode()
