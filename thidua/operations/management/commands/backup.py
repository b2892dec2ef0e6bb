from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and every evidence file (with SHA-256) into an empty directory."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path)

    def handle(self, *args, target: Path, **options):
        try:
            manifest = create_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Đã sao lưu {rows} dòng dữ liệu và {len(manifest['files'])} tệp vào {target}."
        )
