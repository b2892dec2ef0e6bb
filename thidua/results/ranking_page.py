"""One page of a level's ranking, ranked by the database from the stored scores.

A national level has thousands of communes: the page reads only its own rows. The database
ranks on `Assessment.final_total`, the stored total rounded half-up to 30 places. Rounding
keeps the order, so a unit's rank (1 + the units with a higher total) is exact as long as
equal stored totals are equal exact totals; the page checks that for its own totals against
the exact fractions. When it is not so, or when some stored scores are stale, this returns
None and the caller ranks every row exactly (`build_ranking`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Rank

from thidua.accounts.scope import visible_units
from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import SheetReader, StoredSheet, score_key
from thidua.periods.models import Period
from thidua.results.ranking import Ranking, RankingRow
from thidua.units.models import Level, Unit, UnitKind


@dataclass
class RankingPage:
    ranking: Ranking  # its rows are the page's rows
    page: Page
    not_started: list


def ranking_page(
    period: Period,
    level: Level,
    *,
    number,
    per_page: int,
    user=None,
    kind: UnitKind | None = None,
    district: Unit | None = None,
) -> RankingPage | None:
    """The rows of page `number` with their ranks among all the rows (as `build_ranking`
    ranks them), or None when only the exact ranking of every row can tell."""
    if connection.vendor != "postgresql":
        # SQLite keeps the stored totals as floats; a few hundred units rank fast anyway.
        return None
    units = Unit.objects.active() if user is None else visible_units(user).filter(is_active=True)
    units = units.filter(level=level)
    if kind is not None:
        units = units.filter(kind=kind)
    if district is not None:
        units = units.filter(parent=district)
    reader = SheetReader(period)
    key = score_key(reader.fingerprint, level.code)
    # order_by(): the model's default ordering would join periods and units to sort.
    started = Assessment.objects.filter(period=period, unit__in=units).order_by()
    counts = started.aggregate(all=Count("pk"), fresh=Count("pk", filter=Q(score_key=key)))
    if counts["fresh"] != counts["all"]:
        return None
    # Rank every row on narrow rows (id and total), then load only the page's rows.
    ranked = (
        started.annotate(rank=Window(Rank(), order_by=F("final_total").desc()))
        .order_by("-final_total", "unit__code")
        .values_list("pk", "rank")
    )
    paginator = Paginator(ranked, per_page)
    paginator.count = counts["all"]  # known: no second COUNT(*)
    page = paginator.get_page(number)
    ranks = dict(page.object_list)
    loaded = Assessment.objects.select_related("unit__parent").in_bulk(list(ranks))
    assessments = [loaded[pk] for pk in ranks]
    for assessment in assessments:
        assessment.rank = ranks[assessment.pk]
    if not _ties_are_exact(period, assessments):
        return None

    bands = sorted(period.grade_bands.all(), key=lambda band: band.min_total, reverse=True)
    bounds = [(Fraction(Decimal(band.min_total)), band) for band in bands]
    kinds = {item.pk: item for item in UnitKind.objects.filter(level=level)}
    criteria_level = reader.level(level.code)
    rows = []
    for assessment in assessments:
        unit = assessment.unit
        unit.level, unit.kind = level, kinds[unit.kind_id]
        assessment.period = period
        sheet = StoredSheet(assessment, criteria_level, reader.decimals, assessment.score_cache)
        row = RankingRow(unit, assessment, sheet, rank=assessment.rank)
        row.grade = next((band for bound, band in bounds if row.total >= bound), None)
        rows.append(row)
    not_started = []
    if units.count() > counts["all"]:
        not_started = [
            SimpleNamespace(unit=unit)
            for unit in units.exclude(pk__in=started.values("unit_id"))
            .select_related("parent")
            .order_by("code")
        ]
    ranking = Ranking(
        period=period,
        level=level,
        criteria=list(criteria_level.criteria),
        rows=rows,
        decimals=reader.decimals,
        kind=kind,
        district=district,
    )
    return RankingPage(ranking=ranking, page=page, not_started=not_started)


def _ties_are_exact(period: Period, assessments: list[Assessment]) -> bool:
    """True if every assessment of the period sharing a stored total with a row of the page
    has the same exact total (then database ranks are exact ranks). Units outside the
    ranking are checked too: a superset, and the (period, final_total) index answers."""
    totals = {assessment.final_total for assessment in assessments}
    exact: dict = {}
    found = Assessment.objects.filter(period=period, final_total__in=totals).order_by()
    for total, final in found.values_list("final_total", "score_cache__final"):
        exact.setdefault(total, set()).add(tuple(final[:2]))
    return all(len(fractions) == 1 for fractions in exact.values())
