"""The awards officer builds a proposal in Chromium, adjusts it and downloads it."""

import re

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.assessments.cast import PASSWORD, make_cast
from tests.browser.conftest import wait_until
from tests.exports.support import fill
from thidua.awards.models import AwardProposal


@pytest.fixture
def contest(transactional_db, units, period, live_server):
    cast = make_cast()
    for code in ("31498", "31501"):
        fill(period, code, cast["admin"])
    fill(period, "31504", cast["admin"], skip=("X03",))
    fill(period, "SO-TTTT", cast["admin"])
    return cast


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def preview_units(page) -> list[str]:
    return page.locator("#preview tr[data-unit]").evaluate_all(
        "rows => rows.map(row => row.dataset.unit)"
    )


def test_the_awards_officer_builds_adjusts_and_downloads_a_proposal(
    contest, page, live_server, screenshot, tmp_path
):
    log_in(page, live_server, "awards")
    page.goto(f"{live_server.url}/awards/")
    page.click("a[href='/awards/2023/new/']")
    page.wait_for_selector("#preview")
    assert preview_units(page) == ["SO-TTTT", "31498", "31501", "31504"]  # top 3 per level

    # Communes: a total of at least 80 (the live preview follows without a reload).
    page.select_option("#id_xa-kind", "min_total")
    page.fill("#id_xa-value", "80")
    wait_until(page, "() => !document.querySelector('#preview tr[data-unit=\"31504\"]')")
    page.select_option("#id_huyen-kind", "")
    page.fill("#id_award_form", "Bằng khen của Chủ tịch UBND tỉnh")
    page.wait_for_load_state("networkidle")
    assert preview_units(page) == ["SO-TTTT", "31498", "31501"]
    screenshot("awards-new-proposal")

    page.click("#save-proposal")
    page.wait_for_selector("table.proposal-items")
    assert re.search(r"\d\d/\d{4}", page.inner_text("h1"))

    page.select_option("#id_unit", "31504")
    page.fill("#id_reason", "Mô hình Tổ công nghệ số cộng đồng tiêu biểu")
    page.click("#add-unit-form button[type=submit]")
    page.wait_for_selector("tr[data-unit='31504']")
    page.fill("tr[data-unit='31501'] input[name=reason]", "Chưa nộp đủ minh chứng")
    page.click("tr[data-unit='31501'] button[type=submit]")
    page.wait_for_selector("tr[data-unit='31501']", state="detached")
    assert "Chưa nộp đủ minh chứng" in page.inner_text("main")
    screenshot("awards-proposal-detail")

    with page.expect_download() as download_info:
        page.click("#export-docx")
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = Document(str(path))
    cells = [cell.text for row in document.tables[1].rows for cell in row.cells]
    assert "Phường 5 (Thành phố Sóc Trăng)" in cells
    assert "Sở Thông tin và Truyền thông" in cells
    assert "Phường 7 (Thành phố Sóc Trăng)" not in cells  # removed with a reason
    assert "Bổ sung: Mô hình Tổ công nghệ số cộng đồng tiêu biểu" in cells

    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    path = tmp_path / "proposal.xlsx"
    download_info.value.save_as(path)
    names = [row[2].value for row in load_workbook(path).worksheets[0].iter_rows()]
    assert "Phường 8 (Thành phố Sóc Trăng)" in names

    proposal = AwardProposal.objects.get()
    assert proposal.items.filter(removed=True).get().removed_reason == "Chưa nộp đủ minh chứng"
