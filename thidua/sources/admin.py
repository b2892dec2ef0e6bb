from django.contrib import admin

from thidua.sources.models import SourceImport


@admin.register(SourceImport)
class SourceImportAdmin(admin.ModelAdmin):
    """Read-only: imports are made and decided on the import pages, which keep the rules."""

    list_display = ("uploaded_at", "period", "source", "file_name", "row_count", "status")
    list_filter = ("period", "status", "source")
    search_fields = ("source", "file_name", "sha256")
    exclude = ("rows",)  # up to 200 000 rows: shown on the import's page, not here

    def get_queryset(self, request):
        return super().get_queryset(request).defer("rows")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was imported, by whom, stays
