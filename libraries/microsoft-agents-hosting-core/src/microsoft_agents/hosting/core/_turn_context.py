"""``TurnContext``: everything one turn needs — the incoming activity and the means to answer.

The context is created by an adapter for each incoming activity and handed to the middleware
and the agent. Replies go out through :meth:`TurnContext.send_activities`, which addresses them
to the sender of the incoming activity, runs the registered send interceptors and finally asks
the adapter to deliver them.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ConversationReference,
    InputHints,
    ResourceResponse,
)

from ._turn_delivery import (
    _answers_user,
    _ChainStep,
    _clone,
    _copy_turn,
    _DeliveryWatcher,
    _reply_addressing,
    _StaticHelpers,
)
from ._turn_services import TurnServices
from .errors import error_resources

if TYPE_CHECKING:
    from ._channel_adapter import ChannelAdapter
    from .app.streaming import StreamingResponse
    from .authorization import ClaimsIdentity

__all__ = [
    "DeleteActivityHandler",
    "SendActivitiesHandler",
    "TurnContext",
    "TurnServices",
    "UpdateActivityHandler",
]

_R = TypeVar("_R")

SendActivitiesHandler = Callable[
    ["TurnContext", list[Activity], Callable[[], Awaitable[list[ResourceResponse]]]],
    Awaitable[list[ResourceResponse] | None],
]
"""``async (context, activities, next) -> responses``; ``await next()`` continues the chain."""

UpdateActivityHandler = Callable[
    ["TurnContext", Activity, Callable[[], Awaitable[ResourceResponse | None]]],
    Awaitable[ResourceResponse | None],
]
"""``async (context, activity, next) -> response``; ``await next()`` continues the chain."""

DeleteActivityHandler = Callable[
    ["TurnContext", ConversationReference, Callable[[], Awaitable[None]]],
    Awaitable[None],
]
"""``async (context, reference, next) -> None``; ``await next()`` continues the chain."""

_TRACE = ActivityTypes.trace.value
_MESSAGE = ActivityTypes.message.value
_ACCEPTING_INPUT = InputHints.accepting_input.value


class TurnContext(_StaticHelpers):
    """The context of one turn.

    ``TurnContext(adapter, activity, identity=None)`` creates a fresh context;
    ``TurnContext(other_context)`` derives one that shares the adapter, activity, identity,
    services and buffered replies of ``other_context`` and starts with copies of its
    interceptor lists and its ``responded`` flag (``turn_state`` starts empty).
    """

    adapter: ChannelAdapter
    _activity: Activity
    _identity: ClaimsIdentity | None
    _responded: bool
    _services: TurnServices
    _buffered: list[Activity]
    # Interceptor lists; the shared empty tuple until a first handler is added (most turns
    # add none, and every object alive during a turn costs the garbage collector).
    _on_send: list[SendActivitiesHandler] | tuple[()]
    _on_update: list[UpdateActivityHandler] | tuple[()]
    _on_delete: list[DeleteActivityHandler] | tuple[()]
    _watchers: list[_DeliveryWatcher] | None
    # How often the turn has answered: delivered a message or a streamed update, or updated
    # or deleted an activity (the typing indicator compares it to decide whether it is due).
    _answers: int

    def __init__(
        self,
        adapter_or_context: ChannelAdapter | TurnContext,
        request: Activity | None = None,
        identity: ClaimsIdentity | None = None,
    ) -> None:
        self._turn_state: dict[str, Any] = {}
        self._streaming_response: StreamingResponse | None = None
        if isinstance(adapter_or_context, TurnContext):
            source = adapter_or_context
            self.adapter = source.adapter
            activity: Activity | None = request if request is not None else source._activity
            self._identity = identity if identity is not None else source._identity
            self._responded = source._responded
            self._services = source._services
            self._buffered = source._buffered
            self._on_send = list(source._on_send) if source._on_send else ()
            self._on_update = list(source._on_update) if source._on_update else ()
            self._on_delete = list(source._on_delete) if source._on_delete else ()
            self._watchers = source._watchers
            self._answers = source._answers
        else:
            if adapter_or_context is None:
                raise TypeError(str(error_resources.AdapterRequired))
            self.adapter = adapter_or_context
            activity = request
            self._identity = identity
            self._responded = False
            self._services = TurnServices()
            self._buffered = []
            self._on_send = self._on_update = self._on_delete = ()
            self._watchers = None
            self._answers = 0
        if activity is None:
            raise TypeError(str(error_resources.ActivityRequired))
        if not isinstance(activity, Activity):
            raise TypeError(f"TurnContext needs an Activity, got {type(activity).__name__}")
        self._activity = activity

    # -- properties -----------------------------------------------------------------------------

    @property
    def activity(self) -> Activity:
        """The incoming activity."""
        return self._activity

    @activity.setter
    def activity(self, value: Activity) -> None:
        if not isinstance(value, Activity):
            raise TypeError(f"TurnContext.activity must be an Activity, got {type(value).__name__}")
        self._activity = value

    @property
    def identity(self) -> ClaimsIdentity | None:
        """The claims of the caller that delivered the activity, if known."""
        return self._identity

    @property
    def responded(self) -> bool:
        """True once a non-trace activity has been sent during this turn."""
        return self._responded

    @responded.setter
    def responded(self, value: bool) -> None:
        if value is not True:
            raise ValueError("TurnContext.responded can only be set to True")
        self._responded = True

    @property
    def turn_state(self) -> dict[str, Any]:
        """Values shared by everything that runs during this turn."""
        return self._turn_state

    @property
    def services(self) -> TurnServices:
        """Typed services of this turn (the adapter registers its clients here)."""
        return self._services

    @property
    def buffered_reply_activities(self) -> list[Activity]:
        """Replies collected instead of sent when the incoming activity expects replies."""
        return self._buffered

    @property
    def streaming_response(self) -> StreamingResponse:
        """The streaming response of this turn, created on first use."""
        if self._streaming_response is None:
            from .app.streaming import StreamingResponse

            self._streaming_response = StreamingResponse(self)
        return self._streaming_response

    # -- sending --------------------------------------------------------------------------------

    async def send_activity(
        self,
        activity_or_text: Activity | str,
        speak: str | None = None,
        input_hint: str | None = None,
    ) -> ResourceResponse:
        """Send one activity; a ``str`` becomes a message. Returns the channel's response."""
        if isinstance(activity_or_text, str):
            data: dict[str, Any] = {
                "type": _MESSAGE,
                "text": activity_or_text,
                "input_hint": input_hint or _ACCEPTING_INPUT,
            }
            if speak is not None:
                data["speak"] = speak
            if type(self).send_activities is _SEND_ACTIVITIES:
                # Nobody else holds this new activity, so it is not copied first; and when the
                # incoming activity is an ordinary one, the reply is addressed while it is
                # built, exactly as apply_conversation_reference would address it.
                addressing = _reply_addressing(self._activity)
                if addressing is not None:
                    data.update(addressing)
                    channel = addressing.get("channel_id")
                    if (
                        type(activity_or_text) is str
                        and (speak is None or type(speak) is str)
                        and type(data["input_hint"]) is str
                        and (channel is None or not channel.sub_channel)
                    ):
                        # Every value is a plain string of ours or came validated with the
                        # incoming activity: no second validation pass is needed.
                        reply = Activity._construct_valid(data)
                    else:
                        reply = Activity(**data)
                    responses = await self._intercept_and_deliver([reply])
                else:
                    responses = await self._send([Activity(**data)], clone=False)
                return responses[0] if responses else ResourceResponse()
            activity = Activity(**data)
        else:
            activity = activity_or_text
            if speak is not None or input_hint is not None:
                update = {"speak": speak, "input_hint": input_hint}
                activity = activity.model_copy(
                    update={k: v for k, v in update.items() if v is not None}
                )
        responses = await self.send_activities([activity])
        return responses[0] if responses else ResourceResponse()

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        """Address ``activities`` as replies, run the send interceptors, then deliver them.

        Each activity is deep-copied first, so the caller's objects are never changed.
        """
        return await self._send(activities, clone=True)

    async def _send(self, activities: list[Activity], *, clone: bool) -> list[ResourceResponse]:
        reference = self._activity.get_conversation_reference()
        outgoing: list[Activity] = []
        for original in activities:
            activity: Activity = _clone(original) if clone else original
            activity.apply_conversation_reference(reference)
            if not getattr(activity, "type", None):
                activity.type = _MESSAGE
            if not activity.input_hint:
                activity.input_hint = _ACCEPTING_INPUT
            if activity.id is not None:
                activity.id = None
            activity.__pydantic_fields_set__.discard("id")
            outgoing.append(activity)
        return await self._intercept_and_deliver(outgoing)

    def _intercept_and_deliver(self, outgoing: list[Activity]) -> Awaitable[list[ResourceResponse]]:
        """Run the send interceptors over the addressed ``outgoing`` activities, then deliver."""
        if not self._on_send:
            return self._deliver(outgoing)  # no coroutine of its own when nobody intercepts
        return self._intercepted(outgoing)

    async def _intercepted(self, outgoing: list[Activity]) -> list[ResourceResponse]:
        deliver = functools.partial(self._deliver, outgoing)
        result = await _ChainStep(self, tuple(self._on_send), 0, outgoing, deliver)()
        return result if result is not None else []

    async def _deliver(self, outgoing: list[Activity]) -> list[ResourceResponse]:
        """Hand ``outgoing`` to the adapter; the turn has responded once a non-trace went out."""
        for activity in outgoing:
            if _answers_user(activity):
                self._answers += 1
                break
        if self._watchers:
            for watcher in tuple(self._watchers):
                watcher._delivering(outgoing)
        responses = await self.adapter.send_activities(self, outgoing)
        if not self._responded:
            for sent in outgoing:
                if sent.type != _TRACE:
                    self._responded = True
                    break
        return responses

    async def update_activity(self, activity: Activity) -> ResourceResponse | None:
        """Replace an activity sent earlier (``activity.id`` names it)."""
        reference = self._activity.get_conversation_reference()
        updated = activity.model_copy()
        updated.apply_conversation_reference(reference)

        async def deliver() -> ResourceResponse | None:
            self._changing()
            return await self.adapter.update_activity(self, updated)

        if not self._on_update:
            return await deliver()
        return await self._run_chain(self._on_update, updated, deliver)

    async def delete_activity(self, id_or_reference: str | ConversationReference) -> None:
        """Delete an activity by id (in this conversation) or by conversation reference."""
        if isinstance(id_or_reference, str):
            reference = self._activity.get_conversation_reference()
            reference.activity_id = id_or_reference
        else:
            reference = id_or_reference

        async def deliver() -> None:
            self._changing()
            await self.adapter.delete_activity(self, reference)

        if not self._on_delete:
            await deliver()
            return
        await self._run_chain(self._on_delete, reference, deliver)

    async def send_trace_activity(
        self,
        name: str,
        value: object | None = None,
        value_type: str | None = None,
        label: str | None = None,
    ) -> ResourceResponse:
        """Send a ``trace`` activity (visible in the Emulator, dropped by most channels)."""
        trace = Activity.create_trace_activity(name, value, value_type, label)
        trace.timestamp = datetime.now(timezone.utc)
        return await self.send_activity(trace)

    # -- interceptors ---------------------------------------------------------------------------

    def on_send_activities(self, handler: SendActivitiesHandler) -> TurnContext:
        """Intercept outgoing activities; handlers run in registration order."""
        if self._on_send:
            self._on_send.append(handler)
        else:
            self._on_send = [handler]
        return self

    def on_update_activity(self, handler: UpdateActivityHandler) -> TurnContext:
        """Intercept activity updates; handlers run in registration order."""
        if self._on_update:
            self._on_update.append(handler)
        else:
            self._on_update = [handler]
        return self

    def on_delete_activity(self, handler: DeleteActivityHandler) -> TurnContext:
        """Intercept activity deletions; handlers run in registration order."""
        if self._on_delete:
            self._on_delete.append(handler)
        else:
            self._on_delete = [handler]
        return self

    def copy_to(self, context: TurnContext) -> None:
        """Make ``context`` carry on this turn (see ``_copy_turn``); its ``turn_state`` stays."""
        _copy_turn(self, context)

    # -- delivery watchers (internal) -----------------------------------------------------------

    def _watch(self, watcher: _DeliveryWatcher) -> None:
        """Let ``watcher`` see what the turn delivers, after the interceptors (see ``_deliver``).

        Cheaper than an interceptor for observers that never change what is sent (the typing
        indicator); contexts derived from this one share the watchers.
        """
        if self._watchers is None:
            self._watchers = []
        self._watchers.append(watcher)

    def _unwatch(self, watcher: _DeliveryWatcher) -> None:
        watchers = self._watchers
        if watchers and watcher in watchers:
            watchers.remove(watcher)

    def _changing(self) -> None:
        self._answers += 1
        if self._watchers:
            for watcher in tuple(self._watchers):
                watcher._changing()

    async def _run_chain(
        self,
        handlers: list[Any],
        arg: object,
        last: Callable[[], Awaitable[_R]],
    ) -> _R:
        """Run ``handlers`` as a chain ending in ``last``; a handler continues with ``next()``."""
        result: _R = await _ChainStep(self, tuple(handlers), 0, arg, last)()
        return result


_SEND_ACTIVITIES = TurnContext.send_activities
