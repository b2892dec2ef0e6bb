"""The shortcuts that keep a 100 000-row import fast (issue 6) give the same answers as the
plain code: cached JSON, cached rate facts, the paused garbage collector."""

import gc
import json
from fractions import Fraction

import pytest

from thidua.collector import collector_paused
from thidua.sources import plan
from thidua.sources.bulk import _json_dumper


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


@pytest.mark.parametrize(
    ("self_rate", "source_rate", "tolerance", "expected"),
    [
        (Fraction(90), Fraction(85), 5, False),  # exactly the tolerance: not flagged
        (Fraction(85), Fraction(90), 5, False),
        (Fraction(9001, 100), Fraction(85), 5, True),
        (Fraction(85), Fraction(9001, 100), 5, True),
        (Fraction(100, 3), Fraction(3133, 100), Fraction(2), True),  # 33.33… vs 31.33
        (Fraction(100, 3), Fraction(3134, 100), Fraction(2), False),
        (Fraction(45 * 100, 50), Fraction(905, 10), Fraction(1, 2), False),
        (Fraction(45 * 100, 50), Fraction(9051, 100), Fraction(1, 2), True),
        (Fraction(0), Fraction(0), 0, False),
        (Fraction(1, 10**12), Fraction(0), 0, True),
        (None, Fraction(5), 5, False),
        (Fraction(5), None, 5, False),
    ],
)
def test_the_integer_comparison_flags_exactly_what_fractions_flag(
    self_rate, source_rate, tolerance, expected
):
    plain = (
        self_rate is not None
        and source_rate is not None
        and abs(self_rate - source_rate) > Fraction(tolerance)
    )
    assert plain is expected
    assert plan.differs(self_rate, source_rate, tolerance) is expected


@pytest.mark.parametrize(
    "inputs",
    [
        {"rate": "90.5"},
        {"rate": "90,50"},
        {"rate": 90.5},
        {"rate": None},
        {"numerator": 45, "denominator": 50},
        {"denominator": 50, "numerator": 45},
        {"numerator": 45.0, "denominator": 50},
        {"numerator": False, "denominator": 2},
        {"numerator": 1, "na": True},
        {"rate": "90.5", "na": True},
    ],
)
def test_the_shortcut_for_canonical_values_gives_the_plain_facts(inputs):
    for _ in range(2):  # computed, then cached
        assert plan._dict_facts(inputs) == (plan.rate_of(inputs), plan._value_key(inputs))
