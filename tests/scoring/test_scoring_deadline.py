from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import assert_explanation_matches, make_criterion

from thidua.scoring import InputError, score_criterion
from thidua.scoring.kinds.deadline import add_months, months_late

PARAMS = {
    "penalty_per_month": 1,
    "deliverables": [
        {"code": "plan_issued", "label": "Ban hành Kế hoạch", "default_due": "01-31"},
        {"code": "results_reported", "label": "Báo cáo kết quả", "default_due": "12-15"},
    ],
}
T01 = make_criterion("deadline", PARAMS, points=8, code="T01")


def inputs(plan="2023-01-31", report="2023-12-15", plan_due="2023-01-31", report_due="2023-12-15"):
    return {
        "plan_issued": {"due": plan_due, "actual": plan},
        "results_reported": {"due": report_due, "actual": report},
    }


@pytest.mark.parametrize(
    ("due", "actual", "months"),
    [
        ("2023-01-31", "2023-01-31", 0),
        ("2023-01-31", "2022-12-01", 0),
        ("2023-01-31", "2023-02-01", 1),
        ("2023-01-31", "2023-02-28", 1),
        ("2023-01-31", "2023-03-01", 2),
        ("2024-01-31", "2024-02-29", 1),  # leap year: 29/02 is still within the first month
        ("2024-01-31", "2024-03-01", 2),
        ("2023-04-30", "2023-05-30", 1),
        ("2023-04-30", "2023-05-31", 2),  # counted from the original due date, not 30/05
        ("2023-03-31", "2023-04-30", 1),
        ("2023-03-31", "2023-05-01", 2),
        ("2023-12-15", "2023-12-16", 1),
        ("2023-12-15", "2024-01-15", 1),
        ("2023-12-15", "2024-01-16", 2),
        ("2024-02-29", "2025-02-28", 12),
        ("2024-02-29", "2025-03-01", 13),
        ("2023-01-15", "2024-12-31", 24),
    ],
)
def test_months_late(due, actual, months):
    assert months_late(date.fromisoformat(due), date.fromisoformat(actual)) == months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 2, "2023-03-31"),
        ("2023-12-31", 2, "2024-02-29"),
        ("2023-08-31", 13, "2024-09-30"),
        ("2023-05-15", 0, "2023-05-15"),
    ],
)
def test_add_months_clamps_to_the_end_of_month(day, months, expected):
    assert add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("given", "score", "explanation_end"),
    [
        (inputs(), 8, "Điểm: 8 − 1 × 0 tháng trễ = 8"),
        (inputs(plan="2023-03-05"), 6, "Điểm: 8 − 1 × 2 tháng trễ = 6"),
        (inputs(plan="2023-02-01", report="2023-12-20"), 6, "Điểm: 8 − 1 × 2 tháng trễ = 6"),
        (inputs(plan="2023-09-01"), 0, "Điểm: 8 − 1 × 8 tháng trễ = 0"),
        (inputs(plan="2023-11-01"), 0, "Điểm: max(0; 8 − 1 × 10 tháng trễ) = 0"),
        (inputs(plan=None), 0, "đúng hạn. Có văn bản không ban hành → 0"),
        (inputs(report=""), 0, "không ban hành (hạn 15/12/2023). Có văn bản không ban hành → 0"),
        (inputs(plan=date(2023, 2, 1)), 7, "Điểm: 8 − 1 × 1 tháng trễ = 7"),
    ],
)
def test_deadline_scores(given, score, explanation_end):
    result = score_criterion(T01, given)
    assert result.status == "scored"
    assert result.score == score
    assert result.explanation.endswith(explanation_end)
    assert_explanation_matches(result)


def test_the_explanation_shows_every_deliverable():
    result = score_criterion(T01, inputs(plan="2023-03-05"))
    assert result.explanation == (
        "Ban hành Kế hoạch: hạn 31/01/2023, ban hành 05/03/2023, trễ 2 tháng; "
        "Báo cáo kết quả: hạn 15/12/2023, ban hành 15/12/2023, đúng hạn. "
        "Điểm: 8 − 1 × 2 tháng trễ = 6"
    )


def test_a_fractional_penalty_is_exact():
    criterion = make_criterion("deadline", {**PARAMS, "penalty_per_month": "0,5"}, points=5)
    result = score_criterion(criterion, inputs(plan="2023-03-05"))
    assert result.score == 4
    assert result.explanation.endswith("Điểm: 5 − 0,5 × 2 tháng trễ = 4")


def test_a_missing_deliverable_means_not_scored():
    result = score_criterion(T01, {"plan_issued": {"due": "2023-01-31", "actual": "2023-01-20"}})
    assert result.status == "not_scored"
    assert result.score is None
    assert result.explanation == "Chưa chấm: chưa nhập Báo cáo kết quả"


def test_a_document_never_issued_scores_zero_even_if_another_is_missing():
    result = score_criterion(T01, {"plan_issued": {"due": "2023-01-31", "actual": None}})
    assert (result.status, result.score) == ("scored", 0)
    assert result.explanation == (
        "Ban hành Kế hoạch: không ban hành (hạn 31/01/2023). Có văn bản không ban hành → 0"
    )


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (inputs(plan="31/01/2023"), "plan_issued.actual", "YYYY-MM-DD"),
        (inputs(plan="2023-02-30"), "plan_issued.actual", "Ngày không tồn tại"),
        (inputs(plan=20230131), "plan_issued.actual", "YYYY-MM-DD"),
        (inputs(plan="2025-01-01"), "plan_issued.actual", "Năm không hợp lệ"),
        (inputs(plan="2021-12-31"), "plan_issued.actual", "Năm không hợp lệ"),
        (inputs(plan_due=None), "plan_issued.due", "Thiếu hạn"),
        (inputs(plan_due="0202-01-31"), "plan_issued.due", "Năm không hợp lệ"),
        (inputs(plan_due="2023-13-01"), "plan_issued.due", "Ngày không tồn tại"),
        ({"plan_issued": {"due": "2023-01-31"}}, "plan_issued.actual", "Thiếu ngày ban hành"),
        ({"plan_issued": "2023-01-31"}, "plan_issued", "Phải là một đối tượng"),
        (
            {"plan_issued": {"due": "2023-01-31", "actual": None, "x": 1}},
            "plan_issued.x",
            "không hợp lệ",
        ),
        ({"other": {"due": "2023-01-31", "actual": None}}, "other", "Trường không hợp lệ"),
    ],
)
def test_invalid_deadline_inputs_are_rejected(given, field, message):
    with pytest.raises(InputError) as info:
        score_criterion(T01, given)
    assert (info.value.criterion, info.value.field) == ("T01", field)
    assert message in info.value.message
    assert str(info.value).startswith(f"T01 › {field}: ")


def test_a_year_within_one_of_the_due_year_is_accepted():
    assert score_criterion(T01, inputs(plan="2022-12-20")).score == 8
    assert score_criterion(T01, inputs(report="2024-12-31")).score == 0  # 13 months late


def test_input_fields_describe_each_deliverable():
    fields = T01.rule.input_fields()
    assert [(f.name, f.type, f.required, f.group) for f in fields] == [
        ("plan_issued.due", "date", True, "plan_issued"),
        ("plan_issued.actual", "date", False, "plan_issued"),
        ("results_reported.due", "date", True, "results_reported"),
        ("results_reported.actual", "date", False, "results_reported"),
    ]
    assert fields[1].label == "Ban hành Kế hoạch: ngày ban hành văn bản"


def test_validate_inputs_normalises_dates():
    clean = T01.rule.validate_inputs(inputs(plan=None))
    assert clean["plan_issued"] == {"due": date(2023, 1, 31), "actual": None}
    assert clean["results_reported"]["actual"] == date(2023, 12, 15)


def test_deliverables_know_their_due_date_in_a_year():
    assert T01.rule.deliverables[0].due_in(2024) == date(2024, 1, 31)


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31))
delays = st.integers(0, 300)  # stays within a year of the due date


@given(days, days, delays, delays, st.integers(0, 60), st.sampled_from([1, 2, 8, Fraction(5, 2)]))
def test_more_lateness_never_raises_the_score(plan_due, report_due, late1, late2, extra, points):
    criterion = make_criterion("deadline", PARAMS, points=points)

    def score(plan_delay, report_delay):
        return score_criterion(
            criterion,
            inputs(
                plan=date.fromordinal(plan_due.toordinal() + plan_delay),
                report=date.fromordinal(report_due.toordinal() + report_delay),
                plan_due=plan_due,
                report_due=report_due,
            ),
        )

    before, after = score(late1, late2), score(late1 + extra, late2)
    assert 0 <= after.score <= before.score <= points
    assert_explanation_matches(before)
    assert_explanation_matches(after)
