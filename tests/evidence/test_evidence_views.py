import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment
from thidua.assessments.services import criterion_of
from thidua.evidence.models import Evidence
from thidua.evidence.services import remove_evidence, store_evidence

from . import samples

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EVERYONE = [
    "editor",
    "head",
    "other_editor",
    "district",
    "other_district",
    "province",
    "awards",
    "viewer",
    "admin",
    "outsider",
]


def upload_url(unit_code="31498", code="X03"):
    return reverse("evidence:upload", args=["2023", unit_code, code])


def detail_url(unit_code="31498"):
    return reverse("assessments:detail", args=["2023", unit_code])


@pytest.fixture
def evidence(cast, editor_access):
    return store_evidence(
        access=editor_access,
        criterion_code="X03",
        uploaded_file=samples.upload('Báo cáo tỷ lệ "hồ sơ".pdf', samples.pdf()),
        user=cast["editor"],
        citation={"doc_number": "15/BC-UBND", "doc_date": datetime.date(2023, 11, 20)},
    )


@pytest.fixture
def removed(cast, editor_access, evidence):
    remove_evidence(access=editor_access, evidence=evidence, user=cast["editor"], reason="Nhầm")
    return evidence


# Scope: who may use each view. 404 outside the caller's scope, 403 inside it without the right.

UPLOAD_STATUS = {
    "editor": 200,
    "head": 200,
    "other_editor": 404,
    "district": 403,
    "other_district": 404,
    "province": 403,
    "awards": 403,
    "viewer": 403,
    "admin": 403,
    "outsider": 404,
}


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_units_own_editors_may_upload(client, cast, media_files, who):
    client.force_login(cast[who])
    response = client.post(upload_url(), {"file": samples.upload("kh.pdf", samples.pdf())}, **HTMX)
    assert response.status_code == UPLOAD_STATUS[who]
    stored = Evidence.objects.count()
    assert stored == (1 if UPLOAD_STATUS[who] == 200 else 0)
    assert len(media_files()) == stored
    if UPLOAD_STATUS[who] != 200:
        # A refused write does not even create the (empty) assessment.
        assert not Assessment.objects.exists()


DOWNLOAD_STATUS = {
    "editor": 200,
    "head": 200,
    "other_editor": 404,
    "district": 200,
    "other_district": 404,
    "province": 200,
    "awards": 200,
    "viewer": 200,
    "admin": 200,
    "outsider": 404,
}


@pytest.mark.parametrize("who", EVERYONE)
def test_evidence_is_downloadable_by_those_whose_scope_covers_the_unit(client, cast, evidence, who):
    client.force_login(cast[who])
    response = client.get(reverse("evidence:download", args=[evidence.uuid]))
    assert response.status_code == DOWNLOAD_STATUS[who]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == samples.pdf()


REMOVED_DOWNLOAD_STATUS = {
    **DOWNLOAD_STATUS,
    "editor": 404,
    "head": 404,
    "awards": 404,
    "viewer": 404,
}


@pytest.mark.parametrize("who", EVERYONE)
def test_removed_evidence_stays_downloadable_by_reviewers_and_administrators_only(
    client, cast, removed, who
):
    client.force_login(cast[who])
    response = client.get(reverse("evidence:download", args=[removed.uuid]))
    assert response.status_code == REMOVED_DOWNLOAD_STATUS[who]


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_units_own_editors_may_remove(client, cast, evidence, who):
    client.force_login(cast[who])
    response = client.post(
        reverse("evidence:remove", args=[evidence.uuid]), {"reason": "Nhầm tệp"}, **HTMX
    )
    assert response.status_code == UPLOAD_STATUS[who]
    evidence.refresh_from_db()
    assert evidence.is_removed == (UPLOAD_STATUS[who] == 200)


@pytest.mark.parametrize(
    ("method", "name"),
    [("post", "upload"), ("get", "download"), ("post", "remove")],
)
def test_anonymous_callers_are_sent_to_the_login_page(client, evidence, method, name):
    args = ["2023", "31498", "X03"] if name == "upload" else [evidence.uuid]
    response = getattr(client, method)(reverse(f"evidence:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_evidence_or_criterion_is_not_found(client, cast):
    client.force_login(cast["editor"])
    url = reverse("evidence:download", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404
    response = client.post(upload_url(code="T01"), {"file": samples.upload("a.pdf", samples.pdf())})
    assert response.status_code == 404


def test_upload_accepts_only_post(client, cast):
    client.force_login(cast["editor"])
    assert client.get(upload_url()).status_code == 405


# Upload


def test_an_htmx_upload_returns_the_criterions_list_with_the_new_file(client, cast):
    client.force_login(cast["editor"])
    response = client.post(
        upload_url(),
        {
            "file": samples.upload("Ảnh tập huấn.png", samples.png(), "image/png"),
            "doc_number": "20/KH-UBND",
            "doc_date": "2023-04-02",
            "doc_issuer": "UBND Phường 5",
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert response.templates[0].name == "evidence/_evidence_list.html"
    evidence = Evidence.objects.get()
    html = response.content.decode()
    assert 'id="evidence-X03"' in html
    assert reverse("evidence:download", args=[evidence.uuid]) in html
    assert "Ảnh tập huấn.png" in html
    assert 'data-doc-date="2023-04-02"' in html
    assert "20/KH-UBND" in html
    assert 'role="alert"' not in html
    assert evidence.uploaded_by == cast["editor"]


def test_a_refused_htmx_upload_explains_why_in_vietnamese_and_stores_nothing(
    client, cast, media_files
):
    client.force_login(cast["editor"])
    response = client.post(
        upload_url(),
        {"file": samples.upload("quyet-dinh.pdf", samples.html(), "application/pdf")},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Tệp «quyet-dinh.pdf» không phải loại tệp được nhận" in html
    assert not Evidence.objects.exists()
    assert media_files() == []


def test_a_form_without_file_or_citation_is_refused(client, cast):
    client.force_login(cast["editor"])
    response = client.post(upload_url(), {"doc_issuer": "UBND"}, **HTMX)
    assert "Hãy chọn tệp minh chứng, hoặc ghi số hiệu và ngày" in response.content.decode()
    assert 'value="UBND"' in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_citation_alone_is_saved_from_the_form(client, cast):
    client.force_login(cast["head"])
    response = client.post(
        upload_url(code="X01"),
        {"doc_number": "125/KH-UBND", "doc_date": "05/03/2023", "doc_summary": "Kế hoạch CĐS"},
        **HTMX,
    )
    evidence = Evidence.objects.get()
    assert (evidence.doc_number, evidence.doc_date) == ("125/KH-UBND", datetime.date(2023, 3, 5))
    assert 'data-doc-date="2023-03-05"' in response.content.decode()


def test_a_plain_upload_redirects_back_with_a_message(client, cast):
    client.force_login(cast["editor"])
    response = client.post(upload_url(), {"file": samples.upload("kh.pdf", samples.pdf())})
    assert response.status_code == 302
    assert response["Location"] == detail_url()
    assert Evidence.objects.count() == 1

    response = client.post(
        upload_url(), {"file": samples.upload("x.pdf", samples.elf())}, follow=False
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("X03: Tệp «x.pdf» không phải loại tệp được nhận" in m for m in messages)


def test_a_plain_upload_returns_to_a_safe_next_address_only(client, cast):
    client.force_login(cast["editor"])
    file = samples.upload("kh.pdf", samples.pdf())
    local = client.post(upload_url(), {"file": file, "next": "/periods/2023/units/"})
    assert local["Location"] == "/periods/2023/units/"
    file = samples.upload("kh.pdf", samples.pdf())
    foreign = client.post(upload_url(), {"file": file, "next": "https://evil.example/"})
    assert foreign["Location"] == detail_url()


def test_the_first_upload_creates_the_assessment(client, cast):
    assert not Assessment.objects.exists()
    client.force_login(cast["editor"])
    client.post(upload_url(), {"file": samples.upload("kh.pdf", samples.pdf())}, **HTMX)
    assert Evidence.objects.get().assessment.unit.code == "31498"


def test_nothing_can_be_uploaded_once_the_assessment_is_submitted(client, cast, evidence):
    Assessment.objects.update(state=Assessment.State.SUBMITTED)
    client.force_login(cast["editor"])
    response = client.post(upload_url(), {"file": samples.upload("kh.pdf", samples.pdf())})
    assert response.status_code == 403
    assert Evidence.objects.count() == 1


# Download


def test_a_download_is_an_attachment_of_the_detected_type_under_the_original_name(
    client, cast, evidence
):
    client.force_login(cast["district"])
    response = client.get(reverse("evidence:download", args=[evidence.uuid]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%B7%20l%E1%BB%87%20"
        "_h%E1%BB%93%20s%C6%A1_.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; frame-ancestors 'self'"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Length"] == str(len(samples.pdf()))


def test_pdfs_and_images_may_be_shown_inline_other_types_never(client, cast, editor_access):
    client.force_login(cast["editor"])
    pdf = Evidence.objects.get(uuid=_store(cast, editor_access, "a.pdf", samples.pdf()).uuid)
    docx = _store(cast, editor_access, "b.docx", samples.docx())

    inline = client.get(reverse("evidence:download", args=[pdf.uuid]) + "?inline=1")
    assert inline["Content-Disposition"] == 'inline; filename="a.pdf"'
    assert inline["Content-Security-Policy"] == "sandbox; frame-ancestors 'self'"
    forced = client.get(reverse("evidence:download", args=[docx.uuid]) + "?inline=1")
    assert forced["Content-Disposition"].startswith("attachment;")


def test_a_name_without_the_extension_is_downloaded_with_the_detected_one(
    client, cast, editor_access
):
    evidence = _store(cast, editor_access, "QĐ 15.12.2023", samples.pdf())
    client.force_login(cast["editor"])
    response = client.get(reverse("evidence:download", args=[evidence.uuid]))
    assert response["Content-Disposition"].endswith("2023.pdf")


def test_a_citation_without_a_file_has_nothing_to_download(client, cast, editor_access):
    evidence = store_evidence(
        access=editor_access,
        criterion_code="X01",
        uploaded_file=None,
        user=cast["editor"],
        citation={"doc_number": "1/KH", "doc_date": datetime.date(2023, 1, 2)},
    )
    client.force_login(cast["editor"])
    assert client.get(reverse("evidence:download", args=[evidence.uuid])).status_code == 404


# Removal


def test_removal_through_the_view_records_who_and_why(client, cast, evidence):
    client.force_login(cast["head"])
    response = client.post(
        reverse("evidence:remove", args=[evidence.uuid]), {"reason": "Tải nhầm tệp"}, **HTMX
    )
    assert response.status_code == 200
    assert reverse("evidence:download", args=[evidence.uuid]) not in response.content.decode()
    evidence.refresh_from_db()
    assert (evidence.removed_by, evidence.removal_reason) == (cast["head"], "Tải nhầm tệp")


def test_removal_without_a_reason_is_refused(client, cast, evidence):
    client.force_login(cast["editor"])
    response = client.post(reverse("evidence:remove", args=[evidence.uuid]), {}, **HTMX)
    assert 'role="alert"' in response.content.decode()
    evidence.refresh_from_db()
    assert not evidence.is_removed


def test_removal_is_refused_once_submitted_and_for_evidence_already_removed(
    client, cast, evidence, editor_access
):
    client.force_login(cast["editor"])
    url = reverse("evidence:remove", args=[evidence.uuid])
    Assessment.objects.update(state=Assessment.State.SUBMITTED)
    assert client.post(url, {"reason": "x"}).status_code == 403
    Assessment.objects.update(state=Assessment.State.DRAFT)
    assert client.post(url, {"reason": "x"}).status_code == 302
    assert client.post(url, {"reason": "x"}).status_code == 404


# The partial as the assessment page includes it


def _store(cast, access, name, content, code="X03"):
    return store_evidence(
        access=access,
        criterion_code=code,
        uploaded_file=samples.upload(name, content),
        user=cast["editor"],
    )


@pytest.mark.parametrize(("who", "forms"), [("editor", True), ("province", False)])
def test_the_partial_offers_upload_and_removal_only_to_those_who_may_edit(
    cast, evidence, who, forms
):
    access = get_assessment_for_user(cast[who], "2023", "31498")
    request = RequestFactory().get("/")
    request.user = cast[who]
    html = render_to_string(
        "evidence/_evidence_list.html",
        {
            "access": access,
            "criterion": criterion_of(access.assessment, "X03"),
            "evidence_items": [evidence],
        },
        request=request,
    )
    assert "Báo cáo tỷ lệ" in html
    assert 'data-doc-date="2023-11-20"' in html
    assert "20/11/2023" in html
    assert ("evidence-upload" in html) is forms
    assert (reverse("evidence:remove", args=[evidence.uuid]) in html) is forms
    assert ('hx-encoding="multipart/form-data"' in html) is forms
