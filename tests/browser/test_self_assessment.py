"""A commune fills its whole self-assessment in Chromium, attaches evidence, and submits."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from tests.assessments.cast import PASSWORD, make_cast
from thidua.assessments.models import Assessment
from thidua.periods.models import Extension
from thidua.units.models import Unit

# Inputs a commune officer types, by criterion (Decision 2435, level xã).
DATES = {
    "X01": ("2023-01-20", "2023-12-05", "8,00"),
    "X02": ("2023-02-10", "2023-12-08", "4,00"),  # plan 10 days late: 1 month → 5 − 1 = 4
}
RATES = {
    "X03": "55",
    "X04": "92,5",
    "X05": "100",
    "X06": "97",
    "X07": "88",
    "X08": "100",
    "X09": "76",
    "X10": "41,2",
    "X12": "18",
    "X13": "35",
}


@pytest.fixture
def commune(transactional_db, units, period):
    cast = make_cast()
    for code in ("31498", "31501"):
        Extension.objects.create(
            period=period,
            unit=Unit.objects.get(code=code),
            until=timezone.localdate() + datetime.timedelta(days=10),
            reason="Kiểm thử",
            granted_by=cast["admin"],
        )
    return cast


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def total(page) -> str:
    return page.inner_text("#total-self").split("/")[0].strip()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_commune_fills_every_criterion_attaches_evidence_and_its_head_submits(
    page, live_server, commune, screenshot
):
    log_in(page, live_server, "editor")
    page.wait_for_selector("#crit-X01")
    assert total(page) == "0,00"

    for code, (plan, report, score) in DATES.items():
        page.fill(f"#id_{code}-plan_issued__actual", plan)
        page.fill(f"#id_{code}-results_reported__actual", report)
        page.wait_for_selector(f"#result-{code} .score:has-text('{score}')")

    before = total(page)
    for code, rate in RATES.items():
        page.fill(f"#id_{code}-rate", rate)
        page.wait_for_selector(f"#result-{code} .explain:has-text('{rate.replace(',', ',')}')")
    assert total(page) != before  # the page total follows each save
    assert "55/60 × 10" in page.inner_text("#result-X03")

    # An invalid value is refused on its field; the saved value stays.
    page.fill("#id_X03-rate", "120")
    page.wait_for_selector("#err-X03-rate:has-text('0–100')")
    assert "Chưa lưu" in page.inner_text("#result-X03")

    page.fill("#id_X11-numerator", "5")
    page.fill("#id_X11-denominator", "5")
    page.wait_for_selector("#result-X11 .score:has-text('8,00')")
    page.check("#crit-X14 input[value=thiet_thuc_phong_trao]")
    page.wait_for_selector("#result-X14 .score:has-text('8,00')")
    assert "14/14" in page.inner_text("#progress")

    # Evidence: a PDF and an image as files, the other documents cited by number and date.
    page.set_input_files(
        "#evidence-X01-file",
        files=[{"name": "KH 15-KH-UBND.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.click("#evidence-X01 button[type=submit]")
    page.wait_for_selector("#evidence-X01 .evidence-item")
    page.set_input_files(
        "#evidence-X14-file",
        files=[{"name": "hinh-anh-ngay-10-10.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    page.click("#evidence-X14 button[type=submit]")
    page.wait_for_selector("#evidence-X14 .evidence-item")
    assert "KH 15-KH-UBND.pdf" in page.inner_text("#evidence-X01")

    for code in ("X02", "X03", "X04", "X05", "X07", "X08", "X09", "X10", "X11", "X12", "X13"):
        section = f"#evidence-{code}"
        if page.locator(f"{section} .evidence-upload").count() == 0:
            continue
        page.click(f"{section} .evidence-citation-fields summary")
        page.fill(f"#evidence-{code}-doc-number", f"{code[1:]}/BC-UBND")
        page.fill(f"#evidence-{code}-doc-date", "2023-11-30")
        page.click(f"{section} button[type=submit]")
        page.wait_for_selector(f"{section} .evidence-item")
    screenshot("self-assessment-filled")

    log_in(page, live_server, "head")
    page.wait_for_selector("#crit-X01")
    assert "Mọi tiêu chí đã có số liệu" in page.inner_text("#missing")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form.submit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã nộp" in page.inner_text(".overview")
    assert page.locator("fieldset[disabled]").count() == 14
    screenshot("self-assessment-submitted")

    assessment = Assessment.objects.get(unit__code="31498")
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.evidence.filter(kind="document").count() == 1
    assert assessment.evidence.filter(kind="image").count() == 1

    log_in(page, live_server, "other_editor")
    response = page.goto(f"{live_server.url}/periods/2023/units/31498/")
    assert response.status == 404
