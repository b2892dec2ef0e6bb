"""The scoring package stays plain Python: no Django, no dynamic code execution."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import thidua.scoring

PACKAGE = Path(thidua.scoring.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_sources():
    names = {path.relative_to(PACKAGE).as_posix() for path in SOURCES}
    assert {"__init__.py", "__main__.py", "expr.py", "kinds/ratio.py"} <= names


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or ""


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_imports_django(path):
    django = [name for name in imported_modules(path) if name.split(".")[0] == "django"]
    assert django == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_runs_dynamic_code(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert calls.isdisjoint({"eval", "exec", "compile", "__import__"})


BLOCK_DJANGO = """
import sys

class BlockDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError("django is blocked")

sys.meta_path.insert(0, BlockDjango())
from thidua.scoring import __main__, parse_library  # noqa
import thidua.scoring as scoring
assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
print(sorted(scoring.KINDS))
"""


def test_it_imports_and_runs_with_django_blocked():
    completed = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", BLOCK_DJANGO], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == (
        "['bands', 'choice', 'deadline', 'formula', 'late_entries', 'ratio', 'threshold']"
    )


def test_public_api():
    from thidua.scoring import (  # noqa: F401
        KINDS,
        Criterion,
        CriterionResult,
        InputError,
        Level,
        LevelResult,
        Library,
        LibraryError,
        decimal_str,
        format_vi,
        get_kind,
        load_library,
        parse_library,
        score_criterion,
        score_level,
    )

    assert get_kind("ratio") is KINDS["ratio"]
    with pytest.raises(KeyError, match="unknown rule kind"):
        get_kind("nope")


def test_a_new_kind_is_one_registered_class():
    from fractions import Fraction

    from scoring_helpers import make_criterion

    from thidua.scoring import register, score_criterion
    from thidua.scoring.fields import InputField
    from thidua.scoring.kinds.base import Outcome, Rule

    @register("test_double")
    class DoubleRule(Rule):
        PARAMS = ("factor",)

        def parse_params(self, params, problems):
            self.factor = Fraction(params.get("factor", 2))

        def input_fields(self):
            return [InputField("n", "Số", "number")]

        def clean(self, data):
            return {"n": self.clean_number("n", data["n"], noun="Số")}

        def evaluate(self, clean, decimals):
            return Outcome("scored", clean["n"] * self.factor, "x")

    try:
        criterion = make_criterion("test_double", {"factor": 3}, points=10)
        assert score_criterion(criterion, {"n": 2}).score == 6
        assert score_criterion(criterion, {"n": 9}).score == 10  # clamped to P
        with pytest.raises(ValueError, match="already registered"):
            register("ratio")(DoubleRule)
    finally:
        thidua.scoring.KINDS.pop("test_double")
