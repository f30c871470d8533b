"""``TeamsActivityHandler`` driven by the activity corpus in ``tests/data`` over real HTTP.

Each corpus file is one dispatch branch: a Teams activity, the hooks a recording agent
overrides (with what they return), and what must happen — the hooks called with which
arguments (type and wire form), the HTTP status and exact body of the answer, and the
requests that reached the loopback Teams connector.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import microsoft_agents.activity as activity_models
import microsoft_agents.activity.teams as teams_models
from microsoft_agents.activity.teams import TeamsChannelData
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.teams import TeamsActivityHandler

DATA = Path(__file__).parent / "data"
CASES = sorted(path.stem for path in DATA.glob("*.json"))

Call = tuple[str, tuple[Any, ...]]


def load(name: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return case


def model_class(name: str) -> type[BaseModel]:
    cls = getattr(teams_models, name, None) or getattr(activity_models, name)
    assert isinstance(cls, type) and issubclass(cls, BaseModel), name
    return cls


def build_return(spec: dict[str, Any] | None) -> Any:
    if spec is None:
        return None
    return model_class(spec["model"]).model_validate(spec["wire"])


def recording_agent(overrides: dict[str, Any], calls: list[Call]) -> TeamsActivityHandler:
    """A ``TeamsActivityHandler`` whose listed hooks record their arguments."""

    def recorder(hook: str, returns: Any) -> Any:
        async def record(self: TeamsActivityHandler, *args: Any) -> Any:
            calls.append((hook, args))
            return build_return(returns)

        return record

    attributes = {}
    for hook, returns in overrides.items():
        assert callable(getattr(TeamsActivityHandler, hook, None)), f"no hook named {hook}"
        attributes[hook] = recorder(hook, returns)
    agent_class = type("RecordingTeamsAgent", (TeamsActivityHandler,), attributes)
    agent: TeamsActivityHandler = agent_class()
    return agent


def check_argument(expected: Any, actual: Any, where: str) -> None:
    if expected == "context":
        assert isinstance(actual, TurnContext), where
    elif expected is None:
        assert actual is None, where
    elif "raw" in expected:
        assert actual == expected["raw"], where
    elif "list" in expected:
        assert isinstance(actual, list), where
        assert len(actual) == len(expected["list"]), where
        for index, (item, wanted) in enumerate(zip(actual, expected["list"], strict=True)):
            check_argument(wanted, item, f"{where}[{index}]")
    else:
        cls = model_class(expected["model"])
        assert type(actual) is cls, f"{where}: {type(actual).__name__} is not {cls.__name__}"
        wire = actual.model_dump(mode="json", by_alias=True, exclude_unset=True)
        assert wire == expected["wire"], where


@pytest.mark.parametrize("name", CASES)
async def test_corpus_case(name: str, teams_host: Any) -> None:
    case = load(name)
    expect = case["expect"]
    channel = teams_host.channel
    service = case.get("channel_service", {})
    if "members" in service:
        channel.members = service["members"]
    for stub in service.get("stubs", []):
        channel.stub(stub["method"], stub["path"], status=stub["status"], json=stub["json"])
    calls: list[Call] = []
    await teams_host.serve(recording_agent(case["override"], calls))

    status, body = await teams_host.post(case["activity"])

    assert teams_host.errors == []
    assert (status, body) == (expect["status"], expect["body"])
    assert [hook for hook, _ in calls] == [call["hook"] for call in expect["calls"]]
    for (hook, args), wanted in zip(calls, expect["calls"], strict=True):
        assert len(args) == len(wanted["args"]), hook
        for index, (arg, expected) in enumerate(zip(args, wanted["args"], strict=True)):
            check_argument(expected, arg, f"{hook} argument {index}")
    assert [[r.method, r.path] for r in channel.requests] == expect["requests"]


# Every dispatch branch of the Teams handler contract, and the corpus file(s) covering it.
SPEC_HOOKS = [
    "on_teams_card_action_invoke",
    "on_teams_config_fetch",
    "on_teams_config_submit",
    "on_teams_file_consent_accept",
    "on_teams_file_consent_decline",
    "on_teams_o365_connector_card_action",
    "on_teams_app_based_link_query",
    "on_teams_anonymous_app_based_link_query",
    "on_teams_messaging_extension_query",
    "on_teams_messaging_extension_select_item",
    "on_teams_messaging_extension_submit_action",
    "on_teams_messaging_extension_bot_message_preview_edit",
    "on_teams_messaging_extension_agent_message_preview_send",
    "on_teams_messaging_extension_fetch_task",
    "on_teams_messaging_extension_configuration_query_setting_url",
    "on_teams_messaging_extension_configuration_setting",
    "on_teams_messaging_extension_card_button_clicked",
    "on_teams_task_module_fetch",
    "on_teams_task_module_submit",
    "on_teams_tab_fetch",
    "on_teams_tab_submit",
    "on_members_added_activity",
    "on_teams_members_added",
    "on_members_removed_activity",
    "on_teams_members_removed",
    "on_teams_channel_created",
    "on_teams_channel_deleted",
    "on_teams_channel_renamed",
    "on_teams_channel_restored",
    "on_teams_team_archived",
    "on_teams_team_deleted",
    "on_teams_team_hard_deleted",
    "on_teams_team_renamed",
    "on_teams_team_restored",
    "on_teams_team_unarchived",
    "on_teams_message_edit",
    "on_teams_message_undelete",
    "on_teams_message_soft_delete",
    "on_teams_read_receipt",
    "on_teams_meeting_start",
    "on_teams_meeting_end",
    "on_teams_meeting_participants_join",
    "on_teams_meeting_participants_leave",
]
# Every invoke name of the contract's dispatch table (None: an invoke without a name).
SPEC_INVOKE_NAMES = [
    None,
    "config/fetch",
    "config/submit",
    "fileConsent/invoke",
    "actionableMessage/executeAction",
    "composeExtension/queryLink",
    "composeExtension/anonymousQueryLink",
    "composeExtension/query",
    "composeExtension/selectItem",
    "composeExtension/submitAction",
    "composeExtension/fetchTask",
    "composeExtension/querySettingUrl",
    "composeExtension/setting",
    "composeExtension/onCardButtonClicked",
    "task/fetch",
    "task/submit",
    "tab/fetch",
    "tab/submit",
]
# Branches that end without a Teams hook: (corpus file, expected status).
SPEC_OUTCOMES = {
    "invoke_file_consent_unsupported_action": 400,
    "invoke_message_preview_unsupported_action": 400,
    "invoke_malformed_value": 400,
    "invoke_hook_not_implemented": 501,
    "invoke_unknown_name": 501,
    "invoke_adaptive_card_action": 200,
    "invoke_signin_verify_state": 200,
    "conversation_update_other_channel": 202,
    "conversation_update_unknown_event": 202,
    "message_update_without_event_type": 202,
    "event_other_name": 202,
}


def test_the_corpus_covers_every_dispatch_branch_of_the_contract() -> None:
    called = {call["hook"] for name in CASES for call in load(name)["expect"]["calls"]}
    assert [hook for hook in SPEC_HOOKS if hook not in called] == []
    for name, status in SPEC_OUTCOMES.items():
        assert load(name)["expect"]["status"] == status, name
    invoke_names = {load(name)["activity"].get("name") for name in CASES}
    assert [name for name in SPEC_INVOKE_NAMES if name not in invoke_names] == []


@pytest.mark.parametrize("name", CASES)
def test_corpus_channel_data_round_trips_through_the_teams_model(name: str) -> None:
    channel_data = load(name)["activity"]["channelData"]
    parsed = TeamsChannelData.model_validate(channel_data)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == channel_data
    again = TeamsChannelData.model_validate_json(parsed.model_dump_json(by_alias=True))
    assert again.model_dump(mode="json", by_alias=True, exclude_none=True) == channel_data
