"""Forms of the pair and group workflow (п. 6.1, п. 6.2) and of petitions (п. 4.1, п. 5.1).

The forms validate and normalise; the services in ``registry.services.groups`` decide
(capacity, consents, the banks) and list every reason of a refusal.
"""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from mentoring_site.lib.forms import limit_to_institution
from mentoring_site.lib.versions import STALE_MESSAGE
from registry.models import (
    Difficulty,
    Direction,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    Person,
    Petition,
    Role,
    User,
)
from registry.services.groups import Proposal, correction_version, mentee_load, term_error

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _person_label(person: Person) -> str:
    """«Петрова Мария Ивановна — воспитатель»."""
    if person.position_id:
        return f"{person.full_name} — {person.position.name}"
    return person.full_name


def _user_label(user: User) -> str:
    person = getattr(user, "person", None)
    return person.full_name if person is not None else str(user)


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class _PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class _MentorChoiceField(forms.ModelChoiceField):
    """A mentor of the bank with their free places: «… — воспитатель (свободно 1 из 2)»."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load = {}  # {person id: mentees now}, from services.groups.mentee_load

    def label_from_instance(self, obj):
        capacity = obj.mentor_profile.capacity
        free = max(capacity - self.load.get(obj.pk, 0), 0)
        return f"{_person_label(obj)} (свободно {free} из {capacity})"


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


def mentor_bank(institution):
    return Person.objects.filter(
        institution=institution, mentor_profile__isnull=False
    ).select_related("position", "mentor_profile")


def mentee_bank(institution):
    return Person.objects.filter(
        institution=institution, mentee_profile__isnull=False
    ).select_related("position")


def curators(institution):
    return User.objects.filter(
        institution=institution, is_active=True, role_assignments__role=Role.CURATOR
    ).select_related("person")


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class GroupProposalForm(forms.Form):
    """The curator or a council member proposes a pair or a group."""

    mentor = _MentorChoiceField(
        label="Наставник",
        queryset=Person.objects.none(),
        help_text="Из банка наставников; в скобках — сколько наставляемых он может ещё взять.",
        error_messages={"required": "Выберите наставника."},
    )
    co_mentors = _PeopleChoiceField(
        label="Соруководители",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-searchable": "true"}),
        help_text="Если с группой работают несколько наставников. Можно не выбирать.",
    )
    mentees = _PeopleChoiceField(
        label="Наставляемые",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"data-searchable": "true"}),
        help_text="Один наставляемый — пара, несколько — группа. Чтобы выбрать нескольких, "
        "удерживайте Ctrl (на Mac — Cmd).",
        error_messages={"required": "Выберите хотя бы одного наставляемого."},
    )
    form = forms.ModelChoiceField(
        label="Форма наставничества",
        queryset=MentoringForm.objects.filter(is_active=True),
        help_text="п. 2.3 Положения.",
        error_messages={"required": "Выберите форму наставничества."},
    )
    extra_forms = forms.ModelMultipleChoiceField(
        label="Также используются формы",
        queryset=MentoringForm.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="п. 2.3 Положения: формы используются и в комплексе. Можно не отмечать.",
    )
    kinds = forms.ModelMultipleChoiceField(
        label="Виды наставничества",
        queryset=MentoringKind.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="п. 2.4 Положения: можно несколько.",
        error_messages={"required": "Отметьте хотя бы один вид наставничества."},
    )
    directions = forms.ModelMultipleChoiceField(
        label="Направления",
        queryset=Direction.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="По каким затруднениям наставляемого пара будет работать (Приложение 1).",
        error_messages={"required": "Отметьте хотя бы одно направление."},
    )
    planned_start = forms.DateField(label="Начало", widget=DATE_WIDGET)
    planned_end = forms.DateField(
        label="Окончание",
        widget=DATE_WIDGET,
        help_text="Срок — от 3 месяцев до 1 года (п. 1.2 Положения).",
    )
    curator = _UserChoiceField(
        label="Куратор",
        queryset=User.objects.none(),
        error_messages={"required": "Выберите куратора."},
    )
    rationale = forms.CharField(
        label="Обоснование подбора",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=MentoringGroup._meta.get_field("rationale").help_text,
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        mentors = mentor_bank(institution)
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].load = mentee_load(mentors.values("pk"))
        self.fields["co_mentors"].queryset = mentor_bank(institution)
        self.fields["mentees"].queryset = mentee_bank(institution)
        self.fields["curator"].queryset = curators(institution)
        limit_to_institution(self, institution)

    @classmethod
    def initial_for(cls, query, *, institution, user) -> dict:
        """The initial data from ``?mentor=<person id>&mentee=<person id>`` (ids only) and
        the mentee's requests: their directions, preferred form and kinds."""
        today = timezone.localdate()
        initial = {"planned_start": today}
        first_form = MentoringForm.objects.visible_to(institution).filter(is_active=True).first()
        if first_form is not None:
            initial["form"] = first_form.pk
        if curators(institution).filter(pk=user.pk).exists():
            initial["curator"] = user.pk
        mentor_id = _int_or_none(query.get("mentor"))
        if mentor_id and mentor_bank(institution).filter(pk=mentor_id).exists():
            initial["mentor"] = mentor_id
        # ?mentee=<id>&mentee=<id2>… — the matching page proposes a group of similar mentees.
        mentee_ids = [i for i in (_int_or_none(v) for v in query.getlist("mentee")) if i]
        mentees = list(
            mentee_bank(institution)
            .filter(pk__in=mentee_ids)
            .select_related("mentee_profile")
            .order_by("pk")
        )
        if mentees:
            profiles = [m.mentee_profile for m in mentees]
            initial["mentees"] = [m.pk for m in mentees]
            initial["directions"] = sorted(
                set(
                    Difficulty.objects.filter(
                        mentee__in=profiles, direction__is_active=True
                    ).values_list("direction_id", flat=True)
                )
            )
            first = profiles[0]
            initial["kinds"] = list(
                first.preferred_kinds.filter(is_active=True).values_list("pk", flat=True)
            )
            if len(mentees) > 1:
                group_kind = (
                    MentoringKind.objects.shared().filter(name="в группе", is_active=True).first()
                )
                if group_kind is not None and group_kind.pk not in initial["kinds"]:
                    initial["kinds"].append(group_kind.pk)
            preferred_form = first.preferred_forms.filter(is_active=True).first()
            if preferred_form is not None:
                initial["form"] = preferred_form.pk
        return initial

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end:
            error = term_error(start, end)
            if error:
                self.add_error("planned_end", error)
        return data

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        co_mentors = [p for p in data["co_mentors"] if p.pk != data["mentor"].pk]
        return Proposal(
            mentors=[data["mentor"], *co_mentors],
            mentees=list(data["mentees"]),
            form=data["form"],
            kinds=list(data["kinds"]),
            directions=list(data["directions"]),
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            curator=data["curator"],
            rationale=data["rationale"],
            extra_forms=[f for f in data["extra_forms"] if f != data["form"]],
        )


class GroupCorrectionForm(GroupProposalForm):
    """«Исправить»: the same fields as the proposal, filled from the group, with the version
    the editor started from (two editors at once, mentoring_site/lib/versions.py)."""

    why = forms.CharField(
        label="Что и почему исправлено",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Попадёт в историю пары (группы). Если меняются участники или срок, "
        "участников снова попросят подтвердить согласие (п. 6.2).",
    )

    def __init__(self, *args, group: MentoringGroup, **kwargs):
        members = sorted(
            group.active_members, key=lambda m: (m.role != GroupMember.Role.MENTOR, m.pk)
        )
        mentors = [m.person_id for m in members if m.is_mentor]
        kwargs.setdefault(
            "initial",
            {
                "mentor": mentors[0] if mentors else None,
                "co_mentors": mentors[1:],
                "mentees": [m.person_id for m in members if not m.is_mentor],
                "form": group.form_id,
                "extra_forms": [f.pk for f in group.extra_forms.all()],
                "kinds": [k.pk for k in group.kinds.all()],
                "directions": [d.pk for d in group.directions.all()],
                "planned_start": group.planned_start,
                "planned_end": group.planned_end,
                "curator": group.curator_id,
                "rationale": group.rationale,
            },
        )
        super().__init__(*args, institution=group.institution, **kwargs)
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["version"] = correction_version(group)
        # The mentor's own places in this group are hers already.
        own = len([m for m in members if not m.is_mentor])
        for person_id in mentors:
            if person_id in self.fields["mentor"].load:
                self.fields["mentor"].load[person_id] -= own

    def refuse_stale(self, group: MentoringGroup) -> None:
        """Someone corrected the group meanwhile: keep what was typed, take the new version."""
        self.add_error(None, STALE_MESSAGE)
        data = self.data.copy()
        data["version"] = correction_version(group)
        self.data = data


class GroupFilterForm(forms.Form):
    """Filters of the list: choices only, never names (no personal data in URLs)."""

    status = forms.ChoiceField(
        label="Состояние",
        required=False,
        choices=[("", "все")] + MentoringGroup.Status.choices,
    )

    petition = forms.ChoiceField(
        label="Ходатайства",
        required=False,
        choices=[("", "все"), ("submitted", "есть ходатайство, ждёт решения")],
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        if self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["petition"]:
            queryset = queryset.filter(
                Exists(
                    Petition.objects.filter(group=OuterRef("pk"), status=Petition.Status.SUBMITTED)
                )
            )
        return queryset


class ConfirmForm(forms.Form):
    comment = forms.CharField(
        label="Комментарий",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Можно не писать. Например, когда вам удобно встречаться.",
    )


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label="Почему вы отказываетесь",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Участие добровольное (п. 6.2 Положения). Куратор прочтёт ваш комментарий "
        "и подберёт другую пару.",
        error_messages={"required": "Напишите, почему вы отказываетесь."},
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что нужно исправить",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Куратор увидит этот комментарий.",
        error_messages={"required": "Напишите, что нужно исправить."},
    )


class ApproveForm(forms.Form):
    """The number and the date of the order that approves the group (п. 3.2, п. 6.2)."""

    number = forms.CharField(
        label="Номер приказа",
        max_length=20,
        help_text="В формате учреждения, например «94» или «94/1». Предложен следующий "
        "свободный номер этого года.",
        error_messages={"required": "Укажите номер приказа."},
    )
    date = forms.DateField(
        label="Дата приказа",
        widget=DATE_WIDGET,
        error_messages={"required": "Укажите дату приказа."},
    )


class ReplaceMentorForm(forms.Form):
    """The curator proposes a new mentor instead of one of the group's mentors."""

    leaving = forms.ModelChoiceField(
        label="Кого заменить",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Выберите наставника, которого нужно заменить."},
    )
    new_mentor = _MentorChoiceField(
        label="Новый наставник",
        queryset=Person.objects.none(),
        help_text="Из банка наставников; в скобках — сколько наставляемых он может ещё взять.",
        error_messages={"required": "Выберите нового наставника."},
    )

    def __init__(self, *args, group: MentoringGroup, **kwargs):
        super().__init__(*args, **kwargs)
        members = group.active_members
        mentors = [m for m in members if m.is_mentor]
        self.fields["leaving"].queryset = group.members.filter(
            pk__in=[m.pk for m in mentors]
        ).select_related("person__position")
        self.fields["leaving"].label_from_instance = lambda m: _person_label(m.person)
        candidates = mentor_bank(group.institution).exclude(pk__in=[m.person_id for m in members])
        self.fields["new_mentor"].queryset = candidates
        self.fields["new_mentor"].load = mentee_load(candidates.values("pk"))
        if len(mentors) == 1:
            self.initial.setdefault("leaving", mentors[0].pk)


class PetitionForm(forms.Form):
    text = forms.CharField(
        label="Обоснование",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Напишите, почему вы обращаетесь с ходатайством."},
    )

    HELP = {
        Petition.Kind.REPLACE_MENTOR: "Почему вы просите заменить наставника (п. 5.1 Положения). "
        "Куратор и заведующий рассмотрят ходатайство.",
        Petition.Kind.RELIEVE_MENTOR: "Почему вы просите освободить вас от обязанностей "
        "наставника (п. 4.1 Положения). Куратор и заведующий рассмотрят ходатайство.",
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = self.HELP[kind]


class PetitionDecisionForm(forms.Form):
    comment = forms.CharField(
        label="Решение",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="При отказе напишите причину: автор ходатайства её увидит.",
    )


class MediationForm(forms.Form):
    """The outcome of the council's mediation on a petition (п. 3.4)."""

    outcome = forms.ChoiceField(
        label="Итог медиации",
        choices=Petition.Mediation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите итог медиации."},
    )
    text = forms.CharField(
        label="Решение совета",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="О чём договорились стороны, или почему договориться не удалось. Автор "
        "ходатайства и участники пары увидят это на странице пары.",
        error_messages={
            "required": "Напишите решение совета: о чём договорились стороны или почему не удалось."
        },
    )
    meeting = forms.ModelChoiceField(
        label="Заседание совета",
        queryset=None,
        required=False,
        empty_label="без заседания",
        help_text="Если вопрос разбирали на заседании, выберите его: итог будет связан "
        "с протоколом.",
        error_messages={"invalid_choice": "Выберите заседание из списка."},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = str
