"""The empty choice of every select reads «— выберите —», not Django's «---------» (issue 19)."""

import pytest
from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.template import Context, Template

from mentoring_site.lib.forms import EMPTY_CHOICE
from registry.models import Consent, Position

pytestmark = pytest.mark.django_db


class ChoiceForm(forms.Form):
    position = forms.ModelChoiceField(queryset=Position.objects.all(), required=False)
    kind = forms.ChoiceField(choices=[*BLANK_CHOICE_DASH, *Consent.Kind.choices], required=False)


class ConsentKindForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["kind"]


def test_a_select_offers_a_clear_empty_choice():
    html = str(ChoiceForm())
    assert html.count(f'<option value="" selected>{EMPTY_CHOICE}</option>') == 2
    assert "---------" not in html


def test_a_crispy_form_and_a_model_form_too():
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}{{ model_form }}").render(
        Context({"form": ChoiceForm(), "model_form": ConsentKindForm()})
    )
    assert EMPTY_CHOICE in html
    assert "---------" not in html


def test_a_chosen_value_stays_chosen():
    form = ChoiceForm(data={"kind": Consent.Kind.MENTORING})
    assert form.is_valid(), form.errors
    assert f'value="{Consent.Kind.MENTORING}" selected' in str(form["kind"])
