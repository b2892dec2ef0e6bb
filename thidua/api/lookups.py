"""Objects named in API paths and queries, or a 404 with the standard body.

Periods, criteria, levels and unit kinds are not secret; units are looked up through the
caller's scope by the access helpers (thidua.accounts.scope, thidua.assessments.access).
"""

from __future__ import annotations

from thidua.api.errors import ApiError
from thidua.periods.models import Period
from thidua.units.models import Level, Unit, UnitKind


def get_period(code: str) -> Period:
    period = (
        Period.objects.select_related("criteria_version__criteria_set").filter(code=code).first()
    )
    if period is None:
        raise ApiError(404, f"Không có kỳ đánh giá '{code}'")
    return period


def get_level(code: str) -> Level:
    level = Level.objects.filter(code=code).first()
    if level is None:
        codes = ", ".join(Level.objects.values_list("code", flat=True))
        raise ApiError(404, f"Không có cấp '{code}' (các cấp: {codes})")
    return level


def get_kind(code: str, level: Level | None = None) -> UnitKind:
    kinds = UnitKind.objects.filter(code=code)
    if level is not None:
        kinds = kinds.filter(level=level)
    kind = kinds.first()
    if kind is None:
        raise ApiError(404, f"Không có loại đơn vị '{code}'")
    return kind


def get_district(code: str) -> Unit:
    """A unit with communes (districts are public: their names are on every ranking)."""
    district = Unit.objects.filter(code=code, children__isnull=False).distinct().first()
    if district is None:
        raise ApiError(404, f"Không có đơn vị cấp huyện '{code}'")
    return district
