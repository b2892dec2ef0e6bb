import hashlib

import pytest
from django.apps import apps
from django.core import management
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError

from tests.assessments.cast import make_cast
from tests.assessments.fill import fill_assessment
from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment
from thidua.evidence.services import store_evidence
from thidua.operations.backup import stored_file_names
from thidua.units.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def snapshot() -> list:
    """Every row, with full precision (microseconds included), in a comparable form."""
    rows = []
    for model in apps.get_models():
        if model._meta.app_label in ("contenttypes", "sessions", "admin"):
            continue
        if model._meta.label == "auth.Permission":
            continue
        for values in model._base_manager.order_by("pk").values():
            rows.append(f"{model._meta.label} {sorted(values.items(), key=str)!r}")
    return sorted(rows)


def file_hashes() -> dict:
    hashes = {}
    for name in stored_file_names():
        with default_storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_wipes_restores_and_finds_everything_identical(units, period, tmp_path):
    cast = make_cast()
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))
    fill_assessment(assessment, cast["editor"])
    access = get_assessment_for_user(cast["editor"], "2023", "31498")
    for name in ("kế hoạch.pdf", "báo cáo.pdf"):
        store_evidence(
            access=access,
            criterion_code="X01",
            uploaded_file=SimpleUploadedFile(name, PDF + name.encode(), "application/pdf"),
            user=cast["editor"],
        )
    before, hashes = snapshot(), file_hashes()
    assert len(hashes) == 2

    management.call_command("backup", tmp_path / "backup")
    management.call_command("flush", interactive=False, verbosity=0)
    for name in hashes:
        default_storage.delete(name)
    assert Unit.objects.count() == 0 and file_hashes() == {}

    management.call_command("restore", tmp_path / "backup")

    assert snapshot() == before
    assert file_hashes() == hashes


@pytest.mark.django_db
def test_a_corrupted_backup_file_is_detected(units, period, tmp_path):
    cast = make_cast()
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))
    access = get_assessment_for_user(cast["editor"], "2023", "31498")
    evidence = store_evidence(
        access=access,
        criterion_code="X01",
        uploaded_file=SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        user=cast["editor"],
    )
    management.call_command("backup", tmp_path / "b")
    (tmp_path / "b" / "files" / evidence.file.name).write_bytes(PDF + b"tampered")

    with pytest.raises(CommandError, match="SHA-256"):
        management.call_command("restore", tmp_path / "b", "--verify-only")
    assert assessment.pk


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(units, period, tmp_path):
    management.call_command("backup", tmp_path / "b")
    with pytest.raises(CommandError, match="không trống"):
        management.call_command("restore", tmp_path / "b")


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_already_has_data(units, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="trống"):
        management.call_command("backup", tmp_path / "b")
