"""Access helpers for assessments: the only way views and the API reach an assessment.

Each returns the object and what the caller may do with it. A caller whose scope does not
cover the unit gets 404 (not 403), so an outsider cannot learn which units exist; a caller
who may see but not do gets 403 from the view that checks the flag.
"""

import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.accounts.models import Role
from thidua.accounts.scope import can_see_unit, membership_of, role_of, visible_units
from thidua.assessments.models import Assessment
from thidua.joined_read import JoinedRead
from thidua.periods.models import Period
from thidua.periods.services import period_or_404
from thidua.units.models import Unit


@dataclass(frozen=True)
class AssessmentAccess:
    assessment: Assessment
    role: str | None
    is_own_unit: bool
    can_edit: bool
    can_submit: bool

    @property
    def can_view(self) -> bool:
        return True

    @property
    def can_download_evidence(self) -> bool:
        return True

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied("Bạn không được sửa bản đánh giá này")

    def require_submit(self) -> None:
        if not self.can_submit:
            raise PermissionDenied("Chỉ thủ trưởng đơn vị được nộp bản đánh giá")


def _access(user, assessment: Assessment) -> AssessmentAccess:
    role = role_of(user)
    membership = membership_of(user)
    own = (
        role in (Role.UNIT_EDITOR, Role.UNIT_HEAD)
        and membership is not None
        and membership.unit_id == assessment.unit_id
    )
    editable = (
        own
        and assessment.state == Assessment.State.DRAFT
        and assessment.period.state == Period.State.OPEN
    )
    return AssessmentAccess(
        assessment=assessment,
        role=role,
        is_own_unit=own,
        can_edit=editable,
        can_submit=editable and role == Role.UNIT_HEAD,
    )


def get_assessment_for_user(
    user, period_code: str, unit_code: str, *, create: bool = False
) -> AssessmentAccess:
    """The assessment of a unit in a period, or 404 when the caller's scope does not cover it.

    Reading never creates rows: an untouched assessment is an unsaved empty draft, unless
    `create` is set (by views that write).
    """
    if not create:
        # The usual case: the assessment exists (see _assessment_by_codes).
        found = _assessment_by_codes().first(period_code, unit_code)
        if found is not None:
            if not can_see_unit(user, found.unit):
                raise Http404("Không tìm thấy bản đánh giá")
            return _access(user, found)
    period = period_or_404(period_code)
    unit = get_object_or_404(Unit.objects.select_related("level", "parent", "kind"), code=unit_code)
    if not can_see_unit(user, unit):
        raise Http404("Không tìm thấy bản đánh giá")
    if create:
        assessment, _ = Assessment.objects.get_or_create(period=period, unit=unit)
    else:
        assessment = Assessment(period=period, unit=unit)
    assessment.period, assessment.unit = period, unit
    return _access(user, assessment)


@functools.cache
def _assessment_by_codes() -> JoinedRead:
    """A unit's page is read again and again: its assessment, period and unit in one
    prepared statement (codes are unique)."""
    return JoinedRead(
        Assessment,
        ["period__criteria_version", "unit__level", "unit__parent", "unit__kind"],
        where='"period"."code" = %s AND "unit"."code" = %s',
    )


def get_assessment_by_uuid(user, assessment_uuid) -> AssessmentAccess:
    assessment = (
        Assessment.objects.select_related(
            "period__criteria_version", "unit__level", "unit__parent", "unit__kind"
        )
        .filter(uuid=assessment_uuid)
        .first()
    )
    if assessment is None or not can_see_unit(user, assessment.unit):
        raise Http404("Không tìm thấy bản đánh giá")
    return _access(user, assessment)


def assessments_for_user(user, period: Period):
    return Assessment.objects.filter(period=period, unit__in=visible_units(user))
