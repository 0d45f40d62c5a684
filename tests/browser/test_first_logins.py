"""A kindergarten's first week (issue 16): the curator gives three new teachers logins at once
(one has no e-mail), downloads the invitation sheets; a teacher signs in with the code from her
sheet and sets a password, by the labels she sees; the code does not work twice; she corrects
her phone and confirms a new e-mail address by the link of the letter.

Screenshots of each page at 1366 and 390 px go to ``tmp_path`` (and to ``SCREENSHOTS_DIR`` when
it is set), to look at the pages as a person would (UX.md)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from registry.models import InvitationCode, Letter, Person
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.factories import make_person
from tests.tasks import run_tasks

PASSWORD = "Зелёный-трамвай-1987"
WIDTHS = (1366, 390)


def pdf_text(path) -> str:
    # A fixed local tool on a file the test saved itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return result.stdout


def shoot(page, tmp_path, name: str) -> None:
    """The page at a laptop's and a phone's width, then back to the laptop's."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def said(page):
    return page.locator(".alert-success, .alert-info").first


@pytest.mark.browser
def test_first_logins_from_the_list_to_a_teacher_with_her_password(
    live_world, page, log_in, log_out, live_server, tmp_path
):
    world = live_world
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.add_init_script(RECORD_VIOLATIONS)
    make_person(
        world.institution,
        "Щукина",
        first_name="Юлия",
        patronymic="Эдуардовна",
        email="shchukina@example.org",
    )
    make_person(
        world.institution,
        "Ёлкина",
        first_name="Дарья",
        patronymic="Петровна",
        email="elkina@example.org",
    )
    make_person(world.institution, "Жукова", first_name="Ксения", patronymic="Олеговна")

    # The curator opens «Пользователи» → «Сотрудники без учётной записи» and ticks all three.
    log_in(world.curator)
    page.get_by_role("button", name=str(world.curator), exact=True).click()
    page.get_by_role("link", name="Пользователи", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Пользователи и роли")
    page.get_by_role("link", name=re.compile(r"^Сотрудники без учётной записи")).click()
    expect(page.get_by_role("checkbox", name="Щукина Ю. Э.")).to_be_visible()
    page.get_by_role("checkbox", name="Выбрать всех на странице (3)").check()
    for name in ("Щукина Ю. Э.", "Ёлкина Д. П.", "Жукова К. О."):
        expect(page.get_by_role("checkbox", name=name)).to_be_checked()
    # static/js/select-all.js ran under the policy: the ticks above are its work.
    assert page.evaluate("window.__cspViolations") == []
    shoot(page, tmp_path, "1-people-without-login")
    page.get_by_role("button", name="Создать учётные записи").click()

    # The result page: the logins, who gets a letter, the sheets in PDF.
    expect(page.get_by_role("heading", level=1)).to_have_text("Учётные записи созданы")
    for login in ("shchukina.ye", "elkina.dp", "zhukova.ko"):
        expect(page.get_by_role("cell", name=login, exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="нет e-mail — только лист")).to_be_visible()
    shoot(page, tmp_path, "2-logins-created")
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать листы приглашений (PDF)").click()
    sheets = tmp_path / "invitations.pdf"
    download.value.save_as(sheets)
    text = pdf_text(sheets)
    codes = dict(re.findall(r"Логин\s+(\S+)\s+Код приглашения\s+(\d{4}-\d{4}-\d{4})", text))
    assert set(codes) == {"shchukina.ye", "elkina.dp", "zhukova.ko"}
    assert live_server.url in text
    assert sorted(Letter.objects.values_list("to", flat=True)) == [
        "elkina@example.org",
        "shchukina@example.org",
    ]
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["elkina@example.org", "shchukina@example.org"]
    log_out(world.curator)

    # Ёлкина signs in with the code from her sheet and sets her password.
    page.get_by_role("link", name="Вход по коду приглашения").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход по коду приглашения")
    page.get_by_label("Логин").fill("elkina.dp")
    page.get_by_label("Код приглашения").fill(codes["elkina.dp"])
    shoot(page, tmp_path, "3-code")
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Задайте пароль")
    page.get_by_label("Новый пароль").fill("12345678")
    page.get_by_label("Подтверждение нового пароля").fill("12345678")
    page.get_by_role("button", name="Задать пароль и войти").click()
    expect(page.locator("#id_new_password2_error")).to_contain_text("только из цифр")
    shoot(page, tmp_path, "4-password-refused")
    page.get_by_label("Новый пароль").fill(PASSWORD)
    page.get_by_label("Подтверждение нового пароля").fill(PASSWORD)
    page.get_by_role("button", name="Задать пароль и войти").click()
    expect(page).to_have_url(re.compile(r"/home/teacher/$"))
    expect(said(page)).to_contain_text("Пароль задан")
    teacher = Person.objects.get(last_name="Ёлкина").user
    assert teacher.check_password(PASSWORD)
    assert InvitationCode.objects.get(user=teacher).used_at is not None

    # Her own page: the phone as she writes it, a new e-mail.
    page.get_by_role("button", name=str(teacher), exact=True).click()
    page.get_by_role("link", name="Мои данные", exact=True).click()
    page.get_by_role("link", name="Изменить телефон и e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои контакты")
    page.get_by_label("Телефон").fill("8 (921) 123-45-67")
    page.get_by_label("E-mail").fill("darya.elkina@example.org")
    shoot(page, tmp_path, "5-contacts")
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_contain_text("Телефон сохранён: +7 921 123-45-67.")
    expect(said(page)).to_contain_text("На адрес darya.elkina@example.org отправлено письмо")
    expect(page.get_by_text("+7 921 123-45-67", exact=True)).to_be_visible()
    assert Person.objects.get(user=teacher).phone == "+7 921 123-45-67"

    # The link of the letter to the new address confirms it.
    mail.outbox.clear()
    run_tasks()
    (letter,) = mail.outbox
    assert letter.to == ["darya.elkina@example.org"]
    link = re.search(r"(http://\S+/me/email/\S+/)", letter.body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Подтверждение e-mail")
    assert page.evaluate("window.__cspViolations") == []
    shoot(page, tmp_path, "6-email-confirm")
    page.get_by_role("button", name="Подтвердить адрес").click()
    expect(said(page)).to_contain_text(
        "Адрес подтверждён: теперь ваш e-mail — darya.elkina@example.org."
    )
    teacher.refresh_from_db()
    assert teacher.email == Person.objects.get(user=teacher).email == "darya.elkina@example.org"
    run_tasks()
    assert mail.outbox[-1].to == ["elkina@example.org"]  # the old address is told
    log_out(teacher)

    # The code does not work twice; her password does.
    page.get_by_role("link", name="Вход по коду приглашения").click()
    page.get_by_label("Логин").fill("elkina.dp")
    page.get_by_label("Код приглашения").fill(codes["elkina.dp"])
    page.get_by_role("button", name="Продолжить").click()
    expect(page.locator("#id_code_error")).to_contain_text("Этот код уже использован")
    shoot(page, tmp_path, "7-code-used")
    page.get_by_role("link", name="Вход с паролем").click()
    page.get_by_label("Имя пользователя").fill("elkina.dp")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/home/teacher/$"))
