"""``ErrorMessage``: a message template paired with a numeric error code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["HELP_URL_BASE", "ErrorMessage"]

HELP_URL_BASE = "https://aka.ms/M365AgentsErrorCodes/#"
"""Prefix of the help link appended to every formatted message; the error code follows it."""


@dataclass(frozen=True)
class ErrorMessage:
    """An error text template with a stable, negative error code.

    ``format(*args, **kwargs)`` fills the template with :meth:`str.format` and appends a blank
    line, ``Error Code: <code>`` and ``Help URL: <link>``. ``str(message)`` is ``format()``
    with no arguments.

    Building an error message must never hide the error being reported, so ``format`` does
    not raise when the arguments do not fit the template: it then keeps the template as
    written and lists the arguments after it.
    """

    message_template: str
    error_code: int

    @property
    def help_url(self) -> str:
        """The documentation link for this error code."""
        return f"{HELP_URL_BASE}{self.error_code}"

    def format(self, *args: Any, **kwargs: Any) -> str:
        """Return the filled-in message followed by the error code and the help link."""
        code = self.error_code
        return f"{self._fill(args, kwargs)}\n\nError Code: {code}\nHelp URL: {self.help_url}"

    def _fill(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        try:
            return self.message_template.format(*args, **kwargs)
        except (IndexError, KeyError, ValueError, AttributeError, TypeError):
            if not args and not kwargs:
                return self.message_template
            given = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
            return f"{self.message_template} (arguments: {', '.join(given)})"

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return (
            f"ErrorMessage(error_code={self.error_code}, "
            f"message_template={self.message_template!r})"
        )
