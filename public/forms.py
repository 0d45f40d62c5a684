"""Forms of the public section's editing pages (the curator and the sysadmin, п. 8.1)."""

from django import forms
from django.utils import timezone

from mentoring_site.lib.uploads import CheckedFileField
from mentoring_site.lib.versions import VersionedFormMixin
from public.services import DOCUMENT_FIELDS, NEWS_FIELDS, RESERVED_SLUGS
from registry.models import NewsItem, Organization, PublicDocument, PublicSection

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SlugForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["public_slug"]

    def clean_public_slug(self):
        slug = (self.cleaned_data.get("public_slug") or "").strip().lower()
        if not slug:
            return None
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError("Этот адрес занят разделом сайта: выберите другой.")
        if not slug.isascii():
            raise forms.ValidationError("Только латинские буквы, цифры и дефис.")
        return slug


class SectionSettingsForm(forms.ModelForm):
    class Meta:
        model = PublicSection
        fields = ["is_published", "contact_position", "contact_email", "contact_phone"]
        help_texts = {
            "contact_email": "Появится на странице «Куратор»; e-mail из банка не показывается.",
            "contact_phone": "Появится на странице «Куратор»; телефон из банка не показывается.",
        }


PAGE_FIELDS = {
    "about": "О системе наставничества",
    "recommendations": "Методические рекомендации",
    "contacts": "Куратор: как связаться",
}


# A Markdown text: static/js/markdown-toolbar.js puts its buttons above such a field.
MARKDOWN_ATTRS = {"data-markdown-toolbar": ""}


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    """A text of the section: two editors at once, the second save is refused."""


def section_text_form(page: str):
    """A form of one text of the section (``about``, ``recommendations``, ``contacts``)."""
    return forms.modelform_factory(
        PublicSection,
        form=VersionedModelForm,
        fields=[page],
        widgets={page: forms.Textarea(attrs={"rows": 16, **MARKDOWN_ATTRS})},
    )


class DocumentForm(VersionedFormMixin, forms.ModelForm):
    version_fields = DOCUMENT_FIELDS

    file = CheckedFileField(
        kinds=("pdf", "docx"),
        what="Документ",
        noun="документ",
        rename="document",
        required=False,
        label="Файл",
    )

    link = forms.URLField(
        label="Ссылка",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Например, на официальное опубликование: publication.pravo.gov.ru.",
    )

    class Meta:
        model = PublicDocument
        fields = ["level", "title", "note", "file", "link", "text", "is_published", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "position": "Чем меньше число, тем выше документ в списке.",
        }


class NewsForm(VersionedFormMixin, forms.ModelForm):
    version_fields = NEWS_FIELDS

    image = CheckedFileField(
        kinds=("jpg", "png"),
        what="Картинка",
        noun="изображение",
        rename="image",
        required=False,
        label="Изображение",
    )

    class Meta:
        model = NewsItem
        fields = [
            "kind",
            "title",
            "text",
            "image",
            "image_alt",
            "photo_consents_confirmed",
            "status",
            "published_at",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 12, **MARKDOWN_ATTRS}),
            "published_at": DATETIME_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]
        if not self.instance.pk:
            self.initial.setdefault("published_at", timezone.localtime().replace(second=0))
