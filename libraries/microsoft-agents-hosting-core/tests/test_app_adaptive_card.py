"""app.adaptive_card: Action.Execute, Action.Submit and search routing with exact invoke bodies."""

from __future__ import annotations

import re
from typing import Any

from microsoft_agents.activity import AdaptiveCardInvokeResponse, InvokeResponse
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.app import AgentApplication, Query
from microsoft_agents.hosting.core.app.adaptive_card import (
    AdaptiveCard,
    AdaptiveCardSearchParams,
    AdaptiveCardSearchResult,
)
from microsoft_agents.hosting.core.app.adaptive_card import Query as ModelsQuery
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.storage import MemoryStorage
from microsoft_agents.hosting.core.testing import TestAdapter

App = AgentApplication[TurnState]


def make() -> tuple[App, TestAdapter]:
    app = App(storage=MemoryStorage())
    return app, TestAdapter(app)


def execute(verb: str, data: Any = None, action_type: str = "Action.Execute") -> dict[str, Any]:
    action: dict[str, Any] = {"type": action_type, "verb": verb}
    if data is not None:
        action["data"] = data
    return {"type": "invoke", "name": "adaptiveCard/action", "value": {"action": action}}


def search(dataset: str, query_text: str = "con", **value: Any) -> dict[str, Any]:
    body = {
        "kind": "search",
        "queryText": query_text,
        "queryOptions": {"skip": 5, "top": 15},
        "dataset": dataset,
        **value,
    }
    return {"type": "invoke", "name": "application/search", "value": body}


def test_app_exposes_one_adaptive_card_registrar() -> None:
    app, _ = make()
    assert isinstance(app.adaptive_card, AdaptiveCard)
    assert app.adaptive_card is app.adaptive_card
    assert Query is ModelsQuery


# -- Action.Execute ----------------------------------------------------------------------------


async def test_action_execute_passes_data_and_sends_the_returned_response() -> None:
    app, adapter = make()
    received: list[Any] = []

    @app.adaptive_card.action_execute("approve")
    async def approve(context: TurnContext, state: TurnState, data: Any) -> Any:
        received.append(data)
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.activity.message", value="Approved"
        )

    await adapter.process_activity(execute("approve", {"id": 7}))
    assert received == [{"id": 7}]
    assert adapter.last_invoke_response == InvokeResponse(
        status=200,
        body={
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": "Approved",
        },
    )


async def test_action_execute_defaults_to_status_200_body() -> None:
    app, adapter = make()
    received: list[Any] = []

    @app.adaptive_card.action_execute(re.compile(r"do\w+"))
    async def handler(context: TurnContext, state: TurnState, data: Any) -> None:
        received.append(data)

    await adapter.process_activity(execute("please-doit"))  # regex *search*
    assert received == [{}]
    assert adapter.last_invoke_response == InvokeResponse(status=200, body={"statusCode": 200})


async def test_action_execute_other_action_types_get_not_supported() -> None:
    app, adapter = make()
    ran: list[Any] = []

    @app.adaptive_card.action_execute("approve")
    async def handler(context: TurnContext, state: TurnState, data: Any) -> None:
        ran.append(data)

    await adapter.process_activity(execute("approve", {"x": 1}, action_type="Action.Submit"))
    assert ran == []
    assert adapter.last_invoke_response == InvokeResponse(
        status=200,
        body={
            "statusCode": 501,
            "type": "application/vnd.microsoft.error",
            "value": {
                "code": "NotSupported",
                "message": "The Invoke Action 'Action.Submit' was not expected.",
            },
        },
    )


async def test_action_execute_ignores_other_verbs_and_invokes() -> None:
    app, adapter = make()
    ran: list[str] = []

    @app.adaptive_card.action_execute("approve")
    async def handler(context: TurnContext, state: TurnState, data: Any) -> None:
        ran.append("approve")

    await adapter.process_activity(execute("reject"))
    await adapter.process_activity({"type": "invoke", "name": "other", "value": {"action": {}}})
    await adapter.process_activity({"type": "invoke", "name": "adaptiveCard/action"})
    assert ran == []
    assert adapter.last_invoke_response == InvokeResponse(status=501)


async def test_action_execute_route_is_an_invoke_route() -> None:
    app, adapter = make()
    ran: list[str] = []

    @app.activity("invoke", rank=0)
    async def generic(context: TurnContext, state: TurnState) -> None:
        ran.append("generic")

    @app.adaptive_card.action_execute("approve")
    async def approve(context: TurnContext, state: TurnState, data: Any) -> None:
        ran.append("approve")

    await adapter.process_activity(execute("approve"))
    assert ran == ["approve"]


# -- Action.Submit -----------------------------------------------------------------------------


async def test_action_submit_matches_the_submit_filter_of_text_less_messages() -> None:
    app, adapter = make()
    received: list[Any] = []

    @app.adaptive_card.action_submit("save")
    async def save(context: TurnContext, state: TurnState, data: Any) -> None:
        received.append(data)

    @app.adaptive_card.action_submit(re.compile("^del"), submit_filter="action")
    async def delete(context: TurnContext, state: TurnState, data: Any) -> None:
        received.append(("delete", data))

    await adapter.process_activity({"type": "message", "value": {"verb": "save", "n": 1}})
    await adapter.process_activity({"type": "message", "value": {"action": "delete-all"}})
    await adapter.process_activity({"type": "message", "text": "x", "value": {"verb": "save"}})
    await adapter.process_activity({"type": "message", "value": {"verb": "other"}})
    await adapter.process_activity({"type": "message", "value": ["save"]})
    assert received == [{"verb": "save", "n": 1}, ("delete", {"action": "delete-all"})]


# -- search ------------------------------------------------------------------------------------


async def test_search_builds_the_query_and_replies_with_results() -> None:
    app, adapter = make()
    queries: list[Query[AdaptiveCardSearchParams]] = []

    @app.adaptive_card.search("people")
    async def people(context: TurnContext, state: TurnState, query: Any) -> Any:
        queries.append(query)
        return [
            AdaptiveCardSearchResult(title="Contoso", value="c-1"),
            AdaptiveCardSearchResult(title="Fabrikam", value="f-2"),
        ]

    await adapter.process_activity(search("people"))
    assert queries == [
        Query(count=15, skip=5, parameters=AdaptiveCardSearchParams("con", "people"))
    ]
    assert adapter.last_invoke_response == InvokeResponse(
        status=200,
        body={
            "statusCode": 200,
            "type": "application/vnd.microsoft.search.searchResponse",
            "value": {
                "results": [
                    {"title": "Contoso", "value": "c-1"},
                    {"title": "Fabrikam", "value": "f-2"},
                ]
            },
        },
    )


async def test_search_dataset_selection() -> None:
    app, adapter = make()
    ran: list[str] = []

    @app.adaptive_card.search(re.compile("^cities"))
    async def cities(context: TurnContext, state: TurnState, query: Any) -> list[Any]:
        ran.append(query.parameters.dataset)
        return []

    await adapter.process_activity(search("cities.europe"))
    await adapter.process_activity(search("people"))
    assert ran == ["cities.europe"]
    assert adapter.last_invoke_response == InvokeResponse(status=501)


async def test_search_without_query_text_is_a_bad_request() -> None:
    app, adapter = make()
    ran: list[Any] = []

    @app.adaptive_card.search("people")
    async def people(context: TurnContext, state: TurnState, query: Any) -> list[Any]:
        ran.append(query)
        return []

    await adapter.process_activity(search("people", query_text=""))
    assert ran == []
    assert adapter.last_invoke_response == InvokeResponse(
        status=400,
        body={
            "statusCode": 400,
            "type": "application/vnd.microsoft.error",
            "value": {"code": "BadRequest", "message": "Missing 'queryText' property for search"},
        },
    )


async def test_search_kind_is_required_except_on_teams() -> None:
    app, adapter = make()
    ran: list[str] = []

    @app.adaptive_card.search("people")
    async def people(context: TurnContext, state: TurnState, query: Any) -> list[Any]:
        ran.append(str(context.activity.channel_id))
        return []

    no_kind = search("people")
    del no_kind["value"]["kind"]
    await adapter.process_activity(no_kind)
    assert ran == []
    assert adapter.last_invoke_response is not None
    assert adapter.last_invoke_response.status == 400
    await adapter.process_activity({**no_kind, "channelId": "msteams"})
    assert ran == ["msteams"]
    assert adapter.last_invoke_response == InvokeResponse(
        status=200,
        body={
            "statusCode": 200,
            "type": "application/vnd.microsoft.search.searchResponse",
            "value": {"results": []},
        },
    )
