"""The route helpers and ``TeamsInfo`` batch methods are made from rows (one shared
implementation each): their public parameters, names and docs, and keyword use of them."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest

from microsoft_agents.activity import Activity
from microsoft_agents.hosting import teams as teams_package
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from microsoft_agents.hosting.core.app import RouteRank
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.teams import TeamsActivityHandler, TeamsAgentExtension, TeamsInfo
from microsoft_agents.hosting.teams.errors import TeamsArgumentError, teams_errors

DATA = Path(__file__).parent / "data"
RESULT = {"composeExtension": {"type": "message", "text": "found"}}

# Helpers whose first parameter is a filter, by name of that parameter.
FILTERED = {
    "command_id": {
        "on_query",
        "on_submit_action",
        "on_agent_message_preview_edit",
        "on_agent_message_preview_send",
        "on_fetch_task",
    },
    "verb": {"on_fetch", "on_submit"},
}
GROUPS = (
    teams_package.MessageExtension,
    teams_package.TaskModule,
    teams_package.Meeting,
    TeamsAgentExtension,
)


def helpers() -> list[tuple[type, str, Any]]:
    return [
        (group, name, value)
        for group in GROUPS
        for name, value in vars(group).items()
        if name.startswith("on_")
    ]


def test_every_group_has_its_helpers() -> None:
    counts = {group.__name__: 0 for group in GROUPS}
    for group, _, _ in helpers():
        counts[group.__name__] += 1
    assert counts == {
        "MessageExtension": 11,
        "TaskModule": 2,
        "Meeting": 4,
        "TeamsAgentExtension": 21,
    }


@pytest.mark.parametrize(("group", "name", "helper"), helpers())
def test_helpers_keep_their_parameters_name_and_doc(group: type, name: str, helper: Any) -> None:
    first = next((param for param, names in FILTERED.items() if name in names), "func")
    parameters = list(inspect.signature(helper).parameters.values())
    assert [(p.name, p.kind, p.default) for p in parameters] == [
        ("self", inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty),
        (first, inspect.Parameter.POSITIONAL_OR_KEYWORD, None),
        ("auth_handlers", inspect.Parameter.KEYWORD_ONLY, None),
        ("rank", inspect.Parameter.KEYWORD_ONLY, RouteRank.DEFAULT),
    ]
    assert helper.__name__ == name
    assert helper.__qualname__ == f"{group.__name__}.{name}"
    assert inspect.getdoc(helper)


def test_helpers_reject_unknown_keywords() -> None:
    app = AgentApplication[TurnState](storage=MemoryStorage())
    teams = TeamsAgentExtension(app)
    with pytest.raises(TypeError):
        teams.on_team_renamed(priority=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        teams.message_extension.on_query(verb="x")  # type: ignore[call-arg]


def case(name: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return {**data["activity"], **changes}


async def test_filters_given_by_keyword_route_like_positional_ones(teams_host: Any) -> None:
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=teams_host.adapter)
    teams = TeamsAgentExtension(app)
    seen: list[str] = []

    def recorder(label: str, result: Any) -> Any:
        async def handler(context: TurnContext, state: TurnState, payload: Any) -> Any:
            seen.append(label)
            return result

        return handler

    teams.message_extension.on_query(command_id="searchTickets")(recorder("query", RESULT))
    teams.task_module.on_fetch(verb="createTicket", rank=RouteRank.FIRST)(
        recorder("fetch", {"task": {"type": "message", "value": "ok"}})
    )
    await teams_host.serve(app)

    assert await teams_host.post(case("invoke_messaging_extension_query")) == (200, RESULT)
    other = case("invoke_messaging_extension_query")
    other["value"] = {**other["value"], "commandId": "elsewhere"}
    assert await teams_host.post(other) == (501, None)
    answer = await teams_host.post(case("invoke_task_module_fetch"))
    assert answer == (200, {"task": {"type": "message", "value": "ok"}})
    assert seen == ["query", "fetch"]
    assert teams_host.errors == []


BATCH_METHODS = {
    "send_message_to_list_of_users": ["context", "activity", "tenant_id", "members"],
    "send_message_to_all_users_in_tenant": ["context", "activity", "tenant_id"],
    "send_message_to_all_users_in_team": ["context", "activity", "tenant_id", "team_id"],
    "send_message_to_list_of_channels": ["context", "activity", "tenant_id", "members"],
    "get_operation_state": ["context", "operation_id"],
    "get_failed_entries": ["context", "operation_id"],
    "cancel_operation": ["context", "operation_id"],
}


@pytest.mark.parametrize(("name", "parameters"), BATCH_METHODS.items())
def test_batch_methods_keep_their_parameters(name: str, parameters: list[str]) -> None:
    method = getattr(TeamsInfo, name)
    assert isinstance(inspect.getattr_static(TeamsInfo, name), staticmethod)
    assert inspect.iscoroutinefunction(method)
    assert list(inspect.signature(method).parameters) == parameters
    assert method.__qualname__ == f"TeamsInfo.{name}"
    assert inspect.getdoc(method)


async def test_batch_methods_take_keyword_arguments_and_check_them() -> None:
    adapter = TestAdapter()
    context = TurnContext(adapter, adapter.make_activity("x"))
    message = Activity(type="message", text="x")
    # Each call fails its argument checks before it needs the turn's Teams connector.
    calls = [
        TeamsInfo.get_failed_entries(context, operation_id=""),
        TeamsInfo.send_message_to_list_of_channels(
            context, activity=message, tenant_id=None, members=["19:c@thread.tacv2"]
        ),
        TeamsInfo.send_message_to_all_users_in_team(
            context, activity=message, tenant_id="t", team_id=None
        ),
        TeamsInfo.send_message_to_all_users_in_tenant(context, activity=message, tenant_id=None),
    ]
    expected = [
        teams_errors.TeamsOperationIdRequired,
        teams_errors.TeamsTenantIdRequired,
        teams_errors.TeamsTeamIdRequired,
        teams_errors.TeamsTenantIdRequired,
    ]
    for call, error in zip(calls, expected, strict=True):
        with pytest.raises(TeamsArgumentError) as raised:
            await call
        assert str(raised.value) == str(error)


def test_the_preview_hooks_keep_both_names() -> None:
    for kind in ("edit", "send"):
        hook = getattr(
            TeamsActivityHandler, f"on_teams_messaging_extension_bot_message_preview_{kind}"
        )
        assert hook.__name__ == f"on_teams_messaging_extension_bot_message_preview_{kind}"
        assert list(inspect.signature(hook).parameters) == ["self", "turn_context", "action"]
        assert f"agent_message_preview_{kind}" in (inspect.getdoc(hook) or "")
