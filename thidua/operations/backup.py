"""Backup and restore: the database as Django fixtures plus every evidence file, with checksums.

A backup is a directory:

    manifest.json     format, time, database vendor, row counts per model, and for every
                      stored file its storage name, size and SHA-256
    database.xml.gz   `dumpdata` of every thidua table (and users, history, lockouts), in
                      Django's XML format: lossless (the JSON format cuts microseconds)
    files/<name>      each file of the default storage (evidence), byte for byte

It is independent of the database engine (a SQLite backup restores into PostgreSQL) and of
the storage backend (local disk or S3): files are read and written through the storage API.
For a large production database, the PostgreSQL dump of the deployment guide is faster;
this format is what the restore test proves identical.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.core import management
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

FORMAT = "thidua-backup/1"
CHUNK = 1024 * 1024
# Sessions and the content types/permissions tables are rebuilt by `migrate`.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    pass


def _sha256_of(storage_name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with default_storage.open(storage_name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def stored_file_names() -> list[str]:
    """Names of every file the database refers to through a FileField."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "get_internal_type", lambda: "")() == "FileField":
                values = model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                names.update(value for value in values if value)
    return sorted(names)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("contenttypes", "sessions")
        and model._meta.label not in ("auth.Permission", "admin.LogEntry")
    }


def create_backup(target: Path) -> dict:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục {target} đã có dữ liệu; hãy chọn thư mục trống.")
    (target / "files").mkdir(parents=True, exist_ok=True)
    with transaction.atomic():  # one consistent snapshot of rows and file names
        with gzip.open(target / "database.xml.gz", "wt", encoding="utf-8") as dump:
            management.call_command(
                "dumpdata",
                format="xml",  # lossless: JSON fixtures cut datetimes to milliseconds
                exclude=EXCLUDED,
                natural_foreign=True,
                natural_primary=False,
                stdout=dump,
                verbosity=0,
            )
        counts = _row_counts()
        names = stored_file_names()
    files = []
    for name in names:
        if not default_storage.exists(name):
            raise BackupError(f"Thiếu tệp {name} trong kho lưu trữ")
        destination = target / "files" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        files.append({"name": name, "size": size, "sha256": digest.hexdigest()})
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "row_counts": counts,
        "files": files,
    }
    (target / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def verify_backup(source: Path) -> dict:
    """Check every file of a backup against the manifest; return the manifest."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được manifest.json trong {source}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("Thư mục không phải là bản sao lưu thidua")
    for item in manifest["files"]:
        path = source / "files" / item["name"]
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
        if digest.hexdigest() != item["sha256"]:
            raise BackupError(f"Tệp {item['name']} bị hỏng (SHA-256 không khớp)")
    return manifest


def restore_backup(source: Path) -> dict:
    """Restore into an empty, migrated database and storage; all or nothing for the rows."""
    source = Path(source)
    manifest = verify_backup(source)
    user_model = apps.get_model("auth", "User")
    if user_model.objects.exists() or apps.get_model("units", "Unit").objects.exists():
        raise BackupError("Cơ sở dữ liệu đích không trống; khôi phục cần một CSDL mới (migrate).")
    with transaction.atomic():
        # loaddata reads the gzip itself, streaming: no uncompressed copy on disk.
        management.call_command("loaddata", str(source / "database.xml.gz"), verbosity=0)
        counts = _row_counts()
        for label, expected in manifest["row_counts"].items():
            if counts.get(label) != expected:
                raise BackupError(
                    f"{label}: khôi phục {counts.get(label)} dòng, bản sao lưu có {expected}"
                )
    for item in manifest["files"]:
        with (source / "files" / item["name"]).open("rb") as handle:
            if default_storage.exists(item["name"]):
                default_storage.delete(item["name"])
            saved = default_storage.save(item["name"], File(handle))
        if saved != item["name"]:
            raise BackupError(f"Kho lưu trữ đổi tên tệp {item['name']} thành {saved}")
        digest, _ = _sha256_of(saved)
        if digest != item["sha256"]:
            raise BackupError(f"Tệp {item['name']} khôi phục không khớp SHA-256")
    return manifest
