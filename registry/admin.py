from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from registry import models
from registry.services.name_guard import publication_errors


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "partner_of"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class RoleInline(admin.TabularInline):
    model = models.RoleAssignment
    fk_name = "user"
    fields = ["role", "assigned_at"]
    extra = 0


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "institution", "is_active"]
    list_filter = ["institution", "is_active"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Учреждение", {"fields": ["institution"]}),
    ]
    inlines = [RoleInline]


for reference in (
    models.MentoringForm,
    models.MentoringKind,
    models.Direction,
    models.MenteeCategory,
    models.Position,
):
    admin.site.register(
        reference,
        list_display=["name", "sort_order", "is_active"],
        list_editable=["sort_order", "is_active"],
    )


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "patronymic", "position", "institution"]
    list_filter = ["institution"]
    list_select_related = ["position", "institution"]
    search_fields = ["search_name"]
    raw_id_fields = ["user", "last_reviewed_by"]
    list_per_page = 25


@admin.register(models.Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "given_on", "withdrawn_on"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "recorded_by"]


# The public section «Наставничество» (п. 8.1): edited in the application; here for the
# deployment's superuser, behind the same guard of published texts (152-ФЗ ст. 10.1).
def _guarded_form(texts: list[str], published):
    """An admin form refusing, next to the field, a text of ``texts`` that names someone
    without consent while ``published(cleaned_data)`` (registry.services.name_guard)."""

    class GuardedForm(forms.ModelForm):
        def clean(self):
            data = super().clean()
            institution = data.get("institution") or getattr(self.instance, "institution", None)
            if institution is not None and published(data):
                errors = publication_errors(
                    institution=institution, texts={f: data.get(f) or "" for f in texts}
                )
                for field, message in errors.items():
                    self.add_error(field, message)
            return data

    return GuardedForm


@admin.register(models.PublicSection)
class PublicSectionAdmin(admin.ModelAdmin):
    list_display = ["institution", "is_published", "updated_at"]
    list_filter = ["is_published"]
    form = _guarded_form(["about", "recommendations", "contacts"], lambda data: True)


@admin.register(models.PublicDocument)
class PublicDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "institution", "is_published"]
    list_filter = ["level", "is_published"]
    form = _guarded_form(["title", "note", "text"], lambda data: data.get("is_published"))


@admin.register(models.NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    form = _guarded_form(
        ["title", "text", "image_alt"],
        lambda data: data.get("status") == models.NewsItem.Status.PUBLISHED,
    )
    list_display = ["title", "kind", "status", "published_at", "institution"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["created_by"]
