"""Drawing units for on-site inspection, and recording what the inspection found.

The draw is reproducible by anyone with the seed:

    candidates = active units (of the chosen level; if asked, only those whose assessment of
                 the period was submitted, verified or finalized), sorted by code as text
    chosen     = random.Random(seed).sample(candidates, size)

`random.Random` with an integer seed gives the same sequence on every platform and Python 3
version (Mersenne Twister; `sample` has been stable since Python 3.2), so a unit that doubts
the draw can repeat it. The seed is the reviewer's, or else 9 digits from `secrets`. The draw
only repeats while the candidates are the same: the sample records how many there were, and
`redraw` tells whether today's candidates still give the same units.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.accounts.scope import role_of
from thidua.assessments.models import Assessment
from thidua.inspections.models import InspectionResult, InspectionSample
from thidua.periods.models import Period
from thidua.units.models import Level, Unit

SUBMITTED_STATES = (
    Assessment.State.SUBMITTED,
    Assessment.State.VERIFIED,
    Assessment.State.FINALIZED,
)
SEED_MAX = 10**18  # fits PositiveBigIntegerField on every database
NOTE_MAX_LENGTH = 2000
RESULT_MAX_LENGTH = 255
FINDINGS_MAX_LENGTH = 10000


class InspectionRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def can_read(user) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.PROVINCIAL_REVIEWER)


def can_write(user) -> bool:
    return role_of(user) == Role.PROVINCIAL_REVIEWER


def require_write(user) -> None:
    if not can_write(user):
        raise PermissionDenied("Chỉ cán bộ thẩm định cấp tỉnh được chọn và ghi kết quả kiểm tra.")


def new_seed() -> int:
    """Nine digits: easy to read out and write in the minutes of the draw."""
    return 100_000_000 + secrets.randbelow(900_000_000)


def candidate_units(
    period: Period, *, level: Level | None = None, submitted_only: bool = False
) -> list[Unit]:
    units = Unit.objects.active().select_related("level", "parent")
    if level is not None:
        units = units.filter(level=level)
    if submitted_only:
        units = units.filter(
            assessments__period=period, assessments__state__in=SUBMITTED_STATES
        ).distinct()
    # Sorted here, not by the database: collations differ, the draw must not.
    return sorted(units, key=lambda unit: unit.code)


def draw_units(candidates: list[Unit], seed: int, size: int) -> list[Unit]:
    """`size` distinct units drawn with `seed` from the candidates; returned sorted by code."""
    ordered = sorted(candidates, key=lambda unit: unit.code)
    # Not for security: the point of this generator is that the draw can be repeated.
    chosen = random.Random(seed).sample(ordered, size)  # noqa: S311
    return sorted(chosen, key=lambda unit: unit.code)


def draw_sample(
    *,
    period: Period,
    user,
    size: int,
    level: Level | None = None,
    submitted_only: bool = False,
    seed: int | None = None,
    note: str = "",
) -> InspectionSample:
    require_write(user)
    if period.state == Period.State.ARCHIVED:
        raise InspectionRefused("Kỳ đánh giá đã lưu trữ, không chọn mẫu kiểm tra được nữa.")
    if size < 1:
        raise InspectionRefused("Cần chọn ít nhất một đơn vị.")
    if seed is None:
        seed = new_seed()
    if not 0 <= seed < SEED_MAX:
        raise InspectionRefused("Hạt giống (seed) phải là số nguyên không âm, tối đa 18 chữ số.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InspectionRefused(f"Ghi chú quá dài (tối đa {NOTE_MAX_LENGTH} ký tự).")
    with transaction.atomic():
        candidates = candidate_units(period, level=level, submitted_only=submitted_only)
        if size > len(candidates):
            raise InspectionRefused(
                f"Chỉ có {len(candidates)} đơn vị phù hợp, không chọn được {size} đơn vị."
            )
        sample = InspectionSample.objects.create(
            period=period,
            seed=seed,
            size=size,
            level=level,
            submitted_only=submitted_only,
            population=len(candidates),
            note=note,
            drawn_by=user,
        )
        for unit in draw_units(candidates, seed, size):
            result = InspectionResult(sample=sample, unit=unit)
            result._history_user = user
            result._change_reason = "draw"
            result.save()
    return sample


def redraw(sample: InspectionSample) -> tuple[list[Unit], bool]:
    """The units today's candidates give with the sample's seed, and whether they are the
    units that were drawn."""
    candidates = candidate_units(
        sample.period, level=sample.level, submitted_only=sample.submitted_only
    )
    if sample.size > len(candidates):
        return [], False
    units = draw_units(candidates, sample.seed, sample.size)
    drawn = sorted(sample.results.values_list("unit__code", flat=True))
    return units, [unit.code for unit in units] == drawn


def record_result(
    *,
    result: InspectionResult,
    user,
    outcome: str,
    findings: str = "",
    inspected_on: datetime.date | None,
) -> InspectionResult:
    """Record (or correct) what the on-site inspection of one unit found."""
    require_write(user)
    outcome = " ".join((outcome or "").split())
    findings = (findings or "").strip()
    if not outcome:
        raise InspectionRefused("Cần ghi kết luận kiểm tra.")
    if len(outcome) > RESULT_MAX_LENGTH or len(findings) > FINDINGS_MAX_LENGTH:
        raise InspectionRefused("Kết luận hoặc nội dung phát hiện quá dài.")
    if inspected_on is None:
        raise InspectionRefused("Cần ghi ngày kiểm tra.")
    if inspected_on > timezone.localdate():
        raise InspectionRefused(
            f"Ngày kiểm tra ({inspected_on:%d/%m/%Y}) ở sau ngày hôm nay: hãy kiểm tra lại."
        )
    with transaction.atomic():
        locked = (
            InspectionResult.objects.select_for_update()
            .select_related("sample__period")
            .get(pk=result.pk)
        )
        if locked.sample.period.state == Period.State.ARCHIVED:
            raise InspectionRefused("Kỳ đánh giá đã lưu trữ, không ghi kết quả kiểm tra được nữa.")
        locked.status = InspectionResult.Status.DONE
        locked.result = outcome
        locked.findings = findings
        locked.inspected_on = inspected_on
        locked.inspector = user
        locked._history_user = user
        locked._change_reason = "record"
        locked.save()
    result.refresh_from_db()
    return result
