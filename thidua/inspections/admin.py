from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.inspections.models import InspectionResult, InspectionSample


class ResultInline(admin.TabularInline):
    model = InspectionResult
    extra = 0
    can_delete = False
    fields = ["unit", "status", "result", "inspected_on", "inspector"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InspectionSample)
class InspectionSampleAdmin(admin.ModelAdmin):
    """Read-only: a draw is never edited (its seed would no longer explain its units)."""

    list_display = ["period", "drawn_at", "size", "level", "submitted_only", "seed", "drawn_by"]
    list_filter = ["period"]
    inlines = [ResultInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionResult)
class InspectionResultAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "sample", "status", "inspected_on", "inspector"]
    list_filter = ["status", "sample__period"]
    search_fields = ["unit__code", "unit__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
