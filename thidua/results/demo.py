"""Demo results: grade bands, and an illustrative final 2022 period for year-over-year charts.

No decision text is invented. The 2022 criteria version is a copy of the loaded 2023 version
with two documented differences, labelled "2022 (minh hoạ)":

- T01 (cấp tỉnh) worth 9 points instead of 8,
- T16 (cấp tỉnh) worth 4 points instead of 5,

so the level still totals 100. Its period is final, with finalized assessments of the demo
units (the same seeded generator as the 2023 demo, with other qualities), one N/A criterion
and two verified corrections, and its results are on the public page.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from thidua import scoring
from thidua.assessments.appraisal import (
    accept_self_inputs,
    mark_not_applicable,
    set_verified_inputs,
)
from thidua.assessments.demo import DEMO_UNITS, demo_inputs
from thidua.assessments.models import Assessment
from thidua.assessments.scores import library_level
from thidua.assessments.services import save_self_inputs
from thidua.criteria.models import CriteriaSetVersion, Criterion
from thidua.criteria.services import copy_version, publish_version, scoring_library
from thidua.periods.models import Period
from thidua.periods.services import create_period, due_dates_by_criterion
from thidua.results.models import GradeBand, PublicResults
from thidua.units.models import Unit

VERSION_2022 = "2022 (minh hoạ)"
PERIOD_2022 = "2022"
POINTS_2022 = {("tinh", "T01"): 9, ("tinh", "T16"): 4}
GRADE_BANDS = [("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50)]
# One N/A and two reviewers' corrections, so that the 2022 sheets show what review does.
NOT_APPLICABLE_2022 = {
    "TW-CA": (
        "T15",
        "Hệ thống thông tin của đơn vị do Bộ chủ quản quản lý, không thuộc diện phê duyệt "
        "cấp độ tại tỉnh (dữ liệu minh hoạ)",
    )
}
CORRECTED_2022 = ("SO-YT", "946")


def ensure_grade_bands(period: Period) -> None:
    for name, min_total in GRADE_BANDS:
        GradeBand.objects.get_or_create(
            period=period, name=name, defaults={"min_total": Decimal(min_total)}
        )


def demo_version_2022(version_2023: CriteriaSetVersion) -> CriteriaSetVersion:
    existing = CriteriaSetVersion.objects.filter(
        criteria_set=version_2023.criteria_set, version=VERSION_2022
    ).first()
    if existing is not None:
        return existing
    draft = copy_version(version_2023, VERSION_2022, 2022)
    for (level_code, code), points in POINTS_2022.items():
        criterion = Criterion.objects.get(level__version=draft, level__code=level_code, code=code)
        criterion.points = Decimal(points)
        criterion.save()
    return publish_version(draft)


def _quality_2022(code: str, quality_2023: float) -> float:
    """Most units did a little worse in 2022; a few did better."""
    rng = random.Random(f"2022-quality-{code}")  # noqa: S311 — demo data, not security
    return min(0.99, max(0.35, quality_2023 + rng.uniform(-0.18, 0.06)))


def _finalized_assessment(period, unit, quality, admin_user, library, due_by_code):
    assessment = Assessment.objects.create(period=period, unit=unit)
    rng = random.Random(f"2022-{unit.code}")  # noqa: S311 — demo data, not security
    level = library_level(library, unit.level.code)
    for criterion in level.criteria:
        inputs = demo_inputs(criterion, rng, quality, due_by_code.get(criterion.code, {}))
        save_self_inputs(
            assessment=assessment,
            criterion_code=criterion.code,
            inputs=inputs,
            user=admin_user,
            reason="demo",
        )
    assessment.state = Assessment.State.SUBMITTED
    assessment.submitted_at = datetime.datetime(
        period.year, rng.choice([11, 12, 12]), rng.randint(1, 14), 9, 30, tzinfo=datetime.UTC
    )
    assessment.submitted_by = admin_user
    assessment.save(update_fields=["state", "submitted_at", "submitted_by"])
    not_applicable = NOT_APPLICABLE_2022.get(unit.code)
    corrected = unit.code in CORRECTED_2022
    for criterion in level.criteria:
        if not_applicable and criterion.code == not_applicable[0]:
            mark_not_applicable(
                assessment=assessment,
                criterion_code=criterion.code,
                user=admin_user,
                reason=not_applicable[1],
            )
            continue
        entry = assessment.entries.get(criterion_code=criterion.code)
        rate = (entry.self_inputs or {}).get("rate")
        if corrected and criterion.kind == "ratio" and rate is not None:
            lower = max(scoring.to_fraction(rate) - 7, 0)
            set_verified_inputs(
                assessment=assessment,
                criterion_code=criterion.code,
                inputs={"rate": scoring.format_vi(lower, 1, trim=True)},
                user=admin_user,
                reason="Số liệu trên Cổng Dịch vụ công tỉnh thấp hơn số đơn vị tự báo cáo "
                "(dữ liệu minh hoạ)",
                source="Cổng DVC tỉnh",
            )
            corrected = False  # one correction per unit
            continue
        accept_self_inputs(assessment=assessment, criterion_code=criterion.code, user=admin_user)
    assessment.state = Assessment.State.FINALIZED
    assessment._change_reason = "demo: chốt kết quả kỳ minh hoạ 2022"
    assessment.save(update_fields=["state"])
    return assessment


@transaction.atomic
def load_demo_2022(admin_user) -> Period | None:
    """Grade bands for the 2023 demo period, and the final 2022 period. Idempotent.

    Returns the 2022 period, or None when there is no 2023 period to copy from.
    """
    period_2023 = (
        Period.objects.filter(code="2023").select_related("criteria_version__criteria_set").first()
    )
    if period_2023 is None:
        return None
    ensure_grade_bands(period_2023)
    version = demo_version_2022(period_2023.criteria_version)
    period = Period.objects.filter(code=PERIOD_2022).first()
    if period is None:
        period = create_period(
            year=2022,
            criteria_version=version,
            code=PERIOD_2022,
            name="Thi đua Chuyển đổi số năm 2022 (minh hoạ)",
        )
    ensure_grade_bands(period)
    library = scoring_library(version)
    due_by_code = due_dates_by_criterion(period)
    existing = set(Assessment.objects.filter(period=period).values_list("unit__code", flat=True))
    units = Unit.objects.select_related("level").filter(code__in=DEMO_UNITS)
    for unit in units.order_by("code"):
        if unit.code not in existing:
            quality = _quality_2022(unit.code, DEMO_UNITS[unit.code])
            _finalized_assessment(period, unit, quality, admin_user, library, due_by_code)
    if period.state not in (Period.State.FINAL, Period.State.ARCHIVED):
        period.state = Period.State.FINAL
        period.explanation_until = datetime.date(2023, 1, 31)
        period._change_reason = "demo: kỳ minh hoạ 2022 đã chốt kết quả"
        period._history_user = admin_user
        period.save()
    PublicResults.objects.get_or_create(
        period=period,
        defaults={"enabled": True, "enabled_by": admin_user, "enabled_at": period.created_at},
    )
    return period
