from django.contrib import admin

from thidua.units.models import Level, Unit, UnitKind


class UnitKindInline(admin.TabularInline):
    model = UnitKind
    extra = 0


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "import_code", "order", "parent_level"]
    inlines = [UnitKindInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["level", "kind", "parent"]
    autocomplete_fields = ["parent"]
