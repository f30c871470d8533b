"""Helpers to build models whose ``model_fields_set`` holds only meaningful values.

``pick_model(Cls, a=SkipNone(x), b=y)`` passes ``a`` only when ``x`` is not ``None``, so the
resulting model leaves ``a`` unset and it is not serialised with ``exclude_unset=True``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

__all__ = ["SkipIf", "SkipNone", "pick_model", "pick_model_dict"]

_T = TypeVar("_T")
_ModelT = TypeVar("_ModelT", bound=BaseModel)


class SkipIf(Generic[_T]):
    """Wraps a value that is dropped when ``predicate(value)`` is true."""

    __slots__ = ("predicate", "value")

    def __init__(self, value: _T, predicate: Callable[[_T], bool]) -> None:
        self.value = value
        self.predicate = predicate

    def skipped(self) -> bool:
        return bool(self.predicate(self.value))


class SkipNone(SkipIf[_T]):
    """Wraps a value that is dropped when it is ``None``."""

    __slots__ = ()

    def __init__(self, value: _T) -> None:
        super().__init__(value, lambda v: v is None)


def pick_model_dict(**kwargs: Any) -> dict[str, Any]:
    """Return ``kwargs`` with skipped :class:`SkipIf` values removed and the rest unwrapped."""
    out: dict[str, Any] = {}
    for key, value in kwargs.items():
        if isinstance(value, SkipIf):
            if value.skipped():
                continue
            value = value.value
        out[key] = value
    return out


def pick_model(cls: type[_ModelT], **kwargs: Any) -> _ModelT:
    """Construct ``cls`` from :func:`pick_model_dict` of ``kwargs``."""
    return cls(**pick_model_dict(**kwargs))
