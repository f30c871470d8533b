"""The typing indicator, run inside real turns of the in-process TestAdapter with delays of
a few milliseconds."""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import TYPE_CHECKING, Any

import pytest

from microsoft_agents.activity import Activity, ResourceResponse
from microsoft_agents.hosting.core.app.typing_indicator import (
    TypingChannelStrategy,
    TypingIndicator,
    TypingOptions,
)
from microsoft_agents.hosting.core.testing import TestAdapter

if TYPE_CHECKING:
    from microsoft_agents.hosting.core import TurnContext

EPSILON = 0.002  # timer resolution allowance


def fast(initial_ms: int = 20, interval_ms: int = 30) -> TypingOptions:
    return TypingOptions(initial_delay_ms=initial_ms, interval_ms=interval_ms)


class TimedChannel(TestAdapter):
    """Records when each activity reached the channel (event-loop time)."""

    def __init__(self, channel_id: str = "test", *, fail_typing: bool = False, delay: float = 0):
        super().__init__(channel_id=channel_id)
        self.log: list[tuple[float, Activity]] = []
        self.fail_typing = fail_typing
        self.delay = delay

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        now = asyncio.get_running_loop().time()
        self.log.extend((now, a) for a in activities)
        if any(a.type == "typing" for a in activities):
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.fail_typing:
                raise ConnectionError("the channel is down")
        return await super().send_activities(context, activities)

    def times_of(self, kind: str) -> list[float]:
        return [t for t, a in self.log if a.type == kind and not a.entities]

    def kinds(self) -> list[str]:
        return [a.type for _t, a in self.log]


async def turn(channel: TestAdapter, handler: Any) -> None:
    await channel.process_activity("hi", handler)


# -- timing ----------------------------------------------------------------------------------


async def test_fast_handlers_never_send_typing() -> None:
    channel = TimedChannel()

    async def handler(context: TurnContext) -> None:
        async with TypingIndicator(context, typing_options=fast(initial_ms=50)):
            await asyncio.sleep(0.01)
            await context.send_activity("quick")
        await asyncio.sleep(0.08)  # well past the initial delay

    await turn(channel, handler)
    assert channel.kinds() == ["message"]


async def test_typing_starts_after_the_initial_delay_and_repeats_each_interval() -> None:
    channel = TimedChannel()
    started: list[float] = []

    async def handler(context: TurnContext) -> None:
        started.append(asyncio.get_running_loop().time())
        async with TypingIndicator(context, typing_options=fast(initial_ms=20, interval_ms=30)):
            await asyncio.sleep(0.1)
            await context.send_activity("done")
            await asyncio.sleep(0.07)  # stopped by the message: nothing more is sent
        await asyncio.sleep(0.05)

    await turn(channel, handler)
    kinds = channel.kinds()
    assert kinds[-1] == "message"
    assert set(kinds[:-1]) == {"typing"}
    typing = channel.times_of("typing")
    assert 2 <= len(typing) <= 4  # at about 20, 50 and 80 ms
    assert typing[0] - started[0] >= 0.02 - EPSILON
    assert all(b - a >= 0.03 - EPSILON for a, b in itertools.pairwise(typing))


async def test_typing_activities_are_addressed_replies_sent_past_the_context() -> None:
    channel = TimedChannel("msteams")
    responded: list[bool] = []

    async def handler(context: TurnContext) -> None:
        async with TypingIndicator(context, typing_options=fast(initial_ms=5, interval_ms=500)):
            await asyncio.sleep(0.03)
            responded.append(context.responded)

    await turn(channel, handler)
    assert responded == [False]  # typing does not count as an answer
    typing = channel.sent_activities[0].model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert typing.pop("timestamp")
    assert typing == {
        "type": "typing",
        "id": "2",
        "serviceUrl": "https://test.channel.local/",
        "channelId": "msteams",
        "from": {"id": "agent1", "name": "Agent", "role": "bot"},
        "conversation": {"id": "test-conversation"},
        "recipient": {"id": "user1", "name": "User", "role": "user"},
        "locale": "en-US",
        "replyToId": "1",
    }


# -- stopping --------------------------------------------------------------------------------


async def test_a_streamed_update_stops_typing() -> None:
    channel = TimedChannel("webchat")
    running: list[bool] = []

    async def handler(context: TurnContext) -> None:
        context.streaming_response.interval = 0.001
        indicator = TypingIndicator(context, typing_options=fast(initial_ms=5, interval_ms=10))
        async with indicator:
            await asyncio.sleep(0.03)
            context.streaming_response.queue_informative_update("Working")
            await context.streaming_response.wait_for_queue()
            running.append(indicator.running)
            before = len(channel.times_of("typing"))
            await asyncio.sleep(0.05)
            running.append(len(channel.times_of("typing")) == before)

    await turn(channel, handler)
    assert channel.times_of("typing")  # some plain typing went out before the update
    assert running == [False, True]


async def test_a_plain_typing_activity_from_the_handler_does_not_stop_it() -> None:
    channel = TimedChannel()
    running: list[bool] = []

    async def handler(context: TurnContext) -> None:
        indicator = TypingIndicator(context, typing_options=fast(initial_ms=500))
        async with indicator:
            await context.send_activity(Activity(type="typing"))
            running.append(indicator.running)
        running.append(indicator.running)

    await turn(channel, handler)
    assert running == [True, False]


@pytest.mark.parametrize("change", ["update", "delete"])
async def test_updating_or_deleting_an_activity_stops_typing(change: str) -> None:
    running: list[bool] = []

    async def handler(context: TurnContext) -> None:
        indicator = TypingIndicator(context, typing_options=fast(initial_ms=500))
        async with indicator:
            if change == "update":
                await context.update_activity(Activity(type="message", id="7", text="edited"))
            else:
                await context.delete_activity("7")
            running.append(indicator.running)

    await turn(TimedChannel(), handler)
    assert running == [False]


async def test_send_failures_are_logged_only(caplog: pytest.LogCaptureFixture) -> None:
    channel = TimedChannel(fail_typing=True)

    async def handler(context: TurnContext) -> None:
        async with TypingIndicator(context, typing_options=fast(initial_ms=5, interval_ms=10)):
            await asyncio.sleep(0.04)
            await context.send_activity("still fine")

    with caplog.at_level(logging.WARNING, logger="microsoft_agents.hosting.core"):
        await turn(channel, handler)
    assert len(channel.times_of("typing")) >= 2  # it kept trying after a failure
    assert [a.text for a in channel.sent_activities] == ["still fine"]
    assert any("typing" in r.getMessage() for r in caplog.records)


async def test_leaving_the_block_cancels_and_awaits_the_timer() -> None:
    before = asyncio.all_tasks()
    channel = TimedChannel(delay=5.0)  # a typing send that would hang for seconds

    async def handler(context: TurnContext) -> None:
        indicator = TypingIndicator(context, typing_options=fast(initial_ms=1, interval_ms=10))
        async with indicator:
            await asyncio.sleep(0.02)  # the first typing send is now in flight
        assert not indicator.running

    start = asyncio.get_running_loop().time()
    await turn(channel, handler)
    assert asyncio.get_running_loop().time() - start < 1.0
    assert asyncio.all_tasks() == before
    assert channel.kinds() == ["typing"]  # delivered to the channel, abandoned on exit


async def test_start_after_stop_does_nothing() -> None:
    channel = TimedChannel()

    async def handler(context: TurnContext) -> None:
        indicator = TypingIndicator(context, typing_options=fast(initial_ms=1, interval_ms=5))
        indicator.stop()
        indicator.start()
        assert not indicator.running
        await asyncio.sleep(0.02)
        await indicator.aclose()

    await turn(channel, handler)
    assert channel.kinds() == []


# -- options ---------------------------------------------------------------------------------


def test_typing_options_defaults_and_the_copilot_studio_strategy() -> None:
    options = TypingOptions()
    assert (options.initial_delay_ms, options.interval_ms) == (500, 10_000)
    assert options.channel_strategies == {
        "pva-studio": TypingChannelStrategy(initial_delay_ms=250, interval_ms=1000)
    }
    assert TypingChannelStrategy() == TypingChannelStrategy(500, 10_000)


def test_typing_options_copy_the_given_strategies_and_keep_an_explicit_one() -> None:
    given = {"pva-studio": TypingChannelStrategy(10, 20)}
    options = TypingOptions(channel_strategies=given)
    assert options.channel_strategies["pva-studio"] == TypingChannelStrategy(10, 20)

    mine: dict[str, TypingChannelStrategy] = {"msteams": TypingChannelStrategy(1, 2)}
    TypingOptions(channel_strategies=mine)
    assert list(mine) == ["msteams"]  # the caller's dict is not changed


def test_strategy_lookup_prefers_full_id_then_base_channel_then_defaults() -> None:
    options = TypingOptions(
        initial_delay_ms=7,
        interval_ms=70,
        channel_strategies={
            "msteams": TypingChannelStrategy(1, 10),
            "msteams:COPILOT": TypingChannelStrategy(2, 20),
        },
    )
    assert options.get_strategy_for_channel("msteams:COPILOT") == TypingChannelStrategy(2, 20)
    assert options.get_strategy_for_channel("msteams:OTHER") == TypingChannelStrategy(1, 10)
    assert options.get_strategy_for_channel("webchat") == TypingChannelStrategy(7, 70)
    assert options.get_strategy_for_channel(None) == TypingChannelStrategy(7, 70)


async def test_the_indicator_uses_the_channel_strategy_unless_an_interval_is_given() -> None:
    seen: list[tuple[float, float]] = []

    async def handler(context: TurnContext) -> None:
        default = TypingIndicator(context)
        seen.append((default.initial_delay_seconds, default.interval_seconds))
        custom = TypingIndicator(context, interval_seconds=2)
        seen.append((custom.initial_delay_seconds, custom.interval_seconds))
        with pytest.raises(ValueError):
            TypingIndicator(context, interval_seconds=0)

    await TestAdapter(channel_id="pva-studio").process_activity("hi", handler)
    await TestAdapter(channel_id="webchat").process_activity("hi", handler)
    assert seen == [(0.25, 1.0), (0.25, 2.0), (0.5, 10.0), (0.5, 2.0)]
