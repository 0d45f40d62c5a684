"""Forms of the mentor's supplementary agreement (ТК РФ ст. 351.8): the draft, the signing on
paper, the early end with notice, and the register's filter."""

from django import forms

from mentoring_site.lib.versions import VersionedFormMixin
from registry.models import MentoringAgreement
from registry.services.agreements import DRAFT_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementDraftForm(VersionedFormMixin, forms.ModelForm):
    """Content, term and pay: the curator drafts, the service checks and saves."""

    version_fields = DRAFT_FIELDS

    class Meta:
        model = MentoringAgreement
        fields = list(DRAFT_FIELDS)
        widgets = {
            "content": forms.Textarea(attrs={"rows": 6}),
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
        }
        help_texts = {
            "pay_amount": "Заполните одно из двух: сумму в рублях или процент оклада.",
            "pay_percent": "Например, 15 — доплата 15 % должностного оклада.",
        }

    def clean(self):
        data = super().clean()
        amount, percent = data.get("pay_amount"), data.get("pay_percent")
        pay_checked = "pay_amount" not in self.errors and "pay_percent" not in self.errors
        if pay_checked and (amount is None) == (percent is None):
            self.add_error(
                "pay_amount",
                "Укажите доплату либо суммой в рублях, либо процентом оклада — одно из двух.",
            )
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "Окончание наставничества должно быть позже начала.")
        return data

    def _post_clean(self):
        # The service builds and checks the row; the form checks its fields only.
        pass


class AgreementSignForm(forms.Form):
    number = forms.CharField(label="Номер соглашения", max_length=30)
    date = forms.DateField(label="Дата подписания", widget=DATE_WIDGET)


class AgreementEndForm(forms.Form):
    ended_by = forms.ChoiceField(
        label="По чьей инициативе",
        choices=[
            (MentoringAgreement.EndedBy.EMPLOYER, "работодателя (заведующего)"),
            (MentoringAgreement.EndedBy.MENTOR, "наставника"),
        ],
        widget=forms.RadioSelect,
    )
    notice_on = forms.DateField(
        label="Дата письменного уведомления",
        widget=DATE_WIDGET,
        help_text="Когда другая сторона получила уведомление об отказе от соглашения.",
    )
    ended_on = forms.DateField(
        label="Дата прекращения",
        widget=DATE_WIDGET,
        help_text="Не раньше чем через три рабочих дня после уведомления (ТК РФ, ст. 351.8).",
    )
    note = forms.CharField(
        label="Причина", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgreementFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Состояние",
        required=False,
        choices=[("", "все"), *MentoringAgreement.Status.choices],
    )
