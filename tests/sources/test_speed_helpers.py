"""The shortcuts that keep a 100 000-row import fast (issue 6) give the same answers as the
plain code: cached JSON, cached rate facts, the paused garbage collector."""

import gc
import json
from fractions import Fraction

import pytest

from thidua.sources import plan
from thidua.sources.bulk import _json_dumper
from thidua.sources.collector import collector_paused


def test_cached_json_tells_equal_looking_values_of_other_types_apart():
    dump = _json_dumper(None)
    values = [{"a": 1}, {"a": 1.0}, {"a": True}, {1: 2}, {True: 2}, {"a": 1}, {"a": [1]}]
    assert [dump(v) for v in values] == [json.dumps(v) for v in values]
    assert dump(None) is None


@pytest.mark.parametrize(
    "inputs",
    [
        {"rate": "90.5"},
        {"rate": "90,50"},
        {"numerator": 45, "denominator": 50},
        {"numerator": 45, "denominator": 0},
        {"numerator": True, "denominator": 2},
        {"na": True},
        {},
        None,
    ],
)
def test_cached_facts_are_those_of_the_plain_functions(inputs):
    expected_key = plan._value_key(inputs)
    assert plan._dict_facts(inputs) == (plan.rate_of(inputs), expected_key)
    text = None if inputs is None else json.dumps(inputs)
    assert plan._json_facts(text) == (plan.rate_of(inputs), expected_key)


def test_a_count_of_one_is_not_taken_for_true():
    # 1 == True as a cache key; as an input True is not a number.
    plan._dict_facts({"numerator": 1, "denominator": 2})
    assert plan._dict_facts({"numerator": True, "denominator": 2}) == (
        plan.rate_of({"numerator": True, "denominator": 2}),
        plan._value_key({"numerator": True, "denominator": 2}),
    )
    assert plan._dict_facts({"numerator": 1, "denominator": 2})[0] == Fraction(50)


def test_entry_state_decodes_its_inputs_when_asked():
    entry = plan.EntryState(1, 2, "X03", '{"rate": "90.5"}', None, "", False, False)
    assert entry.self_inputs == {"rate": "90.5"} and entry.verified_inputs is None


def test_the_collector_is_paused_inside_and_restored_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer use turns it back on
            pass
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
