"""The review queue: the assessments a reviewer has to look at, with filters, counts, sorting.

Scores come from `score_sheet` over prefetched entries (one query for all entries, the
period's due dates once), as `thidua.assessments.ranking` does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from thidua.accounts.models import Role
from thidua.accounts.scope import role_of, visible_units
from thidua.assessments import appraisal
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.scores import ScoreSheet, score_sheet
from thidua.criteria.services import scoring_library
from thidua.periods.models import Period
from thidua.periods.services import due_dates_by_criterion
from thidua.reviews.access import is_reviewer, sector_assignments
from thidua.reviews.models import ReviewComment
from thidua.units.models import Level, Unit

State = Assessment.State
IN_REVIEW = Q(state__in=[State.SUBMITTED, State.VERIFIED, State.FINALIZED]) | Q(
    state=State.DRAFT, submitted_at__isnull=False
)
STATE_FILTERS = {
    "submitted": Q(state=State.SUBMITTED),
    "verified": Q(state=State.VERIFIED),
    "finalized": Q(state=State.FINALIZED),
    "returned": Q(state=State.DRAFT),  # within IN_REVIEW: drafts submitted before
}
FAR_FUTURE = datetime.datetime.max.replace(tzinfo=datetime.UTC)


@dataclass
class QueueRow:
    assessment: Assessment
    sheet: ScoreSheet
    covered: list[str]
    decided: int

    @property
    def queue_state(self) -> str:
        return "returned" if self.assessment.state == State.DRAFT else self.assessment.state


@dataclass
class Queue:
    period: Period
    rows: list[QueueRow]
    counts: dict[str, int]
    sectors: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def queue_scope(user, period: Period):
    """(units, sectors) the user reviews in the period; 404 if the user reviews nothing."""
    if not is_reviewer(user, period):
        raise Http404("Không có hàng chờ thẩm định")
    units = visible_units(user)
    sectors = sector_assignments(user, period)
    if sectors:
        library = scoring_library(period.criteria_version)
        levels = [
            level.code
            for level in library.levels
            if any(criterion.code in sectors for criterion in level.criteria)
        ]
        units = units.filter(level__code__in=levels)
    return units, sectors


def review_queue(user, period: Period, filters: dict | None = None) -> Queue:
    filters = filters or {}
    units, sectors = queue_scope(user, period)
    unresolved = (
        ReviewComment.objects.filter(assessment=OuterRef("pk"), resolved_at__isnull=True)
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    base = (
        Assessment.objects.filter(period=period, unit__in=units)
        .filter(IN_REVIEW)
        .annotate(
            unresolved=Coalesce(Subquery(unresolved, output_field=IntegerField()), Value(0)),
            has_discrepancy=Exists(
                CriterionEntry.objects.filter(assessment=OuterRef("pk"), discrepancy=True)
            ),
        )
    )
    if filters.get("level"):
        base = base.filter(unit__level__code=filters["level"])
    if filters.get("district"):
        base = base.filter(unit__parent__code=filters["district"])
    if filters.get("late"):
        base = base.filter(submitted_late=True)
    if filters.get("discrepancy"):
        base = base.filter(has_discrepancy=True)
    if filters.get("unresolved"):
        base = base.filter(unresolved__gt=0)
    counts = base.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in STATE_FILTERS.items()}
    )
    selected = base
    if filters.get("state") in STATE_FILTERS:
        selected = base.filter(STATE_FILTERS[filters["state"]])
    selected = selected.select_related(
        "unit__level", "unit__parent", "unit__kind"
    ).prefetch_related("entries")
    due = due_dates_by_criterion(period)
    rows = []
    for assessment in selected:
        assessment.period = period
        sheet = score_sheet(assessment, due=due)
        codes = [row.criterion.code for row in sheet.rows]
        covered = [code for code in codes if code in sectors] if sectors else codes
        decided = sum(
            1
            for row in sheet.rows
            if row.criterion.code in covered and appraisal.is_reviewed(row.entry)
        )
        rows.append(QueueRow(assessment, sheet, covered, decided))
    _sort(rows, filters.get("sort") or "submitted")
    return Queue(period, rows, counts, sectors)


def filter_choices(user) -> tuple[list[Level], list[Unit]]:
    """Levels and districts to filter by: a district reviewer's queue has neither."""
    if role_of(user) == Role.DISTRICT_REVIEWER:
        return [], []
    districts = Unit.objects.filter(children__isnull=False).distinct().order_by("code")
    return list(Level.objects.all()), list(districts)


def _sort(rows: list[QueueRow], sort: str) -> None:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "self":
        rows.sort(key=lambda r: r.sheet.self_total.total, reverse=descending)
    elif key == "final":
        rows.sort(key=lambda r: r.sheet.final_total.total, reverse=descending)
    else:
        rows.sort(key=lambda r: r.assessment.submitted_at or FAR_FUTURE, reverse=descending)
