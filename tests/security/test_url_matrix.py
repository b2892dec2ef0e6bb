"""The authorization matrix of the site's pages: every route × every role, against a table.

Every URL pattern declares its scope (thidua/accounts/url_access.py). This module walks the
whole URL conf and fails for a route without a declaration; then it requests every route
(GET, and POST where the route changes something) as an anonymous visitor and as each role,
and compares the answer with the table below. The table is the contract, written by hand:
it is not derived from the access helpers the views use.

The JSON API (Scope.API) has its own matrix in test_api_matrix.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse

from thidua.accounts.url_access import Declaration, Scope, declaration_of
from thidua.api.tokens import create_token
from thidua.periods.models import Period
from thidua.results.services import set_public_results

from .url_world import COMMUNE, COMMUNE_LEVEL, CRITERION, ROLES, World, build_world

# --- The contract --------------------------------------------------------------------------

OK = "ok"  # the view let the caller in: 2xx, 3xx other than to a login page, 400 (bad form)
LOGIN = "lgn"  # 302 to the site's login page
ADMIN_LOGIN = "adm"  # 302 to the Django admin's login page
FORBIDDEN = "403"
NOT_FOUND = "404"

# One column per role of url_world.ROLES, in its order: anonymous, administrator, provincial
# reviewer, district reviewer of the commune, district reviewer of another district, the
# commune's editor and head, another commune's editor, awards officer, viewer, sector
# appraiser, a user without a role. Rankings are requested once the preliminary results are
# published (before that, unit roles get 403).
# fmt: off
TABLE = {
    #                          anon admn prov dist odis edit head oedt awrd view sect none
    Scope.PUBLIC:             "ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok",
    Scope.AUTHENTICATED:      "lgn  ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   ok",
    Scope.UNIT_READ:          "lgn  ok   ok   ok   404  ok   ok   404  ok   ok   ok   404",
    Scope.UNIT_EDIT:          "lgn  403  403  403  404  ok   ok   404  403  403  403  404",
    Scope.UNIT_SUBMIT:        "lgn  403  403  403  404  403  ok   404  403  403  403  404",
    Scope.REVIEW_QUEUE:       "lgn  ok   ok   ok   ok   404  404  404  404  404  ok   404",
    Scope.REVIEW_READ:        "lgn  ok   ok   ok   404  404  404  404  404  404  ok   404",
    Scope.REVIEW_APPRAISE:    "lgn  403  ok   ok   404  404  404  404  404  404  ok   404",
    Scope.REVIEW_RETURN:      "lgn  403  ok   ok   404  404  404  404  404  404  403  404",
    Scope.DISTRICT_VERIFY:    "lgn  403  403  ok   404  404  404  404  404  404  403  404",
    Scope.PROVINCE_FINALIZE:  "lgn  403  ok   403  404  404  404  404  404  404  403  404",
    Scope.EXPLANATION_ANSWER: "lgn  403  ok   403  404  403  403  404  403  403  403  404",
    Scope.RANKING:            "lgn  ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   403",
    Scope.RESULTS_DETAIL:     "lgn  ok   ok   ok   ok   403  403  403  ok   ok   ok   403",
    Scope.DASHBOARD:          "lgn  ok   ok   403  403  403  403  403  ok   ok   ok   403",
    Scope.PROVINCE_OFFICE:    "lgn  ok   ok   403  403  403  403  403  403  403  403  403",
    Scope.PROVINCE_INSPECT:   "lgn  403  ok   403  403  403  403  403  403  403  403  403",
    Scope.AWARDS_READ:        "lgn  ok   ok   404  404  404  404  404  ok   404  404  404",
    Scope.AWARDS_EDIT:        "lgn  403  403  404  404  404  404  404  ok   404  404  404",
    Scope.OWNER:              "lgn  404  404  404  404  ok   404  404  404  404  404  404",
    Scope.STAFF:              "adm  ok   adm  adm  adm  adm  adm  adm  adm  adm  adm  adm",
}
# fmt: on
# Scopes whose routes another matrix requests.
DELEGATED = {Scope.API: "tests/security/test_api_matrix.py"}


def expected(scope: Scope, role: str) -> str:
    return dict(zip(ROLES, TABLE[scope].split(), strict=True))[role]


# --- The routes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route of an include declared as a whole
    route: str
    declaration: Declaration | None


def walk(resolver: URLResolver | None = None, prefix="", namespace="") -> Iterator[Route]:
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        declaration = declaration_of(pattern)
        if isinstance(pattern, URLResolver):
            if declaration is not None:
                yield Route(key=route, route=route, declaration=declaration)
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, route, inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(key=name or route, route=route, declaration=declaration)


# --- How each route is requested -----------------------------------------------------------


def published(world: World) -> None:
    """Preliminary results are out: unit roles see rankings, explanations are answered."""
    Period.objects.filter(pk=world.period.pk).update(
        state=Period.State.PUBLISHED, explanation_until=datetime.date(2024, 1, 10)
    )


def public(world: World) -> None:
    """Final results, switched public."""
    Period.objects.filter(pk=world.period.pk).update(state=Period.State.FINAL)
    set_public_results(world.period, world.users["administrator"], enabled=True)


Kwargs = Callable[[World, object], dict]


@dataclass(frozen=True)
class Case:
    key: str
    kwargs: Kwargs | None = None
    methods: tuple[str, ...] = ("GET",)
    data: dict = field(default_factory=dict)
    stage: Callable[[World], None] | None = None
    # For a route declared as a whole include: the address requested inside it.
    url: Callable[[World], str] | None = None
    label: str = ""
    query: str = ""

    @property
    def id(self) -> str:
        return self.label or self.key

    def address(self, world: World, user) -> str:
        if self.url is not None:
            return self.url(world)
        path = reverse(self.key, kwargs=self.kwargs(world, user) if self.kwargs else None)
        return f"{path}?{self.query}" if self.query else path


GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")
# Rankings of the communes of one district (a district reviewer's own is forced anyway):
# the same answers as the whole level, in a fraction of the time a PDF of 109 rows takes.
ONE_DISTRICT = "district=941"


def period(w, u):
    return {"period_code": w.period.code}


def unit(w, u):
    return {**period(w, u), "unit_code": COMMUNE}


def criterion(w, u):
    return {**unit(w, u), "criterion_code": CRITERION}


def level(w, u):
    return {**period(w, u), "level_code": COMMUNE_LEVEL}


def version(w, u):
    criteria_version = w.period.criteria_version
    return {"set_code": criteria_version.criteria_set.code, "version": criteria_version.version}


def proposal(w, u):
    return {"proposal_uuid": w.proposal.uuid}


def sample(w, u):
    return {**period(w, u), "sample_uuid": w.sample.uuid}


def source_import(w, u):
    return {"import_uuid": w.source_import.uuid}


def editors_token(w, u):
    """A token of the unit editor, made fresh for each request (revoking it is a change)."""
    return {"token_uuid": create_token(user=w.users["unit_editor"], name="matrix").token.uuid}


CASES = [
    Case("home"),
    Case("healthz"),
    Case("accounts:login"),
    Case("accounts:logout", methods=POST),
    Case("accounts:password_change", methods=BOTH),
    Case("accounts:password_change_done"),
    Case("criteria:versions"),
    Case("criteria:version", version),
    Case("criteria:level", lambda w, u: {**version(w, u), "level_code": COMMUNE_LEVEL}),
    Case("assessments:period_units", period),
    Case("assessments:detail", unit),
    Case("assessments:sheet", unit),
    Case("assessments:history", unit),
    Case("assessments:submit", unit, POST),
    Case("assessments:workbook_export", unit),
    Case("assessments:workbook_import", unit, POST),
    Case("assessments:criterion", criterion),
    Case("assessments:save", criterion, POST, {"revision": "0"}),
    Case("evidence:upload", criterion, POST),
    Case("evidence:download", lambda w, u: {"evidence_uuid": w.evidence.uuid}),
    Case(
        "evidence:remove",
        lambda w, u: {"evidence_uuid": w.evidence.uuid},
        POST,
        {"reason": "Tải nhầm tệp"},
    ),
    Case("reviews:index"),
    Case("reviews:queue", period),
    Case("reviews:unit", unit),
    Case("reviews:decide", lambda w, u: {**criterion(w, u), "action": "accept"}, POST),
    Case("reviews:comment", unit, POST, {"general-text": "Cần bổ sung."}),
    Case("reviews:resolve", lambda w, u: {**unit(w, u), "comment_uuid": w.comment.uuid}, POST),
    Case("reviews:accept_remaining", unit, POST),
    Case("reviews:return", unit, POST),
    Case("reviews:verify", unit, POST),
    Case("reviews:finalize", unit, POST),
    Case("reviews:reopen", unit, POST, {"reopen-reason": "Xem lại X09."}),
    Case("sources:upload", methods=BOTH),
    Case("sources:period_imports", period),
    Case("sources:detail", source_import),
    Case("sources:confirm", source_import, POST),
    Case("sources:discard", source_import, POST),
    Case("explanations:list", period),
    Case("explanations:period", period),
    Case("explanations:transition", lambda w, u: {**period(w, u), "name": "start_review"}, POST),
    Case("explanations:file", criterion, POST, {"text": "Số liệu đã cập nhật."}),
    Case(
        "explanations:attachment",
        lambda w, u: {**period(w, u), "attachment_uuid": w.attachment.uuid},
    ),
    Case(
        "explanations:detail",
        lambda w, u: {**period(w, u), "explanation_uuid": w.explanation.uuid},
        BOTH,
        {"decision": "reject", "answer": "Chưa đủ căn cứ."},
        stage=published,
    ),
    Case("inspections:list", period),
    Case("inspections:draw", period, POST),
    Case("inspections:sample", sample),
    Case(
        "inspections:result", lambda w, u: {**sample(w, u), "unit_code": w.sample_unit_code}, BOTH
    ),
    Case("results:index"),
    Case("results:dashboard_latest"),
    Case("results:public", period, stage=public),
    Case("results:ranking_default", period, stage=published),
    Case("results:ranking", level, stage=published, query=ONE_DISTRICT),
    Case("results:level_gaps", level, stage=published, query=ONE_DISTRICT),
    Case("results:unit_gaps", unit),
    Case("results:dashboard", period),
    Case("results:public_switch", period, POST, {"enabled": "1"}),
    Case("awards:list"),
    Case("awards:new", period, BOTH),
    Case("awards:detail", proposal),
    Case("awards:add", proposal, POST),
    Case("awards:remove", lambda w, u: {**proposal(w, u), "unit_code": COMMUNE}, POST),
    Case("awards:issue", proposal, POST),
    Case("awards:xlsx", proposal),
    Case("awards:docx", proposal),
    Case("exports:ranking_xlsx", level, stage=published, query=ONE_DISTRICT),
    Case("exports:ranking_pdf", level, stage=published, query=ONE_DISTRICT),
    Case("exports:ranking_docx", level, stage=published, query=ONE_DISTRICT),
    Case("exports:sheet_xlsx", unit),
    Case("exports:sheet_pdf", unit),
    Case("api:tokens", methods=BOTH, data={"name": "matrix"}),
    Case("api:token_revoke", editors_token, POST),
    Case(
        "i18n/", methods=POST, data={"language": "vi", "next": "/"}, url=lambda w: "/i18n/setlang/"
    ),
    Case("admin/", url=lambda w: reverse("admin:index"), label="admin:index"),
    Case(
        "admin/",
        url=lambda w: reverse("admin:auth_user_changelist"),
        label="admin:auth_user_changelist",
    ),
]
CASES_BY_ID = {case.id: case for case in CASES}


# --- The world, built once for the module --------------------------------------------------


@pytest.fixture(scope="module")
def url_matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction rolled back after the module; each test runs in a
    savepoint of its own (pytest-django), so a POST that succeeds changes nothing for the next.
    """
    media = tmp_path_factory.mktemp("url-matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def answer(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("accounts:login") + "?"):
            return LOGIN
        if location.startswith(reverse("admin:login") + "?"):
            return ADMIN_LOGIN
        return OK
    if status in (403, 404):
        return str(status)
    if status < 300 or status == 400:
        return OK
    return f"unexpected {status}"


# --- The tests -----------------------------------------------------------------------------


def test_it_finds_a_declaration_for_every_route():
    missing = [route.route for route in walk() if route.declaration is None]
    assert not missing, f"Routes without a scope (wrap them in scoped(Scope.X, ...)): {missing}"


def test_it_requests_every_declared_route_and_nothing_else():
    declared = {r.key for r in walk() if r.declaration and r.declaration.scope not in DELEGATED}
    requested = {case.key for case in CASES}
    assert sorted(declared - requested) == [], "routes the matrix does not request"
    assert sorted(requested - declared) == [], "cases for routes that no longer exist"


def test_it_leaves_to_the_api_matrix_only_the_api():
    delegated = [r.route for r in walk() if r.declaration and r.declaration.scope in DELEGATED]
    assert delegated, "the JSON API include has its scope declared"
    assert all(route.startswith("api/") for route in delegated), delegated
    assert "api/tokens/" not in delegated


def test_its_table_covers_every_scope_and_role():
    assert set(TABLE) | set(DELEGATED) == set(Scope)
    assert not set(TABLE) & set(DELEGATED)
    answers = {OK, LOGIN, ADMIN_LOGIN, FORBIDDEN, NOT_FOUND}
    for scope, row in TABLE.items():
        assert len(row.split()) == len(ROLES), scope
        assert set(row.split()) <= answers, scope


def test_its_cases_address_their_own_routes(url_matrix_world, db):
    routes = {r.key: r for r in walk()}
    for case in CASES:
        path = case.address(url_matrix_world, url_matrix_world.users["unit_editor"])
        if case.url is None:
            assert resolve(path.partition("?")[0]).view_name == case.key
        else:
            assert path.lstrip("/").startswith(routes[case.key].route), case.id


MATRIX = [
    pytest.param(case.id, method, role, id=f"{case.id}-{method}-{role}")
    for case in CASES
    for method in case.methods
    for role in ROLES
]


@pytest.mark.parametrize(("case_id", "method", "role"), MATRIX)
def test_it_answers_as_the_table_says(case_id, method, role, url_matrix_world, client, db):
    case = CASES_BY_ID[case_id]
    world = url_matrix_world
    routes = {r.key: r for r in walk()}
    scope = routes[case.key].declaration.for_method(method)
    if case.stage:
        case.stage(world)
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)
    path = case.address(world, user)
    response = client.post(path, case.data) if method == "POST" else client.get(path)
    want = expected(scope, role)
    got = answer(response)
    assert got == want, (
        f"{method} {path} as {role}: scope {scope} says {want}, "
        f"the view answered {response.status_code} {response.get('Location', '')}"
    )
