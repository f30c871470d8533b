"""``TeamsAgentExtension`` routes on an ``AgentApplication``, over the real aiohttp host.

The activities come from the handler corpus in ``tests/data``.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from microsoft_agents.activity.teams import (
    AppBasedLinkQuery,
    FileConsentCardResponse,
    MeetingEndEventDetails,
    MeetingParticipantsEventDetails,
    MeetingStartEventDetails,
    MessagingExtensionAction,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    O365ConnectorCardActionQuery,
    ReadReceiptInfo,
    TaskModuleRequest,
    TaskModuleResponse,
)
from microsoft_agents.hosting.core import (
    AgentApplication,
    MemoryStorage,
    RouteRank,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.teams import (
    Meeting,
    MessageExtension,
    TaskModule,
    TeamsAgentExtension,
)

DATA = Path(__file__).parent / "data"
RESULT = {"composeExtension": {"type": "message", "text": "done"}}


def activity(name: str, **changes: Any) -> dict[str, Any]:
    case = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    data: dict[str, Any] = copy.deepcopy(case["activity"])
    data.update(changes)
    return data


def with_value(name: str, **value_changes: Any) -> dict[str, Any]:
    data = activity(name)
    data["value"] = {**data["value"], **value_changes}
    return data


class App:
    """An application with a Teams extension whose handlers record what they receive."""

    def __init__(self, host: Any) -> None:
        self.host = host
        self.app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=host.adapter)
        self.teams = TeamsAgentExtension(self.app)
        self.seen: list[tuple[str, Any]] = []

    def recorder(self, label: str, result: Any = None) -> Any:
        async def handler(context: TurnContext, state: TurnState, *payload: Any) -> Any:
            assert isinstance(context, TurnContext) and isinstance(state, TurnState)
            self.seen.append((label, payload[0] if payload else None))
            return result

        return handler

    async def post(self, data: dict[str, Any]) -> tuple[int, Any]:
        if not getattr(self, "_served", False):
            await self.host.serve(self.app)
            self._served = True
        answer: tuple[int, Any] = await self.host.post(data)
        assert self.host.errors == []
        return answer


@pytest.fixture
def app(teams_host: Any) -> App:
    return App(teams_host)


def test_the_extension_exposes_its_route_groups(app: App) -> None:
    teams = app.teams
    assert teams.app is app.app
    assert isinstance(teams.message_extension, MessageExtension)
    assert isinstance(teams.task_module, TaskModule)
    assert isinstance(teams.meeting, Meeting)


async def test_query_routes_filter_on_the_command_id(app: App) -> None:
    me = app.teams.message_extension
    exact = app.recorder("exact", MessagingExtensionResponse.model_validate(RESULT))
    pattern = app.recorder("pattern", {"composeExtension": {"type": "message", "text": "re"}})
    anything = app.recorder("any", {"composeExtension": {"type": "message", "text": "any"}})
    assert me.on_query("searchTickets")(exact) is exact
    assert me.on_query(re.compile(r"search"), rank=RouteRank.LAST)(pattern) is pattern
    assert me.on_query(anything, rank=RouteRank.LAST) is anything  # bare: any command

    assert await app.post(activity("invoke_messaging_extension_query")) == (200, RESULT)
    answer = await app.post(with_value("invoke_messaging_extension_query", commandId="searchKb"))
    assert answer == (200, {"composeExtension": {"type": "message", "text": "re"}})
    answer = await app.post(with_value("invoke_messaging_extension_query", commandId="kbSearch"))
    assert answer == (200, {"composeExtension": {"type": "message", "text": "any"}})
    assert [label for label, _ in app.seen] == ["exact", "pattern", "any"]
    assert all(isinstance(payload, MessagingExtensionQuery) for _, payload in app.seen)
    assert app.seen[0][1].parameters[0].value == "printer"


async def test_submit_action_and_message_preview_routes(app: App) -> None:
    me = app.teams.message_extension
    me.on_submit_action("createTicket")(app.recorder("submit", RESULT))
    me.on_agent_message_preview_edit("createTicket")(app.recorder("edit", RESULT))
    me.on_agent_message_preview_send(app.recorder("send"))  # bare

    assert await app.post(activity("invoke_messaging_extension_submit_action")) == (200, RESULT)
    assert await app.post(activity("invoke_message_preview_edit")) == (200, RESULT)
    assert await app.post(activity("invoke_message_preview_send")) == (501, None)  # no answer
    other = with_value("invoke_message_preview_edit", commandId="otherCommand")
    assert await app.post(other) == (501, None)  # no route matches
    assert [label for label, _ in app.seen] == ["submit", "edit", "send"]
    assert all(isinstance(payload, MessagingExtensionAction) for _, payload in app.seen)
    preview = app.seen[1][1].bot_activity_preview
    assert preview is not None and preview[0].attachments is not None


async def test_the_other_message_extension_invokes(app: App) -> None:
    me = app.teams.message_extension
    me.on_fetch_task("createTicket")(app.recorder("fetch", {"task": {"type": "message"}}))
    me.on_select_item(app.recorder("select", RESULT))
    me.on_query_link(app.recorder("link", RESULT))
    me.on_anonymous_query_link()(app.recorder("anonymous", RESULT))
    me.on_query_url_setting(app.recorder("setting url", RESULT))
    me.on_configure_settings(app.recorder("settings"))
    me.on_card_button_clicked(app.recorder("clicked"))

    answers = [
        await app.post(activity(name))
        for name in (
            "invoke_messaging_extension_fetch_task",
            "invoke_messaging_extension_select_item",
            "invoke_app_based_link_query",
            "invoke_anonymous_app_based_link_query",
            "invoke_messaging_extension_query_setting_url",
            "invoke_messaging_extension_setting",
            "invoke_messaging_extension_card_button_clicked",
        )
    ]

    assert answers == [(200, {"task": {"type": "message"}})] + [(200, RESULT)] * 4 + [
        (200, None),
        (200, None),
    ]
    payloads = dict(app.seen)
    assert isinstance(payloads["fetch"], MessagingExtensionAction)
    assert payloads["select"] == {"ticketId": "TCK-1042", "title": "Printer jam on floor 3"}
    assert isinstance(payloads["link"], AppBasedLinkQuery)
    assert payloads["anonymous"].url == "https://helpdesk.contoso.com/tickets/TCK-1042"
    assert isinstance(payloads["setting url"], MessagingExtensionQuery)
    assert payloads["settings"] == {"state": '{"project":"IT"}'}
    assert payloads["clicked"] == {"action": "close", "ticketId": "TCK-1042"}


async def test_a_value_that_does_not_fit_answers_400(app: App) -> None:
    app.teams.message_extension.on_query(app.recorder("query", RESULT))

    assert await app.post(activity("invoke_malformed_value")) == (400, None)
    assert app.seen == []


async def test_task_module_routes_filter_on_the_verb(app: App) -> None:
    dialog = {"task": {"type": "message", "value": "Ticket TCK-1044 created."}}
    tm = app.teams.task_module
    tm.on_fetch("createTicket")(app.recorder("fetch", TaskModuleResponse.model_validate(dialog)))
    tm.on_submit(re.compile("create"))(app.recorder("submit", dialog))

    assert await app.post(activity("invoke_task_module_fetch")) == (200, dialog)
    assert await app.post(activity("invoke_task_module_submit")) == (200, dialog)
    other = activity("invoke_task_module_fetch", value={"data": {"verb": "closeTicket"}})
    assert await app.post(other) == (501, None)
    assert [label for label, _ in app.seen] == ["fetch", "submit"]
    assert all(isinstance(payload, TaskModuleRequest) for _, payload in app.seen)


async def test_meeting_routes(app: App) -> None:
    meeting = app.teams.meeting
    meeting.on_start(app.recorder("start"))
    meeting.on_end()(app.recorder("end"))
    meeting.on_participants_join(app.recorder("join"))
    meeting.on_participants_leave(app.recorder("leave"))

    for name in (
        "event_meeting_start",
        "event_meeting_end",
        "event_meeting_participants_join",
        "event_meeting_participants_leave",
    ):
        assert await app.post(activity(name)) == (202, None)

    payloads = dict(app.seen)
    assert isinstance(payloads["start"], MeetingStartEventDetails)
    assert payloads["start"].title == "Weekly service review"
    assert isinstance(payloads["end"], MeetingEndEventDetails)
    assert payloads["end"].end_time == "2024-04-05T10:45:00Z"
    assert isinstance(payloads["join"], MeetingParticipantsEventDetails)
    assert payloads["leave"].members[0].meeting.in_meeting is False


# (extension method, corpus activity, payload type or None, expected answer)
EXTENSION_HOOKS = [
    ("on_message_edit", "message_update_edit", None, (202, None)),
    ("on_message_undelete", "message_update_undelete", None, (202, None)),
    ("on_message_soft_delete", "message_delete_soft_delete", None, (202, None)),
    ("on_read_receipt", "event_read_receipt", ReadReceiptInfo, (202, None)),
    ("on_config_fetch", "invoke_config_fetch", dict, (200, RESULT)),
    ("on_config_submit", "invoke_config_submit", dict, (200, RESULT)),
    ("on_file_consent_accept", "invoke_file_consent_accept", FileConsentCardResponse, (200, None)),
    (
        "on_file_consent_decline",
        "invoke_file_consent_decline",
        FileConsentCardResponse,
        (200, None),
    ),
    (
        "on_o365_connector_card_action",
        "invoke_o365_connector_card_action",
        O365ConnectorCardActionQuery,
        (200, None),
    ),
    ("on_members_added", "conversation_update_members_added", None, (202, None)),
    ("on_members_removed", "conversation_update_members_removed", None, (202, None)),
    ("on_channel_created", "conversation_update_channel_created", None, (202, None)),
    ("on_channel_deleted", "conversation_update_channel_deleted", None, (202, None)),
    ("on_channel_renamed", "conversation_update_channel_renamed", None, (202, None)),
    ("on_channel_restored", "conversation_update_channel_restored", None, (202, None)),
    ("on_team_archived", "conversation_update_team_archived", None, (202, None)),
    ("on_team_deleted", "conversation_update_team_deleted", None, (202, None)),
    ("on_team_hard_deleted", "conversation_update_team_hard_deleted", None, (202, None)),
    ("on_team_renamed", "conversation_update_team_renamed", None, (202, None)),
    ("on_team_restored", "conversation_update_team_restored", None, (202, None)),
    ("on_team_unarchived", "conversation_update_team_unarchived", None, (202, None)),
]


@pytest.mark.parametrize(("method", "case", "payload_type", "answer"), EXTENSION_HOOKS)
async def test_extension_hooks_route_their_teams_activity_only(
    app: App, method: str, case: str, payload_type: type | None, answer: tuple[int, Any]
) -> None:
    result = RESULT if answer[1] is not None else None
    handler = app.recorder(method, result)
    # Every other hook is registered too, so a wrong selector would steal the activity.
    for other, *_ in EXTENSION_HOOKS:
        if other != method:
            getattr(app.teams, other)(app.recorder(other, RESULT))
    assert getattr(app.teams, method)(auth_handlers=None, rank=RouteRank.FIRST)(handler) is handler

    assert await app.post(activity(case)) == answer
    assert [label for label, _ in app.seen] == [method]
    payload = app.seen[0][1]
    assert payload is None if payload_type is None else isinstance(payload, payload_type)

    elsewhere = activity(case, channelId="webchat")
    await app.post(elsewhere)
    assert len(app.seen) == 1  # outside Teams nothing matches


async def test_an_invoke_handler_may_answer_itself(app: App) -> None:
    from microsoft_agents.activity import Activity, InvokeResponse

    async def handler(context: TurnContext, state: TurnState, query: Any) -> str:
        response = InvokeResponse(status=202, body={"later": True})
        await context.send_activity(Activity(type="invokeResponse", value=response))
        return "ignored"

    app.teams.message_extension.on_query(handler)

    assert await app.post(activity("invoke_messaging_extension_query")) == (202, {"later": True})


def test_filters_must_be_strings_regexes_or_handlers(app: App) -> None:
    with pytest.raises(TypeError):
        app.teams.message_extension.on_query(42)  # type: ignore[arg-type]


async def test_the_readme_routes_example_runs_on_the_host(teams_host: Any) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Teams routes on an AgentApplication", 1)[1]
    namespace: dict[str, Any] = {}
    exec(section.split("```python\n", 1)[1].split("```", 1)[0], namespace)
    await teams_host.serve(namespace["app"])

    assert await teams_host.post(activity("invoke_messaging_extension_query")) == (
        200,
        {"composeExtension": {"type": "message", "text": "No tickets match printer."}},
    )
    assert await teams_host.post(activity("invoke_task_module_submit")) == (
        200,
        {"task": {"type": "message", "value": "Created: Replace toner"}},
    )
    assert await teams_host.post(activity("conversation_update_team_renamed")) == (202, None)
    texts = [a.get("text") for a in teams_host.channel.activities()]
    assert texts == ["New team name noted."]
    assert teams_host.errors == []
