"""Deadline reminders: 7 days and 1 day before an open period's submission deadline, each
unit that has not submitted is mailed, and the provincial reviewers get one list of them.

Sent reminders are recorded (DeadlineReminder, one row per period, day and recipient), so
running the daily job twice on one day sends nothing the second time, and a run that
stopped half-way sends only what is missing when run again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.accounts.models import Membership, Role
from thidua.accounts.notify import send_later, unit_recipients
from thidua.assessments.models import Assessment
from thidua.criteria.services import scoring_library
from thidua.periods.models import DeadlineReminder, Period
from thidua.units.models import Unit

REMINDER_DAYS = (7, 1)


@dataclass
class Reminder:
    period: Period
    days_left: int
    recipient: str  # a unit's code, or DeadlineReminder.REVIEWERS
    addresses: list[str]
    subject: str
    body: str
    units: list[Unit] = field(default_factory=list)


def units_not_submitted(period: Period) -> list[Unit]:
    """Active units of the period's levels whose assessment is missing or still a draft."""
    levels = [level.code for level in scoring_library(period.criteria_version).levels]
    submitted = Assessment.objects.filter(period=period).exclude(state=Assessment.State.DRAFT)
    return list(
        Unit.objects.active()
        .filter(level__code__in=levels)
        .exclude(pk__in=submitted.values("unit_id"))
        .select_related("level", "parent")
        .order_by("level__order", "parent__code", "code")
    )


def provincial_reviewers() -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(role=Role.PROVINCIAL_REVIEWER, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def planned_reminders(today: datetime.date) -> list[Reminder]:
    """Every reminder due today, sent or not."""
    planned = []
    for period in Period.objects.filter(state=Period.State.OPEN).select_related("criteria_version"):
        days_left = period.days_left(today)
        if days_left not in REMINDER_DAYS:
            continue
        units = units_not_submitted(period)
        if not units:
            continue
        deadline = f"{period.submission_deadline:%d/%m/%Y}"
        for unit in units:
            planned.append(
                Reminder(
                    period=period,
                    days_left=days_left,
                    recipient=unit.code,
                    addresses=unit_recipients(unit),
                    subject=f"Nhắc hạn nộp bản tự đánh giá: còn {days_left} ngày",
                    body=(
                        f"{unit.display_name} chưa nộp bản tự đánh giá {period.name}.\n\n"
                        f"Hạn nộp: hết ngày {deadline} (còn {days_left} ngày). Sau hạn này "
                        "đơn vị chỉ nộp được khi được gia hạn.\n\n"
                        "Thủ trưởng đơn vị nộp bản tự đánh giá trên hệ thống sau khi nhập đủ "
                        "số liệu và tài liệu minh chứng."
                    ),
                    units=[unit],
                )
            )
        lines = [
            f"- {unit.code} · {unit.display_name}"
            + ("" if unit_recipients(unit) else " (chưa có địa chỉ e-mail)")
            for unit in units
        ]
        planned.append(
            Reminder(
                period=period,
                days_left=days_left,
                recipient=DeadlineReminder.REVIEWERS,
                addresses=provincial_reviewers(),
                subject=(
                    f"{len(units)} đơn vị chưa nộp bản tự đánh giá {period.name} "
                    f"(còn {days_left} ngày)"
                ),
                body=(
                    f"Còn {days_left} ngày đến hạn nộp ({deadline}), {len(units)} đơn vị "
                    f"chưa nộp bản tự đánh giá {period.name}:\n\n" + "\n".join(lines)
                ),
                units=units,
            )
        )
    return planned


def already_sent(reminder: Reminder, today: datetime.date) -> bool:
    return DeadlineReminder.objects.filter(
        period=reminder.period, sent_on=today, recipient=reminder.recipient
    ).exists()


def send_deadline_reminders(
    today: datetime.date | None = None, *, dry_run: bool = False
) -> list[Reminder]:
    """Send (or with dry_run only list) today's reminders not sent yet; return them."""
    today = today or timezone.localdate()
    due = [r for r in planned_reminders(today) if r.addresses and not already_sent(r, today)]
    if dry_run:
        return due
    sent = []
    for reminder in due:
        try:
            with transaction.atomic():
                DeadlineReminder.objects.create(
                    period=reminder.period,
                    sent_on=today,
                    days_left=reminder.days_left,
                    recipient=reminder.recipient,
                    addresses=", ".join(reminder.addresses),
                )
                send_later(reminder.addresses, reminder.subject, reminder.body)
        except IntegrityError:
            continue  # another run sent it meanwhile
        sent.append(reminder)
    return sent
