from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.operations.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = "Restore a backup into an empty, migrated database (and its file storage)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument(
            "--verify-only", action="store_true", help="Only check the files' checksums."
        )

    def handle(self, *args, source: Path, verify_only: bool, **options):
        try:
            manifest = verify_backup(source) if verify_only else restore_backup(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        action = "Bản sao lưu hợp lệ" if verify_only else "Đã khôi phục"
        self.stdout.write(
            f"{action}: {sum(manifest['row_counts'].values())} dòng, {len(manifest['files'])} tệp."
        )
