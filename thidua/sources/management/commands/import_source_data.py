from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from thidua.periods.models import Period
from thidua.sources import services
from thidua.sources.access import can_import_source_data
from thidua.sources.display import rate_text
from thidua.sources.plan import Plan
from thidua.sources.reading import MAX_FILE_BYTES, SourceFileError
from thidua.sources.services import ImportRefused

SHOWN_DISCREPANCIES = 50


class Command(BaseCommand):
    help = (
        "Nhập số liệu từ hệ thống nguồn (CSV/XLSX: unit_code, criterion_code, rate hoặc "
        "numerator/denominator) làm số liệu thẩm định của một kỳ đánh giá; tất cả hoặc không."
    )

    def add_arguments(self, parser):
        parser.add_argument("period_code", help="Mã kỳ đánh giá, ví dụ 2023")
        parser.add_argument("file", type=Path, help="Tệp .csv hoặc .xlsx")
        parser.add_argument(
            "--source",
            default="",
            help='Nguồn dữ liệu, ví dụ "Cổng DVC tỉnh" (bỏ trống nếu tệp có cột source)',
        )
        parser.add_argument(
            "--user", help="Tên đăng nhập của người nhập (Sở TT&TT hoặc quản trị viên)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và báo cáo, không ghi gì"
        )

    def handle(self, *args, period_code, file, source, user, dry_run, **options):
        period = Period.objects.filter(code=period_code).first()
        if period is None:
            raise CommandError(f"Không có kỳ đánh giá mã '{period_code}'")
        importer = self._user(user)
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        if file.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 2**20} MB)")
        data = file.read_bytes()
        options = {"period": period, "data": data, "filename": file.name, "label": source}
        try:
            if dry_run:
                plan = services.dry_run(**options)
            else:
                services.expire_stale_imports()
                applied = services.import_source_file(**options, user=importer)
        except SourceFileError as exc:
            self._fail([str(p) for p in exc.problems], exc.total)
        except ImportRefused as exc:
            self._fail(exc.problems, len(exc.problems))
        if dry_run:
            self._report(plan, period)
            self.stdout.write("Chạy thử (--dry-run): không có gì được ghi.")
            return
        self.stdout.write(
            f"Đã nhập {applied.row_count} dòng số liệu “{applied.source}” cho {period.name}: "
            f"{applied.changed_count} giá trị thẩm định thay đổi, {applied.discrepancy_count} "
            f"chênh lệch, {applied.cleared_count} giá trị của lần nhập trước được bỏ."
        )
        if applied.replaces_id:
            self.stdout.write(f"Thay cho lần nhập {applied.replaces.uuid}.")
        self.stdout.write(f"Mã lần nhập: {applied.uuid}")

    def _user(self, username):
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'")
        if not can_import_source_data(user):
            raise CommandError(
                f"Người dùng '{username}' không được nhập số liệu nguồn "
                "(chỉ Sở TT&TT và quản trị viên)"
            )
        return user

    def _fail(self, problems, total):
        for problem in problems:
            self.stderr.write(problem)
        raise CommandError(f"Không nhập được tệp: {total} lỗi; không có gì thay đổi.")

    def _report(self, plan: Plan, period):
        tolerance = f"{period.discrepancy_tolerance.normalize():f}".replace(".", ",")
        self.stdout.write(f"Nguồn: {plan.label} — {period.name}")
        self.stdout.write(f"Số dòng: {len(plan.rows)}")
        self.stdout.write(f"Giá trị thẩm định sẽ thay đổi: {plan.changes}")
        self.stdout.write(f"Tiêu chí đơn vị chưa nhập: {plan.new_entries}")
        self.stdout.write(
            f"Chênh lệch với số liệu tự báo cáo (hơn {tolerance} điểm %): {plan.discrepancies}"
        )
        self.stdout.write(f"Giá trị của lần nhập trước sẽ bị bỏ: {len(plan.clears)}")
        flagged = [row for row in plan.rows if row.discrepancy]
        for row in flagged[:SHOWN_DISCREPANCIES]:
            self.stdout.write(
                f"  Dòng {row.value.line}: {row.value.unit_code} {row.value.criterion_code} "
                f"tự báo cáo {rate_text(row.self_rate)}, nguồn {rate_text(row.source_rate)}"
            )
        if len(flagged) > SHOWN_DISCREPANCIES:
            self.stdout.write(f"  … và {len(flagged) - SHOWN_DISCREPANCIES} dòng khác")
