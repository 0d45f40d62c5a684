"""The library's forms, checked against the entries' titles (issue 22): two typical events
were seeded with the form «совместная разработка конспекта», though neither is a конспект of
an НОД — a parent meeting is prepared and held, a holiday gets a сценарий. Both become «совместная
подготовка мероприятия», a form added to the installation's list.

Only the installation's entries that still carry every seeded value are changed: a
kindergarten's own entries and the ones the installation's administrator has since edited
(any field, or retired) stay as they are. The events already planned in programs keep their
form: a plan is the program's own.
"""

from django.db import migrations

NEW_FORM = "совместная подготовка мероприятия"
# Just after «совместная разработка конспекта» (60) in the seeded list.
NEW_FORM_ORDER = 65

# (направление, мероприятие, ожидаемый результат, неделя, задание наставляемому): the seeded
# values of 0002, the old form, the new one.
CHANGES = [
    (
        (
            "психолого-педагогическое (дети и родители)",
            "Подготовка и проведение родительского собрания",
            "Проведённое собрание, протокол",
            8,
            True,
        ),
        "совместная разработка конспекта",
        NEW_FORM,
    ),
    (
        (
            "внеурочная и воспитательная деятельность",
            "Совместная подготовка праздника или досуга",
            "Сценарий мероприятия",
            6,
            True,
        ),
        "совместная разработка конспекта",
        NEW_FORM,
    ),
]


def _seeded(apps, seeded, form_name):
    """The installation's entry with the seeded values and the given form, untouched since."""
    direction, title, result, week, for_mentee = seeded
    return apps.get_model("programs", "TypicalEvent").objects.filter(
        institution__isnull=True,
        direction__name=direction,
        direction__institution__isnull=True,
        title=title,
        expected_result=result,
        week=week,
        for_mentee=for_mentee,
        is_active=True,
        form__name=form_name,
        form__institution__isnull=True,
    )


def _form(apps, name, order=100):
    EventForm = apps.get_model("programs", "EventForm")
    form, _ = EventForm.objects.get_or_create(
        name=name, institution=None, defaults={"sort_order": order}
    )
    return form


def match_forms(apps, schema_editor):
    _form(apps, NEW_FORM, NEW_FORM_ORDER)
    for seeded, old, new in CHANGES:
        _seeded(apps, seeded, old).update(form=_form(apps, new))


def restore_forms(apps, schema_editor):
    """Back to the seeded forms; the added form stays in the list (programs may use it)."""
    for seeded, old, new in CHANGES:
        _seeded(apps, seeded, new).update(form=_form(apps, old))


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_list_owners"),
        ("registry", "0016_list_owners"),
    ]

    operations = [migrations.RunPython(match_forms, restore_forms)]
