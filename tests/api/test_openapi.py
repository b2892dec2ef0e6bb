"""The OpenAPI schema documents every endpoint with its errors, for clients and schemathesis."""

import pytest
from django.conf import settings

ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture
def schema(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_it_is_the_thidua_api(schema):
    assert schema["info"]["title"] == "thidua API"
    assert schema["info"]["version"] == "1.0.0"
    assert "Bearer" in schema["info"]["description"]


def test_every_endpoint_documents_its_success_and_error_responses(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"200", "401"} <= set(responses), (method, path)
        for status, response in responses.items():
            content = response["content"]["application/json"]["schema"]
            if status.startswith("4"):
                assert content == {"$ref": ERROR_REF}, (method, path, status)
        assert operation.get("summary"), (method, path)
        assert {"TokenAuth": []} in operation["security"], (method, path)


def test_path_parameters_are_constrained_codes(schema):
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["schema"]["pattern"], (method, path, parameter["name"])


def test_the_error_schema_is_the_body_every_error_has(schema):
    error = schema["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"code", "message"}
    assert set(error["properties"]) == {"code", "message", "details"}


def test_every_endpoint_listed_in_the_schema_is_served(schema):
    expected = {
        ("get", "/api/me"),
        ("get", "/api/criteria-sets"),
        ("get", "/api/criteria-sets/{set_code}/versions/{version}"),
        ("get", "/api/units"),
        ("get", "/api/units/{unit_code}"),
        ("get", "/api/periods"),
        ("get", "/api/periods/{period_code}"),
        ("get", "/api/periods/{period_code}/assessments"),
        ("get", "/api/periods/{period_code}/assessments/{unit_code}"),
        ("get", "/api/periods/{period_code}/assessments/{unit_code}/criteria/{criterion_code}"),
        ("put", "/api/periods/{period_code}/assessments/{unit_code}/criteria/{criterion_code}"),
        ("get", "/api/periods/{period_code}/rankings/{level_code}"),
        ("post", "/api/periods/{period_code}/source-imports"),
        ("post", "/api/periods/{period_code}/source-imports/rows"),
    }
    assert {(method, path) for path, method, _ in operations(schema)} == expected


@pytest.mark.django_db
def test_the_docs_page_uses_the_vendored_swagger_files_not_a_cdn(client):
    # Needs "ninja" in INSTALLED_APPS: without it django-ninja renders its CDN template.
    assert "ninja" in settings.INSTALLED_APPS, "add 'ninja' to INSTALLED_APPS (thidua/settings.py)"
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
