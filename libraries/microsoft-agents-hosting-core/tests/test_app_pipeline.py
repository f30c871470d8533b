"""AgentApplication turn pipeline: state, hooks, errors, mentions, typing, file downloads."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.app import (
    AgentApplication,
    ApplicationOptions,
    InputFile,
    InputFileDownloader,
    RouteRank,
    TypingOptions,
)
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.errors import StorageConflictError
from microsoft_agents.hosting.core.storage import MemoryStorage
from microsoft_agents.hosting.core.testing import TestAdapter

App = AgentApplication[TurnState]
CONVERSATION_KEY = "test/conversations/test-conversation"


def make(**kwargs: Any) -> tuple[App, TestAdapter, dict[str, Any]]:
    documents: dict[str, Any] = {}
    app = App(storage=MemoryStorage(documents), **kwargs)
    return app, TestAdapter(app), documents


async def counter(context: TurnContext, state: TurnState) -> None:
    count = state.conversation.get_value("count", lambda: 0) + 1
    state.conversation.set_value("count", count)
    await context.send_activity(f"count {count}")


# -- state -----------------------------------------------------------------------------------


async def test_state_is_loaded_and_saved_around_every_turn() -> None:
    app, adapter, documents = make()
    app.activity("message")(counter)
    await adapter.send("a").assert_reply("count 1").send("b").assert_reply("count 2")
    assert documents[CONVERSATION_KEY]["count"] == 2


async def test_temp_input_holds_the_text() -> None:
    app, adapter, _ = make()
    seen: list[Any] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        seen.append(state.temp.input)

    await adapter.process_activity("hello")
    assert seen == ["hello"]


async def test_turn_state_factory_and_setter() -> None:
    app, adapter, _ = make()
    storage = app.options.storage
    assert storage is not None
    created: list[TurnState] = []

    def factory() -> TurnState:
        state = TurnState.with_storage(storage)
        created.append(state)
        return state

    app.set_turn_state_factory(factory)
    seen: list[TurnState] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        seen.append(state)

    await adapter.process_activity("x")
    assert seen == created and len(created) == 1


async def test_turn_state_factory_option() -> None:
    storage = MemoryStorage()
    created: list[TurnState] = []

    def factory() -> TurnState:
        created.append(TurnState.with_storage(storage))
        return created[-1]

    app = App(storage=storage, turn_state_factory=factory)
    app.activity("message")(counter)
    await TestAdapter(app).process_activity("x")
    assert len(created) == 1
    assert created[0].conversation.get_value("count") == 1


async def test_unmatched_turn_still_saves_state(caplog: pytest.LogCaptureFixture) -> None:
    app, adapter, documents = make()

    @app.before_turn
    async def mark(context: TurnContext, state: TurnState) -> bool:
        state.conversation.set_value("seen", True)
        return True

    await adapter.process_activity({"type": "event", "name": "nobody-listens"})
    assert documents[CONVERSATION_KEY] == {"seen": True}
    assert "no route matched" in caplog.text


# -- before/after turn ------------------------------------------------------------------------


async def test_before_turn_false_stops_the_turn_but_saves_state() -> None:
    app, adapter, documents = make()
    calls: list[str] = []

    @app.before_turn
    async def first(context: TurnContext, state: TurnState) -> bool:
        calls.append("first")
        state.conversation.set_value("stopped", True)
        return False

    @app.before_turn
    async def second(context: TurnContext, state: TurnState) -> bool:
        calls.append("second")
        return True

    @app.after_turn
    async def after(context: TurnContext, state: TurnState) -> bool:
        calls.append("after")
        return True

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        calls.append("route")

    await adapter.process_activity("x")
    assert calls == ["first"]
    assert documents[CONVERSATION_KEY] == {"stopped": True}


async def test_hooks_run_in_order_around_the_route() -> None:
    app, adapter, documents = make()
    calls: list[str] = []

    def hook(name: str, result: bool) -> Any:
        async def run(context: TurnContext, state: TurnState) -> bool:
            calls.append(name)
            return result

        return run

    app.before_turn(hook("before-1", True))
    app.before_turn(hook("before-2", True))
    app.after_turn(hook("after-1", False))
    app.after_turn(hook("after-2", True))  # skipped: after-1 returned False

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        calls.append("route")
        state.conversation.set_value("routed", 1)

    await adapter.process_activity("x")
    assert calls == ["before-1", "before-2", "route", "after-1"]
    assert documents[CONVERSATION_KEY] == {"routed": 1}


# -- errors ------------------------------------------------------------------------------------


async def test_error_handlers_receive_context_and_error_in_order_and_can_send() -> None:
    app, adapter, documents = make()
    received: list[tuple[str, TurnContext, Exception]] = []
    boom = RuntimeError("boom")

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        state.conversation.set_value("half-way", True)
        await context.send_activity("before the failure")
        raise boom

    @app.error
    async def first(context: TurnContext, error: Exception) -> None:
        received.append(("first", context, error))
        await context.send_activity("The agent encountered an error.")

    @app.error
    async def second(context: TurnContext, error: Exception) -> None:
        received.append(("second", context, error))

    replies = await adapter.process_activity("x")
    assert [name for name, _, _ in received] == ["first", "second"]
    assert all(error is boom for _, _, error in received)
    assert all(isinstance(context, TurnContext) for _, context, _ in received)
    assert [r.text for r in replies] == ["before the failure", "The agent encountered an error."]
    assert CONVERSATION_KEY not in documents  # a failed turn saves nothing


@pytest.mark.parametrize("where", ["before_turn", "after_turn", "route", "state_load"])
async def test_every_pipeline_failure_reaches_the_error_handler(where: str) -> None:
    storage = MemoryStorage()
    failure = ValueError(where)

    def failing_factory() -> TurnState:
        raise failure

    app = App(
        storage=storage, turn_state_factory=failing_factory if where == "state_load" else None
    )

    async def fail(context: TurnContext, state: TurnState) -> bool:
        raise failure

    if where == "before_turn":
        app.before_turn(fail)
    elif where == "after_turn":
        app.after_turn(fail)
    elif where == "route":
        app.activity("message")(fail)
    errors: list[Exception] = []

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        errors.append(error)

    await TestAdapter(app).process_activity("x")
    assert errors == [failure]


async def test_without_error_handlers_the_adapter_on_turn_error_runs() -> None:
    app, _, documents = make()
    seen: list[Exception] = []

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        seen.append(error)
        await context.send_activity("adapter says sorry")

    adapter = TestAdapter(app, on_turn_error=on_turn_error)

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        state.conversation.set_value("x", 1)
        raise KeyError("missing")

    replies = await adapter.process_activity("x")
    assert len(seen) == 1 and isinstance(seen[0], KeyError)
    assert [r.text for r in replies] == ["adapter says sorry"]
    assert CONVERSATION_KEY not in documents


async def test_without_any_error_handler_the_exception_propagates() -> None:
    app, adapter, _ = make()

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        raise LookupError("nobody handles me")

    with pytest.raises(LookupError):
        await adapter.process_activity("x")


async def test_concurrent_turns_of_one_conversation_conflict_instead_of_overwriting() -> None:
    app, adapter, documents = make()
    loaded = 0
    both_loaded = asyncio.Event()
    errors: list[Exception] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        nonlocal loaded
        state.conversation.set_value("written_by", context.activity.text)
        loaded += 1
        if loaded == 2:
            both_loaded.set()
        await asyncio.wait_for(both_loaded.wait(), 2)  # both turns hold the same version
        await context.send_activity(f"done {context.activity.text}")

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        errors.append(error)
        await context.send_activity(f"conflict {context.activity.text}")

    first, second = await asyncio.gather(
        adapter.process_activity("one"), adapter.process_activity("two")
    )
    assert len(errors) == 1 and isinstance(errors[0], StorageConflictError)
    assert errors[0].key == CONVERSATION_KEY
    texts = sorted(r.text or "" for r in first + second)
    loser = "two" if documents[CONVERSATION_KEY]["written_by"] == "one" else "one"
    winner = "one" if loser == "two" else "two"
    assert texts == sorted([f"done {winner}", f"done {loser}", f"conflict {loser}"])
    # the losing turn's change is not stored; a later turn sees the winner's value
    seen: list[Any] = []

    @app.message("read", rank=RouteRank.FIRST)
    async def read(context: TurnContext, state: TurnState) -> None:
        seen.append(state.conversation.get_value("written_by"))

    await adapter.process_activity("read")
    assert seen == [winner]


# -- mentions, typing, files ------------------------------------------------------------------


def mention_activity(text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "text": text,
        "recipient": {"id": "agent1", "name": "Agent"},
        "entities": [
            {
                "type": "mention",
                "mentioned": {"id": "agent1", "name": "Agent"},
                "text": "<at>Agent</at>",
            }
        ],
    }


@pytest.mark.parametrize(("remove", "expected"), [(True, "hi"), (False, "<at>Agent</at> hi")])
async def test_recipient_mention_is_removed_by_default(remove: bool, expected: str) -> None:
    app, adapter, _ = make(remove_recipient_mention=remove)
    seen: list[Any] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        seen.append((context.activity.text, state.temp.input))

    await adapter.process_activity(mention_activity("<at>Agent</at> hi"))
    assert seen == [(expected, expected)]


async def test_mention_removal_lets_routes_match_the_plain_text() -> None:
    app, adapter, _ = make()
    ran: list[str] = []

    @app.message("hi")
    async def on_hi(context: TurnContext, state: TurnState) -> None:
        ran.append("hi")

    await adapter.process_activity(mention_activity("<at>Agent</at> hi"))
    assert ran == ["hi"]


async def slow_reply(context: TurnContext, state: TurnState) -> None:
    await asyncio.sleep(0.2)
    await context.send_activity("done")


async def test_slow_turns_send_typing_before_the_answer() -> None:
    app, adapter, _ = make(typing=TypingOptions(initial_delay_ms=20, interval_ms=1000))
    app.activity("message")(slow_reply)
    await adapter.process_activity("x")
    types = [a.type for a in adapter.sent_activities]
    assert types[0] == ActivityTypes.typing
    assert types[-1] == ActivityTypes.message
    assert types.count(ActivityTypes.typing) == 1


async def test_typing_can_be_turned_off() -> None:
    options = ApplicationOptions(
        storage=MemoryStorage(),
        start_typing_timer=False,
        typing=TypingOptions(initial_delay_ms=20, interval_ms=1000),
    )
    app = App(options)
    app.activity("message")(slow_reply)
    adapter = TestAdapter(app)
    await adapter.process_activity("x")
    assert [a.type for a in adapter.sent_activities] == [ActivityTypes.message]


async def test_fast_turns_send_no_typing() -> None:
    app, adapter, _ = make()
    app.activity("message")(counter)
    await adapter.process_activity("x")
    assert [a.type for a in adapter.sent_activities] == [ActivityTypes.message]


class StaticDownloader(InputFileDownloader):
    def __init__(self, *names: str) -> None:
        self.names = names
        self.contexts: list[TurnContext] = []

    async def download_files(self, context: TurnContext) -> list[InputFile]:
        self.contexts.append(context)
        return [
            InputFile(content=n.encode(), content_type="text/plain", filename=n) for n in self.names
        ]


async def test_file_downloaders_fill_temp_input_files_before_routing() -> None:
    first, second = StaticDownloader("a.txt"), StaticDownloader("b.txt", "c.txt")
    app, adapter, _ = make(file_downloaders=[first, second])
    seen: list[list[str | None]] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        seen.append([f.filename for f in state.temp.input_files])

    await adapter.process_activity("x")
    assert seen == [["a.txt", "b.txt", "c.txt"]]
    assert len(first.contexts) == 1 and isinstance(first.contexts[0], TurnContext)


def test_input_file_fields() -> None:
    file = InputFile(b"data", "image/png")
    assert (file.content, file.content_type, file.content_url, file.filename) == (
        b"data",
        "image/png",
        None,
        None,
    )
    with pytest.raises(TypeError):
        InputFileDownloader()  # type: ignore[abstract]


async def test_long_running_messages_run_as_a_proactive_continuation() -> None:
    app, adapter, _ = make(long_running_messages=True, bot_app_id="agent1")
    identities: list[Any] = []
    continued: list[Activity] = []
    original = adapter.continue_conversation_with_claims

    async def record(identity: Any, activity: Activity, callback: Any, audience: Any = None) -> Any:
        continued.append(activity)
        return await original(identity, activity, callback, audience)

    adapter.continue_conversation_with_claims = record  # type: ignore[method-assign,assignment]

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        identities.append(context.identity)
        await context.send_activity("later")

    await adapter.process_activity("work")
    assert [a.text for a in continued] == ["work"]
    assert identities == [adapter.identity]
    assert [a.text for a in adapter.sent_activities] == ["later"]
