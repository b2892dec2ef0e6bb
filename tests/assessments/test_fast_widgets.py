"""The criterion forms render their inputs in Python (issue 6): the HTML must be exactly what
Django's widget templates produce, for every field of every criterion of every level."""

import random

import pytest
from django.forms.boundfield import BoundField

from thidua.assessments.demo import demo_inputs
from thidua.assessments.forms import CriterionInputsForm
from thidua.assessments.models import Assessment
from thidua.assessments.scores import library_level
from thidua.criteria.services import scoring_library
from thidua.periods.services import due_dates_by_criterion
from thidua.units.models import Unit


def _pairs(form):
    """(fast HTML, Django's template HTML) for every input and radio option of the form."""
    for name in form.fields:
        fast = form[name]
        slow = BoundField(form, form.fields[name], name)
        yield str(fast), slow.as_widget()
        for fast_option, slow_option in zip(fast, slow, strict=True):
            yield fast_option.tag(), slow_option.tag()
            yield fast_option.tag(wrap_label=True), slow_option.tag(wrap_label=True)


def _forms(period, unit):
    assessment = Assessment(period=period, unit=unit)
    level = library_level(scoring_library(period.criteria_version), unit.level.code)
    due = due_dates_by_criterion(period)
    rng = random.Random(6)
    for criterion in level.criteria:
        kwargs = {
            "assessment": assessment,
            "criterion": criterion,
            "due": due.get(criterion.code, {}),
        }
        yield CriterionInputsForm(prefix=criterion.code, **kwargs)
        inputs = demo_inputs(criterion, rng, 0.7, due.get(criterion.code, {}))
        initial = CriterionInputsForm.initial_from_inputs(criterion, inputs)
        yield CriterionInputsForm(initial={**initial, "revision": 3}, **kwargs)
        # Bound with values that are invalid, need escaping, and tick every box.
        form = CriterionInputsForm(**kwargs)
        data = {
            form[name].html_name: ("on" if "not_issued" in name else "\"<b>&x'")
            for name in form.fields
        }
        bound = CriterionInputsForm(data, **kwargs)
        bound.is_valid()
        yield bound


@pytest.mark.django_db
def test_fast_inputs_render_exactly_as_the_widget_templates(units, period):
    compared = 0
    kinds = set()
    for unit in (Unit.objects.filter(level__code=code).first() for code in ("tinh", "huyen", "xa")):
        for form in _forms(period, unit):
            kinds.add(form.criterion.kind)
            for fast, slow in _pairs(form):
                assert fast == slow
                compared += 1
    assert compared > 300
    assert {"deadline", "choice", "ratio"} <= kinds


@pytest.mark.django_db
def test_errors_mark_the_input_invalid(units, period):
    unit = Unit.objects.filter(level__code="xa").first()
    bound = [form for form in _forms(period, unit) if form.is_bound and form.errors]
    assert bound
    assert any('aria-invalid="true"' in str(form[name]) for form in bound for name in form.errors)
