import pytest
from django.core.exceptions import ImproperlyConfigured

from thidua.env import env_bool, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        (None, True, True),
        ("", True, True),  # an empty line copied from .env.example keeps the safe default
        ("  ", False, False),
        ("0", True, False),
        ("off", True, False),
        ("1", False, True),
        ("Yes", False, True),
    ],
)
def test_env_bool(monkeypatch, raw, default, expected):
    if raw is None:
        monkeypatch.delenv("THIDUA_X", raising=False)
    else:
        monkeypatch.setenv("THIDUA_X", raw)
    assert env_bool("THIDUA_X", default=default) is expected


def test_env_bool_refuses_what_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("THIDUA_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="THIDUA_X"):
        env_bool("THIDUA_X")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("THIDUA_N", "")
    assert env_int("THIDUA_N", 7) == 7
    monkeypatch.setenv("THIDUA_N", "x")
    with pytest.raises(ImproperlyConfigured, match="THIDUA_N"):
        env_int("THIDUA_N", 7)
    monkeypatch.setenv("THIDUA_L", " a, b ,,")
    assert env_list("THIDUA_L") == ["a", "b"]
