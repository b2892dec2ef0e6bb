from django.contrib import admin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from thidua.accounts.models import Role
from thidua.reviews.models import ReviewComment, SectorAssignment


@admin.register(SectorAssignment)
class SectorAssignmentAdmin(SimpleHistoryAdmin):
    """Administrators assign criteria, per period, to the appraisers of sector bodies."""

    list_display = ["criterion_code", "sector", "reviewer", "period", "created_at"]
    list_filter = ["period", "sector"]
    search_fields = ["criterion_code", "sector", "reviewer__username", "reviewer__last_name"]
    list_select_related = ["period", "reviewer"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["queryset"] = User.objects.filter(membership__role=Role.VIEWER).order_by(
                "username"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ReviewComment)
class ReviewCommentAdmin(SimpleHistoryAdmin):
    """Read only: comments are written on the review pages and kept for the record."""

    list_display = ["assessment", "criterion_code", "author", "created_at", "resolved_at"]
    list_filter = ["assessment__period", "resolved_at"]
    search_fields = ["assessment__unit__code", "assessment__unit__name", "criterion_code", "text"]
    list_select_related = ["assessment__unit__parent", "assessment__period", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
