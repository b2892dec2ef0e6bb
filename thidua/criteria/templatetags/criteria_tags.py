from django import template
from django.utils.translation import gettext_lazy as _

from thidua import scoring

register = template.Library()

KIND_LABELS = {
    "deadline": _("On time, minus points per month late"),
    "choice": _("One of the listed options"),
    "ratio": _("Achievement rate against a target"),
    "threshold": _("All or nothing at a threshold"),
    "late_entries": _("Deduction per late data entry"),
    "bands": _("Looked up in a table of ranges"),
    "formula": _("Formula"),
}

STATUS_LABELS = {
    "scored": _("scored"),
    "not_scored": _("not yet scored"),
    "na": _("not applicable"),
    "needs_na": _("needs N/A decision"),
}


@register.filter
def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def score(value, decimals=2) -> str:
    """An exact score (Fraction/Decimal) in Vietnamese format, e.g. 3,79; '—' when absent."""
    if value is None:
        return "—"
    return scoring.format_vi(value, int(decimals))


@register.filter
def points(value) -> str:
    """Points as written in the decision: no trailing zeros (8, 2,5)."""
    if value is None:
        return ""
    return scoring.format_vi(value, 2, trim=True)
