"""Forms of a term change (п. 7.2) and of completion (п. 7.1). They read and normalise the
input; the rules (dates, open events, required notes) live in ``programs.services.lifecycle``
and come back as errors next to the fields."""

from django import forms
from django.utils import timezone

from programs.services.lifecycle import Completion, acquaintance_date_error
from registry.forms.paper import PaperEvidenceForm, members_choice_field
from registry.models import PaperDecision, Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TermChangeForm(forms.Form):
    new_end = forms.DateField(
        label="Новая дата окончания",
        widget=DATE_WIDGET,
        help_text="Продлить или сократить срок. Дольше года от начала — только так, "
        "с согласия наставника и наставляемого (п. 7.2).",
        error_messages={
            "required": "Укажите новую дату окончания.",
            "invalid": "Дата вида 24.11.2026.",
        },
    )
    reason = forms.CharField(
        label="Причина",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Участники увидят её, когда будут давать согласие.",
        error_messages={"required": "Напишите, почему меняется срок."},
    )


class TermDeclineForm(forms.Form):
    comment = forms.CharField(
        label="Почему вы не согласны",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Напишите, почему вы не согласны с изменением срока."},
    )


class TermWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Почему изменение срока отзывается",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Напишите, почему изменение срока отзывается."},
    )


class CompletionForm(forms.Form):
    reason = forms.ChoiceField(
        label="Основание завершения (п. 7.1)",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите основание завершения."},
    )
    finished_on = forms.DateField(
        label="Дата завершения",
        widget=DATE_WIDGET,
        error_messages={"required": "Укажите дату завершения.", "invalid": "Дата вида 24.11.2026."},
    )
    reason_note = forms.CharField(
        label="Пояснение",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Уважительная причина или обстоятельства. Обязательно, если план не выполнен.",
    )
    notice_on = forms.DateField(
        label="Дата письменного предупреждения",
        required=False,
        widget=DATE_WIDGET,
        help_text="Нужна, если наставничество прекращается по инициативе наставника или "
        "куратора (работодателя): не ранее чем через три рабочих дня после предупреждения "
        "(ТК РФ, ст. 351.8).",
        error_messages={"invalid": "Дата вида 24.11.2026."},
    )
    mentee_result = forms.CharField(
        label="Итоговый результат наставляемого",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Обязательно, если план выполнен.",
    )
    mentor_result = forms.CharField(
        label="Итоговый результат наставника",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Обязательно, если план выполнен.",
    )

    def __init__(self, *args, reasons: list[tuple[str, str]], **kwargs):
        """``reasons``: the ones this person may choose (``completion_reasons``, п. 7.1)."""
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons
        self.fields["reason"].error_messages["invalid_choice"] = (
            "Это основание выбирает другой участник (п. 7.1)."
        )
        self.initial.setdefault("finished_on", timezone.localdate())

    def completion(self) -> Completion:
        data = self.cleaned_data
        return Completion(
            reason=data["reason"],
            finished_on=data["finished_on"],
            reason_note=data["reason_note"],
            mentee_result=data["mentee_result"],
            mentor_result=data["mentor_result"],
            notice_on=data["notice_on"],
        )


class PaperTermAgreementForm(PaperEvidenceForm):
    """A participant without a login agreed to the new term on paper (п. 7.2); the curator
    records it from the signed form."""

    person = members_choice_field()
    field_order = ["person", "decided_on", "scan", "original_with_curator"]

    def __init__(self, *args, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone who still must agree: one with a login gets a message next to the field.
        self.fields["person"].queryset = Person.objects.filter(
            pk__in=[m.person_id for m in waiting]
        ).order_by("user", "last_name", "first_name")


class PaperProgramAcquaintanceForm(PaperEvidenceForm):
    """A participant without a login signed the sheet of acquaintance with the approved
    program; the curator records it from the signed sheet."""

    person = members_choice_field()
    field_order = ["person", "decided_on", "scan", "original_with_curator"]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        # Every current participant not yet recorded: one with a login gets a message next to
        # the field, not a silent «no such choice».
        recorded = program.paper_decisions.filter(
            kind=PaperDecision.Kind.PROGRAM_ACQUAINTANCE
        ).values("person_id")
        self.fields["person"].queryset = (
            Person.objects.filter(
                memberships__group_id=program.group_id, memberships__left_on__isnull=True
            )
            .exclude(pk__in=recorded)
            .order_by("user", "last_name", "first_name")
        )
        self.fields["person"].error_messages["invalid_choice"] = (
            "Выберите участника программы, чьё ознакомление ещё не внесено."
        )

    def paper_errors(self) -> dict[str, str]:
        errors = super().paper_errors()
        decided_on = self.cleaned_data.get("decided_on")
        if decided_on is None or "decided_on" in errors:
            return errors
        if error := acquaintance_date_error(self.program, decided_on):
            errors["decided_on"] = error
        return errors
