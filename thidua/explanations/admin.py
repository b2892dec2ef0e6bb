from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.explanations.models import Explanation, ExplanationAttachment


class AttachmentInline(admin.TabularInline):
    model = ExplanationAttachment
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Explanation)
class ExplanationAdmin(SimpleHistoryAdmin):
    """Read-only: explanations are filed and answered through the site's services."""

    list_display = ["assessment", "criterion_code", "status", "filed_at", "answered_at"]
    list_filter = ["status", "assessment__period"]
    search_fields = ["assessment__unit__code", "assessment__unit__name", "criterion_code"]
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
