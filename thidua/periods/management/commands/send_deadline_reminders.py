"""Deadline reminders by e-mail, meant for cron, once a day.

7 days and 1 day before the submission deadline of each open period, mails every unit that
has not submitted (its address and its editors' and head's) and sends the provincial
reviewers one list of those units. A second run on the same day sends nothing.

Cron line (the server's crontab; the day is counted in Asia/Ho_Chi_Minh):

    CRON_TZ=Asia/Ho_Chi_Minh
    30 7 * * *  cd /srv/thidua && .venv/bin/python manage.py send_deadline_reminders

`--today 2023-12-08` computes as if it were that day; `--dry-run` lists, sends nothing.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from thidua.periods.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Mail units that have not submitted, 7 days and 1 day before the deadline "
        "(daily, from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Compute as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"Ngày không hợp lệ: {today} (cần dạng YYYY-MM-DD).") from None
        reminders = send_deadline_reminders(today, dry_run=dry_run)
        verb = "Sẽ gửi" if dry_run else "Đã gửi"
        for reminder in reminders:
            self.stdout.write(
                f"{verb}: {reminder.period.code} · còn {reminder.days_left} ngày · "
                f"{reminder.recipient} → {', '.join(reminder.addresses)}"
            )
        if not reminders:
            self.stdout.write("Không có nhắc hạn nào cần gửi hôm nay.")
