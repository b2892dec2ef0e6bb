"""thidua's scoring engine: criteria libraries and rule kinds, with no Django import.

Plain data in (a library as YAML or dict, inputs as dicts), exact Fraction scores and
Vietnamese explanations out. See shared/spec/scoring-rules.md and docs/library-format.md.
"""

from thidua.scoring import kinds  # noqa: F401  (registers every rule kind)
from thidua.scoring.engine import (
    CriterionResult,
    LevelResult,
    score_criterion,
    score_level,
    total_level,
)
from thidua.scoring.errors import InputError, LibraryError
from thidua.scoring.fields import ChoiceOption, InputField
from thidua.scoring.kinds.base import Rule
from thidua.scoring.library import (
    Criterion,
    Level,
    Library,
    LibraryMeta,
    load_library,
    parse_library,
)
from thidua.scoring.numbers import decimal_str, format_vi, round_half_up, to_fraction
from thidua.scoring.registry import KINDS, get_kind, register

__all__ = [
    "KINDS",
    "ChoiceOption",
    "Criterion",
    "CriterionResult",
    "InputError",
    "InputField",
    "Level",
    "LevelResult",
    "Library",
    "LibraryError",
    "LibraryMeta",
    "Rule",
    "decimal_str",
    "format_vi",
    "get_kind",
    "load_library",
    "parse_library",
    "register",
    "round_half_up",
    "score_criterion",
    "score_level",
    "to_fraction",
    "total_level",
]
