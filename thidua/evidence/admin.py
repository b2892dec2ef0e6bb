from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from thidua.evidence.models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    """Read-only: evidence changes only through the services (upload, soft removal)."""

    list_display = [
        "criterion_code",
        "assessment",
        "original_name",
        "kind",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
    ]
    list_filter = [
        ("removed_at", admin.EmptyFieldListFilter),
        "kind",
        "assessment__period",
        "assessment__unit__level",
    ]
    search_fields = [
        "criterion_code",
        "original_name",
        "sha256",
        "doc_number",
        "assessment__unit__code",
        "assessment__unit__name",
    ]
    list_select_related = ["assessment__unit", "assessment__period", "uploaded_by"]
    # The stored name is not a URL anyone should follow: files are served by the download
    # view, which checks scope.
    exclude = ["file"]
    readonly_fields = ["download_link"]

    @admin.display(description=_("file"))
    def download_link(self, obj):
        if not obj.has_file:
            return "—"
        url = reverse("evidence:download", args=[obj.uuid])
        return format_html(
            '<a href="{}">{}</a> <code>{}</code>', url, obj.download_name, obj.file.name
        )

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in Evidence._meta.fields if f.name != "file"]
        return [*fields, "download_link"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
