from django.contrib import admin

from thidua.periods.models import DueDate, Period


class DueDateInline(admin.TabularInline):
    model = DueDate
    extra = 0


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "criteria_version", "submission_deadline", "state"]
    list_filter = ["state", "year"]
    inlines = [DueDateInline]
