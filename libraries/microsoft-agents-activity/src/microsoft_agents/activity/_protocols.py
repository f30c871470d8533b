"""Structural types for the turn context and the channel adapter.

The concrete classes live in the hosting packages; these protocols let code in this
distribution (and in extensions) accept "anything shaped like a TurnContext / ChannelAdapter"
without depending on hosting. Both are ``runtime_checkable``: ``isinstance`` checks that the
members exist, not their signatures.

Members that implementations usually expose as properties are declared read-only here, so a
plain attribute, a read-only property and a property with a setter all satisfy them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._accounts import ConversationParameters, ConversationReference, ResourceResponse
    from ._activity import Activity

__all__ = ["ChannelAdapterProtocol", "TurnContextProtocol"]

_T = TypeVar("_T")

_TurnCallback = Callable[["TurnContextProtocol"], Awaitable[Any]]
"""``async (context) -> None``: the agent logic run for a turn."""

_TurnErrorHandler = Callable[..., Awaitable[Any]]
"""``async (context, error) -> None``: called when a turn raises."""

_Interceptor = Callable[..., Awaitable[Any]]
"""``async (context, arg, next) -> result``; ``arg`` is the activities, the activity or the
conversation reference, and ``await next()`` runs the rest of the chain."""


class _ServiceBag(Protocol):
    """Per-turn services keyed by their type."""

    def get(self, key: type[_T], /) -> _T | None: ...

    def has(self, key: type[Any], /) -> bool: ...

    def set(self, key: type[_T], value: _T, /) -> object: ...


@runtime_checkable
class TurnContextProtocol(Protocol):
    """The context of one turn: the incoming activity and the means to answer it."""

    @property
    def adapter(self) -> ChannelAdapterProtocol:
        """The adapter that runs this turn and sends the replies."""
        ...

    @property
    def activity(self) -> Activity:
        """The incoming activity."""
        ...

    @property
    def responded(self) -> bool:
        """Whether a non-trace activity has been sent during this turn."""
        ...

    @property
    def turn_state(self) -> dict[str, Any]:
        """State shared by everything that runs during this turn."""
        ...

    @property
    def services(self) -> _ServiceBag:
        """Typed services (connector client, user-token client, ...) for this turn."""
        ...

    async def send_activity(
        self,
        activity_or_text: Activity | str,
        speak: str | None = None,
        input_hint: str | None = None,
    ) -> ResourceResponse | None:
        """Send one activity (a ``str`` becomes a message) and return its resource id."""
        ...

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        """Send activities as replies to the incoming one, through the send interceptors."""
        ...

    async def update_activity(self, activity: Activity) -> ResourceResponse | None:
        """Replace an activity that was sent earlier."""
        ...

    async def delete_activity(self, id_or_reference: str | ConversationReference) -> None:
        """Delete an activity by id (in this conversation) or by conversation reference."""
        ...

    async def send_trace_activity(
        self,
        name: str,
        value: object | None = None,
        value_type: str | None = None,
        label: str | None = None,
    ) -> ResourceResponse | None:
        """Send a ``trace`` activity."""
        ...

    def on_send_activities(self, handler: _Interceptor) -> TurnContextProtocol:
        """Register an interceptor for outgoing activities; returns the context."""
        ...

    def on_update_activity(self, handler: _Interceptor) -> TurnContextProtocol:
        """Register an interceptor for activity updates; returns the context."""
        ...

    def on_delete_activity(self, handler: _Interceptor) -> TurnContextProtocol:
        """Register an interceptor for activity deletions; returns the context."""
        ...


@runtime_checkable
class ChannelAdapterProtocol(Protocol):
    """Connects agent logic to a channel: runs turns and carries activities both ways."""

    @property
    def on_turn_error(self) -> _TurnErrorHandler | None:
        """Handler for exceptions raised by a turn; ``None`` re-raises them."""
        ...

    async def send_activities(
        self, context: TurnContextProtocol, activities: list[Activity]
    ) -> list[ResourceResponse]:
        """Deliver activities to the channel; one response per activity."""
        ...

    async def update_activity(
        self, context: TurnContextProtocol, activity: Activity
    ) -> ResourceResponse | None:
        """Replace an activity in the channel."""
        ...

    async def delete_activity(
        self, context: TurnContextProtocol, reference: ConversationReference
    ) -> None:
        """Delete the activity that ``reference`` points at."""
        ...

    def use(self, middleware: object) -> Self:
        """Add middleware to the pipeline; returns the adapter."""
        ...

    async def continue_conversation(
        self,
        agent_app_id: str,
        continuation_activity: Activity | ConversationReference,
        callback: _TurnCallback,
    ) -> object:
        """Run ``callback`` proactively in an existing conversation."""
        ...

    async def continue_conversation_with_claims(
        self,
        claims_identity: Any,
        continuation_activity: Activity,
        callback: _TurnCallback,
        audience: str | None = None,
    ) -> object:
        """Like :meth:`continue_conversation`, with a caller-supplied identity."""
        ...

    async def create_conversation(
        self,
        agent_app_id: str,
        channel_id: str,
        service_url: str,
        audience: str,
        conversation_parameters: ConversationParameters,
        callback: _TurnCallback,
    ) -> object:
        """Start a new conversation in the channel and run ``callback`` in it."""
        ...

    async def run_pipeline(self, context: TurnContextProtocol, callback: _TurnCallback) -> object:
        """Run the middleware and then ``callback``; errors go to :attr:`on_turn_error`."""
        ...
