import time

from django.core.management.base import BaseCommand, CommandError

from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import period_key, recompute_scores, score_key
from thidua.periods.models import Period
from thidua.periods.services import due_dates_by_criterion
from thidua.units.models import Level


def stale_assessment_ids(periods) -> list[int]:
    """Assessments whose stored scores were not computed for their period's current scoring
    context (a bulk import marked them, a due date or a draft version changed, never stored)."""
    level_codes = list(Level.objects.values_list("code", flat=True))
    stale: list[int] = []
    for period in periods:
        fingerprint = period_key(period, due_dates_by_criterion(period))
        current = [score_key(fingerprint, code) for code in level_codes]
        stale += (
            Assessment.objects.filter(period=period)
            .exclude(score_key__in=current)
            .values_list("pk", flat=True)
        )
    return stale


class Command(BaseCommand):
    help = "Rebuild assessments' stored scores from their inputs (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Only this period (its code, e.g. 2023).")
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only the assessments whose stored scores are out of date (for a timer).",
        )

    def handle(self, *args, period: str | None, stale: bool, **options):
        chosen = None
        if period:
            chosen = Period.objects.filter(code=period).first()
            if chosen is None:
                raise CommandError(f"Không có kỳ đánh giá mã '{period}'.")
        started = time.perf_counter()
        if stale:
            periods = [chosen] if chosen else Period.objects.select_related("criteria_version")
            ids = stale_assessment_ids(periods)
            written = recompute_scores(assessment_ids=ids) if ids else 0
        else:
            written = recompute_scores(period=chosen)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã tính lại điểm của {written} bản đánh giá ({elapsed:.1f} s).")
