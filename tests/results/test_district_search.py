"""A level with many districts (a national contest) is filtered by a search field: name or
code, with or without diacritics. Sóc Trăng's 11 districts keep the list."""

import pytest
from django.urls import reverse

from thidua.results import views
from thidua.results.districts import folded, matching_districts

from .helpers import make_assessment

RANKING = "/results/2023/ranking/xa/"


@pytest.fixture
def filled(cast, period):
    make_assessment(period, "31498")  # Phường 5, Thành phố Sóc Trăng (941)
    make_assessment(period, "31528")  # Thị trấn Kế Sách, Huyện Kế Sách (943)
    return period


@pytest.fixture
def many_districts(monkeypatch):
    monkeypatch.setattr(views, "DISTRICT_LIST_MAX", 5)


def units_shown(response) -> list[str]:
    return [row.unit.code for row, _ in response.context["rows"]]


@pytest.mark.django_db
def test_a_province_lists_its_districts(client, cast, filled):
    client.force_login(cast["province"])
    html = client.get(RANKING).content.decode()
    assert '<select name="district"' in html and 'name="district_q"' not in html


@pytest.mark.django_db
def test_many_districts_are_searched_not_listed(client, cast, filled, many_districts):
    client.force_login(cast["province"])
    html = client.get(RANKING).content.decode()
    assert 'name="district_q"' in html and '<select name="district"' not in html
    assert '<option value="944"' not in html  # no list of every district


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Kế Sách", "ke sach", "  KẾ   SÁCH ", "943"])
def test_one_matching_district_filters_the_page(client, cast, filled, many_districts, typed):
    client.force_login(cast["province"])
    response = client.get(RANKING, {"district_q": typed, "kind": "thi_tran", "page": "3"})
    assert response.status_code == 302
    assert response["Location"] == f"{RANKING}?kind=thi_tran&district=943"
    filtered = client.get(response["Location"])
    assert units_shown(filtered) == ["31528"]
    assert 'value="Huyện Kế Sách"' in filtered.content.decode()


@pytest.mark.django_db
def test_several_matches_are_offered_and_the_page_stays_unfiltered(
    client, cast, filled, many_districts
):
    client.force_login(cast["province"])
    response = client.get(RANKING, {"district_q": "Thị xã"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 huyện khớp với “Thị xã”" in html
    assert f'href="{RANKING}?district=948">Thị xã Ngã Năm</a>' in html
    assert f'href="{RANKING}?district=950">Thị xã Vĩnh Châu</a>' in html
    assert sorted(units_shown(response)) == ["31498", "31528"]


@pytest.mark.django_db
def test_no_match_says_so_and_shows_every_district(client, cast, filled, many_districts):
    client.force_login(cast["province"])
    response = client.get(RANKING, {"district_q": "<b>Hà Nội</b>"})
    html = response.content.decode()
    assert "Không có huyện nào khớp với “&lt;b&gt;Hà Nội&lt;/b&gt;”" in html
    assert "<b>Hà Nội</b>" not in html
    assert sorted(units_shown(response)) == ["31498", "31528"]


@pytest.mark.django_db
def test_the_gaps_page_takes_the_same_search(client, cast, filled, many_districts):
    client.force_login(cast["province"])
    response = client.get(reverse("results:level_gaps", args=["2023", "xa"]), {"district_q": "943"})
    assert response.status_code == 302
    assert response["Location"].endswith("?district=943")


@pytest.mark.django_db
def test_a_district_reviewer_cannot_search_elsewhere(client, cast, filled, many_districts):
    client.force_login(cast["district"])
    response = client.get(RANKING, {"district_q": "Kế Sách"})
    assert response.status_code == 200
    assert units_shown(response) == ["31498"]
    assert 'name="district_q"' not in response.content.decode()


class Named:
    def __init__(self, code, name):
        self.code, self.name = code, name


def test_matching_by_code_first_then_by_folded_name():
    districts = [Named("001", "Quận Đống Đa"), Named("002", "Huyện Đông Anh"), Named("3", "X")]
    assert folded("Quận Đống Đa") == "quan dong da"
    assert [d.code for d in matching_districts(districts, "dong")] == ["001", "002"]
    assert [d.code for d in matching_districts(districts, "Đông Anh")] == ["002"]
    assert [d.code for d in matching_districts(districts, "001")] == ["001"]
    assert matching_districts(districts, "") == []
