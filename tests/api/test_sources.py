"""Importing source data through the API: reviewers only, all or nothing, lines named."""

import io

import pytest
from openpyxl import Workbook

from thidua.api import tokens
from thidua.assessments.models import CriterionEntry
from thidua.sources.models import SourceImport

from .conftest import NOBODY, ROLES, UNIT, statuses

PATH = "/api/periods/2023/source-imports"
GOOD_CSV = f"unit_code,criterion_code,rate\n{UNIT},X03,85.5\n31501,X03,70\n"
BAD_CSV = (
    "unit_code,criterion_code,rate\n"
    f"{UNIT},X03,85.5\n"
    "NO-SUCH,X03,70\n"
    f"{UNIT},X14,70\n"
    "31501,X03,170\n"
)
IMPORTERS = {"province", "admin"}
WRITE = {
    **{who: 201 if who in IMPORTERS else 403 for who in ROLES},
    **dict.fromkeys(NOBODY, 401),
}


def upload(caller, content=GOOD_CSV, name="dvc.csv", **fields):
    file = io.BytesIO(content.encode() if isinstance(content, str) else content)
    file.name = name
    return caller.post(PATH, {"file": file, "source": "Cổng DVC tỉnh", **fields})


def verified(code=UNIT, criterion="X03"):
    entry = CriterionEntry.objects.filter(
        assessment__unit__code=code, criterion_code=criterion
    ).first()
    return (entry.verified_inputs, entry.verified_source) if entry else None


@pytest.mark.django_db
def test_only_provincial_reviewers_and_administrators_import_a_file(as_):
    assert statuses(as_, WRITE, upload) == WRITE


@pytest.mark.django_db
def test_only_provincial_reviewers_and_administrators_import_rows(as_):
    rows = {
        "source": "Cổng DVC tỉnh",
        "rows": [{"unit_code": UNIT, "criterion_code": "X03", "rate": 80}],
    }
    result = statuses(
        as_, WRITE, lambda c: c.post(PATH + "/rows", rows, content_type="application/json")
    )
    assert result == WRITE


@pytest.mark.django_db
def test_a_good_file_becomes_verified_inputs_with_their_source(as_):
    response = upload(as_("province"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "applied"
    assert body["row_count"] == 2 and body["changed_count"] == 2
    assert body["source"] == "Cổng DVC tỉnh" and body["file_name"] == "dvc.csv"
    assert verified() == ({"rate": "85.5"}, "Cổng DVC tỉnh")
    detail = as_("province").get(f"/api/periods/2023/assessments/{UNIT}/criteria/X03").json()
    assert detail["verified"]["score"] == "10.000000"
    assert detail["verified_source"] == "Cổng DVC tỉnh"


@pytest.mark.django_db
def test_an_xlsx_file_is_imported_too(as_):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã đơn vị", "Mã tiêu chí", "Tỷ lệ"])
    sheet.append([UNIT, "X03", 91])
    data = io.BytesIO()
    workbook.save(data)
    response = upload(as_("admin"), data.getvalue(), name="dvc.xlsx")
    assert response.status_code == 201, response.json()
    assert response.json()["file_format"] == "xlsx"
    assert verified() == ({"rate": "91"}, "Cổng DVC tỉnh")


@pytest.mark.django_db
def test_a_file_with_bad_rows_changes_nothing_and_names_every_line(as_):
    response = upload(as_("province"), BAD_CSV)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_source_data"
    assert sorted({d["line"] for d in error["details"]}) == [3, 4, 5]
    assert all(d["message"] for d in error["details"])
    assert next(d for d in error["details"] if d["line"] == 3)["column"] == "unit_code"
    assert verified() is None
    assert not SourceImport.objects.exists()


@pytest.mark.django_db
def test_json_rows_name_bad_rows_by_their_position(as_):
    rows = [
        {"unit_code": UNIT, "criterion_code": "X03", "rate": "85,5"},
        {"unit_code": "NO-SUCH", "criterion_code": "X03", "rate": 70},
        {"unit_code": "31501", "criterion_code": "X03", "numerator": 9, "denominator": 10},
        {"unit_code": "31501", "criterion_code": "X04"},
    ]
    response = as_("province").post(
        PATH + "/rows", {"source": "Cổng DVC tỉnh", "rows": rows}, content_type="application/json"
    )
    assert response.status_code == 422
    assert sorted({d["line"] for d in response.json()["error"]["details"]}) == [2, 4]
    assert verified() is None


@pytest.mark.django_db
def test_good_json_rows_are_applied(as_):
    rows = [
        {"unit_code": UNIT, "criterion_code": "X03", "rate": "85,5"},
        {"unit_code": "31501", "criterion_code": "X03", "numerator": 9, "denominator": 10},
    ]
    response = as_("province").post(
        PATH + "/rows", {"source": "Cổng DVC tỉnh", "rows": rows}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert verified() == ({"rate": "85.5"}, "Cổng DVC tỉnh")
    assert verified("31501") == ({"numerator": 9, "denominator": 10}, "Cổng DVC tỉnh")


@pytest.mark.django_db
def test_a_dry_run_reports_and_stores_nothing(as_):
    response = upload(as_("province"), dry_run="true")
    assert response.status_code == 200
    assert response.json() == {
        "source": "Cổng DVC tỉnh",
        "row_count": 2,
        "changed_count": 2,
        "discrepancy_count": 0,
        "cleared_count": 0,
        "new_entries": 2,
    }
    assert verified() is None and not SourceImport.objects.exists()


@pytest.mark.django_db
def test_reimporting_a_source_replaces_the_previous_import(as_):
    first = upload(as_("province")).json()
    second = upload(as_("province"), f"unit_code,criterion_code,rate\n{UNIT},X03,50\n").json()
    assert second["replaces"] == first["uuid"]
    assert verified("31501") == (None, "")  # the value the new file no longer carries is cleared


@pytest.mark.django_db
def test_a_closed_period_refuses_imports_with_409(as_):
    from thidua.periods.models import Period

    Period.objects.filter(code="2023").update(state=Period.State.FINAL)
    response = upload(as_("province"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "import_refused"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name"), [("", "a.csv"), ("x", "a.pdf"), (b"PK\x03\x04junk", "a.xlsx")]
)
def test_unreadable_files_are_422(as_, content, name):
    response = upload(as_("province"), content, name=name)
    assert response.status_code == 422
    assert response.json()["error"]["details"]


@pytest.mark.django_db
def test_a_missing_file_is_422(as_):
    response = as_("province").post(PATH, {"source": "Cổng DVC tỉnh"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.django_db
def test_a_read_only_token_cannot_import(client, cast):
    created = tokens.create_token(user=cast["province"], name="read", can_write=False)
    file = io.BytesIO(GOOD_CSV.encode())
    file.name = "dvc.csv"
    response = client.post(
        PATH,
        {"file": file, "source": "x"},
        headers={"Authorization": f"Bearer {created.plaintext}"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["Cổng\u0000DVC", "Cổng\nDVC"])
def test_a_source_label_with_control_characters_is_422(as_, label):
    file = io.BytesIO(GOOD_CSV.encode())
    file.name = "dvc.csv"
    response = as_("province").post(PATH, {"file": file, "source": label})
    assert response.status_code == 422
    assert not SourceImport.objects.exists()
