"""A crash in the middle of an upload or an import leaves nothing partial (issue 6): no file
without its row, no row without its file, no import half applied; the user gets a clear
message or a clean error page."""

import io
import os

import pytest
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.assessments.test_workbook import TYPED, download, edit
from tests.evidence import samples
from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.services import save_self_inputs
from thidua.assessments.workbook_import import import_assessment_workbook
from thidua.criteria.models import CriteriaLevel, CriteriaSet, CriteriaSetVersion, Criterion
from thidua.criteria.services import load_library
from thidua.evidence.models import Evidence
from thidua.evidence.services import EvidenceRejected, store_evidence
from thidua.sources.models import SourceImport
from thidua.sources.services import confirm_import, create_pending_import, import_source_file
from thidua.units.importing import import_units
from thidua.units.models import Unit

from ..assessments.cast import make_cast
from .crash import crash_on_write
from .pages import assert_clean_error_page

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CHUNK = File.DEFAULT_CHUNK_SIZE


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def assessment(cast, period):
    return Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))


@pytest.fixture
def editor_client(cast):
    """Logged in as the commune's editor; server errors come back as the error page."""
    client = Client(raise_request_exception=False)
    client.force_login(cast["editor"])
    return client


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def big_pdf() -> bytes:
    """A valid PDF of five storage chunks (padding in a comment line)."""
    return samples.pdf().replace(b"trailer", b"%" + b"x" * (5 * CHUNK) + b"\ntrailer")


class BreaksOnChunk(File):
    """Hands the storage the upload's chunks, then fails on chunk `nth` (a full disk)."""

    def __init__(self, content, nth, on_failure):
        super().__init__(content.file, content.name)
        self.nth, self.on_failure = nth, on_failure

    def chunks(self, chunk_size=None):
        # In steps of CHUNK, as a large upload spooled to disk is streamed.
        for number, chunk in enumerate(super().chunks(CHUNK), start=1):
            if number == self.nth:
                self.on_failure()
                raise OSError(28, "No space left on device")
            yield chunk


@pytest.fixture
def disk_fills_up(monkeypatch):
    """The file storage fails on the 3rd chunk; yields the sizes found on disk at that moment."""
    real_save = FileSystemStorage._save
    partial_sizes = []

    def save(storage, name, content):
        def record():
            partial_sizes.append(os.path.getsize(storage.path(name)))

        return real_save(storage, name, BreaksOnChunk(content, 3, record))

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return partial_sizes


def nothing_stored(settings):
    assert stored_files(settings) == []
    assert Evidence.objects.count() == 0
    assert Evidence.history.count() == 0


def test_a_file_write_failing_half_way_leaves_no_file_and_no_row(
    cast, assessment, disk_fills_up, settings
):
    access = get_assessment_for_user(cast["editor"], "2023", "31498")
    upload = samples.upload("Kế hoạch CĐS.pdf", big_pdf(), "application/pdf")

    with pytest.raises(EvidenceRejected) as refused:
        store_evidence(
            access=access, criterion_code="X03", uploaded_file=upload, user=cast["editor"]
        )

    assert disk_fills_up == [2 * CHUNK]  # two chunks had reached the disk when it failed
    assert "Kế hoạch CĐS.pdf" in refused.value.message
    assert "thử lại" in refused.value.message
    nothing_stored(settings)


def test_the_uploader_is_told_the_file_was_not_saved(editor_client, disk_fills_up, settings):
    url = reverse("evidence:upload", args=["2023", "31498", "X03"])
    upload = samples.upload("Kế hoạch CĐS.pdf", big_pdf(), "application/pdf")

    response = editor_client.post(url, {"file": upload}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Không lưu được tệp «Kế hoạch CĐS.pdf»" in html
    assert disk_fills_up and stored_files(settings) == []
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    ("table", "error", "status"),
    [
        # The row itself, then its history record: the file is already in the storage.
        ("evidence_evidence", None, 503),
        ("evidence_historicalevidence", None, 503),
        ("evidence_historicalevidence", RuntimeError("worker crashed"), 500),
    ],
)
def test_a_crash_while_the_row_is_written_removes_the_stored_file(
    editor_client, assessment, settings, table, error, status
):
    url = reverse("evidence:upload", args=["2023", "31498", "X03"])
    upload = samples.upload("Kế hoạch CĐS.pdf", big_pdf(), "application/pdf")

    with crash_on_write(table, error=error) as crash:
        response = editor_client.post(url, {"file": upload}, **HTMX)

    assert crash.crashed
    assert_clean_error_page(response, status)
    nothing_stored(settings)
    # Nothing half-done blocks the next attempt.
    upload.seek(0)
    assert editor_client.post(url, {"file": upload}, **HTMX).status_code == 200
    assert Evidence.objects.count() == 1 and len(stored_files(settings)) == 1


def saved_inputs(assessment) -> dict:
    entries = CriterionEntry.objects.filter(assessment=assessment)
    return {e.criterion_code: (e.self_inputs, e.revision) for e in entries}


def test_an_excel_import_crashing_on_the_fifth_criterion_saves_none(cast, assessment, monkeypatch):
    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "10"}, user=cast["editor"]
    )
    workbook = edit(download(assessment), TYPED)
    before, history_before = saved_inputs(assessment), CriterionEntry.history.count()
    calls = []

    def save_then_crash(**kwargs):
        calls.append(kwargs["criterion_code"])
        if len(calls) == 5:
            raise OSError("worker killed")
        return save_self_inputs(**kwargs)

    monkeypatch.setattr("thidua.assessments.workbook_import.save_self_inputs", save_then_crash)

    with pytest.raises(OSError, match="worker killed"):
        import_assessment_workbook(
            assessment=assessment, fileobj=io.BytesIO(workbook), user=cast["editor"]
        )

    assert len(calls) == 5  # four criteria had been written when it crashed
    assert saved_inputs(assessment) == before
    assert CriterionEntry.history.count() == history_before


def test_an_excel_upload_whose_database_write_fails_gives_a_clean_page_and_saves_none(
    editor_client, assessment, cast
):
    workbook = edit(download(assessment), TYPED)
    url = reverse("assessments:workbook_import", args=["2023", "31498"])
    upload = samples.upload("tu-danh-gia.xlsx", workbook)

    with crash_on_write("assessments_historicalcriterionentry", nth=7) as crash:
        response = editor_client.post(url, {"workbook": upload})

    assert crash.crashed
    assert_clean_error_page(response, 503)
    assert saved_inputs(assessment) == {}
    assert CriterionEntry.history.count() == 0


def source_snapshot():
    entries = CriterionEntry.objects.order_by("pk").values_list(
        "pk", "verified_inputs", "verified_source", "discrepancy", "revision"
    )
    history = CriterionEntry.history.count() + Assessment.history.count()
    return list(entries), history, Assessment.objects.count()


def csv_bytes(*rows):
    return "\n".join(["unit_code,criterion_code,rate,numerator,denominator", *rows]).encode()


@pytest.fixture
def first_import(cast, period):
    """The source's data already applied: what a failed re-import must leave in place."""
    first = create_pending_import(
        period=period,
        data=csv_bytes("31498,X06,90,,", "31501,X06,,45,50"),
        filename="dvc-1.csv",
        label="Cổng DVC tỉnh",
        user=cast["province"],
    )
    return confirm_import(source_import=first, user=cast["province"])


def second_upload(period, user):
    """A re-import that changes one value, drops one row and adds rows for new units."""
    rows = ["31498,X06,70,,", "31504,X06,80,,", "31507,X06,,10,20", "31510,X06,55,,"]
    return create_pending_import(
        period=period,
        data=csv_bytes(*rows),
        filename="dvc-2.csv",
        label="Cổng DVC tỉnh",
        user=user,
    )


@pytest.mark.parametrize(
    ("table", "nth"),
    [
        ("assessments_assessment", 1),  # creating the new units' assessments
        ("assessments_criterionentry", 2),  # between two bulk writes of entries
        ("assessments_historicalcriterionentry", 2),  # copying the history
        ("sources_sourceimport", 2),  # marking the previous import replaced
    ],
)
def test_a_source_import_crashing_mid_write_keeps_the_previous_data_and_adds_nothing(
    cast, period, first_import, table, nth
):
    pending = second_upload(period, cast["province"])
    before = source_snapshot()

    with crash_on_write(table, nth) as crash, pytest.raises(OperationalError):
        confirm_import(source_import=pending, user=cast["province"])

    assert crash.crashed
    assert source_snapshot() == before
    first_import.refresh_from_db()
    pending.refresh_from_db()
    assert first_import.status == SourceImport.Status.APPLIED
    assert pending.status == SourceImport.Status.PENDING and pending.decided_at is None
    # The interrupted import can simply be confirmed again.
    confirm_import(source_import=pending, user=cast["province"])
    assert CriterionEntry.objects.get(
        assessment__unit__code="31498", criterion_code="X06"
    ).verified_inputs == {"rate": "70"}


def test_a_one_go_source_import_crashing_stores_not_even_the_pending_import(cast, period):
    before = source_snapshot(), SourceImport.objects.count()

    with crash_on_write("assessments_criterionentry", 1), pytest.raises(OperationalError):
        import_source_file(
            period=period,
            data=csv_bytes("31498,X06,70,,", "31504,X06,80,,"),
            filename="dvc.csv",
            label="Cổng DVC tỉnh",
            user=cast["province"],
        )

    assert (source_snapshot(), SourceImport.objects.count()) == before


def test_confirming_through_the_page_when_the_write_fails_gives_a_clean_page(
    cast, period, first_import
):
    pending = second_upload(period, cast["province"])
    before = source_snapshot()
    client = Client(raise_request_exception=False)
    client.force_login(cast["province"])

    with crash_on_write("assessments_criterionentry", 2):
        response = client.post(reverse("sources:confirm", args=[pending.uuid]))

    assert_clean_error_page(response, 503)
    assert source_snapshot() == before
    pending.refresh_from_db()
    assert pending.status == SourceImport.Status.PENDING


def units_snapshot():
    return list(Unit.objects.order_by("code").values_list("code", "name", "parent_id", "is_active"))


def test_a_units_import_crashing_mid_write_changes_no_unit(units):
    before = units_snapshot()
    renamed = "31498,Phường 5 (mới),commune,phuong,941\n31501,Phường 7 (mới),commune,phuong,941\n"
    added = "99001,Xã Thử Nghiệm,commune,xa,941\n"
    text = "code,name,level,kind,parent_code\n" + renamed + added

    with crash_on_write("units_unit", nth=2) as crash, pytest.raises(OperationalError):
        import_units(text)

    assert crash.crashed
    assert units_snapshot() == before
    report = import_units(text)  # and nothing half-done blocks a retry
    assert (len(report.updated), len(report.created)) == (2, 1)


def test_loading_a_library_that_crashes_on_its_second_level_stores_no_part_of_it(db, library_data):
    with crash_on_write("criteria_criterion", nth=2) as crash, pytest.raises(OperationalError):
        load_library(library_data)

    assert crash.crashed
    assert CriteriaSet.objects.count() == 0
    assert CriteriaSetVersion.objects.count() == 0
    assert CriteriaLevel.objects.count() == 0
    assert Criterion.objects.count() == 0
    version = load_library(library_data)  # not "already loaded": nothing was left behind
    assert version.levels.count() == 3
