"""TurnContext sending rules (spec §2) not pinned down elsewhere."""

from __future__ import annotations

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.testing import TestAdapter


async def test_an_activity_without_a_type_is_sent_as_a_message() -> None:
    adapter = TestAdapter()
    untyped = Activity.model_construct(type=None, text="no type given")  # type: ignore[arg-type]

    async def logic(context: TurnContext) -> None:
        await context.send_activities([untyped])

    replies = await adapter.process_activity("hi", logic)
    assert [(r.type, r.text) for r in replies] == [(ActivityTypes.message, "no type given")]
    wire = replies[0].model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert wire["type"] == "message" and wire["inputHint"] == "acceptingInput"
    assert untyped.type is None  # the caller's object is left alone


async def test_responded_is_set_by_any_non_trace_activity_of_a_batch() -> None:
    adapter = TestAdapter()
    flags: list[bool] = []

    async def logic(context: TurnContext) -> None:
        trace = Activity.create_trace_activity("t")
        await context.send_activities([trace, Activity.create_trace_activity("u")])
        flags.append(context.responded)
        await context.send_activities([Activity.create_trace_activity("v"), Activity(type="event")])
        flags.append(context.responded)

    await adapter.process_activity("hi", logic)
    assert flags == [False, True]


async def test_send_activity_returns_the_first_response_of_the_channel() -> None:
    adapter = TestAdapter()
    ids: list[str | None] = []

    async def logic(context: TurnContext) -> None:
        ids.append((await context.send_activity("one")).id)
        ids.append((await context.send_activity(Activity(type="typing"))).id)

    await adapter.process_activity("hi", logic)
    assert ids == [a.id for a in adapter.sent_activities] and all(ids)
