from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from thidua import scoring
from thidua.criteria.models import CriteriaLevel, CriteriaSet, CriteriaSetVersion, Criterion
from thidua.criteria.services import copy_version, publish_version


class EditableOnlyWhileDraft:
    """Published versions (possibly used by a period) are read-only in the admin."""

    def _version_of(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self._version_of(obj).is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self._version_of(obj).is_editable:
            return False
        return super().has_delete_permission(request, obj)


class CriteriaLevelInline(admin.TabularInline):
    model = CriteriaLevel
    extra = 0
    fields = ["code", "name", "scale", "order"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_editable

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(CriteriaSetVersion)
class CriteriaSetVersionAdmin(EditableOnlyWhileDraft, admin.ModelAdmin):
    list_display = ["criteria_set", "version", "year", "decision", "status", "published_at"]
    list_filter = ["status", "criteria_set"]
    readonly_fields = ["status", "published_at", "copied_from", "created_at"]
    inlines = [CriteriaLevelInline]
    actions = ["copy_as_new_version", "publish"]

    def _version_of(self, obj):
        return obj

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_new_version(self, request, queryset):
        for version in queryset:
            label = f"{version.year + 1}.1"
            n = 1
            while version.criteria_set.versions.filter(version=label).exists():
                n += 1
                label = f"{version.year + 1}.{n}"
            copy = copy_version(version, label, version.year + 1)
            self.message_user(request, _("Created draft %(v)s.") % {"v": copy})

    @admin.action(description=_("Publish (after validating the whole set)"))
    def publish(self, request, queryset):
        for version in queryset:
            if not version.is_editable:
                self.message_user(
                    request, _("%(v)s is already published.") % {"v": version}, messages.WARNING
                )
                continue
            try:
                publish_version(version)
            except scoring.LibraryError as exc:
                self.message_user(
                    request,
                    _("%(v)s was not published: %(problems)s")
                    % {"v": version, "problems": "; ".join(exc.problems)},
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("Published %(v)s.") % {"v": version})


@admin.register(Criterion)
class CriterionAdmin(EditableOnlyWhileDraft, admin.ModelAdmin):
    list_display = ["code", "level", "points", "points_confirmed", "kind", "evidence_required"]
    list_filter = ["level__version", "level__code", "kind", "points_confirmed"]
    search_fields = ["code", "content"]
    list_select_related = ["level__version__criteria_set"]

    def _version_of(self, obj):
        return obj.level.version
