"""Seeds the two shared satisfaction questionnaires of the monitoring of quality (п. 3.3;
Приложение 2, этап 6.1; DOMAIN.md §5): of the mentee and of the mentor.

Shared templates have no institution; every kindergarten sends them, none edits them (a curator
copies one into an own template to adapt it). Questions carry stable ``key``s: the indicators
read «average satisfaction» as the mean of every scale answer of these two templates.

``seed_questionnaires`` is also called by the browser tests, whose flush empties the tables.
"""

from django.db import migrations

FREQUENCY = ["чаще раза в неделю", "раз в неделю", "раз в две недели", "раз в месяц и реже"]
FREQUENCY_QUESTION = "Как часто проходили ваши встречи?"
YES_NO_MAYBE = ["да", "нет", "пока не знаю"]

# (key, text, kind, required, choices)
MENTEE_QUESTIONS = [
    ("effectiveness", "Насколько эффективной была для вас программа наставничества?", "scale"),
    ("involvement", "Насколько наставник был вовлечён в работу с вами?", "scale"),
    ("comfort", "Насколько комфортным было общение с наставником?", "scale"),
    ("meetings_usefulness", "Насколько полезными были встречи с наставником?", "scale"),
    ("support", "Насколько вы чувствовали поддержку наставника?", "scale"),
    ("clarity", "Насколько понятно было, чего от вас ждут в программе?", "scale"),
    ("own_satisfaction", "Насколько вы довольны своей работой в программе?", "scale"),
    ("valuable", "Что было для вас самым ценным?", "text"),
    ("missing", "Чего вам не хватило?", "text"),
    ("meeting_frequency", FREQUENCY_QUESTION, "single", FREQUENCY),
    ("wish_continue", "Хотели бы вы продолжить работу с наставником?", "single", YES_NO_MAYBE),
    ("wish_mentor", "Хотели бы вы в будущем сами стать наставником?", "single", YES_NO_MAYBE),
]
MENTOR_QUESTIONS = [
    (
        "effectiveness",
        "Насколько эффективной, на ваш взгляд, была программа наставничества?",
        "scale",
    ),
    ("involvement", "Насколько наставляемый был вовлечён в работу?", "scale"),
    ("comfort", "Насколько комфортным было общение с наставляемым?", "scale"),
    ("meetings_usefulness", "Насколько полезными были ваши встречи?", "scale"),
    ("own_satisfaction", "Насколько вы довольны своей работой наставника?", "scale"),
    ("clarity", "Насколько понятно было, чего от вас ждут как от наставника?", "scale"),
    ("valuable", "Что в работе с наставляемым было самым ценным?", "text"),
    ("missing", "Чего не хватило вам как наставнику?", "text"),
    ("meeting_frequency", FREQUENCY_QUESTION, "single", FREQUENCY),
    ("wish_continue", "Хотели бы вы и дальше быть наставником?", "single", YES_NO_MAYBE),
]

TEMPLATES = [
    {
        "purpose": "satisfaction_mentee",
        "audience": "mentee",
        "title": "Удовлетворённость наставляемого программой наставничества",
        "description": (
            "Оцените, пожалуйста, как прошла ваша программа наставничества: 1 — совсем нет, "
            "10 — в полной мере. Ответы помогут куратору сделать наставничество лучше."
        ),
        "questions": MENTEE_QUESTIONS,
    },
    {
        "purpose": "satisfaction_mentor",
        "audience": "mentor",
        "title": "Удовлетворённость наставника программой наставничества",
        "description": (
            "Оцените, пожалуйста, как прошла программа наставничества: 1 — совсем нет, "
            "10 — в полной мере. Ответы помогут куратору сделать наставничество лучше."
        ),
        "questions": MENTOR_QUESTIONS,
    },
]


def seed_questionnaires(apps, schema_editor=None):
    """Creates the shared satisfaction templates and their questions; a second run changes
    nothing (templates are found by purpose, questions by key)."""
    template_model = apps.get_model("reports", "QuestionnaireTemplate")
    question_model = apps.get_model("reports", "Question")
    for spec in TEMPLATES:
        template, _ = template_model.objects.get_or_create(
            institution=None,
            purpose=spec["purpose"],
            defaults={
                "title": spec["title"],
                "description": spec["description"],
                "audience": spec["audience"],
            },
        )
        for position, (key, text, kind, *choices) in enumerate(spec["questions"], start=1):
            question_model.objects.get_or_create(
                template=template,
                key=key,
                defaults={
                    "position": position,
                    "text": text,
                    "kind": kind,
                    # Free texts are optional: nobody is stopped by «nothing to add».
                    "required": kind != "text",
                    "choices": list(choices[0]) if choices else [],
                },
            )


def unseed_questionnaires(apps, schema_editor):
    template_model = apps.get_model("reports", "QuestionnaireTemplate")
    template_model.objects.filter(
        institution=None, purpose__in=[spec["purpose"] for spec in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed_questionnaires, unseed_questionnaires)]
