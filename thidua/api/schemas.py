"""Request and response schemas of the API: the validation boundary for API callers.

Numbers that are scores or points are decimal strings with 6 places ("3.789474"), exact
and locale-free; `*_display` fields are the same values as the web shows them ("3,79").
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from ninja import Field, Path, Query, Schema
from pydantic import ConfigDict

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"

# Path and query codes: the pattern both documents them and keeps odd bytes (NUL) from
# ever reaching a database query.


def path_code(description: str, example: str):
    return Annotated[
        str,
        Path(pattern=CODE_PATTERN, max_length=64, description=description, examples=[example]),
    ]


def query_code(description: str, example: str):
    return Annotated[
        str | None,
        Query(
            None, pattern=CODE_PATTERN, max_length=64, description=description, examples=[example]
        ),
    ]


PeriodCode = path_code("An evaluation period's code.", "2023")
UnitCode = path_code("A unit's code.", "31498")
CriterionCode = path_code("A criterion's code within the unit's level.", "X03")
LevelCode = path_code("A level's code (tinh, huyen, xa).", "xa")
SetCode = path_code("A criteria set's code.", "soc-trang-cds")
VersionCode = path_code("A version of the criteria set.", "2023.1")
LevelFilter = query_code("Only units of this level.", "xa")
KindFilter = query_code("Only units of this kind.", "phuong")
ParentFilter = query_code("Only the communes of this district.", "941")
DistrictFilter = query_code("Only the communes of this district.", "941")

# A source label: one line of text, no control characters (they would reach the database).
LABEL_PATTERN = r"^[^\x00-\x1f\x7f]*$"

Scalar = str | int | float | bool | None
InputValue = Scalar | dict[str, Scalar]


# -- who am I --------------------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent: str | None


class TokenInfo(Schema):
    name: str
    prefix: str
    can_write: bool
    created_at: datetime.datetime


class MeOut(Schema):
    username: str
    full_name: str
    role: str | None = Field(description="The caller's role; null for a user without one.")
    unit: UnitRef | None = Field(
        description="Own unit of unit editors and heads; the district of district reviewers."
    )
    token: TokenInfo | None = Field(description="The token used, or null for a session.")


# -- criteria ----------------------------------------------------------------------------


class ChoiceOut(Schema):
    code: str
    label: str
    points: str


class InputFieldOut(Schema):
    name: str = Field(description='Key in the inputs object; "a.b" is key b of object a.')
    label: str
    type: str = Field(description="date, choice, percent, integer or number")
    required: bool
    group: str | None
    help: str
    min: str | None
    max: str | None
    choices: list[ChoiceOut]


class CriterionOut(Schema):
    code: str
    order: int
    content: str
    points: str
    points_confirmed: bool
    kind: str
    params: dict[str, Any]
    rule_text: str
    evidence_basis: str
    evidence_required: bool
    data_source: str
    input_fields: list[InputFieldOut] = Field(
        description="What a unit enters for this criterion (due dates come from the period)."
    )


class CriteriaLevelOut(Schema):
    code: str
    name: str
    scale: str
    criteria: list[CriterionOut]


class CriteriaVersionSummary(Schema):
    version: str
    year: int
    status: str
    decision: str
    decision_date: datetime.date
    issuer: str
    province: str
    na_policy: str
    display_decimals: int
    published_at: datetime.datetime | None


class CriteriaSetOut(Schema):
    code: str
    name: str
    versions: list[CriteriaVersionSummary]


class CriteriaVersionOut(CriteriaVersionSummary):
    criteria_set: str
    criteria_set_name: str
    levels: list[CriteriaLevelOut]


# -- units and periods -------------------------------------------------------------------


class UnitOut(UnitRef):
    display_name: str
    email: str
    is_active: bool


class PeriodOut(Schema):
    code: str
    year: int
    name: str
    state: str
    criteria_set: str
    criteria_version: str
    opens_on: datetime.date
    submission_deadline: datetime.date
    explanation_until: datetime.date | None
    discrepancy_tolerance: str


class DueDateOut(Schema):
    criterion: str
    deliverable: str
    label: str
    due_on: datetime.date


class GradeBandOut(Schema):
    name: str
    min_total: str


class PeriodDetailOut(PeriodOut):
    due_dates: list[DueDateOut]
    grade_bands: list[GradeBandOut]


# -- assessments and scores --------------------------------------------------------------


class ResultOut(Schema):
    status: str = Field(description="scored, not_scored, na or needs_na")
    score: str | None
    score_display: str
    explanation: str


class TotalOut(Schema):
    total: str
    total_display: str
    earned: str
    applicable_max: str
    complete: bool


class CriterionScoreOut(Schema):
    code: str
    content: str
    points: str
    kind: str
    revision: int = Field(description="Send it back as expected_revision when writing.")
    self_inputs: dict[str, Any] | None
    verified_inputs: dict[str, Any] | None
    verified_source: str
    na: bool
    na_reason: str
    discrepancy: bool
    updated_at: datetime.datetime | None
    updated_by: str | None
    self: ResultOut
    verified: ResultOut | None
    final: ResultOut


class AssessmentSummaryOut(Schema):
    unit: UnitRef
    state: str
    submitted_at: datetime.datetime | None
    submitted_late: bool
    self_total: TotalOut
    final_total: TotalOut


class AssessmentOut(AssessmentSummaryOut):
    period: str
    level_name: str
    scale: str
    decimals: int
    can_edit: bool
    criteria: list[CriterionScoreOut]


class InputsIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"inputs": {"rate": "90,5"}, "expected_revision": 0}]}
    )

    inputs: dict[str, InputValue] | None = Field(
        description=(
            "The inputs of the criterion as the scoring engine reads them, e.g. "
            '{"rate": "90,5"}, {"numerator": 45, "denominator": 50}, {"option": "full"}, '
            '{"plan_issued": {"actual": "2023-03-01"}}. Null or {} clears the criterion.'
        ),
    )
    expected_revision: int = Field(
        ge=0,
        le=2_147_483_647,
        description="The revision the caller last read (0 if never saved).",
    )


class InputsSavedOut(Schema):
    criterion: CriterionScoreOut
    self_total: TotalOut


# -- rankings -----------------------------------------------------------------------------


class RankingRowOut(Schema):
    rank: int
    unit: UnitRef
    total: str
    total_display: str
    self_total: str
    complete: bool
    is_final: bool
    grade: str | None
    scores: dict[str, str | None] = Field(description="Final score per criterion code.")


class RankingOut(Schema):
    period: str
    level: str
    kind: str | None
    district: str | None
    is_preliminary: bool
    decimals: int
    criteria: list[str]
    rows: list[RankingRowOut]


# -- source data --------------------------------------------------------------------------

SourceNumber = Annotated[str, Field(max_length=40, pattern=r"^[^\r\n\x00]*$")] | int | float


class SourceRowIn(Schema):
    unit_code: str = Field(max_length=64, pattern=CODE_PATTERN)
    criterion_code: str = Field(max_length=64, pattern=CODE_PATTERN)
    rate: SourceNumber | None = Field(None, description='Percent, e.g. "90.5" or "90,5".')
    numerator: SourceNumber | None = None
    denominator: SourceNumber | None = None


class SourceRowsIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "Cổng DVC tỉnh",
                    "rows": [
                        {"unit_code": "31498", "criterion_code": "X03", "rate": "85,5"},
                        {
                            "unit_code": "31501",
                            "criterion_code": "X03",
                            "numerator": 45,
                            "denominator": 50,
                        },
                    ],
                    "dry_run": True,
                }
            ]
        }
    )

    source: str = Field(
        min_length=1,
        max_length=255,
        pattern=r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$",
        description='The system the data comes from, e.g. "Cổng DVC tỉnh".',
    )
    rows: list[SourceRowIn] = Field(min_length=1, max_length=200_000)
    dry_run: bool = Field(False, description="Validate and report what would change only.")


class SourceImportOut(Schema):
    uuid: str
    period: str
    source: str
    file_name: str
    file_format: str
    sha256: str
    row_count: int
    status: str
    changed_count: int
    discrepancy_count: int
    cleared_count: int
    uploaded_at: datetime.datetime
    replaces: str | None = Field(description="The earlier import of the same source replaced.")


class SourcePlanOut(Schema):
    """What importing would do (dry run): nothing was stored."""

    source: str
    row_count: int
    changed_count: int
    discrepancy_count: int
    cleared_count: int
    new_entries: int
