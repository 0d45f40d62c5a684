"""The admin of the questionnaires. Responses and answers are left out on purpose: an anonymous
survey's answers are read only in aggregate, on the results page (п. 3.3)."""

from django.contrib import admin

from reports.models import Invitation, Question, QuestionnaireTemplate, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "text", "kind", "required", "choices", "key"]


@admin.register(QuestionnaireTemplate)
class QuestionnaireTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "institution", "purpose", "audience", "is_active"]
    list_filter = ["purpose", "audience", "is_active"]
    inlines = [QuestionInline]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["person", "program", "role", "answered_at", "reminded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "institution",
        "template",
        "anonymous",
        "reason",
        "sent_at",
        "deadline",
    ]
    list_filter = ["anonymous", "reason"]
    raw_id_fields = ["template", "sent_by"]
    filter_horizontal = ["programs"]
    inlines = [InvitationInline]
