"""The seed's Teams snippet on the real host, the package surface, errors and handler edges."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

import pytest

import microsoft_agents.hosting.teams as teams_package
from microsoft_agents.activity import InvokeResponse
from microsoft_agents.activity.teams import TaskModuleRequest, TaskModuleResponse
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ActivityHandler, HostingError, TurnContext
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.teams import TeamsActivityHandler
from microsoft_agents.hosting.teams.errors import (
    TeamsArgumentError,
    TeamsBadRequestError,
    TeamsError,
    TeamsNotImplementedError,
    teams_errors,
)

# The "Teams Integration" snippet of the aiohttp hosting readme, unchanged. ``TurnContext``,
# ``CloudAdapter`` and ``connection_manager`` come from the readme's earlier snippets.
SEED_SNIPPET = """
from microsoft_agents.hosting.teams import TeamsActivityHandler

class MyTeamsAgent(TeamsActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext):
        await turn_context.send_activity("Hello from Teams!")

# Use with CloudAdapter
agent = MyTeamsAgent()
adapter = CloudAdapter(connection_manager=connection_manager)
"""

TEAMS_MESSAGE = {
    "type": "message",
    "id": "1712345678901",
    "channelId": "msteams",
    "text": "hi",
    "from": {"id": "29:1qVb5d6mPzKx-ada", "aadObjectId": "6f1c2a9e-aad"},
    "recipient": {"id": "28:4e6c1d2b-agent", "name": "Helpdesk"},
    "conversation": {"id": "a:1xYzPersonalChat-ada", "conversationType": "personal"},
    "channelData": {"tenant": {"id": "8a1b2c3d-tenant"}},
}


async def test_the_seed_teams_snippet_answers_a_teams_message(teams_host: Any) -> None:
    namespace: dict[str, Any] = {
        "TurnContext": TurnContext,
        "CloudAdapter": CloudAdapter,
        "connection_manager": None,
    }
    exec(SEED_SNIPPET, namespace)
    assert isinstance(namespace["agent"], TeamsActivityHandler)
    teams_host.adapter = namespace["adapter"]
    await teams_host.serve(namespace["agent"])

    status, body = await teams_host.post(TEAMS_MESSAGE)

    assert (status, body) == (202, None)
    [reply] = teams_host.channel.activities("a:1xYzPersonalChat-ada")
    assert reply["type"] == "message" and reply["text"] == "Hello from Teams!"
    assert reply["replyToId"] == "1712345678901"
    assert reply["recipient"]["id"] == "29:1qVb5d6mPzKx-ada"
    assert reply["from"]["id"] == "28:4e6c1d2b-agent"
    [request] = teams_host.channel.requests
    assert request.path == "/v3/conversations/a:1xYzPersonalChat-ada/activities/1712345678901"


def test_the_package_exports_the_contract_names() -> None:
    assert set(teams_package.__all__) == {
        "Meeting",
        "MessageExtension",
        "TaskModule",
        "TeamsActivityHandler",
        "TeamsAgentExtension",
        "TeamsInfo",
    }
    for name in teams_package.__all__:
        assert getattr(teams_package, name).__name__ == name
    assert issubclass(TeamsActivityHandler, ActivityHandler)


def test_importing_the_package_logs_a_deprecation_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="microsoft_agents.hosting.teams"):
        importlib.reload(teams_package)
    messages = [r.getMessage() for r in caplog.records if r.name == teams_package.__name__]
    assert len(messages) == 1 and "deprecated" in messages[0]
    assert "microsoft-agents-hosting-msteams" in messages[0]


def test_the_error_catalogue_has_the_contract_codes() -> None:
    names = [
        "TeamsBadRequest",
        "TeamsNotImplemented",
        "TeamsContextRequired",
        "TeamsMeetingIdRequired",
        "TeamsParticipantIdRequired",
        "TeamsTeamIdRequired",
        "TeamsTurnContextRequired",
        "TeamsActivityRequired",
        "TeamsChannelIdRequired",
        "TeamsConversationIdRequired",
    ]
    codes = [getattr(teams_errors, name).error_code for name in names]
    assert codes == list(range(-62000, -62010, -1))
    assert teams_errors.TeamsBadRequest.message_template == "BadRequest"
    assert teams_errors.TeamsNotImplemented.message_template == "NotImplemented"
    assert "Error Code: -62000" in str(teams_errors.TeamsBadRequest)


def test_the_exception_tree() -> None:
    assert issubclass(TeamsError, HostingError)
    assert issubclass(TeamsArgumentError, ValueError) and issubclass(TeamsArgumentError, TeamsError)
    bad = TeamsBadRequestError("'x' is not supported")
    assert isinstance(bad, ValueError) and bad.detail == "'x' is not supported"
    assert "Error Code: -62000" in str(bad)
    missing = TeamsNotImplementedError("on_teams_tab_fetch")
    assert isinstance(missing, NotImplementedError) and missing.hook == "on_teams_tab_fetch"
    assert "Error Code: -62001" in str(missing)


# -- handler edges -------------------------------------------------------------------------------

SUBMIT = {
    **TEAMS_MESSAGE,
    "type": "invoke",
    "name": "task/submit",
    "value": {"data": {"verb": "createTicket"}},
}


class StrictAgent(TeamsActivityHandler):
    def __init__(self, outcome: BaseException | None) -> None:
        self.outcome = outcome

    async def on_teams_task_module_submit(
        self, turn_context: TurnContext, task_module_request: TaskModuleRequest
    ) -> TaskModuleResponse:
        if self.outcome is not None:
            raise self.outcome
        return TaskModuleResponse.model_validate({"task": {"type": "message", "value": "ok"}})


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (TeamsBadRequestError("missing title"), 400),
        (TeamsNotImplementedError(), 501),
        (None, 200),
    ],
)
async def test_user_hooks_answer_400_and_501_with_the_teams_errors(
    teams_host: Any, outcome: BaseException | None, status: int
) -> None:
    await teams_host.serve(StrictAgent(outcome))

    answer = await teams_host.post(SUBMIT)

    body = {"task": {"type": "message", "value": "ok"}} if status == 200 else None
    assert answer == (status, body)
    assert teams_host.errors == []


async def test_other_exceptions_from_hooks_reach_the_adapters_error_handler(
    teams_host: Any,
) -> None:
    await teams_host.serve(StrictAgent(RuntimeError("database is down")))

    status, _ = await teams_host.post(SUBMIT)

    assert status == 501  # no invoke response was sent
    assert [str(error) for error in teams_host.errors] == ["database is down"]


async def test_an_invoke_without_a_name_outside_teams_goes_to_the_base_handler(
    teams_host: Any,
) -> None:
    class CardAgent(TeamsActivityHandler):
        async def on_teams_card_action_invoke(self, turn_context: TurnContext) -> InvokeResponse:
            return InvokeResponse(status=200, body={"handled": True})

    await teams_host.serve(CardAgent())
    teams = {**TEAMS_MESSAGE, "type": "invoke", "value": {"x": 1}}

    assert await teams_host.post(teams) == (200, {"handled": True})
    assert await teams_host.post({**teams, "channelId": "webchat"}) == (501, None)
    assert await teams_host.post({**teams, "channelId": "msteams:COPILOT"}) == (
        200,
        {"handled": True},
    )


async def test_members_are_kept_as_sent_when_the_turn_has_no_teams_connector() -> None:
    seen: list[Any] = []

    class Agent(TeamsActivityHandler):
        async def on_teams_members_added(
            self, teams_members_added: Any, team_info: Any, turn_context: TurnContext
        ) -> None:
            seen.append((teams_members_added, team_info))

    adapter = TestAdapter(Agent())
    await adapter.process_activity(
        {
            "type": "conversationUpdate",
            "channelId": "msteams",
            "membersAdded": [{"id": "29:1Grace", "name": "Grace"}],
            "channelData": {"team": {"id": "19:team@thread.tacv2"}},
        }
    )

    [(members, team)] = seen
    assert [(m.id, m.name, type(m).__name__) for m in members] == [
        ("29:1Grace", "Grace", "TeamsChannelAccount")
    ]
    assert team.id == "19:team@thread.tacv2"


async def test_a_failed_member_lookup_other_than_not_found_fails_the_turn(
    teams_host: Any,
) -> None:
    teams_host.channel.stub(
        "GET",
        "/v3/conversations/19:team@thread.tacv2/members/29:1Grace",
        status=403,
        json={"error": {"code": "Forbidden", "message": "no access"}},
    )
    update = {
        **TEAMS_MESSAGE,
        "type": "conversationUpdate",
        "membersAdded": [{"id": "29:1Grace"}],
        "channelData": {"team": {"id": "19:team@thread.tacv2"}},
    }
    await teams_host.serve(TeamsActivityHandler())

    status, _ = await teams_host.post(update)

    assert status == 202
    assert [getattr(error, "status", None) for error in teams_host.errors] == [403]


async def test_the_readme_handler_example_runs_on_the_host(teams_host: Any) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A Teams agent as a handler", 1)[1]
    namespace: dict[str, Any] = {"connection_manager": None}
    exec(section.split("```python\n", 1)[1].split("```", 1)[0], namespace)
    teams_host.channel.members = [{"id": "29:1qVb5d6mPzKx-ada", "givenName": "Ada"}]
    await teams_host.serve(namespace["agent"])

    assert await teams_host.post(TEAMS_MESSAGE) == (202, None)
    [reply] = teams_host.channel.activities("a:1xYzPersonalChat-ada")
    assert reply["text"] == "Hello Ada from Teams!"
    query = {
        **TEAMS_MESSAGE,
        "type": "invoke",
        "name": "composeExtension/query",
        "value": {"commandId": "search", "parameters": [{"name": "q", "value": "toner"}]},
    }
    assert await teams_host.post(query) == (
        200,
        {
            "composeExtension": {
                "type": "result",
                "attachmentLayout": "list",
                "attachments": [{"contentType": "text/plain", "content": "toner"}],
            }
        },
    )
    assert teams_host.errors == []
