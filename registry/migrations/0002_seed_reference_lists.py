"""Seeds the editable reference lists with the regulation's values.

Forms: п. 2.3. Kinds: п. 2.4. Directions: Приложение 1. Mentee categories and positions:
DOMAIN.md and the positions of a preschool institution's pedagogical staff.
"""

from django.db import migrations

FORMS = [
    "педагог – педагог",
    "руководитель образовательной организации – педагог",
    "работодатель – студент",
    "педагог вуза/колледжа – молодой педагог образовательной организации",
    "другая форма",
]
KINDS = [
    "виртуальное (дистанционное)",
    "в группе",
    "краткосрочное (целеполагающее)",
    "реверсивное",
    "ситуационное",
    "скоростное",
    "традиционное («один-на-один»)",
]
DIRECTIONS = [
    "научно-теоретическое",
    "нормативное правовое",
    "предметно-профессиональное",
    "психолого-педагогическое (дети и родители)",
    "методическое",
    "ИКТ-компетенции",
    "цифровизация образования",
    "внеурочная и воспитательная деятельность",
    "здоровьесбережение",
]
CATEGORIES = [
    "молодой специалист со стажем до 3 лет",
    "новый сотрудник",
    "переход на новую должность",
    "возвращение после перерыва",
    "освоение новых технологий",
    "профессиональные затруднения",
    "студент-практикант",
    "иное",
]
POSITIONS = [
    "воспитатель",
    "старший воспитатель",
    "музыкальный руководитель",
    "инструктор по физической культуре",
    "учитель-логопед",
    "учитель-дефектолог",
    "педагог-психолог",
    "педагог дополнительного образования",
    "социальный педагог",
    "заведующий",
    "заместитель заведующего",
    "помощник воспитателя",
    "студент",
    "преподаватель колледжа",
]

LISTS = {
    "MentoringForm": FORMS,
    "MentoringKind": KINDS,
    "Direction": DIRECTIONS,
    "MenteeCategory": CATEGORIES,
    "Position": POSITIONS,
}


def seed(apps, schema_editor):
    for model_name, names in LISTS.items():
        model = apps.get_model("registry", model_name)
        for order, name in enumerate(names, start=1):
            model.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


def unseed(apps, schema_editor):
    for model_name, names in LISTS.items():
        apps.get_model("registry", model_name).objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
