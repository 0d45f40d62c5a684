"""Consents and requests as the law writes them, in the browser (152-ФЗ ст. 10.1, 14, 20): the
curator records a written request from the user menu, sees its deadline in working days,
answers it; then records a consent to dissemination category by category and sees the marks on
the person's page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring_site.lib.workdays import add_working_days
from registry.models import Consent, SubjectRequest


@pytest.mark.browser
def test_the_curator_keeps_requests_and_consents_by_the_law(live_world, page, log_in, live_server):
    world = live_world
    person = world.teacher_person
    today = timezone.localdate()

    log_in(world.curator)
    page.get_by_role("button", name=str(world.curator), exact=True).click()
    menu = page.get_by_role("navigation", name="Основное меню")
    menu.get_by_role("link", name="Запросы субъектов персональных данных").click()
    expect(
        page.get_by_role("heading", name="Запросы субъектов персональных данных", level=1)
    ).to_be_visible()
    page.get_by_role("link", name="Внести запрос").click()
    page.get_by_label("Участник в реестре").select_option(label=person.full_name)
    page.get_by_label("О чём запрос").select_option(
        label="о сведениях об обработке его данных (ст. 14 ч. 7, ст. 20 ч. 1)"
    )
    page.get_by_label("Дата получения").fill(today.isoformat())
    page.get_by_label("Содержание запроса").fill("Прошу сообщить, какие мои данные обрабатываются.")
    page.get_by_role("button", name="Внести запрос").click()
    deadline = add_working_days(today, 10)
    expect(page.get_by_text(f"Срок ответа — {deadline:%d.%m.%Y}.")).to_be_visible()
    expect(page.get_by_text("осталось 10 рабочих дней")).to_be_visible()

    page.get_by_label("Причина продления").fill("Сведения хранятся в архиве учреждения.")
    page.get_by_role("button", name="Продлить срок").click()
    extended = add_working_days(today, 15)
    expect(page.get_by_text(f"Срок продлён до {extended:%d.%m.%Y}")).to_be_visible()

    page.get_by_role("textbox", name=re.compile(r"^Ответ")).fill(
        "Выслан перечень обрабатываемых данных."
    )
    page.get_by_role("button", name="Внести ответ").click()
    expect(page.get_by_text(f"ответ дан {today:%d.%m.%Y}")).to_be_visible()
    item = SubjectRequest.objects.get()
    assert (item.person, item.deadline, item.answered_on) == (person, extended, today)

    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Внести согласие").click()
    page.get_by_label("Вид согласия").select_option(
        label="на распространение персональных данных (152-ФЗ, ст. 10.1)"
    )
    page.get_by_label("Дата согласия").fill(today.isoformat())
    choices = {
        "Фамилия, имя, отчество": "разрешаю",
        "Должность": "не разрешаю",
        "Фотографическое изображение (фото)": "не разрешаю",
    }
    for category, mark in choices.items():
        page.get_by_role("group", name=category).get_by_label(mark, exact=True).check()
    page.get_by_role("button", name="Внести согласие").click()
    # One category left unmarked: the form says so next to it.
    expect(
        page.get_by_text("Отметьте «разрешаю» или «не разрешаю», как в бланке.").first
    ).to_be_visible()
    page.get_by_role(
        "group", name="Сведения об участии в программе наставничества и её результатах"
    ).get_by_label("разрешаю", exact=True).check()
    page.get_by_label("Условия и запреты").fill("Только на сайте детского сада.")
    # The section has no address yet: the curator types the one written in the consent.
    page.get_by_label("Адрес сайта, где публикуются сведения").fill(
        "https://ds64.example/nastavnichestvo/ds64/"
    )
    page.get_by_role("button", name="Внести согласие").click()
    expect(page.get_by_text(re.compile("Согласие на распространение .* внесено"))).to_be_visible()
    expect(page.get_by_text("Должность: не разрешаю")).to_be_visible()
    expect(page.get_by_text("Условия и запреты: Только на сайте детского сада.")).to_be_visible()
    consent = Consent.objects.get(person=person, kind=Consent.Kind.DISSEMINATION)
    assert (consent.allows_name, consent.allows_position, consent.allows_photo) == (
        True,
        False,
        False,
    )
