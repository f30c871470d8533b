"""coerce_bool / coerce_int / coerce_float."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microsoft_agents.activity.config._coercion import coerce_bool, coerce_float, coerce_int
from microsoft_agents.activity.errors import configuration_errors

# --------------------------------------------------------------------------- coerce_bool


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("  True\n", True),
        ("0", False),
        ("false", False),
        (" FALSE ", False),
        (1, True),
        (0, False),
    ],
)
def test_coerce_bool_recognised_values(value: Any, expected: bool) -> None:
    assert coerce_bool(value) is expected
    # A default never overrides a recognised value.
    assert coerce_bool(value, default=not expected) is expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_coerce_bool_blank_uses_default(value: Any) -> None:
    assert coerce_bool(value, default=True) is True
    assert coerce_bool(value, default=False) is False


@pytest.mark.parametrize("value", [None, "", "  "])
def test_coerce_bool_blank_without_default_names_the_setting(value: Any) -> None:
    with pytest.raises(ValueError, match="ANONYMOUS_ALLOWED") as info:
        coerce_bool(value, name="ANONYMOUS_ALLOWED")
    assert str(configuration_errors.MissingRequiredValue.error_code) in str(info.value)


@pytest.mark.parametrize("value", ["yes", "no", "2", "t", 2, -1, 1.0, [], object()])
def test_coerce_bool_unrecognised(value: Any) -> None:
    assert coerce_bool(value, default=True) is True
    assert coerce_bool(value, default=False) is False
    with pytest.raises(ValueError, match="VALIDATE_ISSUER") as info:
        coerce_bool(value, name="VALIDATE_ISSUER")
    assert str(configuration_errors.InvalidBooleanValue.error_code) in str(info.value)


def test_coerce_bool_default_name_appears_in_error() -> None:
    with pytest.raises(ValueError, match="value"):
        coerce_bool("maybe")


# --------------------------------------------------------------------------- coerce_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5), (-3, -3), ("42", 42), ("  7 ", 7), ("-12", -12), ("+8", 8), (3.0, 3), ("0", 0)],
)
def test_coerce_int_parses(value: Any, expected: int) -> None:
    result = coerce_int(value, default=999)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("value", [None, "", " \t"])
def test_coerce_int_blank(value: Any) -> None:
    assert coerce_int(value, default=3978) == 3978
    assert coerce_int(value, 0) == 0
    with pytest.raises(ValueError, match="PORT") as info:
        coerce_int(value, name="PORT")
    assert str(configuration_errors.MissingRequiredValue.error_code) in str(info.value)


@pytest.mark.parametrize("value", ["abc", "4.5", "1e3", 2.5, True, False, [1]])
def test_coerce_int_unreadable(value: Any) -> None:
    assert coerce_int(value, default=11) == 11
    with pytest.raises(ValueError, match="TIMEOUT") as info:
        coerce_int(value, name="TIMEOUT")
    assert str(configuration_errors.InvalidIntegerValue.error_code) in str(info.value)


@given(st.integers())
def test_coerce_int_round_trips_decimal_strings(number: int) -> None:
    assert coerce_int(f" {number} ") == number


# --------------------------------------------------------------------------- coerce_float


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.5, 1.5), (2, 2.0), ("0.25", 0.25), (" -3 ", -3.0), ("1e3", 1000.0), (0, 0.0)],
)
def test_coerce_float_parses(value: Any, expected: float) -> None:
    result = coerce_float(value, default=99.0)
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize("value", [None, "", "   "])
def test_coerce_float_blank(value: Any) -> None:
    assert coerce_float(value, default=0.5) == 0.5
    with pytest.raises(ValueError, match="RATIO") as info:
        coerce_float(value, name="RATIO")
    assert str(configuration_errors.MissingRequiredValue.error_code) in str(info.value)


@pytest.mark.parametrize("value", ["fast", "1,5", True, {}, "1.2.3"])
def test_coerce_float_unreadable(value: Any) -> None:
    assert coerce_float(value, default=2.5) == 2.5
    with pytest.raises(ValueError, match="RATIO") as info:
        coerce_float(value, name="RATIO")
    assert str(configuration_errors.InvalidFloatValue.error_code) in str(info.value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_coerce_float_round_trips_repr(number: float) -> None:
    assert coerce_float(repr(number)) == number
