"""Assessments with exactly known totals: every criterion at full points unless overridden."""

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.scores import library_level
from thidua.criteria.services import scoring_library
from thidua.periods.services import due_dates_by_criterion
from thidua.units.models import Unit


def full_inputs(criterion, due: dict) -> dict:
    """Inputs that earn the criterion's full points, per rule kind."""
    kind, rule = criterion.kind, criterion.rule
    if kind == "deadline":
        return {d.code: {"actual": due[d.code].isoformat()} for d in rule.deliverables}
    if kind == "choice":
        best = max(rule.options.values(), key=lambda option: option.points.value)
        return {"option": best.code}
    if kind in ("ratio", "threshold"):
        return {"rate": "100"}
    if kind == "late_entries":
        return {"monthly": 0}
    raise ValueError(kind)


def make_assessment(period, unit_code, *, overrides=None, na=None, state="draft", skip=()):
    """Store inputs straight in the entries (the services are tested elsewhere).

    overrides: {code: inputs}; na: {code: reason} (a reviewer's N/A); skip: codes left empty.
    """
    overrides, na = overrides or {}, na or {}
    unit = Unit.objects.select_related("level").get(code=unit_code)
    assessment = Assessment.objects.create(period=period, unit=unit, state=state)
    level = library_level(scoring_library(period.criteria_version), unit.level.code)
    due = due_dates_by_criterion(period)
    for criterion in level.criteria:
        if criterion.code in skip:
            continue
        inputs = overrides.get(criterion.code) or full_inputs(
            criterion, due.get(criterion.code, {})
        )
        CriterionEntry.objects.create(
            assessment=assessment,
            criterion_code=criterion.code,
            self_inputs=inputs,
            na=criterion.code in na,
            na_reason=na.get(criterion.code, ""),
        )
    return assessment
