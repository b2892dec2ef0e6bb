from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.units.importing import UnitImportError, import_units


class Command(BaseCommand):
    help = (
        "Import or update units from a CSV file (code,name,level,kind,parent_code). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file: Path, **options):
        try:
            text = csv_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp {csv_file}: {exc}") from exc
        try:
            report = import_units(text)
        except UnitImportError as exc:
            raise CommandError(
                "Không nhập đơn vị nào; tệp có lỗi:\n" + "\n".join(exc.problems)
            ) from exc
        self.stdout.write(
            f"{report.total} đơn vị: {len(report.created)} thêm mới, "
            f"{len(report.updated)} cập nhật, {len(report.unchanged)} không đổi."
        )
