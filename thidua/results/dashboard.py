"""The numbers behind the dashboard charts, as plain JSON-ready data.

Exact values are rounded (half-up) only here, to hand them to the charts. Averages and
distributions count units that have an assessment ("started"); a unit that never opened
its assessment would otherwise count as a total of 0.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext

from thidua import scoring
from thidua.periods.models import Period
from thidua.results.access import results_are_final
from thidua.results.analysis import ranking_losses, started
from thidua.results.ranking import Ranking, build_ranking, scored_levels
from thidua.units.models import Level

PROGRESS_MAX_DAYS = 120
HISTOGRAM_BINS = 10
YEARS_SHOWN = 5


def as_number(value: Fraction, places: int = 2) -> float:
    """A chart value: rounded half-up from the exact value (never used for arithmetic)."""
    return float(scoring.round_half_up(value, places))


def average(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


@dataclass
class LevelSummary:
    level: Level
    ranking: Ranking
    units: int
    started: int
    submitted: int
    finalized: int
    average: Fraction | None


def level_rankings(period: Period, user) -> list[Ranking]:
    return [build_ranking(period, level, user=user) for level in scored_levels(period)]


def summaries(rankings: list[Ranking]) -> list[LevelSummary]:
    found = []
    for ranking in rankings:
        rows = started(ranking.rows)
        found.append(
            LevelSummary(
                level=ranking.level,
                ranking=ranking,
                units=len(ranking.rows),
                started=len(rows),
                submitted=sum(1 for row in rows if row.assessment.submitted_at is not None),
                finalized=sum(1 for row in rows if row.is_final),
                average=average([row.total for row in rows]),
            )
        )
    return found


def ranking_chart(ranking: Ranking) -> dict:
    rows = started(ranking.rows)
    return {
        "level": ranking.level.name,
        "labels": [row.unit.display_name for row in rows],
        "values": [as_number(row.total) for row in rows],
        "ranks": [row.rank for row in rows],
        "max": as_number(scale_of(ranking)),
    }


def scale_of(ranking: Ranking) -> Fraction:
    """The level's scale (100 in 2435), which totals are rescaled to."""
    return ranking.rows[0].sheet.level.scale if ranking.rows else Fraction(100)


def criteria_chart(ranking: Ranking) -> dict:
    """Average share of points per criterion (%), weakest first."""
    losses = sorted(ranking_losses(ranking), key=lambda loss: loss.average_share)
    counted = [loss for loss in losses if loss.units]
    return {
        "level": ranking.level.name,
        "labels": [loss.code for loss in counted],
        "titles": [loss.content for loss in counted],
        "values": [as_number(loss.average_share * 100, 1) for loss in counted],
        "full": [as_number(loss.full_share * 100, 1) for loss in counted],
    }


def progress_chart(period: Period, rankings: list[Ranking]) -> dict:
    """Cumulative submissions by local date, and where the deadline falls."""
    dates = sorted(
        timezone.localdate(row.assessment.submitted_at)
        for ranking in rankings
        for row in ranking.rows
        if row.assessment.submitted_at is not None
    )
    deadline = period.submission_deadline
    end = max([deadline, *dates[-1:]])
    start = min([deadline - datetime.timedelta(days=30), *dates[:1]])
    start = max(start, end - datetime.timedelta(days=PROGRESS_MAX_DAYS))
    per_day = Counter(dates)
    before = sum(count for day, count in per_day.items() if day < start)
    labels, values, total = [], [], before
    day = start
    while day <= end:
        total += per_day.get(day, 0)
        labels.append(day.strftime("%d/%m"))
        values.append(total)
        day += datetime.timedelta(days=1)
    return {
        "labels": labels,
        "values": values,
        "deadline_index": (deadline - start).days,
        "deadline": deadline.strftime("%d/%m/%Y"),
        "submitted": len(dates),
        "units": sum(len(ranking.rows) for ranking in rankings),
    }


def distribution_chart(rankings: list[Ranking]) -> dict:
    """How many units per band of 10 points of the total, per level."""
    labels = [f"{low}–{low + 10}" for low in range(0, 100, 10)]
    datasets = []
    for ranking in rankings:
        scale = scale_of(ranking)
        counts = [0] * HISTOGRAM_BINS
        for row in started(ranking.rows):
            share = row.total / scale if scale else Fraction(0)
            counts[min(int(share * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)] += 1
        datasets.append({"level": ranking.level.name, "values": counts})
    return {"labels": labels, "datasets": datasets}


def year_over_year(period: Period, rankings: list[Ranking], user) -> dict | None:
    """Average total per level for this period and up to four earlier ones, and the units
    that have a result in both this period and the one before. None without an earlier one."""
    earlier = list(
        Period.objects.filter(year__lt=period.year)
        .select_related("criteria_version")
        .order_by("-year")[: YEARS_SHOWN - 1]
    )
    if not earlier:
        return None
    # Per period, its rankings by level: criteria versions may score different levels.
    by_period = [(p, {r.level.pk: r for r in level_rankings(p, user)}) for p in reversed(earlier)]
    by_period.append((period, {ranking.level.pk: ranking for ranking in rankings}))
    datasets = []
    for ranking in rankings:
        values = []
        for _, period_rankings in by_period:
            same_level = period_rankings.get(ranking.level.pk)
            rows = started(same_level.rows) if same_level else []
            mean = average([row.total for row in rows])
            values.append(None if mean is None else as_number(mean))
        datasets.append({"level": ranking.level.name, "values": values})
    previous_period, previous_rankings = by_period[-2]
    units = []
    for ranking in rankings:
        before = previous_rankings.get(ranking.level.pk)
        totals_before = {row.unit.pk: row.total for row in started(before.rows)} if before else {}
        for row in started(ranking.rows):
            if row.unit.pk in totals_before:
                units.append((row.unit.display_name, totals_before[row.unit.pk], row.total))
    return {
        "labels": [year_label(p) for p, _ in by_period],
        "datasets": datasets,
        "previous": year_label(previous_period),
        "current": year_label(period),
        "units": {
            "labels": [name for name, _, _ in units],
            "previous": [as_number(total) for _, total, _ in units],
            "current": [as_number(total) for _, _, total in units],
        },
    }


def year_label(period: Period) -> str:
    if results_are_final(period):
        return str(period.year)
    return gettext("%(year)s (preliminary)") % {"year": period.year}


def dashboard_data(period: Period, user) -> tuple[dict, list[LevelSummary]]:
    rankings = level_rankings(period, user)
    data = {
        "rankings": [ranking_chart(ranking) for ranking in rankings],
        "criteria": [criteria_chart(ranking) for ranking in rankings],
        "progress": progress_chart(period, rankings),
        "distribution": distribution_chart(rankings),
        "years": year_over_year(period, rankings, user),
    }
    return data, summaries(rankings)
