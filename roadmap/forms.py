"""Forms of the roadmap: an activity, its deletion with a reason, marking it done with evidence,
the head's approval and return. Forms validate and normalise; the services decide and save."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from mentoring_site.lib.uploads import CheckedFileField
from mentoring_site.lib.versions import VersionedFormMixin
from registry.models import Order, Person
from roadmap.models import Activity
from roadmap.services import ACTIVITY_FIELDS, LINK_RULE, is_safe_link

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

REASON_HELP = (
    "Дорожная карта утверждена приказом: изменение сохранится в истории с причиной и датой, "
    "утверждённая версия останется как была."
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        if person.position_id:
            return f"{person.full_name}, {person.position.name}"
        return person.full_name


class CreateForm(forms.Form):
    """The academic year of a new roadmap: the current one or the next."""

    year_start = forms.TypedChoiceField(
        label="Учебный год", coerce=int, error_messages={"required": "Выберите учебный год."}
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_start"].choices = [(y, f"{y}/{y + 1}") for y in years]
        self.fields["year_start"].error_messages["invalid_choice"] = (
            "Дорожную карту создают на текущий или следующий учебный год."
        )


class ActivityForm(VersionedFormMixin, forms.ModelForm):
    version_fields = ACTIVITY_FIELDS
    reason = forms.CharField(
        label="Причина изменения",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "content",
            "starts_on",
            "deadline",
            "responsible",
            "responsible_note",
            "expected_result",
            "measure",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "content": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE_WIDGET,
            "deadline": DATE_WIDGET,
        }
        field_classes = {"responsible": PersonChoiceField}
        labels = {"title": "Мероприятие", "measure": "Что отслеживает реестр"}
        help_texts = {
            "deadline": "В пределах учебного года.",
            "measure": "Если реестр видит выполнение сам, прогресс посчитается по его данным; "
            "иначе отметьте мероприятие выполненным с подтверждением.",
        }
        error_messages = {
            "title": {"required": "Напишите, что нужно сделать."},
            "deadline": {"required": "Укажите срок."},
        }

    def __init__(self, *args, roadmap, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        self.fields["responsible"].queryset = (
            Person.objects.filter(institution=roadmap.institution_id)
            .filter(Q(dismissed_on__isnull=True) | Q(dismissed_on__gt=timezone.localdate()))
            .select_related("position")
            .order_by("last_name", "first_name", "patronymic")
        )
        self.fields["responsible"].empty_label = "не указан"
        self.fields["responsible"].help_text = "Сотрудник, который отвечает за мероприятие."
        self.fields["measure"].choices = [("", "ничего: отмечает куратор")] + list(
            Activity.Measure.choices
        )
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Дорожная карта утверждена приказом: укажите причину изменения."
            )
        else:
            del self.fields["reason"]


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label="Причина удаления",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class MarkDoneForm(forms.Form):
    done_on = forms.DateField(
        label="Дата выполнения",
        widget=DATE_WIDGET,
        error_messages={"required": "Укажите дату выполнения."},
    )
    evidence_order = forms.ModelChoiceField(
        label="Приказ",
        queryset=Order.objects.none(),
        required=False,
        empty_label="не нужен",
        help_text="Подписанный приказ учреждения, которым подтверждается выполнение.",
    )
    evidence_file = CheckedFileField(
        kinds=("pdf", "docx", "xlsx", "jpg", "png"),
        what="Скан приказа, протокол, фото",
        label="Файл",
        required=False,
    )
    evidence_link = forms.CharField(
        label="Ссылка",
        required=False,
        max_length=500,
        help_text="Страница реестра (например, /orders/12/) или сайта, анкета, публикация: "
        "адрес начинается с https:// или с «/».",
    )
    evidence_note = forms.CharField(
        label="Пояснение",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Например: «Протокол установочной сессии № 2 хранится у куратора».",
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_order"].queryset = Order.objects.filter(
            institution=institution, status=Order.Status.SIGNED
        ).order_by("-date", "-pk")
        self.fields["evidence_order"].label_from_instance = lambda o: (
            f"№ {o.number} от {o.date:%d.%m.%Y} «{o.title}»"
        )

    def clean_evidence_link(self):
        link = self.cleaned_data["evidence_link"].strip()
        if link and not is_safe_link(link):
            raise forms.ValidationError(LINK_RULE)
        return link


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что исправить",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Напишите, что нужно исправить."},
    )
