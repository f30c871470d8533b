"""ActivityHandler: every dispatch branch and every invoke status path, through TestAdapter."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.activity import (
    Activity,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
    InvokeResponse,
    MessageReaction,
)
from microsoft_agents.hosting.core._activity_handler import ActivityHandler
from microsoft_agents.hosting.core._middleware import Agent, FunctionMiddleware
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.testing import TestAdapter

HOOKS = [
    "on_message_activity",
    "on_message_update_activity",
    "on_message_delete_activity",
    "on_conversation_update_activity",
    "on_members_added_activity",
    "on_members_removed_activity",
    "on_message_reaction_activity",
    "on_reactions_added",
    "on_reactions_removed",
    "on_event_activity",
    "on_token_response_event",
    "on_event",
    "on_end_of_conversation_activity",
    "on_typing_activity",
    "on_installation_update",
    "on_installation_update_add",
    "on_installation_update_remove",
    "on_unrecognized_activity_type",
]


class Spy(ActivityHandler):
    """Records every hook it passes through, then runs the base behaviour."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.args: dict[str, Any] = {}

    def __getattribute__(self, name: str) -> Any:
        attribute = object.__getattribute__(self, name)
        if name not in HOOKS:
            return attribute

        async def recorded(*args: Any) -> Any:
            self.calls.append(name)
            self.args[name] = args[:-1]
            return await attribute(*args)

        return recorded


async def run(activity: dict[str, Any]) -> Spy:
    spy = Spy()
    await TestAdapter(spy).process_activity(activity)
    return spy


def test_is_an_agent() -> None:
    assert isinstance(ActivityHandler(), Agent)


async def test_on_turn_rejects_missing_parts() -> None:
    handler = ActivityHandler()
    with pytest.raises(TypeError):
        await handler.on_turn(None)  # type: ignore[arg-type]

    class NoActivity:
        activity = None

    with pytest.raises(TypeError):
        await handler.on_turn(NoActivity())  # type: ignore[arg-type]
    adapter = TestAdapter()
    untyped = Activity.model_construct(type=None)  # type: ignore[arg-type]
    context = TurnContext(adapter, untyped)
    with pytest.raises(TypeError):
        await handler.on_turn(context)


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ({"type": "message", "text": "hi"}, ["on_message_activity"]),
        ({"type": "messageUpdate"}, ["on_message_update_activity"]),
        ({"type": "messageDelete"}, ["on_message_delete_activity"]),
        ({"type": "conversationUpdate"}, ["on_conversation_update_activity"]),
        (
            {"type": "conversationUpdate", "membersAdded": [{"id": "u"}]},
            ["on_conversation_update_activity", "on_members_added_activity"],
        ),
        (
            {"type": "conversationUpdate", "membersRemoved": [{"id": "u"}]},
            ["on_conversation_update_activity", "on_members_removed_activity"],
        ),
        (
            {
                "type": "conversationUpdate",
                "membersAdded": [{"id": "a"}],
                "membersRemoved": [{"id": "r"}],
            },
            [
                "on_conversation_update_activity",
                "on_members_added_activity",
                "on_members_removed_activity",
            ],
        ),
        ({"type": "conversationUpdate", "membersAdded": []}, ["on_conversation_update_activity"]),
        ({"type": "messageReaction"}, ["on_message_reaction_activity"]),
        (
            {"type": "messageReaction", "reactionsAdded": [{"type": "like"}]},
            ["on_message_reaction_activity", "on_reactions_added"],
        ),
        (
            {"type": "messageReaction", "reactionsRemoved": []},
            ["on_message_reaction_activity", "on_reactions_removed"],
        ),
        (
            {
                "type": "messageReaction",
                "reactionsAdded": [{"type": "like"}],
                "reactionsRemoved": [{"type": "sad"}],
            },
            ["on_message_reaction_activity", "on_reactions_added", "on_reactions_removed"],
        ),
        (
            {"type": "event", "name": "tokens/response"},
            ["on_event_activity", "on_token_response_event"],
        ),
        ({"type": "event", "name": "custom"}, ["on_event_activity", "on_event"]),
        ({"type": "event"}, ["on_event_activity", "on_event"]),
        ({"type": "endOfConversation"}, ["on_end_of_conversation_activity"]),
        ({"type": "typing"}, ["on_typing_activity"]),
        (
            {"type": "installationUpdate", "action": "add"},
            ["on_installation_update", "on_installation_update_add"],
        ),
        (
            {"type": "installationUpdate", "action": "add-upgrade"},
            ["on_installation_update", "on_installation_update_add"],
        ),
        (
            {"type": "installationUpdate", "action": "remove"},
            ["on_installation_update", "on_installation_update_remove"],
        ),
        (
            {"type": "installationUpdate", "action": "remove-upgrade"},
            ["on_installation_update", "on_installation_update_remove"],
        ),
        ({"type": "installationUpdate", "action": "other"}, ["on_installation_update"]),
        ({"type": "handoff"}, ["on_unrecognized_activity_type"]),
        ({"type": "somethingNew"}, ["on_unrecognized_activity_type"]),
    ],
)
async def test_dispatch(activity: dict[str, Any], expected: list[str]) -> None:
    spy = await run(activity)
    assert spy.calls == expected


async def test_hooks_receive_the_lists() -> None:
    spy = await run(
        {
            "type": "conversationUpdate",
            "membersAdded": [{"id": "a"}],
            "membersRemoved": [{"id": "r"}],
        }
    )
    (added,) = spy.args["on_members_added_activity"]
    (removed,) = spy.args["on_members_removed_activity"]
    assert [m.id for m in added] == ["a"] and isinstance(added[0], ChannelAccount)
    assert [m.id for m in removed] == ["r"]

    spy = await run({"type": "messageReaction", "reactionsAdded": [{"type": "like"}]})
    (reactions,) = spy.args["on_reactions_added"]
    assert isinstance(reactions[0], MessageReaction) and reactions[0].type == "like"


async def test_default_hooks_send_nothing() -> None:
    adapter = TestAdapter(ActivityHandler())
    for activity_type in ("message", "typing", "event", "endOfConversation", "custom"):
        assert await adapter.process_activity({"type": activity_type}) == []


# -- invokes ---------------------------------------------------------------------------------------


def invoke(name: str, value: Any = None) -> dict[str, Any]:
    activity: dict[str, Any] = {"type": "invoke", "name": name}
    if value is not None:
        activity["value"] = value
    return activity


async def answer(handler: ActivityHandler, activity: dict[str, Any]) -> InvokeResponse:
    adapter = TestAdapter(handler)
    await adapter.process_activity(activity)
    assert adapter.last_invoke_response is not None
    return adapter.last_invoke_response


async def test_unknown_invoke_is_not_implemented() -> None:
    response = await answer(ActivityHandler(), invoke("composeExtension/query"))
    assert response.status == 501 and response.body is None


@pytest.mark.parametrize("name", ["signin/verifyState", "signin/tokenExchange"])
async def test_sign_in_invokes(name: str) -> None:
    assert (await answer(ActivityHandler(), invoke(name))).status == 501

    calls: list[str] = []

    class SignIn(ActivityHandler):
        async def on_sign_in_invoke(self, turn_context: TurnContext) -> None:
            calls.append(turn_context.activity.name or "")

    response = await answer(SignIn(), invoke(name, {"state": "123"}))
    assert response.status == 200 and calls == [name]


class Cards(ActivityHandler):
    def __init__(self) -> None:
        self.values: list[AdaptiveCardInvokeValue] = []

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        self.values.append(invoke_value)
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.activity.message", value="thanks"
        )


EXECUTE = {"action": {"type": "Action.Execute", "verb": "save", "data": {"x": 1}}}


async def test_adaptive_card_action_success() -> None:
    cards = Cards()
    response = await answer(cards, invoke("adaptiveCard/action", EXECUTE))
    assert response.status == 200
    assert response.body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "thanks",
    }
    assert cards.values[0].action.verb == "save" and cards.values[0].action.data == {"x": 1}


async def test_adaptive_card_action_not_overridden_is_501() -> None:
    response = await answer(ActivityHandler(), invoke("adaptiveCard/action", EXECUTE))
    assert response.status == 501


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (None, "BadRequest", "Missing value property"),
        ("not an object", "BadRequest", "Value property is not properly formed"),
        ({"action": {"verb": "no type"}}, "BadRequest", "Value property is not properly formed"),
        ({"state": "s"}, "BadRequest", "Missing action property"),
        (
            {"action": {"type": "Action.Submit"}},
            "NotSupported",
            "The action 'Action.Submit' is not supported.",
        ),
    ],
)
async def test_adaptive_card_action_validation_errors(value: Any, code: str, message: str) -> None:
    cards = Cards()
    response = await answer(cards, invoke("adaptiveCard/action", value))
    assert response.status == 400
    assert response.body == {
        "statusCode": 400,
        "type": "application/vnd.microsoft.error",
        "value": {"code": code, "message": message},
    }
    assert cards.values == []


async def test_invoke_response_is_sent_as_an_activity_without_nones() -> None:
    class Custom(ActivityHandler):
        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
            return InvokeResponse(status=202)

    adapter = TestAdapter(Custom())
    spy_sent: list[Activity] = []

    async def capture(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
        spy_sent.extend(activities)
        return await next_()

    async def install_spy(context: TurnContext, logic: Any) -> None:
        context.on_send_activities(capture)
        await logic()

    adapter.use(FunctionMiddleware(install_spy))
    replies = await adapter.process_activity(invoke("custom"))
    assert replies == []  # the invoke response is the HTTP answer, not a reply
    assert [a.type for a in spy_sent] == ["invokeResponse"]
    assert spy_sent[0].value == {"status": 202}
    assert adapter.last_invoke_response == InvokeResponse(status=202)


async def test_no_invoke_response_when_handler_returns_none() -> None:
    class Silent(ActivityHandler):
        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
            return None

    response = await answer(Silent(), invoke("anything"))
    assert response.status == 501  # the adapter's answer when the agent sent none


async def test_an_invoke_response_already_sent_is_not_sent_twice() -> None:
    class Early(ActivityHandler):
        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
            await turn_context.send_activity(
                Activity(type="invokeResponse", value={"status": 200, "body": "first"})
            )
            return InvokeResponse(status=500, body="second")

    response = await answer(Early(), invoke("anything"))
    assert response.status == 200 and response.body == "first"
