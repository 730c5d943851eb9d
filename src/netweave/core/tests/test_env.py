import pytest
from django.core.exceptions import ImproperlyConfigured

from netweave.core.env import env_bool, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("FALSE", False), ("0", False)]
)
def test_env_bool_reads_true_and_false(monkeypatch, raw, expected):
    """env_bool accepts true/false and 1/0 in any case."""
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is expected


@pytest.mark.parametrize("raw", ["yes", "on", "ture", "2"])
def test_env_bool_refuses_guesses(monkeypatch, raw):
    """env_bool refuses values it would have to guess about, naming the variable."""
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_env_bool_default_when_unset(monkeypatch):
    """An unset or empty variable gives the default."""
    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool("X_FLAG", True) is True
    monkeypatch.setenv("X_FLAG", "")
    assert env_bool("X_FLAG", False) is False


def test_env_int_and_list(monkeypatch):
    """Numbers must be whole; lists are comma-separated with blanks dropped."""
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 1) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_LIST", " a.example, ,b.example ")
    assert env_list("X_LIST") == ["a.example", "b.example"]
