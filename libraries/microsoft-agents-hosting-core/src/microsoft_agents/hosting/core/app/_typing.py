"""The typing indicator: show "typing..." while a slow turn is still working.

``TypingIndicator`` waits a short initial delay and then sends a ``typing`` activity every
interval until the turn answers. Handlers that reply within the initial delay therefore never
cause a typing activity. The indicator stops by itself as soon as the turn sends a message or
a streamed update (an activity with a ``streaminfo`` entity), updates or deletes an activity,
and at the latest when the ``async with`` block ends.

Typing activities go straight to ``context.adapter.send_activities``: they do not pass the
turn's send interceptors and do not count as the turn having responded. A failed typing send
is logged and otherwise ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelId,
    Channels,
    ResourceResponse,
    StreamInfo,
)

if TYPE_CHECKING:
    from .._turn_context import TurnContext

__all__ = ["TypingChannelStrategy", "TypingIndicator", "TypingOptions"]

logger = logging.getLogger(__name__)

DEFAULT_INITIAL_DELAY_MS = 500
DEFAULT_INTERVAL_MS = 10_000
_STREAMINFO = "streaminfo"


@dataclass
class TypingChannelStrategy:
    """Delays of the typing indicator for one channel, in milliseconds."""

    initial_delay_ms: int = DEFAULT_INITIAL_DELAY_MS
    """Wait before the first typing activity."""
    interval_ms: int = DEFAULT_INTERVAL_MS
    """Wait between two typing activities."""


@dataclass
class TypingOptions:
    """Delays of the typing indicator: defaults plus per-channel strategies.

    ``channel_strategies`` maps a channel id (``"msteams"``, or a full id with sub-channel
    such as ``"msteams:COPILOT"``) to its own delays. Copilot Studio (``pva-studio``) always
    has a strategy (250 ms / 1000 ms) unless one is given for it.
    """

    initial_delay_ms: int = DEFAULT_INITIAL_DELAY_MS
    interval_ms: int = DEFAULT_INTERVAL_MS
    channel_strategies: dict[str, TypingChannelStrategy] = field(default_factory=dict)

    def __post_init__(self) -> None:
        strategies = dict(self.channel_strategies)  # never change the caller's dict
        strategies.setdefault(
            Channels.copilot_studio.value,
            TypingChannelStrategy(initial_delay_ms=250, interval_ms=1000),
        )
        self.channel_strategies = strategies

    def get_strategy_for_channel(self, channel: str | None) -> TypingChannelStrategy:
        """The delays for ``channel``: its full id, then its base channel, then the defaults."""
        if channel:
            found = self.channel_strategies.get(str(channel))
            if found is None:
                base = ChannelId.get_channel(channel)
                found = self.channel_strategies.get(base) if base else None
            if found is not None:
                return found
        return TypingChannelStrategy(self.initial_delay_ms, self.interval_ms)


class TypingIndicator:
    """Sends ``typing`` activities while a turn runs; use as ``async with``.

    ``interval_seconds`` overrides the interval of the channel's strategy; ``typing_options``
    gives the delays (``TypingOptions()`` by default).
    """

    def __init__(
        self,
        context: TurnContext,
        interval_seconds: float | None = None,
        typing_options: TypingOptions | None = None,
    ) -> None:
        options = typing_options if typing_options is not None else TypingOptions()
        strategy = options.get_strategy_for_channel(context.activity.channel_id)
        interval = (
            float(interval_seconds) if interval_seconds is not None else strategy.interval_ms / 1000
        )
        if interval <= 0:
            raise ValueError("the typing interval must be positive")
        self._context = context
        self._initial_delay = max(strategy.initial_delay_ms, 0) / 1000
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self._hooked = False

    @property
    def initial_delay_seconds(self) -> float:
        """Seconds before the first typing activity."""
        return self._initial_delay

    @property
    def interval_seconds(self) -> float:
        """Seconds between two typing activities."""
        return self._interval

    @property
    def running(self) -> bool:
        """Whether the indicator is started and not yet stopped."""
        return self._task is not None and not self._stopped

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the timer (no effect when already started or stopped)."""
        if self._task is not None or self._stopped:
            return
        self._hook_context()
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        """Stop sending typing activities (an in-flight send is abandoned)."""
        self._stopped = True
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def aclose(self) -> None:
        """Stop and wait until the timer task has finished."""
        self.stop()
        task = self._task
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def __aenter__(self) -> TypingIndicator:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- the timer ------------------------------------------------------------------------------

    async def _run(self) -> None:
        await asyncio.sleep(self._initial_delay)
        while not self._stopped:
            await self._send_typing()
            await asyncio.sleep(self._interval)

    async def _send_typing(self) -> None:
        incoming = self._context.activity
        typing = Activity(type=ActivityTypes.typing)
        if incoming.relates_to is not None:
            typing.relates_to = incoming.relates_to
        typing.apply_conversation_reference(incoming.get_conversation_reference())
        try:
            await self._context.adapter.send_activities(self._context, [typing])
        except Exception as error:  # a missing typing activity must never fail the turn
            logger.warning("sending a typing activity failed: %s", error)

    # -- stopping when the turn answers ---------------------------------------------------------

    def _hook_context(self) -> None:
        if self._hooked:
            return
        self._hooked = True
        self._context.on_send_activities(self._on_send)
        self._context.on_update_activity(self._on_change)
        self._context.on_delete_activity(self._on_change)

    async def _on_send(
        self,
        context: TurnContext,
        activities: list[Activity],
        next_handler: Callable[[], Awaitable[list[ResourceResponse]]],
    ) -> list[ResourceResponse]:
        if not self._stopped and any(_ends_typing(a) for a in activities):
            self.stop()
        return await next_handler()

    async def _on_change(
        self, context: TurnContext, target: Any, next_handler: Callable[[], Awaitable[Any]]
    ) -> Any:
        self.stop()
        return await next_handler()


def _ends_typing(activity: Activity) -> bool:
    """A message or a streamed update makes a typing indicator unnecessary."""
    if activity.type == ActivityTypes.message:
        return True
    return any(
        isinstance(entity, StreamInfo) or getattr(entity, "type", None) == _STREAMINFO
        for entity in activity.entities or ()
    )
