"""Growth records and the best-practice bank in the browser: the curator records an attestation
from a person's page, turns a completed program into a practice with a material, approves it;
the council reads the bank."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program
from registry.models import Direction, GroupMember, MentoringForm, MentoringGroup
from tests.public.test_pages import dissemination


def said(page):
    return page.locator(".messages").get_by_role("status")


def confirmed_click(page, control):
    page.once("dialog", lambda dialog: dialog.accept())
    control.click()


def completed_program(world) -> Program:
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    group.directions.set([Direction.objects.get(name="методическое")])
    GroupMember.objects.create(
        group=group, person=world.mentor_person, role=GroupMember.Role.MENTOR
    )
    GroupMember.objects.create(
        group=group, person=world.mentee_person, role=GroupMember.Role.MENTEE
    )
    return Program.objects.create(
        group=group,
        status=Program.Status.COMPLETED,
        start=date(2026, 9, 1),
        end=date(2027, 5, 31),
        finished_on=date(2026, 11, 30),
        reason=Program.Reason.PLAN_DONE,
        problem="Трудности в планировании НОД",
        mentee_result="Провела открытое занятие для коллег",
    )


@pytest.mark.browser
def test_growth_and_practice_journey(live_world, page, log_in, log_out, live_server, tmp_path):
    world = live_world
    program = completed_program(world)
    on = timezone.localdate() - timedelta(days=7)

    log_in(world.curator)
    page.goto(f"{live_server.url}/people/{world.mentee_person.pk}/")
    section = page.get_by_role("region", name="Профессиональный рост")
    expect(section).to_contain_text("Достижений пока нет")
    section.get_by_role("link", name="Добавить достижение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Новое достижение: Иванова Анна Сергеевна"
    )
    page.get_by_label("Вид").select_option(label="аттестация на квалификационную категорию")
    page.get_by_label("Название").fill("Аттестация на первую квалификационную категорию")
    page.get_by_label("Дата").fill(on.isoformat())
    page.get_by_label("Уровень").select_option(label="город, регион")
    page.get_by_label("Результат").fill("распоряжение КО № 12-р")
    page.get_by_label("В рамках программы").select_option(index=1)
    page.get_by_label("Обновить категорию в карточке").check()
    page.get_by_label("Присвоенная категория").select_option(label="первая")
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_contain_text("В карточке — категория «первая»")
    expect(page.get_by_role("region", name="Профессиональный рост")).to_contain_text(
        "«Аттестация на первую квалификационную категорию»"
    )

    page.goto(f"{live_server.url}/reports/growth/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Профессиональный рост участников")
    page.get_by_label("Вид").select_option(label="аттестация на квалификационную категорию")
    page.get_by_role("button", name="Применить").click()
    expect(page.get_by_text("Найдено: 1")).to_be_visible()

    # The program page offers the bank; the practice starts from the program's results.
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("link", name="Добавить в методическую копилку").click()
    expect(page.get_by_label("Название")).to_have_value(
        "Опыт наставничества: Петрова М. И. — Иванова А. С."
    )
    page.get_by_label("Метки").fill("планирование, молодой педагог")
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_contain_text("добавлена в методическую копилку как черновик")
    material = tmp_path / "Конспект занятия.pdf"
    material.write_bytes(b"%PDF-1.4 test")
    page.get_by_label("Файл").set_input_files(str(material))
    page.get_by_role("button", name="Загрузить файл").click()
    expect(said(page)).to_have_text("Файл «Конспект занятия.pdf» добавлен к практике.")
    bad = tmp_path / "вирус.pdf"
    bad.write_bytes(b"MZ not a pdf")
    page.get_by_label("Файл").set_input_files(str(bad))
    page.get_by_role("button", name="Загрузить файл").click()
    expect(page.get_by_role("alert")).to_contain_text("этот файл не похож на такой")
    page.get_by_role("link", name="Отмена").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Конспект занятия.pdf", exact=True).click()
    assert download.value.suggested_filename == "Конспект занятия.pdf"
    # The title names the pair: no publication without their consents to dissemination.
    confirmed_click(page, page.get_by_role("button", name="Одобрить для публикации"))
    expect(page.get_by_role("status")).to_contain_text(
        "названы люди без действующего согласия на распространение"
    )
    expect(page.get_by_role("status")).to_contain_text("Петрова М. И.")
    dissemination(world.mentor_person)
    dissemination(world.mentee_person)
    confirmed_click(page, page.get_by_role("button", name="Одобрить для публикации"))
    expect(said(page)).to_contain_text("одобрена для публикации")
    expect(page.get_by_role("button", name="Вернуть в черновик")).to_be_visible()
    confirmed_click(page, page.get_by_role("button", name="Вернуть в черновик"))
    expect(said(page)).to_contain_text("возвращена в черновик")
    page.get_by_role("link", name=re.compile("^удалить")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Удалить материал?")
    page.get_by_role("button", name="Удалить файл").click()
    expect(said(page)).to_contain_text("удалён из материалов практики")
    log_out(world.curator)

    log_in(world.council)
    page.goto(f"{live_server.url}/reports/practices/")
    page.get_by_label("Поиск по названию").fill("иванова")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_text("Найдено: 1")).to_be_visible()
    assert "иванова" not in page.url
    log_out(world.council)

    log_in(world.mentee)
    page.goto(f"{live_server.url}/me/")
    expect(page.get_by_role("region", name="Профессиональный рост")).to_contain_text(
        "Аттестация на первую квалификационную категорию"
    )
    expect(page.get_by_role("link", name="Добавить достижение")).to_have_count(0)


@pytest.mark.browser
def test_a_mentor_records_her_mentees_contest_and_the_curator_confirms_it(
    live_world, page, log_in, log_out, live_server
):
    """п. 4.2: the mentor enters her mentee's contest from the program; it waits for the
    curator, who confirms it from the counter on her home page."""
    world = live_world
    program = completed_program(world)
    Program.objects.filter(pk=program.pk).update(
        status=Program.Status.ACTIVE, finished_on=None, reason=""
    )
    contest = "Районный конкурс «Педагогический дебют»"

    log_in(world.mentor)
    page.get_by_role("region", name="Мои программы").get_by_role(
        "link", name="Петрова М. И. — Иванова А. С."
    ).click()
    page.get_by_role("region", name="Участники").get_by_role(
        "link", name="Профессиональный рост — Иванова А. С."
    ).click()
    section = page.get_by_role("region", name="Профессиональный рост")
    section.get_by_role("link", name="Добавить достижение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Новое достижение: Иванова Анна Сергеевна"
    )
    expect(page.get_by_text("когда куратор его подтвердит")).to_be_visible()
    expect(page.get_by_label("Обновить категорию в карточке")).to_have_count(0)
    page.get_by_label("Вид").select_option(label="профессиональный конкурс")
    page.get_by_label("Название").fill(contest)
    page.get_by_label("Дата").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_label("Уровень").select_option(label="район")
    page.get_by_label("Результат").fill("лауреат")
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_contain_text("войдёт в показатели, когда куратор его подтвердит")
    section = page.get_by_role("region", name="Профессиональный рост")
    expect(section).to_contain_text(contest)
    expect(section).to_contain_text("ждёт подтверждения куратора")
    log_out(world.mentor)

    log_in(world.curator)
    to_do = page.get_by_role("region", name="Ждут ваших действий")
    waiting = to_do.get_by_role("listitem").filter(
        has_text=re.compile(r"внесённ(?:ое|ые|ых) наставниками")
    )
    waiting.get_by_role("link", name="Подтвердить достижения").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Профессиональный рост участников")
    row = page.get_by_role("row").filter(has_text=contest)
    expect(row).to_contain_text("ждёт подтверждения куратора")
    row.get_by_role("button", name=f"Подтвердить «{contest}»").click()
    expect(said(page)).to_have_text(
        f"Иванова А. С.: достижение «{contest}» подтверждено и входит в показатели."
    )
    expect(page.get_by_text("Найдено: 0")).to_be_visible()
    log_out(world.curator)
