"""The score sheet (phiếu chấm điểm): review comments per criterion, printable layout."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from thidua.reviews.models import ReviewComment

from .helpers import make_assessment

URL = reverse("assessments:sheet", args=["2023", "31498"])


@pytest.fixture
def commented(cast, period):
    assessment = make_assessment(period, "31498", overrides={"X03": {"rate": "40"}})
    ReviewComment.objects.create(
        assessment=assessment,
        criterion_code="X03",
        author=cast["district"],
        text="Đề nghị bổ sung số liệu hồ sơ trực tuyến quý IV",
    )
    ReviewComment.objects.create(
        assessment=assessment,
        criterion_code="X03",
        author=cast["district"],
        text="Đã đối chiếu Cổng DVC",
        resolved_at=timezone.now(),
        resolved_by=cast["district"],
    )
    ReviewComment.objects.create(
        assessment=assessment, criterion_code="", author=cast["province"], text="Nhận xét chung"
    )
    return assessment


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "district", "province", "viewer"])
def test_the_sheet_shows_open_and_resolved_comments_per_criterion(client, cast, commented, who):
    client.force_login(cast[who])
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    row = html[html.index('id="X03"') :]
    row = row[: row.index("</tr>")]
    assert "Đề nghị bổ sung số liệu hồ sơ trực tuyến quý IV" in row
    assert 'class="sheet-comment open"' in row
    assert 'class="sheet-comment resolved"' in row
    assert "Nhận xét chung" in html[: html.index('id="X03"')]


@pytest.mark.django_db
def test_the_sheet_is_laid_out_for_print_as_in_the_decision(client, cast, commented):
    client.force_login(cast["editor"])
    html = client.get(URL).content.decode()
    assert "results/sheet.css" in html and "results/print.js" in html
    assert "data-print" in html
    headers = html[html.index("<thead>") : html.index("</thead>")]
    # STT · Nội dung tiêu chí · Điểm chuẩn · [inputs: screen only] · tự chấm · thẩm định · Ghi chú
    assert len(re.findall(r"<th[ >]", headers)) == 7
    assert 'class="inputs-col"' in headers
    assert "<script>" not in html  # no inline script (CSP)
    assert reverse("results:unit_gaps", args=["2023", "31498"]) in html


@pytest.mark.django_db
def test_the_sheet_of_an_untouched_unit_has_no_comments_and_makes_no_row(client, cast):
    client.force_login(cast["editor"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["comments"] == {}


@pytest.mark.django_db
def test_an_accepted_criterion_shows_its_score_as_verified_with_the_reason(client, cast, period):
    assessment = make_assessment(period, "31498", overrides={"X03": {"rate": "40"}})
    assessment.entries.filter(criterion_code="X03").update(
        accepted=True, review_reason="Khớp số liệu Cổng DVC"
    )
    client.force_login(cast["editor"])
    html = client.get(URL).content.decode()
    row = html[html.index('id="X03"') :]
    row = row[: row.index("</tr>")]
    assert row.count(">6,67<") == 2  # 40/60 × 10: self-assessed and verified cells
    assert "Khớp số liệu Cổng DVC" in row
