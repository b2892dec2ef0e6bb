"""Who am I, criteria sets and versions, units (scoped), periods."""

from __future__ import annotations

from django.db.models import Prefetch
from ninja import Router

from thidua import scoring
from thidua.accounts.scope import membership_of, role_of, visible_units
from thidua.api.errors import ApiError, error_responses
from thidua.api.lookups import get_kind, get_level, get_period
from thidua.api.models import ApiToken
from thidua.api.present import number, unit_out, unit_ref
from thidua.api.schemas import (
    CriteriaSetOut,
    CriteriaVersionOut,
    KindFilter,
    LevelFilter,
    MeOut,
    ParentFilter,
    PeriodCode,
    PeriodDetailOut,
    PeriodOut,
    SetCode,
    UnitCode,
    UnitOut,
    VersionCode,
)
from thidua.api.scopes import Scope, requires
from thidua.criteria.models import CriteriaSet, CriteriaSetVersion, Criterion
from thidua.criteria.services import scoring_library
from thidua.periods.models import Period

router = Router()
READ_ERRORS = error_responses(401)


@router.get(
    "/me",
    response={200: MeOut, **READ_ERRORS},
    tags=["me"],
    summary="The caller",
    openapi_extra=requires(Scope.AUTHENTICATED),
)
def me(request):
    """The authenticated user, their role and unit, and the token used.

    Scope `authenticated`: any caller with a token."""
    user = request.user
    membership = membership_of(user)
    token = request.auth if isinstance(request.auth, ApiToken) else None
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": role_of(user),
        "unit": unit_ref(membership.unit) if membership and membership.unit_id else None,
        "token": token,
    }


# -- criteria ----------------------------------------------------------------------------


def _version_summary(version: CriteriaSetVersion) -> dict:
    return {
        "version": version.version,
        "year": version.year,
        "status": version.status,
        "decision": version.decision,
        "decision_date": version.decision_date,
        "issuer": version.issuer,
        "province": version.province,
        "na_policy": version.na_policy,
        "display_decimals": version.display_decimals,
        "published_at": version.published_at,
    }


@router.get(
    "/criteria-sets",
    response={200: list[CriteriaSetOut], **READ_ERRORS},
    tags=["criteria"],
    summary="List criteria sets and their versions",
    openapi_extra=requires(Scope.AUTHENTICATED),
)
def list_criteria_sets(request):
    """Scope `authenticated`: any caller with a token."""
    sets = CriteriaSet.objects.prefetch_related(
        Prefetch("versions", queryset=CriteriaSetVersion.objects.order_by("-year", "-version"))
    )
    return [
        {
            "code": s.code,
            "name": s.name,
            "versions": [_version_summary(v) for v in s.versions.all()],
        }
        for s in sets
    ]


def _input_fields(library_criterion) -> list[dict]:
    if library_criterion is None:
        return []
    fields = []
    for spec in library_criterion.rule.input_fields():
        if spec.name.endswith(".due"):
            continue  # due dates belong to the period
        fields.append(
            {
                "name": spec.name,
                "label": spec.label,
                "type": spec.type,
                "required": spec.required,
                "group": spec.group,
                "help": spec.help,
                "min": number(spec.min),
                "max": number(spec.max),
                "choices": [
                    {"code": c.code, "label": c.label, "points": number(c.points)}
                    for c in spec.choices
                ],
            }
        )
    return fields


def _library_criteria(version: CriteriaSetVersion) -> dict:
    """(level code, criterion code) → scoring criterion; empty for a draft that does not
    validate yet (its criteria are listed, without input fields)."""
    try:
        library = scoring_library(version)
    except scoring.LibraryError:
        return {}
    return {(lvl.code, c.code): c for lvl in library.levels for c in lvl.criteria}


@router.get(
    "/criteria-sets/{set_code}/versions/{version}",
    response={200: CriteriaVersionOut, **error_responses(401, 404, 422)},
    tags=["criteria"],
    summary="One criteria set version with its levels and criteria",
    openapi_extra=requires(Scope.AUTHENTICATED),
)
def get_criteria_version(request, set_code: SetCode, version: VersionCode):
    """Scope `authenticated`: any caller with a token."""
    found = (
        CriteriaSetVersion.objects.select_related("criteria_set")
        .prefetch_related(
            Prefetch("levels__criteria", queryset=Criterion.objects.order_by("order"))
        )
        .filter(criteria_set__code=set_code, version=version)
        .first()
    )
    if found is None:
        raise ApiError(404, f"Không có phiên bản '{version}' của bộ tiêu chí '{set_code}'")
    library_criteria = _library_criteria(found)
    levels = []
    for level in found.levels.order_by("order"):
        criteria = [
            {
                "code": c.code,
                "order": c.order,
                "content": c.content,
                "points": number(c.points),
                "points_confirmed": c.points_confirmed,
                "kind": c.kind,
                "params": c.params,
                "rule_text": c.rule_text,
                "evidence_basis": c.evidence_basis,
                "evidence_required": c.evidence_required,
                "data_source": c.data_source,
                "input_fields": _input_fields(library_criteria.get((level.code, c.code))),
            }
            for c in level.criteria.all()
        ]
        levels.append(
            {
                "code": level.code,
                "name": level.name,
                "scale": number(level.scale),
                "criteria": criteria,
            }
        )
    return {
        **_version_summary(found),
        "criteria_set": found.criteria_set.code,
        "criteria_set_name": found.criteria_set.name,
        "levels": levels,
    }


# -- units -------------------------------------------------------------------------------


@router.get(
    "/units",
    response={200: list[UnitOut], **error_responses(401, 404, 422)},
    tags=["units"],
    summary="List the units the caller may see",
    openapi_extra=requires(Scope.UNIT_LIST),
)
def list_units(
    request,
    level: LevelFilter = None,
    kind: KindFilter = None,
    parent: ParentFilter = None,
    active: bool | None = None,
):
    """Units within the caller's scope, filtered by level code, unit kind code, parent unit
    code (the communes of a district) or whether they take part (`active`).

    Scope `unit-list`: units outside the caller's scope are left out."""
    units = visible_units(request.user).select_related("level", "kind", "parent")
    if level is not None:
        units = units.filter(level=get_level(level))
    if kind is not None:
        units = units.filter(kind__code=get_kind(kind).code)
    if parent is not None:
        units = units.filter(parent__code=parent)
    if active is not None:
        units = units.filter(is_active=active)
    return [unit_out(unit) for unit in units.order_by("level__order", "parent__code", "code")]


@router.get(
    "/units/{unit_code}",
    response={200: UnitOut, **error_responses(401, 404, 422)},
    tags=["units"],
    summary="One unit within the caller's scope",
    openapi_extra=requires(Scope.UNIT_READ),
)
def get_unit(request, unit_code: UnitCode):
    """Scope `unit-read`: 404 when the unit is outside the caller's scope."""
    unit = (
        visible_units(request.user)
        .select_related("level", "kind", "parent")
        .filter(code=unit_code)
        .first()
    )
    if unit is None:
        raise ApiError(404, "Không tìm thấy đơn vị (hoặc đơn vị nằm ngoài phạm vi của bạn)")
    return unit_out(unit)


# -- periods -----------------------------------------------------------------------------


def _period_out(period: Period) -> dict:
    version = period.criteria_version
    return {
        "code": period.code,
        "year": period.year,
        "name": period.name,
        "state": period.state,
        "criteria_set": version.criteria_set.code,
        "criteria_version": version.version,
        "opens_on": period.opens_on,
        "submission_deadline": period.submission_deadline,
        "explanation_until": period.explanation_until,
        "discrepancy_tolerance": number(period.discrepancy_tolerance),
    }


@router.get(
    "/periods",
    response={200: list[PeriodOut], **READ_ERRORS},
    tags=["periods"],
    summary="List evaluation periods",
    openapi_extra=requires(Scope.AUTHENTICATED),
)
def list_periods(request):
    """Scope `authenticated`: any caller with a token."""
    periods = Period.objects.select_related("criteria_version__criteria_set")
    return [_period_out(period) for period in periods]


@router.get(
    "/periods/{period_code}",
    response={200: PeriodDetailOut, **error_responses(401, 404, 422)},
    tags=["periods"],
    summary="One evaluation period with its due dates and grade bands",
    openapi_extra=requires(Scope.AUTHENTICATED),
)
def get_period_detail(request, period_code: PeriodCode):
    """Scope `authenticated`: any caller with a token."""
    period = get_period(period_code)
    return {
        **_period_out(period),
        "due_dates": [
            {
                "criterion": due.criterion_code,
                "deliverable": due.deliverable,
                "label": due.label,
                "due_on": due.due_on,
            }
            for due in period.due_dates.all()
        ],
        "grade_bands": [
            {"name": band.name, "min_total": number(band.min_total)}
            for band in period.grade_bands.all()
        ],
    }
