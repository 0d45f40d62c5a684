"""Forms of the register of data subjects' written requests (152-ФЗ ст. 14, 20, 21)."""

from django import forms
from django.utils import timezone

from registry.forms.consents import DATE_WIDGET
from registry.models import Person, SubjectRequest


class SubjectRequestForm(forms.ModelForm):
    person = forms.ModelChoiceField(
        label="Участник в реестре",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— не в реестре или не найден —",
        help_text="Если человек есть в реестре, выберите его: запрос войдёт в «Все данные».",
    )

    class Meta:
        model = SubjectRequest
        fields = ["person", "subject_name", "kind", "received_on", "summary"]
        widgets = {
            "received_on": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"kind": "О чём запрос"}
        help_texts = {
            "subject_name": "Как подписан запрос. Пусто — возьмём ФИО выбранного участника.",
            "received_on": "Дата, когда запрос поступил в учреждение: от неё считается срок.",
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            institution=institution, anonymized_on__isnull=True
        ).order_by("last_name", "first_name", "patronymic")
        # The full name, as the request is signed: two people may share initials.
        self.fields["person"].label_from_instance = lambda person: person.full_name
        self.fields["subject_name"].required = False
        self.fields["received_on"].initial = timezone.localdate()


class ExtendForm(forms.Form):
    extension_reason = forms.CharField(
        label="Причина продления",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Укажите причину: её сообщают человеку в уведомлении."},
        help_text="Её же напишите в мотивированном уведомлении человеку (152-ФЗ, ст. 20 ч. 1).",
    )


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label="Дата ответа", widget=DATE_WIDGET)
    answer = forms.CharField(
        label="Ответ",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Напишите, что ответили человеку."},
        help_text="Кратко: что сообщили, что исправили или почему отказали.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = timezone.localdate()
