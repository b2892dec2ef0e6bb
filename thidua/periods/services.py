import datetime
import functools

from django.db import transaction
from django.http import Http404

from thidua.criteria.models import CriteriaSetVersion
from thidua.criteria.services import scoring_library
from thidua.joined_read import JoinedRead
from thidua.periods.models import DueDate, Period, default_deadline_for


@functools.cache
def _period_by_code() -> JoinedRead:
    return JoinedRead(Period, ["criteria_version"], where='"root"."code" = %s')


def period_or_404(code: str) -> Period:
    """The period with its criteria version, read by a prepared statement (most pages
    start here), or 404."""
    period = _period_by_code().first(code)
    if period is None:
        raise Http404("Không có kỳ đánh giá này")
    return period


@transaction.atomic
def create_period(
    *,
    year: int,
    criteria_version: CriteriaSetVersion,
    name: str = "",
    code: str = "",
    opens_on: datetime.date | None = None,
    submission_deadline: datetime.date | None = None,
) -> Period:
    """Create a period, with the due dates of every `deadline` deliverable from the library."""
    period = Period.objects.create(
        code=code or str(year),
        year=year,
        name=name or f"Thi đua Chuyển đổi số năm {year}",
        criteria_version=criteria_version,
        opens_on=opens_on or datetime.date(year, 1, 1),
        submission_deadline=submission_deadline or default_deadline_for(year),
    )
    library = scoring_library(criteria_version)
    due_dates = []
    for level in library.levels:
        for criterion in level.criteria:
            if criterion.kind != "deadline":
                continue
            for deliverable in criterion.params["deliverables"]:
                month, day = (int(part) for part in deliverable["default_due"].split("-"))
                due_dates.append(
                    DueDate(
                        period=period,
                        criterion_code=criterion.code,
                        deliverable=deliverable["code"],
                        label=deliverable.get("label", ""),
                        due_on=datetime.date(year, month, day),
                    )
                )
    DueDate.objects.bulk_create(due_dates)
    return period


def due_dates_by_criterion(period: Period) -> dict[str, dict[str, datetime.date]]:
    result: dict[str, dict[str, datetime.date]] = {}
    for due in period.due_dates.all():
        result.setdefault(due.criterion_code, {})[due.deliverable] = due.due_on
    return result
