import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.assessments.cast import make_cast
from thidua.inspections.models import InspectionResult, InspectionSample
from thidua.inspections.services import draw_sample

pytestmark = pytest.mark.django_db

ROLES = [
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
READ = dict.fromkeys(ROLES, 403) | {"province": 200, "admin": 200, "anonymous": "login"}
WRITE = dict.fromkeys(ROLES, 403) | {"province": 200, "anonymous": "login"}


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def sample(cast, period):
    return draw_sample(period=period, user=cast["province"], size=3, seed=2435)


def login(client, cast, who):
    if who != "anonymous":
        client.force_login(cast[who])


def check(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def result_url(sample, unit_code=None):
    unit_code = unit_code or sample.results.first().unit.code
    return reverse("inspections:result", args=["2023", sample.uuid, unit_code])


@pytest.mark.parametrize(("who", "expected"), READ.items())
def test_the_list_per_role(client, cast, sample, who, expected):
    login(client, cast, who)
    response = client.get(reverse("inspections:list", args=["2023"]))
    check(response, expected)
    if expected == 200:
        html = response.content.decode()
        assert "2435" in html
        assert (reverse("inspections:draw", args=["2023"]) in html) is (who == "province")


@pytest.mark.parametrize(("who", "expected"), READ.items())
def test_a_sample_per_role(client, cast, sample, who, expected):
    login(client, cast, who)
    response = client.get(reverse("inspections:sample", args=["2023", sample.uuid]))
    check(response, expected)
    if expected == 200:
        html = response.content.decode()
        for result in sample.results.all():
            assert result.unit.code in html
        assert (result_url(sample) in html) is (who == "province")


@pytest.mark.parametrize(
    ("who", "expected"), {k: (302 if v == 200 else v) for k, v in WRITE.items()}.items()
)
def test_drawing_per_role(client, cast, period, who, expected):
    login(client, cast, who)
    response = client.post(
        reverse("inspections:draw", args=["2023"]), {"size": "4", "level": "xa", "seed": "77"}
    )
    check(response, expected)
    assert InspectionSample.objects.exists() is (expected == 302)
    if expected == 302:
        sample = InspectionSample.objects.get()
        assert response["Location"] == reverse("inspections:sample", args=["2023", sample.uuid])
        assert (sample.seed, sample.size, sample.level.code) == (77, 4, "xa")


def test_a_refused_draw_is_a_message(client, cast, period):
    client.force_login(cast["province"])
    response = client.post(reverse("inspections:draw", args=["2023"]), {"size": "999"}, follow=True)
    assert "không chọn được 999 đơn vị" in response.content.decode()
    assert not InspectionSample.objects.exists()


@pytest.mark.parametrize(("who", "expected"), WRITE.items())
def test_the_result_form_per_role(client, cast, sample, who, expected):
    login(client, cast, who)
    check(client.get(result_url(sample)), expected)


@time_machine.travel(datetime.datetime.fromisoformat("2024-01-05 15:00:00+07:00"), tick=False)
def test_recording_a_result_through_the_form(client, cast, sample):
    client.force_login(cast["province"])
    url = result_url(sample)

    response = client.post(
        url,
        {"result": "Khớp số liệu", "findings": "Đủ hồ sơ", "inspected_on": "2024-01-04"},
    )

    assert response.status_code == 302
    result = InspectionResult.objects.get(sample=sample, unit__code=url.rstrip("/").split("/")[-1])
    assert (result.status, result.result, result.inspected_on) == (
        "done",
        "Khớp số liệu",
        datetime.date(2024, 1, 4),
    )
    future = client.post(url, {"result": "x", "inspected_on": "2024-02-01"})
    assert future.status_code == 200
    assert "ở sau ngày hôm nay" in future.content.decode()


def test_unknown_sample_period_or_unit_is_404(client, cast, sample):
    client.force_login(cast["province"])
    assert client.get(reverse("inspections:sample", args=["2022", sample.uuid])).status_code == 404
    assert client.get(result_url(sample, "NOT-DRAWN")).status_code == 404
    assert client.get(reverse("inspections:list", args=["1999"])).status_code == 404
