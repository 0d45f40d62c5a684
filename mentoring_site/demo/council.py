"""The methodological council (п. 3.4): its composition by order, a meeting held with its
minutes and the next one planned with its agenda."""

from datetime import date, timedelta

from registry.models import CouncilMeeting, Order, Organization, Person, User
from registry.services.council import meeting_save
from registry.services.orders import order_sign


def appoint_council(
    *, institution: Organization, people: list[Person], users: dict[str, User]
) -> list[Person]:
    """The order on the council's composition, signed; returns the members. They need
    accounts: signing the order grants them the council role."""
    members = [people[2], people[1]]
    order = Order.objects.create(
        institution=institution,
        kind=Order.Kind.COUNCIL,
        title="О составе методического совета наставников",
        items=[
            "Утвердить состав методического совета наставников на 2026/2027 учебный год: "
            "Морозова Н. А. (председатель), Кузнецова И. П. (секретарь).",
            "Методическому совету проводить заседания не реже одного раза в квартал.",
        ],
        created_by=users["curator"],
    )
    order.appointees.set(members)
    order.acquainted.set(members)
    order_sign(order=order, head=users["head"], number="98", signed_on=date(2026, 9, 2))
    return members


def hold_council_meetings(
    *, institution: Organization, members: list[Person], curator: User, today: date
) -> None:
    chair, secretary = members
    held = CouncilMeeting(
        institution=institution,
        held_on=today - timedelta(days=30),
        agenda="О плане работы совета на учебный год.\nО подборе наставнических пар.",
        discussion="Морозова Н. А. представила запросы наставляемых и анкеты наставников.",
        decisions="Утвердить план работы совета.\nРекомендовать куратору пары по запросам "
        "этапа 2.1 дорожной карты.",
        invited="Новикова С. Ю., педагог-психолог",
        chair=chair,
        secretary=secretary,
    )
    meeting_save(meeting=held, attendees=members, user=curator, today=today)
    planned = CouncilMeeting(
        institution=institution,
        held_on=today + timedelta(days=10),
        agenda="О ходе реализации персонализированных программ.\nО наставляемых без пары.",
        chair=chair,
        secretary=secretary,
    )
    meeting_save(meeting=planned, attendees=[], user=curator, today=today)
