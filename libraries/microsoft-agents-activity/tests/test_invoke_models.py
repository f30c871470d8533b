from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from microsoft_agents.activity._invoke import (
    AdaptiveCardInvokeAction,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    AdaptiveCardSearchInvokeValue,
    Error,
    ErrorResponse,
    InnerHttpError,
    SearchInvokeOptions,
    SearchInvokeValue,
)
from microsoft_agents.activity._tokens import TokenExchangeInvokeRequest


def wire(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def missing_locs(error: ValidationError) -> list[tuple[Any, ...]]:
    return [e["loc"] for e in error.errors() if e["type"] == "missing"]


# --- adaptiveCard/action -----------------------------------------------------------------------

ACTION_VALUE = {
    "action": {
        "type": "Action.Execute",
        "id": "approveButton",
        "verb": "approve",
        "data": {"requestId": "42", "comment": "ok", "nested": {"a": [1, 2]}},
    },
    "authentication": {"id": "exch-1", "connectionName": "graph", "token": "sso-token"},
    "state": "123456",
}


def test_adaptive_card_invoke_value_round_trip() -> None:
    value = AdaptiveCardInvokeValue.model_validate({**ACTION_VALUE, "trigger": "manual"})
    assert value.action.type == "Action.Execute"
    assert value.action.verb == "approve"
    assert value.action.data["nested"] == {"a": [1, 2]}
    assert value.authentication == TokenExchangeInvokeRequest(
        id="exch-1", connection_name="graph", token="sso-token"
    )
    assert value.state == "123456"
    # Unknown keys such as "trigger" are dropped; everything else comes back as it came in.
    assert wire(value) == ACTION_VALUE


def test_adaptive_card_invoke_value_minimal() -> None:
    value = AdaptiveCardInvokeValue.model_validate({"action": {"type": "Action.Submit"}})
    assert value.authentication is None
    assert value.state is None
    assert value.action.data == {}
    assert wire(value) == {"action": {"type": "Action.Submit"}}


def test_invoke_value_requires_action() -> None:
    with pytest.raises(ValidationError) as info:
        AdaptiveCardInvokeValue.model_validate({"state": "1"})
    assert missing_locs(info.value) == [("action",)]


def test_invoke_action_requires_type() -> None:
    with pytest.raises(ValidationError) as info:
        AdaptiveCardInvokeValue.model_validate({"action": {"verb": "approve"}})
    assert missing_locs(info.value) == [("action", "type")]


def test_invoke_action_data_defaults_are_independent() -> None:
    first = AdaptiveCardInvokeAction(type="Action.Execute")
    second = AdaptiveCardInvokeAction(type="Action.Execute")
    first.data["x"] = 1
    assert second.data == {}


def test_invoke_action_data_keys_must_not_be_empty() -> None:
    with pytest.raises(ValidationError):
        AdaptiveCardInvokeAction(type="Action.Execute", data={"": 1})


def test_invoke_value_state_must_not_be_empty() -> None:
    with pytest.raises(ValidationError) as info:
        AdaptiveCardInvokeValue.model_validate({"action": {"type": "x"}, "state": ""})
    assert info.value.errors()[0]["loc"] == ("state",)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (
            AdaptiveCardInvokeResponse(
                status_code=200,
                type="application/vnd.microsoft.activity.message",
                value="Approved",
            ),
            {
                "statusCode": 200,
                "type": "application/vnd.microsoft.activity.message",
                "value": "Approved",
            },
        ),
        (
            AdaptiveCardInvokeResponse(
                status_code=200,
                type="application/vnd.microsoft.card.adaptive",
                value={"type": "AdaptiveCard", "version": "1.5", "body": []},
            ),
            {
                "statusCode": 200,
                "type": "application/vnd.microsoft.card.adaptive",
                "value": {"type": "AdaptiveCard", "version": "1.5", "body": []},
            },
        ),
        (
            AdaptiveCardInvokeResponse(
                status_code=400,
                type="application/vnd.microsoft.error",
                value=Error(code="BadRequest", message="Unknown verb"),
            ),
            {
                "statusCode": 400,
                "type": "application/vnd.microsoft.error",
                "value": {"code": "BadRequest", "message": "Unknown verb"},
            },
        ),
    ],
)
def test_adaptive_card_invoke_response_wire(
    response: AdaptiveCardInvokeResponse, expected: Any
) -> None:
    assert wire(response) == expected
    again = AdaptiveCardInvokeResponse.model_validate(expected)
    assert again.status_code == expected["statusCode"]
    assert wire(again) == expected


# --- application/search ------------------------------------------------------------------------

SEARCH_VALUE = {
    "kind": "search",
    "queryText": "contoso",
    "queryOptions": {"skip": 0, "top": 15},
    "dataset": "npmpackages",
}


def test_adaptive_card_search_invoke_value_round_trip() -> None:
    value = AdaptiveCardSearchInvokeValue.model_validate(SEARCH_VALUE)
    assert isinstance(value, SearchInvokeValue)
    assert value.query_text == "contoso"
    assert value.query_options == SearchInvokeOptions(skip=0, top=15)
    assert value.dataset == "npmpackages"
    assert wire(value) == SEARCH_VALUE


def test_search_invoke_value_ignores_dataset() -> None:
    value = SearchInvokeValue.model_validate(SEARCH_VALUE)
    assert "dataset" not in wire(value)
    assert wire(value) == {k: v for k, v in SEARCH_VALUE.items() if k != "dataset"}


@pytest.mark.parametrize("missing", ["kind", "queryText", "queryOptions"])
def test_search_invoke_value_required_fields(missing: str) -> None:
    data = {k: v for k, v in SEARCH_VALUE.items() if k != missing}
    with pytest.raises(ValidationError) as info:
        AdaptiveCardSearchInvokeValue.model_validate(data)
    assert missing_locs(info.value) == [(missing,)]


@pytest.mark.parametrize("missing", ["skip", "top"])
def test_search_options_required_fields(missing: str) -> None:
    options = {k: v for k, v in {"skip": 0, "top": 10}.items() if k != missing}
    with pytest.raises(ValidationError) as info:
        SearchInvokeValue.model_validate({**SEARCH_VALUE, "queryOptions": options})
    assert missing_locs(info.value) == [("queryOptions", missing)]


def test_search_options_are_integers() -> None:
    with pytest.raises(ValidationError):
        SearchInvokeOptions.model_validate({"skip": "first", "top": 10})
    assert SearchInvokeOptions.model_validate({"skip": "5", "top": 10}).skip == 5


# --- errors ------------------------------------------------------------------------------------

ERROR_RESPONSE = {
    "error": {
        "code": "ServiceError",
        "message": "Conversation not found.",
        "innerHttpError": {"statusCode": 404, "body": {"detail": "no such conversation"}},
    }
}


def test_error_response_round_trip() -> None:
    response = ErrorResponse.model_validate(ERROR_RESPONSE)
    assert response.error == Error(
        code="ServiceError",
        message="Conversation not found.",
        inner_http_error=InnerHttpError(status_code=404, body={"detail": "no such conversation"}),
    )
    assert wire(response) == ERROR_RESPONSE


def test_error_fields_are_optional_but_not_empty() -> None:
    assert wire(ErrorResponse.model_validate({"error": {}})) == {"error": {}}
    assert ErrorResponse().error is None
    with pytest.raises(ValidationError) as info:
        Error(code="")
    assert info.value.errors()[0]["loc"] == ("code",)
    with pytest.raises(ValidationError):
        Error(message="")


def test_inner_http_error_status_must_be_an_integer() -> None:
    with pytest.raises(ValidationError) as info:
        InnerHttpError.model_validate({"statusCode": "not found"})
    assert info.value.errors()[0]["loc"] == ("statusCode",)
