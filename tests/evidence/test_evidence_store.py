import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment
from thidua.assessments.services import criterion_of
from thidua.evidence.models import Evidence
from thidua.evidence.services import (
    EvidenceRejected,
    evidence_for,
    missing_required_evidence,
    remove_evidence,
    store_evidence,
)

from . import samples

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^evidence/2023/31498/[0-9a-f]{32}\.(\w+)$")


def store(access, user, name, content, *, code="X03", content_type="application/octet-stream"):
    return store_evidence(
        access=access,
        criterion_code=code,
        uploaded_file=samples.upload(name, content, content_type),
        user=user,
    )


def submit(access):
    Assessment.objects.filter(pk=access.assessment.pk).update(state=Assessment.State.SUBMITTED)


@pytest.mark.parametrize(
    ("name", "make", "content_type", "kind", "extension"),
    [
        ("Kế hoạch CĐS 2023.pdf", samples.pdf, "application/pdf", "document", "pdf"),
        ("Ảnh hội nghị.png", samples.png, "image/png", "image", "png"),
        ("Ảnh tập huấn.jpg", samples.jpeg, "image/jpeg", "image", "jpg"),
        (
            "Báo cáo.docx",
            samples.docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "document",
            "docx",
        ),
        (
            "Số liệu.xlsx",
            samples.xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "document",
            "xlsx",
        ),
        ("Văn bản.odt", samples.odf, "application/vnd.oasis.opendocument.text", "document", "odt"),
        ("Công văn.doc", samples.word97, "application/msword", "document", "doc"),
        (
            "Bảng cũ.xls",
            lambda: samples.ole("Workbook"),
            "application/vnd.ms-excel",
            "document",
            "xls",
        ),
        ("Clip tuyên truyền.mp4", samples.mp4, "video/mp4", "video", "mp4"),
    ],
)
def test_it_stores_each_accepted_type_with_checksum_size_and_a_generated_name(
    cast, editor_access, media_files, name, make, content_type, kind, extension
):
    content = make()
    evidence = store(editor_access, cast["editor"], name, content)

    evidence.refresh_from_db()
    assert evidence.original_name == name
    assert evidence.content_type == content_type
    assert evidence.kind == kind
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == cast["editor"]
    assert GENERATED.match(evidence.file.name).group(1) == extension
    assert media_files() == [evidence.file.name]
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


def test_it_trusts_the_content_not_the_browsers_claim(cast, editor_access):
    evidence = store(
        editor_access, cast["editor"], "ảnh.png", samples.png(), content_type="text/html"
    )
    assert evidence.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "make", "claimed"),
    [
        ("quyet-dinh.pdf", samples.elf, "application/pdf"),
        ("quyet-dinh.pdf", samples.windows_exe, "application/pdf"),
        ("quyet-dinh.pdf", samples.html, "application/pdf"),
        ("bieu-do.svg", samples.svg, "image/svg+xml"),
        ("trống.pdf", lambda: b"", "application/pdf"),
        ("ảnh.pdf", samples.png, "application/pdf"),
        (
            "bom.docx",
            lambda: samples.with_extra_entries(
                samples.docx(), {"word/media/big.xml": b"\x00" * (5 * 1024 * 1024)}
            ),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "macro.docx",
            lambda: samples.with_extra_entries(samples.docx(), {"word/vbaProject.bin": b"VBA"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_it_stores_nothing_for_a_refused_file(
    cast, editor_access, media_files, name, make, claimed
):
    with pytest.raises(EvidenceRejected) as caught:
        store(editor_access, cast["editor"], name, make(), content_type=claimed)
    assert f"«{name}»" in caught.value.message
    assert not Evidence.objects.exists()
    assert media_files() == []


def test_it_stores_nothing_for_a_file_over_the_limit(cast, editor_access, media_files, settings):
    settings.THIDUA_EVIDENCE_MAX_BYTES = 2048
    with pytest.raises(EvidenceRejected, match="vượt giới hạn 2 KB"):
        store(editor_access, cast["editor"], "lớn.pdf", samples.pdf() + b" " * 4096)
    assert not Evidence.objects.exists()
    assert media_files() == []


def test_it_cleans_a_hostile_name_for_display_and_never_uses_it_for_the_path(
    cast, editor_access, media_files, settings
):
    evidence = store(
        editor_access, cast["editor"], "../../../etc/\x00pass\x1bwd\u202e.pdf", samples.pdf()
    )
    assert evidence.original_name == "passwd.pdf"
    assert GENERATED.match(evidence.file.name)
    assert media_files() == [evidence.file.name]
    assert not (settings.MEDIA_ROOT.parent / "etc").exists()


def test_a_new_upload_with_the_same_name_never_overwrites_the_previous_one(
    cast, editor_access, media_files
):
    first = store(editor_access, cast["editor"], "Báo cáo.pdf", samples.pdf())
    second = store(editor_access, cast["head"], "Báo cáo.pdf", samples.pdf() + b"% v2\n")

    assert first.file.name != second.file.name
    assert sorted(media_files()) == sorted([first.file.name, second.file.name])
    with first.file.open("rb") as stored:
        assert stored.read() == samples.pdf()
    assert [e.original_name for e in evidence_for(editor_access.assessment)["X03"]] == [
        "Báo cáo.pdf",
        "Báo cáo.pdf",
    ]


def test_it_stores_a_citation_without_a_file(cast, editor_access, media_files):
    evidence = store_evidence(
        access=editor_access,
        criterion_code="X01",
        uploaded_file=None,
        user=cast["editor"],
        citation={
            "doc_number": "  125/KH-UBND ",
            "doc_date": datetime.date(2023, 3, 5),
            "doc_issuer": "UBND Phường 5",
            "doc_summary": "Kế hoạch chuyển đổi số năm 2023",
        },
    )
    evidence.refresh_from_db()
    assert not evidence.has_file
    assert (evidence.doc_number, evidence.doc_date) == ("125/KH-UBND", datetime.date(2023, 3, 5))
    assert evidence.doc_issuer == "UBND Phường 5"
    assert media_files() == []
    assert (
        missing_required_evidence(
            editor_access.assessment, [criterion_of(evidence.assessment, "X01")]
        )
        == []
    )


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        (None, "Hãy chọn tệp minh chứng, hoặc ghi số hiệu và ngày"),
        ({"doc_number": "125/KH-UBND"}, "Hãy chọn tệp minh chứng, hoặc ghi số hiệu và ngày"),
        ({"doc_date": datetime.date(2023, 3, 5)}, "Hãy chọn tệp minh chứng"),
        ({"doc_number": "1", "doc_date": "05/03/2023"}, "Ngày ban hành văn bản không hợp lệ"),
        ({"doc_number": "1", "doc_date": datetime.date(2999, 1, 1)}, "sau ngày hôm nay"),
        ({"doc_number": "1" * 101, "doc_date": datetime.date(2023, 1, 1)}, "quá dài"),
    ],
)
def test_it_refuses_an_incomplete_or_implausible_citation(cast, editor_access, citation, message):
    with pytest.raises(EvidenceRejected, match=message):
        store_evidence(
            access=editor_access,
            criterion_code="X01",
            uploaded_file=None,
            user=cast["editor"],
            citation=citation,
        )
    assert not Evidence.objects.exists()


def test_a_file_may_carry_a_citation(cast, editor_access):
    evidence = store_evidence(
        access=editor_access,
        criterion_code="X01",
        uploaded_file=samples.upload("kh.pdf", samples.pdf()),
        user=cast["editor"],
        citation={"doc_number": "125/KH-UBND", "doc_date": "2023-03-05"},
    )
    assert evidence.doc_date == datetime.date(2023, 3, 5)


def test_it_refuses_a_criterion_of_another_level(cast, editor_access):
    with pytest.raises(EvidenceRejected, match="T01 không thuộc"):
        store(editor_access, cast["editor"], "kh.pdf", samples.pdf(), code="T01")


@pytest.mark.parametrize("who", ["province", "district", "viewer"])
def test_only_the_units_own_editors_may_store(cast, who, editor_access, media_files):
    access = get_assessment_for_user(cast[who], "2023", "31498")
    with pytest.raises(PermissionDenied):
        store(access, cast[who], "kh.pdf", samples.pdf())
    assert media_files() == []


def test_nothing_is_stored_once_the_assessment_is_submitted(cast, editor_access, media_files):
    submit(editor_access)
    # A form loaded before the submission still holds an access that said "editable".
    with pytest.raises(PermissionDenied):
        store(editor_access, cast["editor"], "kh.pdf", samples.pdf())
    assert not Evidence.objects.exists()
    assert media_files() == []


def test_the_stored_file_is_deleted_when_the_database_write_fails(
    cast, editor_access, media_files, monkeypatch
):
    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(IntegrityError):
        store(editor_access, cast["editor"], "kh.pdf", samples.pdf())
    assert media_files() == []


def test_removal_is_recorded_and_keeps_the_file(cast, editor_access, media_files):
    evidence = store(editor_access, cast["editor"], "kh.pdf", samples.pdf())

    remove_evidence(
        access=editor_access, evidence=evidence, user=cast["head"], reason="  Nhầm tệp  "
    )

    evidence.refresh_from_db()
    assert evidence.is_removed
    assert evidence.removed_by == cast["head"]
    assert evidence.removal_reason == "Nhầm tệp"
    assert evidence.removed_at is not None
    assert media_files() == [evidence.file.name]
    assert evidence_for(editor_access.assessment) == {}
    assert evidence.history.first().history_change_reason == "remove"
    assert [h.history_change_reason for h in evidence.history.all()] == ["remove", "upload"]


def test_removal_needs_a_reason_and_happens_once(cast, editor_access):
    evidence = store(editor_access, cast["editor"], "kh.pdf", samples.pdf())
    with pytest.raises(EvidenceRejected, match="lý do"):
        remove_evidence(access=editor_access, evidence=evidence, user=cast["editor"], reason=" ")
    remove_evidence(access=editor_access, evidence=evidence, user=cast["editor"], reason="Sai")
    with pytest.raises(EvidenceRejected, match="đã được gỡ"):
        remove_evidence(access=editor_access, evidence=evidence, user=cast["editor"], reason="Sai")


def test_removal_is_refused_once_the_assessment_is_submitted(cast, editor_access):
    evidence = store(editor_access, cast["editor"], "kh.pdf", samples.pdf())
    submit(editor_access)
    with pytest.raises(PermissionDenied):
        remove_evidence(access=editor_access, evidence=evidence, user=cast["editor"], reason="x")
    fresh = get_assessment_for_user(cast["editor"], "2023", "31498")
    assert not fresh.can_edit
    with pytest.raises(PermissionDenied):
        remove_evidence(access=fresh, evidence=evidence, user=cast["editor"], reason="x")
    evidence.refresh_from_db()
    assert not evidence.is_removed


def test_missing_required_evidence_lists_criteria_asking_for_it_without_active_evidence(
    cast, editor_access
):
    assessment = editor_access.assessment
    level = [criterion_of(assessment, code) for code in ("X03", "X04", "X05", "X06")]
    store(editor_access, cast["editor"], "x03.pdf", samples.pdf(), code="X03")
    removed = store(editor_access, cast["editor"], "x04.pdf", samples.pdf(), code="X04")
    remove_evidence(access=editor_access, evidence=removed, user=cast["editor"], reason="Sai")

    # X06 does not ask for evidence.
    assert missing_required_evidence(assessment, level) == ["X04", "X05"]
    assert list(evidence_for(assessment)) == ["X03"]


def test_an_assessment_never_saved_has_no_evidence(cast, period):
    access = get_assessment_for_user(cast["editor"], "2023", "31498")
    assert access.assessment.pk is None
    assert evidence_for(access.assessment) == {}
    criteria = [criterion_of(access.assessment, "X03")]
    assert missing_required_evidence(access.assessment, criteria) == ["X03"]
