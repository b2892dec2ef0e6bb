from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.assessments.models import Assessment, CriterionEntry


class CriterionEntryInline(admin.TabularInline):
    model = CriterionEntry
    extra = 0
    readonly_fields = ["revision", "updated_at", "updated_by"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "period", "state", "submitted_at"]
    list_filter = ["period", "state", "unit__level"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit__level", "unit__parent", "period"]
    inlines = [CriterionEntryInline]
