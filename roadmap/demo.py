"""The demo's roadmap: the current academic year's roadmap from the template, approved by the
head with an order, some activities marked done with evidence and one change after approval.
``mentoring_site/demo/loader.py`` calls ``load_demo`` at its end."""

from datetime import date

from django.test.utils import override_settings
from django.urls import reverse

from mentoring_site.lib.academic_year import academic_year_start
from registry.models import Order, User
from registry.services.orders import order_next_number
from roadmap import services
from roadmap.models import Activity

APPROVAL_NUMBER = "95/2"


def load_demo(*, institution, today: date) -> None:
    year = academic_year_start(today).year
    curator = User.objects.get(institution=institution, username="curator")
    head = User.objects.get(institution=institution, username="head")
    # The demo's notifications stay in the registry; nothing is printed as mail.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        roadmap = services.roadmap_create_from_template(
            institution=institution, year_start=year, user=curator
        )
        services.roadmap_submit(roadmap=roadmap, user=curator)
        signed_on = min(date(year, 9, 5), today)
        number = APPROVAL_NUMBER
        if Order.objects.filter(
            institution=institution, year=signed_on.year, number=number, status="signed"
        ).exists():
            number = order_next_number(institution=institution, year=signed_on.year)
        services.roadmap_approve(roadmap=roadmap, head=head, number=number, signed_on=signed_on)

        activities = {
            (a.stage.number, a.position): a
            for a in Activity.objects.filter(stage__roadmap=roadmap).select_related("stage")
        }
        regulation = Order.objects.filter(
            institution=institution, kind=Order.Kind.REGULATION, status=Order.Status.SIGNED
        ).first()
        if regulation is not None:
            services.activity_mark_done(
                activity=activities[(1, 1)],
                user=curator,
                done_on=date(year, 9, 1),
                evidence_order=regulation,
                evidence_note="Положение действует с 31.08.2022, пересмотр не требуется.",
            )
        services.activity_mark_done(
            activity=activities[(4, 1)],
            user=curator,
            done_on=min(date(year, 10, 20), today),
            evidence_link=reverse("registry:mentor-list"),
            evidence_note="Запросы наставляемых сопоставлены с компетенциями наставников на "
            "заседании методического совета.",
        )
        training = activities[(4, 2)]
        training.deadline = date(year, 12, 20)
        services.activity_save(
            activity=training,
            user=curator,
            reason="Курсы «Наставничество в образовании» ИМЦ Невского района перенесены "
            "на декабрь.",
        )
