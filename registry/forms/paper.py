"""The curator's form for a decision given on paper by a participant without a login
(issue 16, part 3). The rule of what a valid paper decision is lives in
``registry.services.paper.paper_decision_errors``; the form shows its messages next to the
fields."""

from django import forms

from mentoring_site.lib.uploads import CheckedFileField
from registry.models import GroupMember, MentoringGroup, Order, PaperDecision, Person
from registry.services.paper import paper_decision_errors

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCAN_KINDS = ("pdf", "jpg", "png")


class _MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = obj.full_name
        if obj.user_id is not None:
            label += " (есть вход в систему — отвечает сам)"
        return label


class PaperEvidenceForm(forms.Form):
    """What backs every paper decision: the date on the form and the scan or the note that the
    original stays with the curator. A subclass adds ``person`` (and the decision itself)."""

    decided_on = forms.DateField(
        label="Дата на бланке",
        widget=DATE_WIDGET,
        help_text="Дата, которую участник поставил под решением.",
        error_messages={"required": "Укажите дату на бланке.", "invalid": "Введите дату."},
    )
    scan = CheckedFileField(
        kinds=SCAN_KINDS,
        what="Скан или фото подписанного бланка",
        noun="скан",
        rename="paper",
        label="Скан подписанного бланка",
        required=False,
    )
    original_with_curator = forms.BooleanField(
        label="Оригинал хранится у куратора",
        required=False,
        help_text="Отметьте, если скана нет: бумажный бланк с подписью хранится у вас.",
    )

    def paper_errors(self) -> dict[str, str]:
        data = self.cleaned_data
        return paper_decision_errors(
            person=data.get("person"),
            decided_on=data.get("decided_on"),
            scan=data.get("scan"),
            original_with_curator=data.get("original_with_curator", False),
        )

    def clean(self):
        data = super().clean()
        for field, message in self.paper_errors().items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    @property
    def evidence(self) -> dict:
        """The keyword arguments of the paper services."""
        data = self.cleaned_data
        return {
            "person": data["person"],
            "decided_on": data["decided_on"],
            "scan": data.get("scan"),
            "original_with_curator": data["original_with_curator"],
        }


def members_choice_field(**kwargs) -> forms.ModelChoiceField:
    return _MemberChoiceField(
        label="Участник",
        queryset=Person.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": "Выберите участника, который ещё не ответил.",
            "required": "Выберите участника.",
        },
        **kwargs,
    )


class PaperGroupResponseForm(PaperEvidenceForm):
    """The answer to a pair's proposal (п. 6.2), recorded from the signed form."""

    CONFIRM, DECLINE = "confirm", "decline"

    person = members_choice_field()
    decision = forms.ChoiceField(
        label="Решение на бланке",
        choices=[(CONFIRM, "Согласие участвовать"), (DECLINE, "Отказ от участия")],
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите решение, отмеченное на бланке."},
    )
    comment = forms.CharField(
        label="Комментарий или причина отказа с бланка",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="При отказе обязателен: перепишите причину с бланка.",
    )
    field_order = ["person", "decision", "decided_on", "scan", "original_with_curator"]

    def __init__(self, *args, group: MentoringGroup, **kwargs):
        super().__init__(*args, **kwargs)
        # Every member who has not answered: one with a login gets a message, not a silent
        # «no such choice».
        self.fields["person"].queryset = Person.objects.filter(
            memberships__group=group,
            memberships__left_on__isnull=True,
            memberships__response=GroupMember.Response.PENDING,
        ).order_by("user", "last_name", "first_name")

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DECLINE and not data.get("comment", "").strip():
            self.add_error("comment", "При отказе перепишите причину с бланка.")
        return data

    @property
    def confirm(self) -> bool:
        return self.cleaned_data["decision"] == self.CONFIRM


class PaperAcquaintanceForm(PaperEvidenceForm):
    """A person named under «С приказом ознакомлены» signed the printed order."""

    person = members_choice_field()
    field_order = ["person", "decided_on", "scan", "original_with_curator"]

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = order.paper_decisions.filter(kind=PaperDecision.Kind.ORDER_ACQUAINTANCE)
        self.fields["person"].queryset = order.acquainted.exclude(
            pk__in=recorded.values("person_id")
        ).order_by("user", "last_name", "first_name")
