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
import collections
import contextlib
import contextvars
import logging
import weakref
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, ClassVar

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelId,
    Channels,
)

from .._turn_delivery import _answers_user

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

    __slots__ = (
        "_answers",
        "_context",
        "_initial_delay",
        "_interval",
        "_started",
        "_stopped",
        "_task",
        "_ticket",
        "_vars",
        "_wait",
        "_watching",
    )

    def __init__(
        self,
        context: TurnContext,
        interval_seconds: float | None = None,
        typing_options: TypingOptions | None = None,
    ) -> None:
        if typing_options is None:
            initial_delay, channel_interval = _default_delays(context.activity.channel_id)
        else:
            initial_delay, channel_interval = _delays(
                typing_options.get_strategy_for_channel(context.activity.channel_id)
            )
        interval = float(interval_seconds) if interval_seconds is not None else channel_interval
        if interval <= 0:
            raise ValueError("the typing interval must be positive")
        self._context = context
        self._initial_delay = initial_delay
        self._interval = interval
        self._wait: _DelayQueue | None = None
        self._ticket = 0
        self._vars: contextvars.Context | None = None
        self._task: asyncio.Task[None] | None = None
        self._started = False
        self._stopped = False
        self._watching = False
        self._answers = 0

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
        """Whether the indicator is started and not yet stopped (the turn has not answered)."""
        if not self._started or self._stopped:
            return False
        return self._watching or self._context._answers == self._answers

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the timer (no effect when already started or stopped)."""
        if self._started or self._stopped:
            return
        self._started = True
        # Most turns answer within the initial delay. Rather than a task (or a timer) per
        # turn that is almost always cancelled, the indicator waits in a queue shared by the
        # event loop's indicators of the same delay; the task exists only once typing is due.
        # Until then it does not even watch the turn: the context counts its answers, and a
        # count that moved by the time typing is due means the turn has answered meanwhile.
        self._answers = self._context._answers
        self._vars = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        try:
            wait = _DelayQueue.of(loop, self._initial_delay)
        except TypeError:  # an event loop that cannot be weakly referenced: a queue of its own
            wait = _DelayQueue(loop, self._initial_delay)
        self._wait = wait
        self._ticket = wait.add(self)

    def stop(self) -> None:
        """Stop sending typing activities (an in-flight send is abandoned)."""
        if self._stopped:
            return
        self._stopped = True
        self._vars = None
        wait = self._wait
        if wait is not None:
            self._wait = None
            wait.remove(self._ticket)
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self._watching:
            # Once stopped there is nothing left to watch for.
            self._watching = False
            self._context._unwatch(self)

    async def aclose(self) -> None:
        """Stop and wait until the timer task has finished."""
        self.stop()
        task = self._task
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def finish(self) -> None:
        """Stop; when typing was due, also wait until its timer task has finished."""
        self.stop()
        if self._task is not None:
            await self.aclose()

    async def __aenter__(self) -> TypingIndicator:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.finish()

    # -- the timer ------------------------------------------------------------------------------

    def _due(self, loop: asyncio.AbstractEventLoop) -> None:
        """The initial delay is over: send typing activities from now on."""
        self._wait = None
        variables, self._vars = self._vars, None
        if self._stopped or variables is None:
            return
        if self._context._answers != self._answers:  # answered while typing was not due yet
            self.stop()
            return
        self._watching = True
        self._context._watch(self)
        # In the context the indicator was started in, as a task created by start() was.
        self._task = variables.run(loop.create_task, self._run())

    async def _run(self) -> None:
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

    def _delivering(self, activities: list[Activity]) -> None:
        """The turn delivers ``activities`` (after its interceptors ran)."""
        if not self._stopped:
            for activity in activities:
                if _answers_user(activity):
                    self.stop()
                    break

    def _changing(self) -> None:
        """The turn updates or deletes an activity."""
        self.stop()


_DEFAULT_OPTIONS = TypingOptions()  # never handed out, so never changed
_DEFAULT_DELAYS: dict[str | None, tuple[float, float]] = {}
_DEFAULT_DELAYS_LIMIT = 256


def _delays(strategy: TypingChannelStrategy) -> tuple[float, float]:
    """``(initial delay, interval)`` in seconds."""
    return max(strategy.initial_delay_ms, 0) / 1000, strategy.interval_ms / 1000


def _default_delays(channel: str | None) -> tuple[float, float]:
    """:func:`_delays` for ``channel`` under the default options, remembered per channel."""
    found = _DEFAULT_DELAYS.get(channel)
    if found is None:
        found = _delays(_DEFAULT_OPTIONS.get_strategy_for_channel(channel))
        if len(_DEFAULT_DELAYS) < _DEFAULT_DELAYS_LIMIT:
            _DEFAULT_DELAYS[channel] = found
    return found


class _DelayQueue:
    """The indicators of one event loop waiting for the same initial delay, in start order.

    Their deadlines (start time + delay) therefore come in order too: a single timer for the
    earliest one serves the whole queue. Stopping an indicator only forgets it (O(1)); its
    ``(deadline, ticket)`` entry is dropped when the timer reaches it.
    """

    __slots__ = ("__weakref__", "_delay", "_entries", "_loop", "_next_ticket", "_timer", "_waiting")

    _queues: ClassVar[
        weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[float, _DelayQueue]]
    ] = weakref.WeakKeyDictionary()

    def __init__(self, loop: asyncio.AbstractEventLoop, delay: float) -> None:
        self._loop = loop
        self._delay = delay
        self._entries: collections.deque[tuple[float, int]] = collections.deque()
        self._waiting: dict[int, TypingIndicator] = {}
        self._next_ticket = 0
        self._timer: asyncio.TimerHandle | None = None

    # The queues of the loop used last, found without hashing a new weak reference.
    _last: ClassVar[
        tuple[weakref.ReferenceType[asyncio.AbstractEventLoop], dict[float, _DelayQueue]] | None
    ] = None

    @classmethod
    def of(cls, loop: asyncio.AbstractEventLoop, delay: float) -> _DelayQueue:
        """The queue of ``loop`` for ``delay`` seconds."""
        last = cls._last
        if last is not None and last[0]() is loop:
            queues = last[1]
        else:
            found = cls._queues.get(loop)
            if found is None:
                found = cls._queues[loop] = {}
            queues = found
            cls._last = (weakref.ref(loop), queues)
        queue = queues.get(delay)
        if queue is None:
            queue = queues[delay] = cls(loop, delay)
        return queue

    def add(self, indicator: TypingIndicator) -> int:
        """Wait ``delay`` seconds from now, then call ``indicator._due``; returns a ticket."""
        ticket = self._next_ticket = self._next_ticket + 1
        deadline = self._loop.time() + self._delay
        self._entries.append((deadline, ticket))
        self._waiting[ticket] = indicator
        if self._timer is None:
            self._arm(deadline)
        return ticket

    def remove(self, ticket: int) -> None:
        """Forget the indicator of ``ticket`` (no effect once it was called)."""
        self._waiting.pop(ticket, None)

    def _arm(self, deadline: float) -> None:
        # A fresh context: the timer must not keep the variables of whichever turn armed it.
        self._timer = self._loop.call_at(deadline, self._fire, context=contextvars.Context())

    def _fire(self) -> None:
        self._timer = None
        now = self._loop.time()
        entries, waiting = self._entries, self._waiting
        while entries:
            deadline, ticket = entries[0]
            if ticket not in waiting:
                entries.popleft()
            elif deadline <= now:
                entries.popleft()
                try:
                    waiting.pop(ticket)._due(self._loop)
                except Exception:  # never leave the other indicators without a timer
                    logger.warning("starting a typing indicator failed", exc_info=True)
            else:
                self._arm(deadline)
                return
