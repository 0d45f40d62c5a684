"""The form of a council meeting (п. 3.4): the date and the agenda first, the people, then what
was heard and decided, filled in after the meeting. The form validates; the service
(``registry.services.council.meeting_save``) assigns the year, numbers the minutes by date and
decides whether the decisions are required yet."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from mentoring_site.lib.versions import VersionedFormMixin
from registry.forms.orders import DATE_WIDGET
from registry.forms.orders import PersonChoiceField as PeopleChoiceField
from registry.models import CouncilMeeting, Person
from registry.services.council import MEETING_FIELDS


class PersonChoiceField(forms.ModelChoiceField):
    """One person, named as in the order's list of people: «Иванова Анна Сергеевна, воспитатель»."""

    label_from_instance = PeopleChoiceField.label_from_instance


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    version_fields = MEETING_FIELDS

    attendees = PeopleChoiceField(
        label="Члены совета",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Отметьте, кто из членов совета и кураторов присутствовал.",
    )
    other_attendees = PeopleChoiceField(
        label="Другие сотрудники",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-searchable": "true"}),
        help_text="Если присутствовали сотрудники не из состава совета: выберите их "
        "(несколько — с клавишей Ctrl).",
    )

    class Meta:
        model = CouncilMeeting
        fields = [
            "held_on",
            "agenda",
            "chair",
            "secretary",
            "invited",
            "discussion",
            "decisions",
        ]
        widgets = {
            "held_on": DATE_WIDGET,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "invited": forms.TextInput(),
            "discussion": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"chair": PersonChoiceField, "secretary": PersonChoiceField}
        labels = {
            "agenda": "Повестка дня",
            "discussion": "Слушали, выступили",
            "decisions": "Решили",
            "invited": "Приглашённые",
        }
        help_texts = {
            "agenda": "Каждый вопрос — с новой строки, номера проставятся сами.",
            "invited": "Кто ещё был на заседании, например: «Сидорова Е. П., "
            "педагог-психолог ГБДОУ № 12».",
            "discussion": "Кого слушали по каждому вопросу и кто выступил. "
            "Заполните после заседания.",
            "decisions": "Каждое решение — с новой строки, номера проставятся сами. Пока "
            "заседание впереди, можно оставить пустым; после заседания решения обязательны.",
        }
        error_messages = {
            "held_on": {
                "required": "Укажите дату заседания.",
                "invalid": "Дата в виде 24.11.2026.",
            },
            "agenda": {"required": "Напишите повестку дня: хотя бы один вопрос."},
        }

    def __init__(self, *args, institution, members, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        working = (
            Person.objects.filter(institution=institution)
            .filter(Q(dismissed_on__isnull=True) | Q(dismissed_on__gt=today))
            .select_related("position")
        )
        if self.instance.pk:
            # People of an earlier meeting stay choosable even if they have left since.
            kept = [self.instance.chair_id, self.instance.secretary_id]
            working = Person.objects.filter(institution=institution).filter(
                Q(pk__in=working.values("pk"))
                | Q(council_meetings=self.instance)
                | Q(pk__in=[pk for pk in kept if pk])
            )
            working = working.select_related("position").distinct()
        member_ids = set(members.values_list("pk", flat=True))
        self.fields["attendees"].queryset = working.filter(pk__in=member_ids)
        self.fields["other_attendees"].queryset = working.exclude(pk__in=member_ids)
        # п. 3.4: the chair and the secretary are of the council's composition (a meeting
        # saved before keeps its own even if they have left it); nobody anonymized.
        kept = [pk for pk in (self.instance.chair_id, self.instance.secretary_id) if pk]
        council = working.filter(Q(pk__in=member_ids) | Q(pk__in=kept)).filter(
            anonymized_on__isnull=True
        )
        for name in ("chair", "secretary"):
            self.fields[name].queryset = council
            self.fields[name].empty_label = "не указан"
        self.fields[
            "chair"
        ].help_text = "Из состава совета (п. 3.4): обычно — председатель совета или куратор."
        if self.instance.pk:
            chosen = set(self.instance.attendees.values_list("pk", flat=True))
            self.initial["attendees"] = [pk for pk in chosen if pk in member_ids]
            self.initial["other_attendees"] = [pk for pk in chosen if pk not in member_ids]

    def clean_agenda(self):
        agenda = self.cleaned_data["agenda"].strip()
        if not agenda:
            raise forms.ValidationError("Напишите повестку дня: хотя бы один вопрос.")
        return agenda

    def chosen_attendees(self) -> list[Person]:
        return list(self.cleaned_data["attendees"]) + list(self.cleaned_data["other_attendees"])
