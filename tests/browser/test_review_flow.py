"""The review in Chromium: the district returns a criterion with a comment, the commune fixes
it and resubmits, the district verifies, the province sets a verified value and finalizes,
and the commune sees the verified score and the reason."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.assessments.cast import make_cast
from tests.assessments.fill import fill_assessment
from tests.browser.conftest import wait_until
from tests.browser.test_self_assessment import log_in, png_bytes
from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment
from thidua.assessments.submission import submit_assessment
from thidua.evidence.services import store_evidence
from thidua.periods.models import Extension
from thidua.units.models import Unit

ON_TIME = datetime.datetime.fromisoformat("2023-12-10 09:00:00+07:00")


def pdf_bytes() -> bytes:
    """A real one-page PDF, so that Chromium's viewer has something to show."""
    from weasyprint import HTML

    return HTML(
        string="<h1>Kế hoạch 15/KH-UBND</h1><p>Ứng dụng CNTT, chuyển đổi số năm 2023</p>"
    ).write_pdf()


@pytest.fixture
def submitted_commune(transactional_db, units, period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cast = make_cast()
    unit = Unit.objects.get(code="31498")
    # The 2023 deadline is past: an extension lets the commune resubmit after the return.
    Extension.objects.create(
        period=period,
        unit=unit,
        until=timezone.localdate() + datetime.timedelta(days=10),
        reason="Kiểm thử",
        granted_by=cast["admin"],
    )
    access = get_assessment_for_user(cast["editor"], "2023", "31498", create=True)
    fill_assessment(access.assessment, cast["editor"])
    for code, name, content in (
        ("X01", "KH 15-KH-UBND.pdf", pdf_bytes()),
        ("X14", "ngay-10-10.png", png_bytes()),
    ):
        store_evidence(
            access=access,
            criterion_code=code,
            uploaded_file=SimpleUploadedFile(name, content),
            user=cast["editor"],
        )
    with time_machine.travel(ON_TIME, tick=False):
        submit_assessment(assessment=access.assessment, user=cast["head"])
    return access.assessment


def review_page(page, live_server):
    page.goto(f"{live_server.url}/reviews/2023/units/31498/")
    page.wait_for_selector("#crit-X03")


def submit_confirmed(page, selector):
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(selector)
    page.wait_for_load_state("networkidle")


def test_a_return_fix_verify_finalize_round_trip(page, live_server, submitted_commune, screenshot):
    assessment = submitted_commune

    # The district returns X03 with a comment.
    log_in(page, live_server, "district")
    page.goto(f"{live_server.url}/reviews/2023/")
    page.wait_for_selector("#row-31498")
    screenshot("review-queue-district")
    page.click("#row-31498 a")
    page.wait_for_selector("#crit-X03")
    assert page.locator("#crit-X01 iframe.ev-pdf").count() == 1
    assert page.locator("#crit-X14 img.ev-img").count() == 1
    # Previews load lazily, as they come into view, through the evidence download view.
    page.locator("#crit-X14 img.ev-img").scroll_into_view_if_needed()
    wait_until(page, "document.querySelector('#crit-X14 img.ev-img').naturalWidth > 0")
    page.locator("#crit-X01 iframe.ev-pdf").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot("review-appraisal-district")
    page.click("#return summary")
    page.fill("#id_return-c_X03", "Tỷ lệ 55% chưa khớp Hệ thống QLVB; kiểm tra lại.")
    submit_confirmed(page, "#return-form button[type=submit]")
    assert "Đã trả lại" in page.inner_text(".messages")
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT

    # The commune sees why, fixes X03, and its head resubmits.
    log_in(page, live_server, "editor")
    page.wait_for_selector("#crit-X03")
    assert "chưa khớp Hệ thống QLVB" in page.inner_text("#feedback-X03")
    page.fill("#id_X03-rate", "50")
    page.wait_for_selector("#result-X03 .explain:has-text('50')")
    screenshot("unit-sees-the-return")
    log_in(page, live_server, "head")
    page.wait_for_selector("#crit-X03")
    submit_confirmed(page, "form.submit-form button[type=submit]")
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED

    # The district accepts everything and verifies.
    log_in(page, live_server, "district")
    review_page(page, live_server)
    page.click("#accept-remaining button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã chấp nhận 14 tiêu chí" in page.inner_text(".messages")
    submit_confirmed(page, "#verify-form button[type=submit]")
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.VERIFIED

    # The province lowers X03 to the system's 30%: a reason is required, then it is saved.
    log_in(page, live_server, "province")
    review_page(page, live_server)
    page.click("#crit-X03 .act-verify summary")
    page.fill("#id_v-X03-rate", "30")
    page.click("#crit-X03 .act-verify button[type=submit]")
    page.wait_for_selector("#err-v-X03-reason:has-text('cần ghi lý do')")
    screenshot("review-reason-required")
    page.fill("#id_v-X03-reason", "Hệ thống QLVB ghi nhận 30% hồ sơ xử lý trên môi trường mạng.")
    page.click("#crit-X03 .act-verify button[type=submit]")
    page.wait_for_selector("#final-score-X03:has-text('5,00')")
    assert page.inner_text("#self-score-X03") == "8,33"
    assert "8,33" not in page.inner_text("#review-final-total")
    screenshot("review-verified-value")
    submit_confirmed(page, "#finalize-form button[type=submit]")
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.FINALIZED

    # The commune sees the verified score and the reason.
    log_in(page, live_server, "editor")
    page.wait_for_selector("#feedback-X03")
    assert page.inner_text("#verified-score-X03") == "5,00"
    assert "Hệ thống QLVB ghi nhận 30%" in page.inner_text("#review-reason-X03")
    assert "chưa khớp Hệ thống QLVB" in page.inner_text("#feedback-X03")
    page.locator("#crit-X03").scroll_into_view_if_needed()
    screenshot("unit-sees-the-verified-score")

    # Another district's reviewer cannot open the commune's review.
    log_in(page, live_server, "other_district")
    response = page.goto(f"{live_server.url}/reviews/2023/units/31498/")
    assert response.status == 404
