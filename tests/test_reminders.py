import datetime

import pytest
from django.core.management import call_command

from tests.assessments.cast import make_cast
from thidua.assessments.models import Assessment
from thidua.periods.models import DeadlineReminder, Period
from thidua.periods.reminders import send_deadline_reminders
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(units, period):
    cast = make_cast()
    for who in ("editor", "head", "other_editor", "province", "district"):
        cast[who].email = f"{who}@soctrang.gov.vn"
        cast[who].save()
    # Phường 5 has submitted; Phường 7 has a draft; no other unit has started.
    Assessment.objects.create(
        period=period, unit=Unit.objects.get(code="31498"), state=Assessment.State.SUBMITTED
    )
    Assessment.objects.create(period=period, unit=Unit.objects.get(code="31501"))
    Unit.objects.filter(code="SO-NV").update(email="sonv@soctrang.gov.vn")
    return cast


def mails_to(mailoutbox):
    return sorted(tuple(sorted(mail.to)) for mail in mailoutbox)


@pytest.mark.parametrize(("today", "days"), [("2023-12-08", 7), ("2023-12-14", 1)])
def test_units_not_submitted_are_reminded_7_days_and_1_day_before(cast, mailoutbox, today, days):
    send_deadline_reminders(datetime.date.fromisoformat(today))

    assert mails_to(mailoutbox) == [
        ("other_editor@soctrang.gov.vn",),
        ("province@soctrang.gov.vn",),
        ("sonv@soctrang.gov.vn",),
    ]
    unit_mail = next(m for m in mailoutbox if m.to == ["other_editor@soctrang.gov.vn"])
    assert f"còn {days} ngày" in unit_mail.subject
    assert "Phường 7 (Thành phố Sóc Trăng) chưa nộp" in unit_mail.body
    assert "hết ngày 15/12/2023" in unit_mail.body
    summary = next(m for m in mailoutbox if m.to == ["province@soctrang.gov.vn"])
    not_submitted = Unit.objects.exclude(code="31498").count()
    assert summary.subject.startswith(f"[Thi đua CĐS] {not_submitted} đơn vị chưa nộp")
    assert "- 31501 · Phường 7 (Thành phố Sóc Trăng)\n" in summary.body
    assert "- SO-NV · Sở Nội vụ\n" in summary.body
    assert "31498" not in summary.body
    assert "(chưa có địa chỉ e-mail)" in summary.body


@pytest.mark.parametrize(
    "today", ["2023-12-01", "2023-12-07", "2023-12-09", "2023-12-13", "2023-12-15", "2023-12-16"]
)
def test_no_reminder_on_other_days(cast, mailoutbox, today):
    assert send_deadline_reminders(datetime.date.fromisoformat(today)) == []
    assert mailoutbox == []


def test_running_twice_the_same_day_sends_nothing_more(cast, mailoutbox):
    first = send_deadline_reminders(datetime.date(2023, 12, 8))
    second = send_deadline_reminders(datetime.date(2023, 12, 8))

    assert len(first) == 3
    assert second == []
    assert len(mailoutbox) == 3
    assert DeadlineReminder.objects.count() == 3
    send_deadline_reminders(datetime.date(2023, 12, 14))
    assert len(mailoutbox) == 6


def test_a_unit_that_submits_meanwhile_is_not_reminded_again(cast, mailoutbox):
    send_deadline_reminders(datetime.date(2023, 12, 8))
    Assessment.objects.filter(unit__code="31501").update(state=Assessment.State.SUBMITTED)
    mailoutbox.clear()

    send_deadline_reminders(datetime.date(2023, 12, 14))

    assert ("other_editor@soctrang.gov.vn",) not in mails_to(mailoutbox)
    summary = next(m for m in mailoutbox if m.to == ["province@soctrang.gov.vn"])
    assert "31501" not in summary.body


def test_only_open_periods_are_reminded(cast, period, mailoutbox):
    Period.objects.filter(pk=period.pk).update(state=Period.State.REVIEWING)
    assert send_deadline_reminders(datetime.date(2023, 12, 8)) == []
    assert mailoutbox == []


def test_a_dry_run_lists_and_sends_nothing(cast, mailoutbox, capsys):
    call_command("send_deadline_reminders", "--today", "2023-12-14", "--dry-run")

    out = capsys.readouterr().out
    assert "Sẽ gửi: 2023 · còn 1 ngày · 31501 → other_editor@soctrang.gov.vn" in out
    assert mailoutbox == []
    assert not DeadlineReminder.objects.exists()


def test_the_command_sends_and_reports(cast, mailoutbox, capsys):
    call_command("send_deadline_reminders", "--today", "2023-12-14")
    call_command("send_deadline_reminders", "--today", "2023-12-14")

    out = capsys.readouterr().out
    assert out.count("Đã gửi:") == 3
    assert "Không có nhắc hạn nào cần gửi hôm nay." in out
    assert len(mailoutbox) == 3


def test_the_command_refuses_a_bad_date(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_deadline_reminders", "--today", "15/12/2023")
