import pytest
from django.core.management import call_command

from thidua.assessments.demo import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True
    call_command("load_demo")


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")


def test_a_reviewer_browses_the_criteria_and_a_score_sheet(page, live_server, demo, screenshot):
    log_in(page, live_server, "sotttt")
    page.wait_for_selector("h1")
    assert "Kỳ đánh giá" in page.inner_text("h1")

    page.click("text=Bộ tiêu chí")
    page.click("text=Đơn vị cấp tỉnh")
    rows = page.locator("table.criteria tbody tr")
    assert rows.count() == 16
    assert "⚠" in page.inner_text("table.criteria")
    screenshot("criteria-tinh")

    page.goto(f"{live_server.url}/periods/2023/units/SO-TTTT/sheet/")
    assert page.locator("table.sheet tbody tr").count() == 16
    final_total = page.inner_text(".total-box.final .value")
    assert "," in final_total  # Vietnamese decimal comma
    screenshot("score-sheet-so-tttt")


def test_a_commune_editor_cannot_open_another_communes_sheet(page, live_server, demo):
    log_in(page, live_server, "xa31498")
    page.wait_for_selector("#crit-X01")
    assert "Phường 5" in page.inner_text("h1")
    response = page.goto(f"{live_server.url}/periods/2023/units/31501/")
    assert response.status == 404
