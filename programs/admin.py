from django.contrib import admin

from programs.models import (
    CalendarFeed,
    EventForm,
    Evidence,
    Meeting,
    Program,
    ProgramChange,
    ProgramComment,
    ProgramEvent,
    TermChange,
    TypicalEvent,
)


@admin.register(EventForm)
class EventFormAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]


@admin.register(TypicalEvent)
class TypicalEventAdmin(admin.ModelAdmin):
    list_display = ["title", "direction", "form", "week", "for_mentee", "is_active"]
    list_filter = ["direction", "is_active"]


class ProgramEventInline(admin.TabularInline):
    model = ProgramEvent
    fields = ["direction", "title", "form", "deadline", "responsible", "status"]
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "start", "end"]
    list_filter = ["status"]
    raw_id_fields = ["group", "created_by", "approved_by"]
    inlines = [ProgramEventInline]


@admin.register(ProgramEvent)
class ProgramEventAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "deadline", "status"]
    list_filter = ["status"]
    raw_id_fields = ["program"]


admin.site.register(Evidence)
admin.site.register(ProgramComment)
admin.site.register(ProgramChange)
admin.site.register(TermChange)
admin.site.register(Meeting)
admin.site.register(CalendarFeed)
