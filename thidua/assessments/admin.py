from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.admin_mixins import ReadOnlyAdminMixin
from thidua.assessments.models import Assessment, CriterionEntry

# Assessments and their entries change only through the workflow (history, stored scores,
# mails); never deleted either: the rankings' page cache relies on it.


class CriterionEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CriterionEntry
    extra = 0
    fields = readonly_fields = [
        "criterion_code",
        "self_inputs",
        "revision",
        "updated_at",
        "updated_by",
    ]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "period", "state", "submitted_at"]
    list_filter = ["period", "state", "unit__level"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit__level", "unit__parent", "period"]
    inlines = [CriterionEntryInline]
