"""Services of the results app: the public page switch and what the public page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from thidua.periods.models import Period
from thidua.results.access import require_switch_public, results_are_final
from thidua.results.models import PublicResults
from thidua.results.ranking import (
    Ranking,
    RankingRow,
    assign_ranks,
    build_ranking,
    scored_levels,
)
from thidua.units.models import Level


def set_public_results(period: Period, user, *, enabled: bool) -> PublicResults:
    """Switch the public page of a period on or off; who and when go into its history."""
    require_switch_public(user)
    with transaction.atomic():
        switch = PublicResults.objects.select_for_update().filter(
            period=period
        ).first() or PublicResults(period=period)
        switch.enabled = enabled
        switch.enabled_by = user
        switch.enabled_at = timezone.now()
        switch._history_user = user
        switch._change_reason = "enable" if enabled else "disable"
        switch.save()
    return switch


def is_public(period: Period) -> bool:
    """The public page exists only when switched on and the results are final."""
    if not results_are_final(period):
        return False
    return PublicResults.objects.filter(period=period, enabled=True).exists()


@dataclass
class PublicLevel:
    level: Level
    rows: list[RankingRow]
    ranking: Ranking


def public_rankings(period: Period) -> list[PublicLevel]:
    """Final results per level: finalized assessments only, ranked among themselves.

    Units whose assessment was never finalized (never submitted) have no final result and
    are not listed, so they take no rank.
    """
    levels = []
    for level in scored_levels(period):
        ranking = build_ranking(period, level)
        rows = [row for row in ranking.rows if row.is_final]
        if not rows:
            continue
        assign_ranks(rows)
        rows.sort(key=lambda row: (row.rank, row.unit.code))
        levels.append(PublicLevel(level=level, rows=rows, ranking=ranking))
    return levels
