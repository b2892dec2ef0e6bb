from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.admin_mixins import ReadOnlyAdminMixin
from thidua.awards.models import AwardProposal, ProposalItem, ProposalRule

# Proposals change only through the services (numbering, reasons, history).


class RuleInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProposalRule
    fields = ["level", "kind", "value", "grade_name"]


class ItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProposalItem
    fields = ["unit", "level", "rank", "total", "source", "manual_reason", "removed"]
    fields += ["removed_reason"]


@admin.register(AwardProposal)
class AwardProposalAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "period", "award_form", "status", "created_by", "created_at"]
    list_filter = ["status", "period", "year"]
    inlines = [RuleInline, ItemInline]


@admin.register(ProposalItem)
class ProposalItemAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["proposal", "unit", "rank", "total", "source", "removed"]
    list_filter = ["source", "removed", "proposal__period"]
    search_fields = ["unit__code", "unit__name"]
