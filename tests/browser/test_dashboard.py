"""A leader opens the dashboard in Chromium and every chart is drawn; the results pages render."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.browser.conftest import wait_until
from thidua.assessments.demo import DEMO_PASSWORD
from thidua.results.demo import load_demo_2022


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True
    call_command("load_demo")
    load_demo_2022(User.objects.get(username="quantri"))  # idempotent if load_demo did it


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1")


# Chart.js is a deferred script: the canvases exist before it has run and drawn them.
CHARTS_DRAWN = """() => window.Chart !== undefined
    && document.querySelectorAll("canvas[data-chart]").length > 0
    && Array.from(document.querySelectorAll("canvas[data-chart]"))
        .every((canvas) => window.Chart.getChart(canvas) !== undefined)"""


def wait_for_charts(page):
    page.wait_for_selector("canvas[data-chart]")
    wait_until(page, CHARTS_DRAWN)


DRAWN = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => ({
    chart: canvas.dataset.chart,
    registered: window.Chart.getChart(canvas) !== undefined,
    width: canvas.width,
    height: canvas.height,
    inked: (() => {
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        return painted;
    })(),
}))"""


def test_a_leader_opens_the_dashboard_and_every_chart_is_drawn(page, live_server, demo, screenshot):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "favicon" not in msg.location.get("url", "")
            and errors.append(msg.text)
        ),
    )
    log_in(page, live_server, "lanhdao")

    page.click("nav.mainnav a[href='/results/dashboard/']")
    wait_for_charts(page)
    charts = page.evaluate(DRAWN)

    kinds = {chart["chart"] for chart in charts}
    assert {"progress", "distribution", "ranking", "criteria", "years", "units"} <= kinds
    for chart in charts:
        assert chart["registered"], chart
        assert chart["width"] > 100 and chart["height"] > 100, chart
        assert chart["inked"] > 500, chart  # something was painted, not a blank canvas
    assert page.locator(".results-banner.preliminary").count() == 1
    assert errors == []
    path = screenshot("dashboard-2023")
    assert path.stat().st_size > 50_000

    page.click(".dash-head >> text=2022")
    page.wait_for_selector(".results-banner.final")
    wait_for_charts(page)
    assert all(chart["registered"] for chart in page.evaluate(DRAWN))
    screenshot("dashboard-2022")
    assert errors == []


def test_a_reviewer_reads_a_ranking_a_gap_analysis_and_prints_a_score_sheet(
    page, live_server, demo, screenshot
):
    log_in(page, live_server, "sotttt")
    page.goto(f"{live_server.url}/results/2022/ranking/tinh/")
    ranks = page.locator("table.ranking tbody td.rank").all_inner_texts()
    assert ranks[0] == "1" and len(ranks) == 6
    assert page.locator("th", has_text="T01").count() == 1
    screenshot("ranking-2022-tinh")

    page.goto(f"{live_server.url}/results/2023/ranking/xa/?district=941")
    assert page.locator(".results-banner.preliminary").count() == 1
    assert page.locator(".watermark").count() == 1
    screenshot("ranking-2023-xa-941")

    page.goto(f"{live_server.url}/results/2023/units/SO-YT/gaps/")
    assert page.locator("ol.gaps li").count() > 0
    screenshot("gaps-so-yt")

    page.goto(f"{live_server.url}/results/2023/gaps/tinh/")
    screenshot("gaps-tinh")

    page.goto(f"{live_server.url}/periods/2022/units/SO-YT/sheet/")
    page.emulate_media(media="print")
    assert not page.locator("thead th.inputs-col").is_visible()
    assert page.locator(".print-title").is_visible()
    screenshot("score-sheet-so-yt-print")


def test_the_public_page_needs_no_login(page, live_server, demo, screenshot):
    response = page.goto(f"{live_server.url}/results/public/2022/")
    assert response.status == 200
    assert page.locator("table.public-ranking").count() == 3
    screenshot("public-2022")
    assert page.goto(f"{live_server.url}/results/public/2023/").status == 404
