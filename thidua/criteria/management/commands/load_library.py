from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua import scoring
from thidua.criteria.services import LibraryAlreadyLoaded, load_library, read_library_file


class Command(BaseCommand):
    help = "Validate a criteria library (YAML) and store it as a published version. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("library_file", type=Path)
        parser.add_argument(
            "--if-absent",
            action="store_true",
            help="Succeed without change if this set version is already loaded.",
        )

    def handle(self, *args, library_file: Path, if_absent: bool, **options):
        try:
            version = load_library(read_library_file(library_file))
        except scoring.LibraryError as exc:
            raise CommandError(
                "Thư viện tiêu chí không hợp lệ, không lưu gì:\n" + "\n".join(exc.problems)
            ) from exc
        except LibraryAlreadyLoaded as exc:
            if if_absent:
                self.stdout.write(f"Đã có phiên bản {exc.version}; không thay đổi.")
                return
            raise CommandError(
                f"Phiên bản {exc.version} đã được nạp; phiên bản mới cần số hiệu phiên bản mới."
            ) from exc
        counts = ", ".join(f"{lvl.code}: {lvl.criteria.count()}" for lvl in version.levels.all())
        self.stdout.write(f"Đã nạp {version} ({counts}).")
