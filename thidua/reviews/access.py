"""The access helper of the review: who may appraise, return, verify, finalize, reopen.

Rules (see README.md):

- provincial reviewer: every unit, every criterion; appraises while the assessment is
  submitted or verified; returns, finalizes, reopens;
- district reviewer: the communes of its own district only (others: 404); appraises every
  criterion while the assessment is submitted; returns and verifies (district verification);
- sector appraiser: a user with the `viewer` role and at least one `SectorAssignment` in the
  period; sees every unit (read only) and appraises only the assigned criteria, while the
  assessment is submitted or verified (a provincial sector body checks after the district);
- administrator: reads review pages, changes nothing;
- unit roles, the awards officer, a viewer without assignment, users without a role: 404
  (they have their own pages).

Rights follow role and scope (a caller without the right gets 403 from the view); whether
the assessment's state allows the action is checked by the services, which refuse with a
Vietnamese message. Reviews happen while the period is open or under review: after the
results are published, they change only through explanations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from thidua.accounts.models import Role
from thidua.accounts.scope import can_see_unit, role_of
from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment
from thidua.assessments.scores import library_level
from thidua.criteria.services import scoring_library
from thidua.periods.models import Period
from thidua.reviews.models import SectorAssignment

State = Assessment.State
ACTIVE_PERIOD_STATES = (Period.State.OPEN, Period.State.REVIEWING)
APPRAISAL_STATES = {
    Role.PROVINCIAL_REVIEWER: (State.SUBMITTED, State.VERIFIED),
    Role.DISTRICT_REVIEWER: (State.SUBMITTED,),
    Role.VIEWER: (State.SUBMITTED, State.VERIFIED),  # sector appraisers
}
RETURN_STATES = {
    Role.PROVINCIAL_REVIEWER: (State.SUBMITTED, State.VERIFIED),
    Role.DISTRICT_REVIEWER: (State.SUBMITTED,),
}
FINALIZE_STATES = (State.SUBMITTED, State.VERIFIED)


class ReviewForbidden(PermissionDenied):
    """The caller's role or scope does not allow this (403)."""


def sector_assignments(user, period: Period) -> dict[str, str]:
    """Criterion code → sector body, of the criteria assigned to a viewer in the period."""
    if role_of(user) != Role.VIEWER:
        return {}
    rows = SectorAssignment.objects.filter(period=period, reviewer=user)
    return dict(rows.values_list("criterion_code", "sector"))


def is_reviewer(user, period: Period) -> bool:
    """Whether the user has review pages at all in this period."""
    role = role_of(user)
    if role in (Role.PROVINCIAL_REVIEWER, Role.DISTRICT_REVIEWER, Role.ADMINISTRATOR):
        return True
    return bool(sector_assignments(user, period))


@dataclass(frozen=True)
class ReviewAccess:
    assessment: Assessment
    role: str | None
    level_codes: tuple[str, ...]
    # Criteria this caller reviews in this unit (whatever the state).
    covered_codes: frozenset[str]
    # Sector body per assigned criterion (sector appraisers only).
    sectors: dict[str, str] = field(default_factory=dict)
    can_return: bool = False
    can_verify_district: bool = False
    can_finalize: bool = False
    can_reopen: bool = False

    @property
    def is_sector_appraiser(self) -> bool:
        return bool(self.sectors)

    @property
    def period_active(self) -> bool:
        return self.assessment.period.state in ACTIVE_PERIOD_STATES

    @property
    def appraisable_codes(self) -> frozenset[str]:
        """Criteria the caller may decide on now (right, assessment state, period state)."""
        if not self.period_active or self.assessment.pk is None:
            return frozenset()
        if self.assessment.state not in APPRAISAL_STATES.get(self.role, ()):
            return frozenset()
        return self.covered_codes

    def covers(self, criterion_code: str) -> bool:
        """Whether the criterion is this caller's to review ("" is the whole assessment)."""
        if criterion_code == "":
            return self.role in (Role.PROVINCIAL_REVIEWER, Role.DISTRICT_REVIEWER)
        return criterion_code in self.covered_codes

    def can_appraise(self, criterion_code: str) -> bool:
        return criterion_code in self.appraisable_codes

    @property
    def is_returned(self) -> bool:
        """A draft that was submitted before: a reviewer sent it back to the unit."""
        return self.assessment.state == State.DRAFT and self.assessment.submitted_at is not None

    @property
    def comments_open(self) -> bool:
        """Comments are written on submitted work (and returned drafts) until it is final."""
        a = self.assessment
        return (
            self.period_active
            and a.pk is not None
            and a.state != State.FINALIZED
            and (a.state != State.DRAFT or self.is_returned)
        )

    def can_comment(self, criterion_code: str = "") -> bool:
        return self.covers(criterion_code) and self.comments_open

    @property
    def transitions(self) -> set[str]:
        """The state changes the caller may make now (for showing the buttons)."""
        a = self.assessment
        if not self.period_active or a.pk is None:
            return set()
        available = set()
        if (
            self.can_return
            and a.period.state == Period.State.OPEN
            and a.state in RETURN_STATES.get(self.role, ())
        ):
            available.add("return")
        if self.can_verify_district and a.state == State.SUBMITTED:
            available.add("verify")
        if self.can_finalize and a.state in FINALIZE_STATES:
            available.add("finalize")
        if self.can_reopen and a.state == State.FINALIZED:
            available.add("reopen")
        return available

    def require_covers(self, criterion_code: str) -> None:
        if not self.covers(criterion_code):
            raise ReviewForbidden("Tiêu chí này không thuộc phạm vi thẩm định của bạn")


def level_codes(assessment: Assessment) -> tuple[str, ...]:
    library = scoring_library(assessment.period.criteria_version)
    level = library_level(library, assessment.unit.level.code)
    return tuple(criterion.code for criterion in level.criteria)


def review_access(user, assessment: Assessment) -> ReviewAccess:
    """What the user may do in the review of this assessment; 404 outside their scope."""
    role = role_of(user)
    unit = assessment.unit
    sectors = {}
    if role == Role.VIEWER:
        sectors = sector_assignments(user, assessment.period)
    in_scope = can_see_unit(user, unit) and (
        role in (Role.PROVINCIAL_REVIEWER, Role.DISTRICT_REVIEWER, Role.ADMINISTRATOR)
        or bool(sectors)
    )
    if not in_scope:
        raise Http404("Không tìm thấy bản đánh giá")
    codes = level_codes(assessment)
    if role in (Role.PROVINCIAL_REVIEWER, Role.DISTRICT_REVIEWER):
        covered = frozenset(codes)
    else:
        covered = frozenset(code for code in codes if code in sectors)
    provincial = role == Role.PROVINCIAL_REVIEWER
    district = role == Role.DISTRICT_REVIEWER
    return ReviewAccess(
        assessment=assessment,
        role=role,
        level_codes=codes,
        covered_codes=covered,
        sectors={code: sector for code, sector in sectors.items() if code in covered},
        can_return=provincial or district,
        can_verify_district=district and unit.parent_id is not None,
        can_finalize=provincial,
        can_reopen=provincial,
    )


def get_review_for_user(user, period_code: str, unit_code: str) -> ReviewAccess:
    """The review of a unit's assessment in a period, or 404 when it is not the caller's."""
    assessment = get_assessment_for_user(user, period_code, unit_code).assessment
    return review_access(user, assessment)
