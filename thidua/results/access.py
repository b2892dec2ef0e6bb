"""Who may see which results; the only way the results views decide.

- Administrators, provincial reviewers, awards officers and viewers: every level, every
  unit, every detail (criterion scores, links to each score sheet), dashboards.
- District reviewers: the rankings and the gap analysis of their own communes (ranked
  among themselves), with details; no dashboard.
- Unit editors and heads: once results are published (preliminary or final), the ranking of
  their own unit's level, province-wide, reduced to rank, unit, total and grade; only their
  own row links to a score sheet. Before that, and for other levels: 403. No dashboard, no
  province-wide gap analysis (their own unit's gap analysis is reached like its score sheet).
- A user without a role: 403. Anonymous callers: the login page (the views require login),
  except the public page of final results.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from thidua.accounts.models import READ_ALL_ROLES, Role
from thidua.accounts.scope import membership_of, role_of
from thidua.periods.models import Period
from thidua.results.ranking import scored_levels
from thidua.units.models import Level, Unit

ANNOUNCED_STATES = (Period.State.PUBLISHED, Period.State.FINAL, Period.State.ARCHIVED)
FINAL_STATES = (Period.State.FINAL, Period.State.ARCHIVED)
PUBLIC_SWITCH_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROVINCIAL_REVIEWER})


@dataclass(frozen=True)
class RankingAccess:
    role: str
    levels: list[Level]
    detail: bool  # criterion scores and every row's score sheet
    district: Unit | None = None  # the district a district reviewer is held to
    own_unit_id: int | None = None

    @property
    def scoped_to_user(self) -> bool:
        """Rows limited to the caller's units (district reviewers); else the whole level."""
        return self.role == Role.DISTRICT_REVIEWER

    def require_level(self, level: Level) -> None:
        if level not in self.levels:
            raise PermissionDenied("Bạn không được xem xếp hạng của cấp này.")

    def require_detail(self) -> None:
        if not self.detail:
            raise PermissionDenied("Bạn chỉ được xem xếp hạng đã công bố của cấp mình.")

    def may_open_sheet(self, unit: Unit) -> bool:
        return self.detail or unit.pk == self.own_unit_id


def ranking_access(user, period: Period) -> RankingAccess:
    """What the caller may see of a period's rankings; PermissionDenied if nothing.

    Only levels that the period's criteria version scores are listed.
    """
    role = role_of(user)
    membership = membership_of(user)
    scored = scored_levels(period)
    if role in READ_ALL_ROLES:
        return RankingAccess(role=role, levels=scored, detail=True)
    if role == Role.DISTRICT_REVIEWER:
        own = set(
            Level.objects.filter(unit__parent=membership.unit_id).values_list("pk", flat=True)
        )
        levels = [level for level in scored if level.pk in own]
        return RankingAccess(role=role, levels=levels, detail=True, district=membership.unit)
    if role in (Role.UNIT_EDITOR, Role.UNIT_HEAD):
        if period.state not in ANNOUNCED_STATES:
            raise PermissionDenied("Kết quả xếp hạng của kỳ này chưa được công bố.")
        unit = membership.unit
        levels = [level for level in scored if level.pk == unit.level_id]
        return RankingAccess(role=role, levels=levels, detail=False, own_unit_id=unit.pk)
    raise PermissionDenied("Tài khoản chưa được phân vai trò.")


def may_see_dashboard(user) -> bool:
    return role_of(user) in READ_ALL_ROLES


def require_dashboard(user) -> None:
    if not may_see_dashboard(user):
        raise PermissionDenied("Chỉ lãnh đạo và cán bộ cấp tỉnh được xem bảng điều khiển.")


def may_see_rankings(user) -> bool:
    """Whether the menu shows Rankings (a unit role may still meet a 403 before publication)."""
    return role_of(user) is not None


def may_switch_public(user) -> bool:
    return role_of(user) in PUBLIC_SWITCH_ROLES


def require_switch_public(user) -> None:
    if not may_switch_public(user):
        raise PermissionDenied(
            "Chỉ quản trị hệ thống và cán bộ thẩm định cấp tỉnh được công khai kết quả."
        )


def results_are_final(period: Period) -> bool:
    return period.state in FINAL_STATES
