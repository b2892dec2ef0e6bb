"""Descriptions of a rule's input fields, for building forms and import templates."""

from dataclasses import dataclass
from fractions import Fraction

FIELD_TYPES = ("date", "choice", "percent", "integer", "number")


@dataclass(frozen=True)
class ChoiceOption:
    code: str
    label: str
    points: Fraction


@dataclass(frozen=True)
class InputField:
    """One input of a criterion.

    `name` is the key in the inputs object; a dotted name ("plan_issued.actual") is a key
    of a nested object (`{"plan_issued": {"actual": …}}`). `group` names that nested
    object. `required` false means the field may be left empty (see the kind's help).
    """

    name: str
    label: str
    type: str
    required: bool = True
    choices: tuple[ChoiceOption, ...] = ()
    min: Fraction | None = None
    max: Fraction | None = None
    group: str | None = None
    help: str = ""

    def __post_init__(self):
        if self.type not in FIELD_TYPES:
            raise ValueError(f"unknown field type {self.type!r}")
