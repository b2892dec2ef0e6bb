"""Every error is the same JSON body; never an HTML page, never a 500 for bad input."""

import pytest

from .conftest import UNIT

CRITERION = f"/api/periods/2023/assessments/{UNIT}/criteria/X03"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and not error["message"].isascii()  # Vietnamese
    assert isinstance(error["details"], list)
    return error


@pytest.mark.django_db
def test_401_has_the_error_body(as_):
    assert_error(as_("no_token").get("/api/periods"), 401, "unauthorized")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/periods/1999",
        "/api/periods/2023/assessments/NO-SUCH-UNIT",
        f"/api/periods/2023/assessments/{UNIT}/criteria/T01",
        "/api/periods/2023/rankings/no-level",
        "/api/criteria-sets/x/versions/1",
        "/api/units/31501",
        "/api/no/such/endpoint",
        "/api/",
    ],
)
def test_404_has_the_error_body(as_, path):
    assert_error(as_("editor").get(path), 404, "not_found")


@pytest.mark.django_db
def test_an_unknown_address_under_api_is_json_even_without_a_token(client):
    assert_error(client.get("/api/nothing"), 404, "not_found")


@pytest.mark.django_db
def test_422_names_the_criterion_and_the_field(as_):
    response = as_("editor").put(CRITERION, {"inputs": {"rate": "abc"}, "expected_revision": 0})
    error = assert_error(response, 422, "invalid_inputs")
    assert error["details"] == [
        {
            "criterion": "X03",
            "field": "rate",
            "message": "Tỷ lệ phải là số, ví dụ 90 hoặc 90,5 (nhận được 'abc')",
        }
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"inputs": {"rate": "90"}}, ["body", "payload", "expected_revision"]),
        (
            {"inputs": {"rate": "90"}, "expected_revision": -1},
            ["body", "payload", "expected_revision"],
        ),
        (
            {"inputs": {"rate": "90"}, "expected_revision": "x"},
            ["body", "payload", "expected_revision"],
        ),
        ({"inputs": [1, 2], "expected_revision": 0}, ["body", "payload", "inputs"]),
    ],
)
def test_ninjas_own_validation_errors_have_the_error_body(as_, payload, loc):
    error = assert_error(as_("editor").put(CRITERION, payload), 422, "invalid_request")
    assert error["details"][0]["loc"] == loc


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/periods/2023%00", "/api/units?level=%00", "/api/units?kind=" + "x" * 100]
)
def test_odd_codes_are_refused_before_any_query(as_, path):
    assert as_("province").get(path).status_code in (404, 422)


@pytest.mark.django_db
def test_an_unreadable_body_is_400(as_):
    response = as_("editor").client.put(
        CRITERION,
        "{not json",
        content_type="application/json",
        headers={"Authorization": as_("editor").header},
    )
    assert_error(response, 400, "bad_request")


@pytest.mark.django_db
def test_403_has_the_error_body(as_):
    response = as_("province").put(CRITERION, {"inputs": {"rate": "90"}, "expected_revision": 0})
    assert_error(response, 403, "forbidden")


@pytest.mark.django_db
def test_a_session_write_needs_the_csrf_token(client, cast):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(cast["editor"])
    response = csrf_client.put(
        CRITERION,
        {"inputs": {"rate": "90"}, "expected_revision": 0},
        content_type="application/json",
    )
    assert_error(response, 403, "forbidden")
    assert csrf_client.get(f"/api/periods/2023/assessments/{UNIT}").status_code == 200


@pytest.mark.django_db
def test_a_method_an_endpoint_lacks_is_405_json(as_):
    caller = as_("editor")
    response = caller.client.delete("/api/periods", headers={"Authorization": caller.header})
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
