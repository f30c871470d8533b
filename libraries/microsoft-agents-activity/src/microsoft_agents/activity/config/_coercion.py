"""Turn configuration values (usually strings from the environment) into typed values.

All three helpers share one contract:

* a value that already has the target type passes through (``bool`` is never taken for an
  ``int`` or a ``float``);
* strings are trimmed and parsed;
* ``None`` or a blank string gives ``default``, or a ``ValueError`` naming ``name`` when no
  default was given;
* a value that cannot be read also gives ``default`` when one was given, else a ``ValueError``
  naming ``name``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import ErrorMessage, configuration_errors

__all__ = ["coerce_bool", "coerce_float", "coerce_int"]

_T = TypeVar("_T")

_TRUE_WORDS = frozenset({"1", "true"})
_FALSE_WORDS = frozenset({"0", "false"})


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fallback(default: _T | None, name: str, value: Any, message: ErrorMessage) -> _T:
    """Return ``default``, or raise the right ``ValueError`` when there is none."""
    if default is not None:
        return default
    if _is_blank(value):
        raise ValueError(configuration_errors.MissingRequiredValue.format(name))
    raise ValueError(message.format(name, value))


def coerce_bool(value: Any, default: bool | None = None, name: str = "value") -> bool:
    """Read a boolean: ``True``/``False`` as is, ``"1"``/``"true"``, ``"0"``/``"false"``.

    Words are matched case-insensitively after trimming; the integers ``1`` and ``0`` are
    accepted too.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    elif isinstance(value, int) and value in (0, 1):
        return value == 1
    return _fallback(default, name, value, configuration_errors.InvalidBooleanValue)


def coerce_int(value: Any, default: int | None = None, name: str = "value") -> int:
    """Read an integer from an ``int``, an integral ``float`` or a decimal string."""
    if isinstance(value, bool):
        return _fallback(default, name, value, configuration_errors.InvalidIntegerValue)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip():
        try:
            return int(value.strip())
        except ValueError:
            pass
    return _fallback(default, name, value, configuration_errors.InvalidIntegerValue)


def coerce_float(value: Any, default: float | None = None, name: str = "value") -> float:
    """Read a float from a ``float``, an ``int`` or a numeric string."""
    if isinstance(value, bool):
        return _fallback(default, name, value, configuration_errors.InvalidFloatValue)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value.strip():
        try:
            return float(value.strip())
        except ValueError:
            pass
    return _fallback(default, name, value, configuration_errors.InvalidFloatValue)
