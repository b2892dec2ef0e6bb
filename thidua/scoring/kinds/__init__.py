"""The rule kinds. Importing this package registers every kind below in `KINDS`."""

from thidua.scoring.kinds import (  # noqa: F401
    bands,
    choice,
    deadline,
    formula,
    late_entries,
    ratio,
    threshold,
)
from thidua.scoring.kinds.base import Outcome, Rule

__all__ = ["Outcome", "Rule"]
