"""The mentor's supplementary agreement to the employment contract (ТК РФ ст. 351.8)."""

from datetime import date

import pytest
from django.urls import reverse

from registry.models import GroupMember, Order
from registry.services.orders import order_appendix
from tests.registry.test_group_services import active_group

pytestmark = pytest.mark.django_db


def mentor_member(group):
    return group.members.get(role=GroupMember.Role.MENTOR)


def test_curator_records_the_agreement_and_the_order_shows_it(world, as_user):
    group = active_group(world)
    member = mentor_member(group)
    url = reverse("registry:group-member-agreement", args=[member.pk])
    response = as_user(world.curator).post(
        url, {"agreement_number": "12", "agreement_date": "2026-09-15"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.agreement_number == "12"
    assert member.agreement_date == date(2026, 9, 15)
    assert group.events.filter(text__contains="№ 12 от 15.09.2026").exists()
    order = Order.objects.get(covered_groups=group)
    rows = order_appendix(order)
    assert "доп. соглашение № 12 от 15.09.2026" in rows[0].mentor_consents[0]
    page = as_user(world.curator).get(reverse("registry:group-detail", args=[group.pk]))
    assert "№ 12 от 15.09.2026" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"agreement_number": "12", "agreement_date": ""}, "и номер, и дату"),
        ({"agreement_number": "", "agreement_date": "2026-09-15"}, "и номер, и дату"),
        ({"agreement_number": "12", "agreement_date": "2999-01-01"}, "в будущем"),
    ],
)
def test_bad_agreement_input_is_refused_in_russian(world, as_user, data, message):
    member = mentor_member(active_group(world))
    response = as_user(world.curator).post(
        reverse("registry:group-member-agreement", args=[member.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.agreement_number == ""


def test_only_the_groups_managers_record_agreements_and_only_for_mentors(world, as_user):
    group = active_group(world)
    member = mentor_member(group)
    mentee_member = group.members.get(role=GroupMember.Role.MENTEE)
    url = reverse("registry:group-member-agreement", args=[member.pk])
    assert as_user(world.head).get(url).status_code == 403
    assert as_user(world.council).get(url).status_code == 403
    assert as_user(world.mentor).get(url).status_code == 403
    assert as_user(world.teacher).get(url).status_code == 404
    assert as_user(world.outsider).get(url).status_code == 404
    mentee_url = reverse("registry:group-member-agreement", args=[mentee_member.pk])
    assert as_user(world.curator).get(mentee_url).status_code == 404
