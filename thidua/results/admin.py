from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from thidua.results.models import GradeBand, PublicResults


@admin.register(GradeBand)
class GradeBandAdmin(admin.ModelAdmin):
    """Grade bands of a period: a unit gets the highest band whose lower bound it reaches."""

    list_display = ["period", "name", "min_total"]
    list_filter = ["period"]
    ordering = ["period", "-min_total"]


@admin.register(PublicResults)
class PublicResultsAdmin(SimpleHistoryAdmin):
    """The public page of a period's final results; who switched it and when is recorded."""

    list_display = ["period", "enabled", "enabled_by", "enabled_at"]
    readonly_fields = ["enabled_by", "enabled_at"]

    def save_model(self, request, obj, form, change):
        if "enabled" in form.changed_data or not change:
            obj.enabled_by = request.user
            obj.enabled_at = timezone.now()
        super().save_model(request, obj, form, change)
