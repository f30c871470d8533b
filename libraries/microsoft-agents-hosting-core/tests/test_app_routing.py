"""AgentApplication routing: decorator selection rules, route order, first match only."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from microsoft_agents.activity import ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.app import AgentApplication, RouteRank
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.errors import ApplicationError
from microsoft_agents.hosting.core.storage import MemoryStorage
from microsoft_agents.hosting.core.testing import TestAdapter

App = AgentApplication[TurnState]


class Harness:
    """An app on a TestAdapter that records which handlers ran."""

    def __init__(self, **app_kwargs: Any) -> None:
        self.app = App(storage=MemoryStorage(), **app_kwargs)
        self.adapter = TestAdapter(self.app)
        self.ran: list[str] = []

    def handler(self, name: str) -> Any:
        async def handle(context: TurnContext, state: TurnState) -> None:
            self.ran.append(name)

        handle.__name__ = name
        return handle

    async def run(self, activity: Any) -> list[str]:
        self.ran.clear()
        await self.adapter.process_activity(activity)
        return list(self.ran)


def message(text: str | None, **extra: Any) -> dict[str, Any]:
    activity: dict[str, Any] = {"type": "message", **extra}
    if text is not None:
        activity["text"] = text
    return activity


# -- message ---------------------------------------------------------------------------------


async def test_message_string_is_exact_equality() -> None:
    h = Harness()
    h.app.message("hi")(h.handler("hi"))
    assert await h.run(message("hi")) == ["hi"]
    assert await h.run(message("Hi")) == []
    assert await h.run(message("hi there")) == []
    assert await h.run(message(None)) == []


async def test_message_regex_must_match_the_whole_text() -> None:
    h = Harness()
    h.app.message(re.compile(r"hel+o", re.IGNORECASE))(h.handler("hello"))
    assert await h.run(message("HELLLO")) == ["hello"]
    assert await h.run(message("hello world")) == []  # search would match, fullmatch does not
    assert await h.run(message("say hello")) == []


async def test_message_list_matches_any_item() -> None:
    h = Harness()
    h.app.message(["a", re.compile(r"b\d")])(h.handler("list"))
    assert await h.run(message("a")) == ["list"]
    assert await h.run(message("b7")) == ["list"]
    assert await h.run(message("b")) == []


async def test_message_none_matches_every_message_and_ranks_last() -> None:
    h = Harness()
    h.app.message()(h.handler("any"))  # registered first ...
    h.app.message("specific")(h.handler("specific"))  # ... but the specific route wins
    assert await h.run(message("specific")) == ["specific"]
    assert await h.run(message("other")) == ["any"]
    assert await h.run(message(None)) == ["any"]
    assert await h.run({"type": "event", "name": "x"}) == []


async def test_message_none_keeps_an_explicit_rank() -> None:
    h = Harness()
    h.app.message(rank=RouteRank.FIRST)(h.handler("any"))
    h.app.message("specific")(h.handler("specific"))
    assert await h.run(message("specific")) == ["any"]


async def test_message_selector_ignores_other_activity_types() -> None:
    h = Harness()
    h.app.message("hi")(h.handler("hi"))
    assert await h.run({"type": "event", "name": "e", "text": "hi"}) == []


# -- activity --------------------------------------------------------------------------------


async def test_activity_type_string_enum_and_list() -> None:
    h = Harness()
    h.app.activity("message")(h.handler("message"))
    h.app.activity(ActivityTypes.event)(h.handler("event"))
    h.app.activity([ActivityTypes.typing, "endOfConversation"])(h.handler("list"))
    assert await h.run(message("x")) == ["message"]
    assert await h.run({"type": "event", "name": "n"}) == ["event"]
    assert await h.run({"type": "typing"}) == ["list"]
    assert await h.run({"type": "endOfConversation"}) == ["list"]
    assert await h.run({"type": "messageReaction"}) == []


async def test_decorators_return_the_original_function() -> None:
    h = Harness()

    async def on_message(context: TurnContext, state: TurnState) -> None:
        return None

    assert h.app.activity("message")(on_message) is on_message
    assert h.app.message("x")(on_message) is on_message
    assert h.app.conversation_update("membersAdded")(on_message) is on_message
    assert h.app.handoff(on_message) is on_message
    assert h.app.handoff()(on_message) is on_message
    assert h.app.error(on_message) is on_message
    assert h.app.before_turn(on_message) is on_message
    assert h.app.after_turn(on_message) is on_message
    assert h.app.invoke("i")(on_message) is on_message
    assert h.app.event("e")(on_message) is on_message


# -- conversation updates ----------------------------------------------------------------------


async def test_members_added_needs_a_non_empty_list() -> None:
    h = Harness()
    h.app.conversation_update("membersAdded")(h.handler("added"))
    h.app.conversation_update("membersRemoved")(h.handler("removed"))
    update = {"type": "conversationUpdate"}
    assert await h.run({**update, "membersAdded": [{"id": "u"}]}) == ["added"]
    assert await h.run({**update, "membersAdded": []}) == []
    assert await h.run({**update, "membersRemoved": [{"id": "u"}]}) == ["removed"]
    assert await h.run(update) == []
    assert await h.run(message("membersAdded")) == []


async def test_conversation_update_other_kinds_use_the_channel_data_event_type() -> None:
    h = Harness()
    h.app.conversation_update("channelCreated")(h.handler("created"))
    update: dict[str, Any] = {"type": "conversationUpdate"}
    assert await h.run({**update, "channelData": {"eventType": "channelCreated"}}) == ["created"]
    assert await h.run({**update, "channelData": {"event_type": "channelCreated"}}) == ["created"]
    assert await h.run({**update, "channelData": {"eventType": "teamRenamed"}}) == []
    assert await h.run({**update, "channelData": "not a dict"}) == []
    assert await h.run(update) == []


async def test_conversation_update_reads_event_type_attributes() -> None:
    h = Harness()
    h.app.conversation_update("teamRenamed")(h.handler("renamed"))
    activity = h.adapter.make_activity({"type": "conversationUpdate"})
    activity.channel_data = SimpleNamespace(event_type="teamRenamed")
    assert await h.run(activity) == ["renamed"]


async def test_member_shorthands() -> None:
    h = Harness()
    h.app.members_added()(h.handler("added"))
    h.app.members_removed()(h.handler("removed"))
    assert await h.run({"type": "conversationUpdate", "membersAdded": [{"id": "a"}]}) == ["added"]
    assert await h.run({"type": "conversationUpdate", "membersRemoved": [{"id": "a"}]}) == [
        "removed"
    ]


async def test_installation_update_and_end_of_conversation_shorthands() -> None:
    h = Harness()
    h.app.installation_update()(h.handler("install"))
    h.app.end_of_conversation()(h.handler("eoc"))
    assert await h.run({"type": "installationUpdate", "action": "add"}) == ["install"]
    assert await h.run({"type": "endOfConversation"}) == ["eoc"]
    assert await h.run(message("x")) == []


# -- reactions and message updates --------------------------------------------------------------


async def test_message_reactions() -> None:
    h = Harness()
    h.app.message_reaction("reactionsAdded")(h.handler("added"))
    h.app.message_reactions_removed()(h.handler("removed"))
    reaction = {"type": "messageReaction"}
    assert await h.run({**reaction, "reactionsAdded": [{"type": "like"}]}) == ["added"]
    assert await h.run({**reaction, "reactionsRemoved": [{"type": "like"}]}) == ["removed"]
    assert await h.run({**reaction, "reactionsAdded": []}) == []
    assert await h.run(reaction) == []


async def test_message_reaction_added_shorthand() -> None:
    h = Harness()
    h.app.message_reaction_added()(h.handler("added"))
    assert await h.run({"type": "messageReaction", "reactionsAdded": [{"type": "x"}]}) == ["added"]
    assert await h.run({"type": "messageReaction", "reactionsRemoved": [{"type": "x"}]}) == []


async def test_message_updates_and_soft_deletes() -> None:
    h = Harness()
    h.app.message_update("editMessage")(h.handler("edit"))
    h.app.message_update("undeleteMessage")(h.handler("undelete"))
    h.app.message_update("softDeleteMessage")(h.handler("delete"))
    edit = {"type": "messageUpdate", "channelData": {"eventType": "editMessage"}}
    assert await h.run(edit) == ["edit"]
    undelete = {"type": "messageUpdate", "channelData": {"event_type": "undeleteMessage"}}
    assert await h.run(undelete) == ["undelete"]
    delete = {"type": "messageDelete", "channelData": {"eventType": "softDeleteMessage"}}
    assert await h.run(delete) == ["delete"]
    # soft delete arrives as messageDelete, never as messageUpdate
    wrong = {"type": "messageUpdate", "channelData": {"eventType": "softDeleteMessage"}}
    assert await h.run(wrong) == []
    assert await h.run({"type": "messageUpdate"}) == []


# -- events, invokes, handoff ---------------------------------------------------------------------


async def test_event_names() -> None:
    h = Harness()
    h.app.event()(h.handler("any-event"))
    h.app.event("tokens/response")(h.handler("tokens"))
    h.app.event(re.compile(r"app/.+"))(h.handler("app"))
    assert await h.run({"type": "event", "name": "tokens/response"}) == ["tokens"]
    assert await h.run({"type": "event", "name": "app/ping"}) == ["app"]
    assert await h.run({"type": "event", "name": "other"}) == ["any-event"]
    assert await h.run(message("tokens/response")) == []


async def test_invoke_routes_run_before_all_others() -> None:
    h = Harness()
    h.app.add_route(lambda context: True, h.handler("catch-all"), rank=RouteRank.FIRST)
    h.app.invoke()(h.handler("any-invoke"))  # rank LAST, but still an invoke route
    h.app.invoke("composeExtension/query")(h.handler("query"))
    assert await h.run({"type": "invoke", "name": "composeExtension/query"}) == ["query"]
    assert await h.run({"type": "invoke", "name": "other"}) == ["any-invoke"]
    assert await h.run(message("x")) == ["catch-all"]


def test_invoke_refuses_is_invoke_false() -> None:
    with pytest.raises(ValueError):
        Harness().app.invoke("x", is_invoke=False)


@pytest.mark.parametrize("called", [False, True])
async def test_handoff_passes_the_continuation_and_answers_200(called: bool) -> None:
    h = Harness()
    received: list[str] = []

    async def on_handoff(context: TurnContext, state: TurnState, continuation: str) -> None:
        received.append(continuation)

    if called:
        h.app.handoff(channel_id="test")(on_handoff)
    else:
        h.app.handoff(on_handoff)
    activity = {"type": "invoke", "name": "handoff/action", "value": {"continuation": "tok-1"}}
    await h.adapter.process_activity(activity)
    assert received == ["tok-1"]
    assert h.adapter.last_invoke_response == InvokeResponse(status=200)
    await h.adapter.process_activity({"type": "invoke", "name": "other"})
    assert received == ["tok-1"]
    assert h.adapter.last_invoke_response == InvokeResponse(status=501)


# -- channel filter and agentic routes ----------------------------------------------------------


async def test_channel_id_filter_uses_channel_id_includes() -> None:
    h = Harness()
    h.app.message("hi", channel_id="msteams:COPILOT")(h.handler("copilot"))
    h.app.message("hi", channel_id="msteams")(h.handler("teams"))
    h.app.message("hi")(h.handler("everywhere"))
    assert await h.run(message("hi", channelId="msteams:COPILOT")) == ["copilot"]
    assert await h.run(message("hi", channelId="msteams")) == ["teams"]
    assert await h.run(message("hi", channelId="webchat")) == ["everywhere"]


async def test_agentic_routes_need_an_agentic_request_and_come_before_others() -> None:
    h = Harness()
    h.app.add_route(lambda context: True, h.handler("plain"), rank=RouteRank.FIRST)
    h.app.add_route(lambda context: True, h.handler("agentic"), is_agentic=True, rank=65535)
    agentic = message("x", recipient={"id": "agent", "role": "agenticAppInstance"})
    assert await h.run(agentic) == ["agentic"]
    assert await h.run(message("x")) == ["plain"]


# -- order and registration -----------------------------------------------------------------------


async def test_lower_rank_first_ties_in_registration_order_only_first_match_runs() -> None:
    h = Harness()
    always = lambda context: True  # noqa: E731
    h.app.add_route(always, h.handler("default-1"))
    h.app.add_route(always, h.handler("last"), rank=RouteRank.LAST)
    h.app.add_route(always, h.handler("default-2"))
    assert await h.run(message("x")) == ["default-1"]
    h.app.add_route(always, h.handler("ten"), rank=10)
    assert await h.run(message("x")) == ["ten"]
    h.app.add_route(always, h.handler("first"), rank=RouteRank.FIRST)
    assert await h.run(message("x")) == ["first"]


async def test_add_route_accepts_async_selectors() -> None:
    h = Harness()

    async def selector(context: TurnContext) -> bool:
        return context.activity.text == "async"

    h.app.add_route(selector, h.handler("async"))
    assert await h.run(message("async")) == ["async"]
    assert await h.run(message("sync")) == []


async def test_each_selector_runs_once_per_turn_when_an_async_one_follows_sync_ones() -> None:
    h = Harness()
    calls: list[str] = []

    def sync_no(context: TurnContext) -> bool:
        calls.append("sync")
        return False

    async def async_yes(context: TurnContext) -> bool:
        calls.append("async")
        return context.activity.text == "go"

    def after(context: TurnContext) -> bool:
        calls.append("after")
        return True

    h.app.add_route(sync_no, h.handler("sync"))
    h.app.add_route(async_yes, h.handler("async"))
    h.app.add_route(after, h.handler("after"))
    assert await h.run(message("go")) == ["async"]
    assert calls == ["sync", "async"]
    calls.clear()
    assert await h.run(message("stop")) == ["after"]
    assert calls == ["sync", "async", "after"]


async def test_routes_added_during_a_turn_apply_from_the_next_turn() -> None:
    h = Harness()

    async def adds_a_route(context: TurnContext, state: TurnState) -> None:
        h.app.add_route(lambda c: True, h.handler("added"), rank=RouteRank.FIRST)

    h.app.add_route(lambda c: c.activity.text == "add", adds_a_route)
    assert await h.run(message("add")) == []
    assert await h.run(message("add")) == ["added"]


@pytest.mark.parametrize("rank", [0, 1, 32767, 65535])
def test_ranks_in_range_are_accepted(rank: int) -> None:
    Harness().app.add_route(lambda context: True, Harness().handler("x"), rank=rank)


@pytest.mark.parametrize("rank", [-1, 65536, 1.5, "1", True])
def test_ranks_out_of_range_raise_value_error(rank: Any) -> None:
    h = Harness()
    with pytest.raises(ValueError):
        h.app.add_route(lambda context: True, h.handler("x"), rank=rank)
    with pytest.raises(ValueError):
        h.app.message("x", rank=rank)(h.handler("x"))


def test_add_route_needs_selector_and_handler() -> None:
    h = Harness()
    with pytest.raises(ApplicationError):
        h.app.add_route(None, h.handler("x"))  # type: ignore[arg-type]
    with pytest.raises(ApplicationError):
        h.app.add_route(lambda context: True, None)  # type: ignore[arg-type]


def test_route_rank_values() -> None:
    assert (RouteRank.FIRST, RouteRank.DEFAULT, RouteRank.LAST) == (0, 32767, 65535)
