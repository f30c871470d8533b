"""Options of an ``AgentApplication`` and the ranks that order its routes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import IntEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..storage import Storage
    from ._input_file import InputFileDownloader
    from ._typing import TypingOptions
    from .oauth import AuthHandler
    from .proactive import ProactiveOptions
    from .state import TurnState

__all__ = ["ApplicationOptions", "RouteRank"]


class RouteRank(IntEnum):
    """Where a route sits among routes of the same kind: lower ranks are tried first.

    Any integer from ``FIRST`` to ``LAST`` is a valid rank; these are the usual ones.
    """

    FIRST = 0
    DEFAULT = 32767
    LAST = 65535


@dataclass
class ApplicationOptions:
    """How an ``AgentApplication`` runs its turns.

    ``storage`` is required (directly or through the keyword arguments of the application).
    ``adapter`` is kept for older code that reads ``app.adapter``; the adapter that runs a
    turn is always the one on the turn context.
    """

    adapter: Any = None
    """The channel adapter (optional; ``app.adapter`` returns it)."""

    bot_app_id: str = ""
    """The agent's app id; needed for ``long_running_messages``."""

    storage: Storage | None = None
    """Where conversation and user state (and proactive conversations) are kept."""

    remove_recipient_mention: bool = True
    """Strip ``<at>agent</at>`` mentions of the agent from incoming message text."""

    start_typing_timer: bool = True
    """Send ``typing`` activities while a slow turn is running."""

    typing: TypingOptions | None = None
    """Delays of the typing indicator (defaults apply when ``None``)."""

    long_running_messages: bool = False
    """Run message turns as proactive continuations (for work longer than the HTTP timeout)."""

    file_downloaders: list[InputFileDownloader] = field(default_factory=list)
    """Downloaders that fill ``state.temp.input_files`` before routing."""

    turn_state_factory: Callable[[], TurnState] | None = None
    """Creates the state object of each turn (default ``TurnState.with_storage(storage)``)."""

    authorization_handlers: dict[str, AuthHandler] | None = None
    """User sign-in handlers, when not configured through ``AGENTAPPLICATION`` settings."""

    proactive: ProactiveOptions | None = None
    """Enables ``app.proactive`` when set."""

    @classmethod
    def _from_kwargs(cls, kwargs: dict[str, Any]) -> ApplicationOptions:
        """Options built from the keyword arguments whose names are option fields."""
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in kwargs.items() if key in names})

    @classmethod
    def _field_names(cls) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls))
