from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.periods.models import DueDate, Extension, Period


class DueDateInline(admin.TabularInline):
    model = DueDate
    extra = 0


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    """The state moves only through thidua.periods.transitions (checks, mails, history)."""

    list_display = ["code", "name", "year", "criteria_version", "submission_deadline", "state"]
    list_filter = ["state", "year"]
    readonly_fields = ["state"]
    inlines = [DueDateInline]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    """Extensions are granted here by administrators; who and when are recorded."""

    list_display = ["unit", "period", "until", "granted_by", "granted_at"]
    list_filter = ["period"]
    search_fields = ["unit__code", "unit__name", "reason"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        obj.granted_by = request.user
        super().save_model(request, obj, form, change)
