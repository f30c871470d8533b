"""``HeaderPropagationContext``: the header providers of the current turn, in a context var.

The registry is an immutable tuple kept in a ``ContextVar``. Registering a provider sets a new
tuple, so a provider registered in one turn (one asyncio task) is never seen by another turn:
each task works on its own copy of the context. An outbound request with nothing registered
pays one ``ContextVar.get()`` and nothing else.

``AgentApplication`` scopes each turn (see :func:`begin_turn`): the turn starts with only the
providers the application registers for it (the agentic identity headers for an agentic
request) and whatever the turn registers is gone when it ends. As long as no provider was ever
registered in the process, non-agentic turns skip even that.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, ClassVar

from ._providers import AgenticHeaderProvider, HeaderValueProvider, clean_value

if TYPE_CHECKING:
    from microsoft_agents.activity import Activity

__all__ = [
    "PROPAGATED",
    "HeaderPropagationContext",
    "add_propagated_headers",
    "begin_turn",
    "end_turn",
]

logger = logging.getLogger("microsoft_agents.hosting.core.header_propagation")

PROPAGATED: ContextVar[tuple[HeaderValueProvider, ...]] = ContextVar(
    "microsoft_agents_propagated_header_providers", default=()
)
"""The providers whose headers the outbound requests of the current context carry."""

# An HTTP header name is a "token" (RFC 9110 section 5.6.2).
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class HeaderPropagationContext:
    """The registry of header providers of the current turn (class methods only).

    Outbound connector and user-token requests made in the same context, including those of
    clients created before a provider was registered, carry the providers' headers; headers
    the request sets itself (``Authorization``, ``Content-Type``...) always win.
    """

    _registered_any: ClassVar[bool] = False
    """Set once a provider has been registered anywhere in the process."""

    @classmethod
    def reset(cls) -> None:
        """Forget every provider registered in the current context."""
        PROPAGATED.set(())

    @classmethod
    def register(cls, provider: HeaderValueProvider) -> None:
        """Add ``provider`` for the rest of the current turn (or task).

        :raises TypeError: when ``provider`` has no ``get_headers()`` method.
        """
        if not callable(getattr(provider, "get_headers", None)):
            raise TypeError(
                "HeaderPropagationContext.register needs a HeaderValueProvider (an object "
                f"with a get_headers() method), got {type(provider).__name__}"
            )
        HeaderPropagationContext._registered_any = True
        PROPAGATED.set((*PROPAGATED.get(), provider))

    @classmethod
    def providers(cls) -> list[HeaderValueProvider]:
        """The providers registered in the current context, in registration order (a copy)."""
        return list(PROPAGATED.get())

    @classmethod
    def collect_headers(cls) -> dict[str, str]:
        """The headers of every registered provider, merged (a later provider wins).

        A provider that raises or returns something other than a mapping is skipped with a
        warning; names that are not valid header names are dropped and values are cleaned of
        line breaks and other control characters.
        """
        providers = PROPAGATED.get()
        return _collect(providers) if providers else {}


def _headers_of(provider: HeaderValueProvider) -> Mapping[Any, Any] | None:
    try:
        headers = provider.get_headers()
    except Exception as error:  # a broken provider must not fail the request
        # Only the types are logged: the message could quote a secret value.
        logger.warning(
            "header provider %s failed (%s); its headers are left out",
            type(provider).__name__,
            type(error).__name__,
        )
        return None
    if not isinstance(headers, Mapping):
        logger.warning(
            "header provider %s returned %s instead of a mapping; its headers are left out",
            type(provider).__name__,
            type(headers).__name__,
        )
        return None
    return headers


def _collect(providers: tuple[HeaderValueProvider, ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    names: dict[str, str] = {}  # lower-case name → the spelling kept in ``merged``
    for provider in providers:
        headers = _headers_of(provider)
        if not headers:
            continue
        for name, value in headers.items():
            if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
                logger.warning(
                    "header provider %s gave an invalid header name; it is left out",
                    type(provider).__name__,
                )
                continue
            key = name.lower()
            previous = names.get(key)
            if previous is not None and previous != name:
                del merged[previous]  # header names are case-insensitive: the later one wins
            names[key] = name
            merged[name] = clean_value(value)
    return merged


def add_propagated_headers(
    headers: dict[str, str], providers: tuple[HeaderValueProvider, ...]
) -> None:
    """Add the headers of ``providers`` to ``headers``, except those already present (in any
    letter case): the request's own headers win."""
    propagated = _collect(providers)
    if not propagated:
        return
    present = {name.lower() for name in headers}
    for name, value in propagated.items():
        if name.lower() not in present:
            headers[name] = value
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("propagated headers added: %s", sorted(propagated))


def begin_turn(
    activity: Activity, agent_name: str, agentic: bool
) -> Token[tuple[HeaderValueProvider, ...]]:
    """Start the providers of a turn: the agentic identity headers for an agentic request
    (``agentic``, as ``activity.is_agentic_request()`` said), none otherwise. Hand the token
    to :func:`end_turn` when the turn is over."""
    if agentic:
        return PROPAGATED.set((AgenticHeaderProvider(activity, agent_name),))
    return PROPAGATED.set(())


def end_turn(token: Token[tuple[HeaderValueProvider, ...]] | None) -> None:
    """End a turn's providers: those of :func:`begin_turn` (``token``), or, for a turn that
    was not scoped (``None``, nothing had been registered when it started), whatever it
    registered itself."""
    if token is None:
        PROPAGATED.set(())  # the turn started with nothing registered anywhere
        return
    try:
        PROPAGATED.reset(token)
    except ValueError:  # ended in another context than it started in: forget the turn's own
        PROPAGATED.set(())
