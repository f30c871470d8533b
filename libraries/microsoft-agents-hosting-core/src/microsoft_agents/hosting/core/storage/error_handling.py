"""Helpers for storage code that must tolerate some failures, such as "already exists"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

__all__ = ["ErrorFilter", "ignore_error", "is_status_code_error"]

_T = TypeVar("_T")

ErrorFilter = Callable[[Exception], bool]
"""Decides whether an exception may be swallowed (``True``) or must propagate."""


async def ignore_error(promise: Awaitable[_T], ignore_error_filter: ErrorFilter) -> _T | None:
    """Await ``promise``; return ``None`` instead of raising when the filter accepts the error.

    Errors the filter rejects propagate unchanged. Only ``Exception`` subclasses are offered to
    the filter, so cancellation always propagates.
    """
    try:
        return await promise
    except Exception as error:
        if ignore_error_filter(error):
            return None
        raise


def is_status_code_error(*ignored_codes: int) -> ErrorFilter:
    """Build a filter accepting errors whose ``status_code`` attribute is one of ``ignored_codes``.

    Typical use: ``await ignore_error(container.create(), is_status_code_error(409))``.
    Errors without a ``status_code`` attribute are never accepted.
    """
    codes = frozenset(ignored_codes)

    def accepts(error: Exception) -> bool:
        status_code = getattr(error, "status_code", None)
        return status_code is not None and status_code in codes

    return accepts
