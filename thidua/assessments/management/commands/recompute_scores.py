import time

from django.core.management.base import BaseCommand, CommandError

from thidua.assessments.score_cache import recompute_scores
from thidua.periods.models import Period


class Command(BaseCommand):
    help = "Rebuild every assessment's stored scores from its inputs (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Only this period (its code, e.g. 2023).")

    def handle(self, *args, period: str | None, **options):
        chosen = None
        if period:
            chosen = Period.objects.filter(code=period).first()
            if chosen is None:
                raise CommandError(f"Không có kỳ đánh giá mã '{period}'.")
        started = time.perf_counter()
        written = recompute_scores(period=chosen)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã tính lại điểm của {written} bản đánh giá ({elapsed:.1f} s).")
