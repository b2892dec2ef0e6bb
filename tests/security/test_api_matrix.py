"""Every JSON API endpoint × every caller answers as its declared scope promises.

The endpoints declare their scope (`x-thidua-scope` in the OpenAPI schema, from
thidua.api.scopes). CONTRACT below is written by hand: the status each kind of caller gets
under each scope. The matrix test calls every operation of the schema as every caller, with
real path parameters and a valid body, so a 200 is a real success and a 403 or 404 is the
access rule talking, not a bad request. A new endpoint fails here until it declares a scope,
has its path parameters in PATH_PARAMS and, if it writes, a body in BODIES.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from thidua.accounts.models import Membership, Role
from thidua.api import tokens
from thidua.api.api import api
from thidua.api.scopes import EXTENSION, Scope
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.sources.models import SourceImport
from thidua.units.models import Unit

UNIT = "31498"  # a commune (Phường 5) of district 941: the unit every path names

# -- callers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    role: Role | None
    unit: str | None = None  # the own unit (editors, heads) or the district (reviewers)
    can_write: bool = True


# Callers with a valid token, one user each.
MEMBERS = {
    "administrator": Member(Role.ADMINISTRATOR),
    "provincial_reviewer": Member(Role.PROVINCIAL_REVIEWER),
    "district_reviewer": Member(Role.DISTRICT_REVIEWER, "941"),
    "other_district_reviewer": Member(Role.DISTRICT_REVIEWER, "943"),
    "unit_editor": Member(Role.UNIT_EDITOR, UNIT),
    "unit_head": Member(Role.UNIT_HEAD, UNIT),
    "other_unit_editor": Member(Role.UNIT_EDITOR, "31501"),
    "awards_officer": Member(Role.AWARDS_OFFICER),
    "viewer": Member(Role.VIEWER),
    "no_role": Member(None),  # a login without a membership
    "read_only_editor": Member(Role.UNIT_EDITOR, UNIT, can_write=False),
    "read_only_provincial": Member(Role.PROVINCIAL_REVIEWER, can_write=False),
}
# Callers whose request carries no usable token.
NOBODY = ["anonymous", "malformed", "unknown", "revoked", "inactive"]
CALLERS = [*NOBODY, *MEMBERS]

# -- the contract --------------------------------------------------------------------------

COLUMNS = (
    Scope.AUTHENTICATED,
    Scope.UNIT_LIST,
    Scope.UNIT_READ,
    Scope.UNIT_WRITE,
    Scope.SOURCE_IMPORT,
)
# caller → (status under each scope of COLUMNS, whether a unit-list answer holds UNIT).
# Writes succeed with 200 (inputs) or 201 (a new import).
# fmt: off
CONTRACT = {
    #                          auth list read write import  lists UNIT
    "anonymous":               ((401, 401, 401, 401, 401), None),
    "malformed":               ((401, 401, 401, 401, 401), None),
    "unknown":                 ((401, 401, 401, 401, 401), None),
    "revoked":                 ((401, 401, 401, 401, 401), None),
    "inactive":                ((401, 401, 401, 401, 401), None),
    "administrator":           ((200, 200, 200, 403, 201), True),
    "provincial_reviewer":     ((200, 200, 200, 403, 201), True),
    "district_reviewer":       ((200, 200, 200, 403, 403), True),
    "other_district_reviewer": ((200, 200, 404, 404, 403), False),
    "unit_editor":             ((200, 200, 200, 200, 403), True),
    "unit_head":               ((200, 200, 200, 200, 403), True),
    "other_unit_editor":       ((200, 200, 404, 404, 403), False),
    "awards_officer":          ((200, 200, 200, 403, 403), True),
    "viewer":                  ((200, 200, 200, 403, 403), True),
    "no_role":                 ((200, 200, 404, 404, 403), False),
    "read_only_editor":        ((200, 200, 200, 403, 403), True),
    "read_only_provincial":    ((200, 200, 200, 403, 403), True),
}
# fmt: on


def expected_status(scope: str, caller: str) -> int:
    return CONTRACT[caller][0][COLUMNS.index(Scope(scope))]


# -- the operations ------------------------------------------------------------------------

SCHEMA = api.get_openapi_schema()
OPERATIONS = {
    operation["operationId"]: (method, path, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
}
# One concrete value per path parameter: objects of the fixture world, all in UNIT's reach.
PATH_PARAMS = {
    "set_code": "soc-trang-cds",
    "version": "2023.1",
    "period_code": "2023",
    "unit_code": UNIT,
    "criterion_code": "X03",  # a commune criterion: rate, or numerator and denominator
    "level_code": "xa",
}
SOURCE_CSV = f"unit_code,criterion_code,rate\n{UNIT},X03,85.5\n31501,X03,70\n"


def _inputs():
    return {"data": {"inputs": {"rate": "90"}, "expected_revision": 0}, "json": True}


def _source_file():
    file = io.BytesIO(SOURCE_CSV.encode())
    file.name = "dvc.csv"
    return {"data": {"file": file, "source": "Cổng DVC tỉnh"}}


def _source_rows():
    rows = [{"unit_code": UNIT, "criterion_code": "X03", "rate": 80}]
    return {"data": {"source": "Cổng DVC tỉnh", "rows": rows}, "json": True}


# A valid body for every operation that writes (a new one each call: files are read once).
BODIES = {
    "thidua_api_routes_assessments_put_inputs": _inputs,
    "thidua_api_routes_sources_import_file": _source_file,
    "thidua_api_routes_sources_import_rows": _source_rows,
}


def unit_codes(body) -> set[str]:
    """The units a unit-list answer holds: a list of units, of rows naming a unit, or a
    ranking whose rows name a unit."""
    if isinstance(body, dict):
        return unit_codes(body["rows"])
    return {item["unit"]["code"] if "unit" in item else item["code"] for item in body}


def _written() -> tuple[int, ...]:
    return (
        Assessment.objects.count(),
        CriterionEntry.objects.count(),
        SourceImport.objects.count(),
    )


# -- the world -----------------------------------------------------------------------------


def _token(user, can_write=True) -> str:
    return tokens.create_token(user=user, name="matrix", can_write=can_write).plaintext


def _build_world() -> dict[str, str | None]:
    """The criteria library, units and 2023 period of tests/conftest.py, one user per
    caller; returns caller → Authorization header."""
    from thidua.criteria.services import load_library, read_library_file
    from thidua.periods.services import create_period
    from thidua.units.defaults import ensure_default_levels
    from thidua.units.importing import import_units
    from thidua.units.models import Level, UnitKind

    version = load_library(read_library_file(settings.THIDUA_DEFAULT_LIBRARY))
    ensure_default_levels(Level, UnitKind)
    path = settings.BASE_DIR / "data" / "soc-trang-units-2023.csv"
    import_units(path.read_text(encoding="utf-8"))
    create_period(year=2023, criteria_version=version)

    headers = {}
    for name, member in MEMBERS.items():
        user = User.objects.create_user(name)
        if member.role:
            unit = Unit.objects.get(code=member.unit) if member.unit else None
            Membership.objects.create(user=user, role=member.role, unit=unit)
        headers[name] = "Bearer " + _token(user, member.can_write)

    admin = User.objects.get(username="administrator")
    revoked = tokens.create_token(user=admin, name="old", can_write=True)
    tokens.revoke_token(revoked.token)
    inactive = User.objects.create_user("inactive", is_active=False)
    Membership.objects.create(user=inactive, role=Role.ADMINISTRATOR)
    headers.update(
        anonymous=None,
        malformed="Bearer thd_not-a-token",
        unknown="Bearer thd_" + "A" * 43,  # well formed, never issued
        revoked="Bearer " + revoked.plaintext,
        inactive="Bearer " + _token(inactive),
    )
    return headers


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at its end; every test runs
    in a savepoint inside it (what TestCase.setUpTestData does), so a write stays in its test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def call(client, header, operation_id):
    method, path, _ = OPERATIONS[operation_id]
    kwargs = {"headers": {"Authorization": header}} if header else {}
    if method != "get":
        assert operation_id in BODIES, f"give {operation_id} a valid body in BODIES"
        body = BODIES[operation_id]()
        kwargs["data"] = body["data"]
        if body.get("json"):
            kwargs["content_type"] = "application/json"
    return getattr(client, method)(path.format(**PATH_PARAMS), **kwargs)


# -- the tests -----------------------------------------------------------------------------


def test_every_operation_declares_a_known_scope_and_says_it():
    undeclared = [op_id for op_id, (_, _, op) in OPERATIONS.items() if EXTENSION not in op]
    assert undeclared == [], "declare openapi_extra=requires(Scope.…) on these"
    unknown = [
        op_id
        for op_id, (_, _, op) in OPERATIONS.items()
        if op[EXTENSION] not in {scope.value for scope in Scope}
    ]
    assert unknown == []
    unsaid = [
        op_id
        for op_id, (_, _, op) in OPERATIONS.items()
        if f"Scope `{op[EXTENSION]}`" not in op.get("description", "")
    ]
    assert unsaid == [], "name the scope in the docstring: Scope `…`"
    # A scope no endpoint uses is a contract nobody tests.
    assert {op[EXTENSION] for _, _, op in OPERATIONS.values()} == {s.value for s in Scope}


def test_the_contract_covers_every_scope_every_caller_and_every_role():
    assert sorted(COLUMNS) == sorted(Scope)
    assert list(CONTRACT) == CALLERS
    assert all(len(statuses) == len(COLUMNS) for statuses, _ in CONTRACT.values())
    # A list answers every valid token, so it must say whether UNIT is in it.
    for caller, (_, lists_unit) in CONTRACT.items():
        assert (lists_unit is None) == (caller in NOBODY), caller
    assert {member.role for member in MEMBERS.values()} == {*Role, None}


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("operation_id", list(OPERATIONS))
def test_every_operation_answers_every_caller_as_its_scope_says(
    client, world, operation_id, caller
):
    scope = OPERATIONS[operation_id][2][EXTENSION]
    expected = expected_status(scope, caller)
    before = _written()

    response = call(client, world[caller], operation_id)

    assert response.status_code == expected, response.content.decode()[:500]
    if expected >= 400:
        # Refused in the API's own error body, and nothing was written.
        assert response.json()["error"]["code"]
        assert _written() == before
    elif OPERATIONS[operation_id][0] != "get":
        assert _written() != before, "a write answered success without writing"
    elif scope == Scope.UNIT_LIST:
        # The analogue of a 404: a unit outside the scope is left out of the list.
        assert (UNIT in unit_codes(response.json())) is CONTRACT[caller][1]
