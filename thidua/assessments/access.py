"""Access helpers for assessments: the only way views reach an assessment."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.accounts.scope import can_see_unit, visible_units
from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.units.models import Unit


@dataclass(frozen=True)
class AssessmentAccess:
    assessment: Assessment
    can_view: bool = True


def get_assessment_for_user(user, period_code: str, unit_code: str) -> AssessmentAccess:
    """The assessment of a unit in a period, or 404 when the caller's scope does not cover it.

    404 rather than 403 so that an outsider cannot learn which units exist in a period.
    """
    period = get_object_or_404(Period, code=period_code)
    unit = get_object_or_404(Unit.objects.select_related("level", "parent"), code=unit_code)
    if not can_see_unit(user, unit):
        raise Http404("Không tìm thấy bản đánh giá")
    assessment = (
        Assessment.objects.select_related("period__criteria_version__criteria_set")
        .filter(period=period, unit=unit)
        .first()
    )
    if assessment is None:
        # Reading never creates rows: an untouched assessment is shown as an empty draft.
        assessment = Assessment(period=period, unit=unit)
    return AssessmentAccess(assessment=assessment)


def assessments_for_user(user, period: Period):
    return Assessment.objects.filter(period=period, unit__in=visible_units(user))
