"""The demo's load, step by step, in one transaction: the registry's part here, then the parts
the roadmap, the reports and the public section add (``<app>/demo.py``)."""

from django.db import transaction
from django.utils import timezone

from mentoring_site.demo.banks import fill_mentee_bank, fill_mentor_bank, submit_questionnaires
from mentoring_site.demo.council import appoint_council, hold_council_meetings
from mentoring_site.demo.groups import form_groups
from mentoring_site.demo.institution import create_institution, load_references
from mentoring_site.demo.mail import settle_letters
from mentoring_site.demo.orders import sign_founding_orders
from mentoring_site.demo.people import (
    create_logins,
    create_methodologist,
    create_staff,
    give_consents,
)
from mentoring_site.demo.personal_data import withdraw_consents
from public import demo as public_demo
from reports import demo as reports_demo
from roadmap import demo as roadmap_demo


@transaction.atomic
def load_demo() -> None:
    today = timezone.localdate()
    institution, college = create_institution()
    references = load_references()
    people = create_staff(
        institution=institution, college=college, positions=references.positions, today=today
    )
    give_consents(people=people, today=today)
    fill_mentor_bank(people=people, references=references)
    fill_mentee_bank(people=people, references=references)
    users = create_logins(institution=institution, people=people)
    create_methodologist()
    submit_questionnaires(people=people, references=references, today=today)
    sign_founding_orders(institution=institution, people=people, users=users)
    form_groups(
        institution=institution, people=people, users=users, references=references, today=today
    )
    members = appoint_council(institution=institution, people=people, users=users)
    hold_council_meetings(
        institution=institution, members=members, curator=users["curator"], today=today
    )
    roadmap_demo.load_demo(institution=institution, today=today)
    reports_demo.load_demo(institution=institution, today=today)
    public_demo.load_demo(institution=institution, today=today)
    withdraw_consents(institution=institution, today=today)
    settle_letters(institution=institution)
