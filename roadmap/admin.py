from django.contrib import admin

from roadmap.models import Activity, Roadmap, RoadmapChange, RoadmapVersion, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["institution", "year_start", "status", "order"]
    list_filter = ["status"]
    inlines = [StageInline]
    raw_id_fields = ["order", "created_by"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "deadline", "status", "measure"]
    list_filter = ["status", "measure"]
    raw_id_fields = ["stage", "responsible", "evidence_order", "done_by"]


@admin.register(RoadmapVersion)
class RoadmapVersionAdmin(admin.ModelAdmin):
    list_display = ["roadmap", "number", "order", "approved_at"]
    raw_id_fields = ["roadmap", "order"]


@admin.register(RoadmapChange)
class RoadmapChangeAdmin(admin.ModelAdmin):
    list_display = ["roadmap", "made_at", "what", "reason"]
    raw_id_fields = ["roadmap", "made_by"]
