"""MiddlewareSet and the Agent / Middleware protocols, driven through TestAdapter turns."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.hosting.core._middleware import (
    Agent,
    FunctionMiddleware,
    Middleware,
    MiddlewareSet,
)
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.testing import TestAdapter


class Recorder:
    """Middleware that logs before/after and optionally stops the turn."""

    def __init__(self, name: str, log: list[str], *, stop: bool = False) -> None:
        self.name, self.log, self.stop = name, log, stop

    async def on_turn(self, context: TurnContext, logic: Any) -> None:
        self.log.append(f"{self.name}>")
        if not self.stop:
            await logic(context)
        self.log.append(f"<{self.name}")


def agent_logging_to(log: list[str]) -> Any:
    async def agent(context: TurnContext) -> None:
        log.append("agent")
        await context.send_activity("done")

    return agent


def test_use_returns_self_and_rejects_non_middleware() -> None:
    middleware_set = MiddlewareSet()
    log: list[str] = []
    assert middleware_set.use(Recorder("a", log), Recorder("b", log)) is middleware_set
    assert len(middleware_set) == 2
    with pytest.raises(TypeError):
        middleware_set.use(object())  # type: ignore[arg-type]

    class NotCallable:
        on_turn = "nope"

    with pytest.raises(TypeError):
        middleware_set.use(NotCallable())  # type: ignore[arg-type]

    async def plain(context: Any, logic: Any) -> None: ...

    with pytest.raises(TypeError, match="FunctionMiddleware"):
        middleware_set.use(plain)  # type: ignore[arg-type]
    assert len(middleware_set) == 2


def test_protocols_are_runtime_checkable() -> None:
    assert isinstance(Recorder("a", []), Middleware)
    assert isinstance(MiddlewareSet(), Middleware)
    assert not isinstance(object(), Middleware)

    class MyAgent:
        async def on_turn(self, context: TurnContext) -> None: ...

    assert isinstance(MyAgent(), Agent)
    assert not isinstance(object(), Agent)


async def test_middleware_runs_in_order_around_the_agent() -> None:
    log: list[str] = []
    adapter = TestAdapter(agent_logging_to(log))
    adapter.use(Recorder("a", log)).use(Recorder("b", log))
    replies = await adapter.process_activity("hi")
    assert log == ["a>", "b>", "agent", "<b", "<a"]
    assert [r.text for r in replies] == ["done"]


async def test_middleware_that_does_not_continue_ends_the_turn() -> None:
    log: list[str] = []
    adapter = TestAdapter(agent_logging_to(log))
    adapter.use(Recorder("a", log)).use(Recorder("gate", log, stop=True)).use(Recorder("c", log))
    replies = await adapter.process_activity("hi")
    assert log == ["a>", "gate>", "<gate", "<a"]
    assert replies == []


async def test_logic_without_argument_and_with_a_replacement_context() -> None:
    seen: list[TurnContext] = []

    class NoArg:
        async def on_turn(self, context: TurnContext, logic: Any) -> None:
            await logic()

    class Swap:
        async def on_turn(self, context: TurnContext, logic: Any) -> None:
            derived = TurnContext(context)
            derived.turn_state["derived"] = True
            await logic(derived)

    async def agent(context: TurnContext) -> None:
        seen.append(context)

    adapter = TestAdapter(agent).use(NoArg()).use(Swap())
    await adapter.process_activity("x")
    assert seen[0].turn_state.get("derived") is True


async def test_middleware_set_is_itself_middleware() -> None:
    log: list[str] = []
    inner = MiddlewareSet().use(Recorder("i1", log), Recorder("i2", log))
    adapter = TestAdapter(agent_logging_to(log)).use(Recorder("outer", log)).use(inner)
    await adapter.process_activity("x")
    assert log == ["outer>", "i1>", "i2>", "agent", "<i2", "<i1", "<outer"]

    log.clear()
    stopping = MiddlewareSet().use(Recorder("stop", log, stop=True))
    adapter2 = TestAdapter(agent_logging_to(log)).use(stopping).use(Recorder("after", log))
    await adapter2.process_activity("x")
    assert log == ["stop>", "<stop"]


async def test_receive_activity_with_status_without_callback() -> None:
    log: list[str] = []
    middleware_set = MiddlewareSet().use(Recorder("a", log))
    adapter = TestAdapter()
    context = TurnContext(adapter, adapter.make_activity("x"))
    await middleware_set.receive_activity_with_status(context, None)
    await middleware_set.receive_activity(context)
    assert log == ["a>", "<a", "a>", "<a"]


async def test_receive_activity_with_status_empty_set_runs_callback() -> None:
    adapter = TestAdapter()
    context = TurnContext(adapter, adapter.make_activity("x"))
    ran: list[TurnContext] = []

    async def callback(ctx: TurnContext) -> None:
        ran.append(ctx)

    await MiddlewareSet().receive_activity_with_status(context, callback)
    assert ran == [context]


async def test_function_middleware_wraps_a_plain_function() -> None:
    log: list[str] = []

    async def tag(context: TurnContext, logic: Any) -> None:
        context.turn_state["tag"] = "set"
        log.append("fn")
        await logic(context)

    async def agent(context: TurnContext) -> None:
        await context.send_activity(context.turn_state["tag"])

    adapter = TestAdapter(agent).use(FunctionMiddleware(tag))
    replies = await adapter.process_activity("x")
    assert log == ["fn"] and replies[0].text == "set"
    with pytest.raises(TypeError):
        FunctionMiddleware("nope")  # type: ignore[arg-type]


async def test_middleware_errors_reach_on_turn_error() -> None:
    class Boom:
        async def on_turn(self, context: TurnContext, logic: Any) -> None:
            raise RuntimeError("middleware failed")

    errors: list[Exception] = []

    async def on_error(context: TurnContext, error: Exception) -> None:
        errors.append(error)
        await context.send_activity("sorry")

    adapter = TestAdapter(agent_logging_to([]), on_turn_error=on_error).use(Boom())
    replies = await adapter.process_activity("x")
    assert [str(e) for e in errors] == ["middleware failed"]
    assert [r.text for r in replies] == ["sorry"]
