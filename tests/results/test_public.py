"""The public page of final results: only when switched on and final; never any detail."""

import pytest
from django.urls import reverse

from thidua.assessments.models import Assessment
from thidua.evidence.models import Evidence
from thidua.periods.models import Period
from thidua.results.models import PublicResults
from thidua.results.services import set_public_results
from thidua.reviews.models import ReviewComment

from .helpers import make_assessment

URL = "/results/public/2023/"


@pytest.fixture
def results(cast, period, bands):
    final = Assessment.State.FINALIZED
    make_assessment(period, "SO-NV", state=final)
    make_assessment(period, "SO-YT", state=final, overrides={"T04": {"rate": "0"}})  # 90
    make_assessment(period, "SO-TTTT", state=final, overrides={"T03": {"rate": "50"}})
    draft = make_assessment(
        period, "VP-UBND", overrides={"T15": {"numerator": 17, "denominator": 23}}
    )
    ReviewComment.objects.create(
        assessment=draft, criterion_code="T03", author=cast["province"], text="Bí mật thẩm định"
    )
    for assessment in Assessment.objects.filter(period=period):
        Evidence.objects.create(
            assessment=assessment,
            criterion_code="T01",
            doc_number="99/KH-UBND",
            doc_date="2023-01-20",
            doc_issuer="Sở",
            doc_summary="Kế hoạch chuyển đổi số mật",
            uploaded_by=cast["admin"],
        )
    ReviewComment.objects.create(
        assessment=Assessment.objects.get(unit__code="SO-NV"),
        criterion_code="",
        author=cast["province"],
        text="Nhận xét chung không công khai",
    )
    return period


def finalize(period):
    Period.objects.filter(pk=period.pk).update(state=Period.State.FINAL)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "enabled", "status"),
    [
        (Period.State.OPEN, True, 404),
        (Period.State.REVIEWING, True, 404),
        (Period.State.PUBLISHED, True, 404),
        (Period.State.FINAL, False, 404),
        (Period.State.FINAL, None, 404),  # never switched on
        (Period.State.FINAL, True, 200),
        (Period.State.ARCHIVED, True, 200),
    ],
)
def test_the_public_page_exists_only_when_switched_on_and_final(
    client, results, state, enabled, status
):
    Period.objects.filter(pk=results.pk).update(state=state)
    if enabled is not None:
        PublicResults.objects.create(period=results, enabled=enabled)
    assert client.get(URL).status_code == status


@pytest.mark.django_db
def test_an_unknown_period_is_404(client, cast):
    assert client.get("/results/public/1999/").status_code == 404


@pytest.mark.django_db
def test_the_public_page_shows_unit_rank_total_and_grade_only(client, results):
    finalize(results)
    PublicResults.objects.create(period=results, enabled=True)
    response = client.get(URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Sở Nội vụ" in html and "100,00" in html
    assert "Sở Y tế" in html and "90,00" in html and "Xuất sắc" in html
    assert "Sở Thông tin và Truyền thông" in html
    # a unit without a final result is not listed
    assert "Văn phòng Ủy ban nhân dân tỉnh" not in html
    # no evidence, no comments, no inputs, no links into the application
    for secret in (
        "99/KH-UBND",
        "Kế hoạch chuyển đổi số mật",
        "Bí mật thẩm định",
        "Nhận xét chung",
        "17/23",
        "50%",
        "/sheet/",
        "/evidence/",
        "T03",
    ):
        assert secret not in html
    level = response.context["levels"][0]
    assert [(row.unit.code, row.rank) for row in level.rows] == [
        ("SO-NV", 1),
        ("SO-TTTT", 2),
        ("SO-YT", 3),
    ]


@pytest.mark.django_db
def test_switching_records_who_and_when_and_can_be_undone(cast, results):
    finalize(results)
    switch = set_public_results(results, cast["province"], enabled=True)
    assert switch.enabled and switch.enabled_by == cast["province"] and switch.enabled_at
    assert switch.history.count() == 1
    set_public_results(results, cast["admin"], enabled=False)
    switch.refresh_from_db()
    assert not switch.enabled and switch.enabled_by == cast["admin"]
    assert switch.history.count() == 2


@pytest.mark.django_db
def test_the_switch_view_turns_the_page_on_and_off(client, cast, results):
    finalize(results)
    client.force_login(cast["admin"])
    client.post(reverse("results:public_switch", args=["2023"]), {"enabled": "1"})
    client.logout()
    assert client.get(URL).status_code == 200
    client.force_login(cast["admin"])
    client.post(reverse("results:public_switch", args=["2023"]), {"enabled": "0"})
    client.logout()
    assert client.get(URL).status_code == 404
