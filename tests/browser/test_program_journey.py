"""A personalized program from the template to its PDF (п. 1.2, п. 4.1, п. 5.1, п. 7.1, п. 7.2,
Приложение 1): the mentor drafts it from the library and adds one more event from it, the
mentee comments, the mentor fills the note's empty parts and sends it, the curator approves,
the mentor marks an event done with a file, the mentee reports on a task and the mentor reads
the report on the plan and confirms it, the term is extended with both agreeing, the program
ends with a reason and its PDF holds the plan."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from programs.models import Evidence, Program, ProgramComment, ProgramEvent, TermChange
from registry.services.groups import add_months
from tests.browser.test_pair_approval import MENTEE_NAME, MENTOR_NAME, pdf_text
from tests.registry.test_group_services import active_group

# The forms of events and the library of typical events come from this data migration; the
# flush after a transactional test removes them, like the registry's reference lists.
programs_seed = importlib.import_module("programs.migrations.0002_seed_event_forms_and_library")
library_forms = importlib.import_module("programs.migrations.0005_library_forms_match_titles")

PAIR = "Петрова М. И. — Иванова А. С."
PROGRAM = f"Программа: {PAIR}"
# The library's «методическое» events (the mentee's difficulty «Планирование НОД»).
LIBRARY_PLAN = (
    "Совместная разработка конспекта НОД",
    "Анализ проведённого занятия",
    "Мастер-класс наставника по планированию",
)
# «Добавить из библиотеки»: a typical event of another direction, renamed before saving.
LIBRARY_DIRECTION = "психолого-педагогическое (дети и родители)"
LIBRARY_EVENT = "Подготовка и проведение родительского собрания"
LIBRARY_EVENT_RENAMED = "Родительское собрание «Адаптация к детскому саду»"
# The parts of the note «Создать по шаблону» leaves empty, as the mentor fills them.
NOTE_GAPS = {
    "Содержание деятельности наставника и наставляемого": "Совместное планирование НОД",
    "Промежуточные результаты": "Конспекты составлены самостоятельно",
    "Расписание встреч": "По вторникам в 14:00",
    "Условия обучения": "Методический кабинет",
}
MENTOR_EVENT = "Совместная разработка конспекта НОД"  # responsible: both
MENTEE_TASK = "Анализ проведённого занятия"  # responsible: the mentee
COMMENT = "Предлагаю добавить взаимопосещение"
RESULT = "Конспект НОД «Осень» составлен вместе с наставником"
REPORT = "Провела занятие и написала самоанализ"
TERM_REASON = "Наставляемая была на больничном три недели"
END_REASON = "Наставляемая переходит в другое учреждение"


@pytest.fixture
def program_library(live_world):
    programs_seed.seed(apps, None)
    library_forms.match_forms(apps, None)


def said(page):
    """The flash message after an action (not the other «status» boxes of the page)."""
    return page.locator(".messages").get_by_role("status")


def confirmed_click(page, control):
    """A control of a form with data-confirm: accept the question, then it submits."""
    page.once("dialog", lambda dialog: dialog.accept())
    control.click()


def open_program_from_home(page):
    page.get_by_role("region", name="Мои программы").get_by_role("link", name=PAIR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAM)


def plan_row(page, title: str):
    """The event's row of the plan (the table of a wide screen)."""
    plan = page.get_by_role("region", name="План мероприятий")
    return plan.get_by_role("row").filter(has_text=title)


def next_step(page):
    return page.get_by_role("region", name="Что дальше")


@pytest.mark.browser
def test_program_goes_from_template_to_a_completed_program_in_pdf(
    live_world, program_library, page, log_in, log_out, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    mentor, mentee, curator = live_world.mentor, live_world.mentee, live_world.curator
    head = live_world.head
    group = active_group(live_world)

    # The mentor opens the approved pair and drafts the program from the template.
    log_in(mentor)
    pairs = page.get_by_role("region", name="Мои пары и группы")
    pairs.get_by_role("link", name=PAIR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Пара: {PAIR}")
    page.get_by_role("link", name="Создать программу по шаблону").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Программа по шаблону: {PAIR}")
    expect(page.get_by_role("main")).to_contain_text("методическое: Планирование НОД")
    page.get_by_role("button", name="Создать по шаблону").click()

    expect(said(page)).to_contain_text("Черновик программы создан по шаблону.")
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAM)
    for title in LIBRARY_PLAN:
        expect(plan_row(page, title)).to_contain_text("методическое")
    program = Program.objects.get(group=group)
    assert program.status == Program.Status.DRAFT

    # She adds one more event from the library and changes its title before saving.
    page.get_by_role("region", name="План мероприятий").get_by_role(
        "link", name="Добавить из библиотеки"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Добавить из библиотеки")
    parents = page.get_by_role("region", name=LIBRARY_DIRECTION)
    parents.get_by_role("link", name=f"Выбрать «{LIBRARY_EVENT}»").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Новое мероприятие")
    expect(page.get_by_label("Мероприятие")).to_have_value(LIBRARY_EVENT)
    expect(page.get_by_label("Ожидаемый результат")).to_have_value("Проведённое собрание, протокол")
    page.get_by_label("Мероприятие").fill(LIBRARY_EVENT_RENAMED)
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_have_text(f"Мероприятие «{LIBRARY_EVENT_RENAMED}» добавлено в план.")
    expect(plan_row(page, LIBRARY_EVENT_RENAMED)).to_contain_text(LIBRARY_DIRECTION)
    log_out(mentor)

    # The mentee reads the draft and proposes a change (п. 5.1).
    log_in(mentee)
    open_program_from_home(page)
    expect(next_step(page)).to_contain_text("Наставник составляет программу.")
    page.get_by_label("Комментарий или предложение").fill(COMMENT)
    page.get_by_role("button", name="Добавить комментарий").click()
    expect(said(page)).to_have_text(
        "Комментарий добавлен: наставник и куратор получили уведомление."
    )
    comments = page.get_by_role("region", name="Комментарии и предложения")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("Иванова А. С.")
    log_out(mentee)

    # The mentor sees the comment; before sending she is asked to fill the parts of the note
    # the template left empty (Приложение 1), and does.
    log_in(mentor)
    open_program_from_home(page)
    expect(page.get_by_role("region", name="Комментарии и предложения")).to_contain_text(COMMENT)
    gaps = next_step(page).get_by_role("status")
    expect(gaps).to_contain_text("Пояснительная записка заполнена не полностью.")
    for label in NOTE_GAPS:
        expect(gaps).to_contain_text(f"{label} — не заполнено")
    expect(next_step(page).get_by_role("button", name="Направить куратору")).to_be_disabled()
    gaps.get_by_role("link", name="Заполнить записку").click()
    for label, text in NOTE_GAPS.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_have_text("Пояснительная записка сохранена.")
    expect(next_step(page).get_by_role("status")).to_have_count(0)
    confirmed_click(page, next_step(page).get_by_role("button", name="Направить куратору"))
    expect(said(page)).to_have_text("Программа направлена куратору на согласование.")
    log_out(mentor)

    # The curator approves it.
    log_in(curator)
    page.get_by_role("link", name="Программы", exact=True).click()
    page.get_by_role("link", name=PAIR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAM)
    confirmed_click(page, next_step(page).get_by_role("button", name="Утвердить"))
    expect(said(page)).to_have_text("Программа утверждена: наставник и наставляемый уведомлены.")
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
    log_out(curator)

    # The mentor marks an event done, with its product and a scan that proves it.
    evidence_file = tmp_path / "konspekt.pdf"
    evidence_file.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    log_in(mentor)
    open_program_from_home(page)
    plan_row(page, MENTOR_EVENT).get_by_role("link", name="Отметить выполнение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MENTOR_EVENT)
    page.get_by_role("radio", name="выполнено").check()
    page.get_by_label("Фактический результат, продукт").fill(RESULT)
    page.get_by_label("Подтверждающий файл").set_input_files(evidence_file)
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_have_text(f"Мероприятие «{MENTOR_EVENT}»: выполнено. Файл добавлен.")
    done_row = plan_row(page, MENTOR_EVENT)
    expect(done_row).to_contain_text("выполнено")
    expect(done_row).to_contain_text(RESULT)
    expect(done_row.get_by_role("link", name="konspekt.pdf")).to_be_visible()
    log_out(mentor)

    # The mentee sees the event done with its file, and reports on her own task (п. 4.1).
    log_in(mentee)
    open_program_from_home(page)
    done_row = plan_row(page, MENTOR_EVENT)
    expect(done_row).to_contain_text("выполнено")
    expect(done_row.get_by_role("link", name="konspekt.pdf")).to_be_visible()
    plan_row(page, MENTEE_TASK).get_by_role("link", name="Отчитаться").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Отчёт о задании «{MENTEE_TASK}»")
    page.get_by_label("Отчёт о выполнении").fill(REPORT)
    page.get_by_role("button", name="Отправить отчёт").click()
    expect(said(page)).to_have_text(
        f"Отчёт о задании «{MENTEE_TASK}» отправлен наставнику: он подтвердит выполнение."
    )
    task_row = plan_row(page, MENTEE_TASK)
    expect(task_row).to_contain_text("ждёт подтверждения наставника")
    log_out(mentee)

    # The mentor proposes a later end; the proposal is also the mentor's agreement (п. 7.2).
    program.refresh_from_db()
    old_end = program.end
    new_end = add_months(old_end, 1)
    log_in(mentor)
    open_program_from_home(page)
    # She reads the mentee's report on the row and confirms it there.
    report = plan_row(page, MENTEE_TASK).get_by_role(
        "group", name=f"Отчёт наставляемого: {MENTEE_TASK}"
    )
    expect(report).to_contain_text(REPORT)
    expect(report).to_contain_text("Отчёт наставляемого от ")
    plan_row(page, MENTEE_TASK).get_by_role(
        "button", name=f"Подтвердить выполнение: {MENTEE_TASK}"
    ).click()
    expect(said(page)).to_have_text(
        f"Выполнение задания «{MENTEE_TASK}» подтверждено: мероприятие выполнено."
    )
    expect(plan_row(page, MENTEE_TASK)).to_contain_text("выполнено")
    lifecycle = page.get_by_role("region", name="Срок и завершение")
    lifecycle.get_by_role("link", name="Изменить срок").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Изменение срока программы")
    page.get_by_label("Новая дата окончания").fill(new_end.isoformat())
    page.get_by_label("Причина").fill(TERM_REASON)
    page.get_by_role("button", name="Предложить новый срок").click()
    expect(said(page)).to_have_text(
        f"Изменение срока до {new_end:%d.%m.%Y} предложено. Оно вступит в силу, когда "
        "согласятся все участники: ждём согласия наставляемых."
    )
    pending = lifecycle.get_by_role("status")
    expect(pending).to_contain_text(f"Предложено изменить срок: до {new_end:%d.%m.%Y}")
    expect(pending).to_contain_text("Петрова М. И. (наставник): согласна")
    expect(pending).to_contain_text("Иванова А. С. (наставляемый): ждём согласия")
    log_out(mentor)

    # The mentee agrees in her own account; the curator agrees with the mentor's proposal, and
    # the change is drafted as the head's order (п. 7.2).
    log_in(mentee)
    open_program_from_home(page)
    lifecycle = page.get_by_role("region", name="Срок и завершение")
    confirmed_click(page, lifecycle.get_by_role("button", name="Согласиться с новым сроком"))
    expect(said(page)).to_have_text(
        "Ваше согласие учтено. Срок изменится, когда согласятся остальные участники "
        "и заведующий подпишет приказ."
    )
    expect(lifecycle).to_contain_text("Куратор: ждём согласования")
    log_out(mentee)
    log_in(curator)
    page.get_by_role("link", name="Программы", exact=True).click()
    page.get_by_role("link", name=PAIR).click()
    lifecycle = page.get_by_role("region", name="Срок и завершение")
    confirmed_click(page, lifecycle.get_by_role("button", name="Согласовать изменение срока"))
    expect(said(page)).to_have_text(
        "Изменение срока согласовано. Все участники согласились: проект приказа о продлении "
        "(корректировке) программы направлен заведующему. Срок изменится после подписания "
        "приказа."
    )
    expect(lifecycle).to_contain_text(
        f"Программа идёт с {program.start:%d.%m.%Y} по {old_end:%d.%m.%Y}"
    )
    expect(lifecycle).to_contain_text("ждёт подписи заведующего")
    log_out(curator)

    # The head signs the drafted order: the term changes and the mentor's agreement is amended.
    log_in(head)
    page.get_by_role("button", name="Документы").click()
    page.get_by_role("link", name="Приказы", exact=True).click()
    page.get_by_role(
        "link", name="О продлении (корректировке) программы наставничества", exact=True
    ).click()
    expect(page.get_by_role("main")).to_contain_text(
        f"окончание — {new_end:%d.%m.%Y} вместо {old_end:%d.%m.%Y}"
    )
    page.get_by_role("link", name="Подписать", exact=True).click()
    page.get_by_label("Номер приказа").fill("120")
    confirmed_click(page, page.get_by_role("button", name="Подписать приказ"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Приказ № 120")
    log_out(head)

    log_in(curator)
    page.get_by_role("link", name="Программы", exact=True).click()
    page.get_by_role("link", name=PAIR).click()
    lifecycle = page.get_by_role("region", name="Срок и завершение")
    expect(lifecycle).to_contain_text(
        f"Программа идёт с {program.start:%d.%m.%Y} по {new_end:%d.%m.%Y}."
    )
    expect(lifecycle.get_by_role("listitem").filter(has_text=TERM_REASON)).to_contain_text(
        f"до {new_end:%d.%m.%Y} применено"
    )
    expect(page.get_by_role("main")).to_contain_text(
        f"{program.start:%d.%m.%Y} — {new_end:%d.%m.%Y}"
    )
    page.get_by_role("link", name="Пары", exact=True).click()
    page.get_by_role("link", name=PAIR).first.click()
    page.get_by_role("region", name="Участники").get_by_role("link", name="№ ").first.click()
    amendments = page.get_by_role("region", name="Изменения соглашения")
    expect(amendments).to_contain_text(
        f"окончание {new_end:%d.%m.%Y} вместо {old_end:%d.%m.%Y} (приказ № 120"
    )
    with page.expect_download() as download_info:
        amendments.get_by_role("link", name="Скачать PDF").click()
    amendment_pdf = tmp_path / "amendment.pdf"
    download_info.value.save_as(amendment_pdf)
    amendment_text = pdf_text(amendment_pdf)
    for expected in (MENTOR_NAME, f"по {new_end:%d.%m.%Y}", "приказа № 120"):
        assert expected in amendment_text
    log_out(curator)

    # The mentor ends the program early by mutual decision (п. 7.1): she is offered only the
    # mentor's reasons, not the curator's initiative nor the plan done in full.
    log_in(mentor)
    open_program_from_home(page)
    page.get_by_role("region", name="Срок и завершение").get_by_role(
        "link", name="Завершить программу"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Завершение программы")
    reasons = page.get_by_role("group", name="Основание завершения (п. 7.1)").get_by_role("radio")
    expect(reasons).to_have_count(2)
    expect(
        page.get_by_role("radio", name="по инициативе наставника (уважительная причина)")
    ).to_be_visible()
    expect(page.get_by_role("radio", name="по инициативе куратора", exact=False)).to_have_count(0)
    expect(page.get_by_role("radio", name="план мероприятий выполнен", exact=False)).to_have_count(
        0
    )
    page.get_by_role("radio", name="по обоюдному решению наставника и наставляемого").check()
    page.get_by_label("Пояснение").fill(END_REASON)
    page.get_by_label("Итоговый результат наставляемого").fill("Освоила планирование НОД")
    confirmed_click(page, page.get_by_role("button", name="Завершить программу"))
    expect(said(page)).to_contain_text("Программа прекращена")
    lifecycle = page.get_by_role("region", name="Срок и завершение")
    expect(lifecycle).to_contain_text("по обоюдному решению наставника и наставляемого")
    expect(lifecycle).to_contain_text(END_REASON)
    expect(lifecycle).to_contain_text("прекращена")

    # The program's PDF holds the people and the plan.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать PDF").click()
    pdf = tmp_path / "program.pdf"
    download_info.value.save_as(pdf)
    text = pdf_text(pdf)
    titles = list(program.events.values_list("title", flat=True))
    assert sorted(titles) == sorted([*LIBRARY_PLAN, LIBRARY_EVENT_RENAMED])
    for expected in (*titles, MENTOR_NAME, MENTEE_NAME, "ПЛАН МЕРОПРИЯТИЙ", RESULT):
        assert expected in text

    # What the journey left in the database.
    program.refresh_from_db()
    assert (program.status, program.reason, program.reason_note, program.end) == (
        Program.Status.TERMINATED,
        Program.Reason.MUTUAL,
        END_REASON,
        new_end,
    )
    assert not program.extended  # ten months: still within a year of the start
    assert program.approved_by == curator
    comment = ProgramComment.objects.get(program=program)
    assert (comment.author, comment.text) == (mentee, COMMENT)
    term = TermChange.objects.get(program=program)
    assert (term.status, term.new_end, term.requested_by) == (
        TermChange.Status.APPLIED,
        new_end,
        mentor,
    )
    assert term.mentor_agreed_at is not None
    done = ProgramEvent.objects.get(program=program, title=MENTOR_EVENT)
    assert (done.status, done.actual_result) == (ProgramEvent.Status.DONE, RESULT)
    evidence = Evidence.objects.get(event=done)
    assert evidence.name == "konspekt.pdf"
    with evidence.file.open("rb") as stored:
        assert stored.read() == evidence_file.read_bytes()
    task = ProgramEvent.objects.get(program=program, title=MENTEE_TASK)
    assert (task.mentee_report, task.status) == (REPORT, ProgramEvent.Status.DONE)
    assert task.reported_at is not None and task.confirmed_at is not None
    group.refresh_from_db()
    assert group.status == group.Status.TERMINATED
