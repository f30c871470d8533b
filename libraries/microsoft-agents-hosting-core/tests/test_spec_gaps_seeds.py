"""Seed snippets that use only the turn engine, run unchanged on the in-process TestAdapter.

The samples in test_samples/ carry the quickstart (seed 000), the routing example and the
streaming example (seed 002). This file adds the remaining core-only snippets: the error
handlers of seed 001 and the handlers of seed 002's "Core Workflow". Only the parts that
need a web host or credentials (CloudAdapter, MsalConnectionManager, start_agent_process) are
replaced: the TestAdapter stands in for the CloudAdapter, and no connection manager is used.
"""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.activity import ActivityTypes, load_configuration_from_env
from microsoft_agents.hosting.core import (
    AgentApplication,
    Authorization,
    MemoryStorage,
    MessageFactory,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.testing import TestAdapter


def seed_001_custom_error_handler_agent(fail_with: Exception) -> TestAdapter:
    async def agent(context: TurnContext) -> None:
        raise fail_with

    adapter = TestAdapter(agent)

    # -- seed 001 "Error Handling", unchanged ------------------------------------------------
    async def custom_error_handler(context: TurnContext, error: Exception):
        if isinstance(error, PermissionError):
            await context.send_activity(
                MessageFactory.text("You don't have permission for this action")
            )
        else:
            await context.send_activity(MessageFactory.text("An unexpected error occurred"))

        # Send trace for debugging
        await context.send_trace_activity("Error", str(error), "error", "OnTurnError")

    adapter.on_turn_error = custom_error_handler
    # -------------------------------------------------------------------------------------------
    return adapter


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (PermissionError("no access"), "You don't have permission for this action"),
        (KeyError("lost"), "An unexpected error occurred"),
    ],
)
async def test_seed_001_error_handler_answers_and_traces(error: Exception, text: str) -> None:
    adapter = seed_001_custom_error_handler_agent(error)
    replies = await adapter.process_activity("hi")
    assert [(r.type, r.text) for r in replies] == [
        (ActivityTypes.message, text),
        (ActivityTypes.trace, None),
    ]
    trace = replies[1]
    assert (trace.name, trace.value, trace.value_type, trace.label) == (
        "Error",
        str(error),
        "error",
        "OnTurnError",
    )


async def test_seed_001_basic_error_handler(capsys: pytest.CaptureFixture[str]) -> None:
    async def your_agent(context: TurnContext) -> None:
        raise RuntimeError("boom")

    adapter = TestAdapter(your_agent)

    # -- seed 001 "CloudAdapter ... With custom error handling", unchanged --------------------
    async def custom_error_handler(context, error):
        print(f"Error: {error}")
        await context.send_activity("Sorry, something went wrong.")

    adapter.on_turn_error = custom_error_handler
    # -------------------------------------------------------------------------------------------

    replies = await adapter.process_activity("hi")
    assert [r.text for r in replies] == ["Sorry, something went wrong."]
    assert capsys.readouterr().out == "Error: boom\n"


def seed_002_core_workflow() -> tuple[AgentApplication[TurnState], TestAdapter]:
    agents_sdk_config = load_configuration_from_env({})
    STORAGE = MemoryStorage()
    CONNECTION_MANAGER: Any = None  # MsalConnectionManager(**agents_sdk_config) when hosted
    ADAPTER = TestAdapter()  # CloudAdapter(connection_manager=CONNECTION_MANAGER) when hosted
    AUTHORIZATION = Authorization(STORAGE, CONNECTION_MANAGER, **agents_sdk_config)

    AGENT_APP = AgentApplication[TurnState](
        storage=STORAGE, adapter=ADAPTER, authorization=AUTHORIZATION, **agents_sdk_config
    )

    # -- seed 002 "Core Workflow", handlers unchanged ------------------------------------------
    @AGENT_APP.conversation_update("membersAdded")
    async def on_members_added(context: TurnContext, _state: TurnState):
        await context.send_activity("Welcome to the agent!")

    @AGENT_APP.activity("message")
    async def on_message(context: TurnContext, _state: TurnState):
        await context.send_activity(f"You said: {context.activity.text}")

    @AGENT_APP.error
    async def on_error(context: TurnContext, error: Exception):
        await context.send_activity("The agent encountered an error.")

    # -------------------------------------------------------------------------------------------
    assert AGENT_APP.adapter is ADAPTER  # APP["adapter"] = AGENT_APP.adapter
    return AGENT_APP, ADAPTER


async def test_seed_002_core_workflow_handlers() -> None:
    app, adapter = seed_002_core_workflow()
    welcome = await adapter.process_activity(
        {"type": "conversationUpdate", "membersAdded": [{"id": "user1"}]}, app
    )
    assert [r.text for r in welcome] == ["Welcome to the agent!"]
    assert [r.text for r in await adapter.process_activity("hello", app)] == ["You said: hello"]


async def test_seed_002_core_workflow_error_handler() -> None:
    app, adapter = seed_002_core_workflow()

    @app.message("/boom", rank=0)
    async def boom(context: TurnContext, state: TurnState) -> None:
        raise RuntimeError("boom")

    replies = await adapter.process_activity("/boom", app)
    assert [r.text for r in replies] == ["The agent encountered an error."]
