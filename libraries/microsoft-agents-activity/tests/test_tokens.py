from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from pydantic import ValidationError

from microsoft_agents.activity._accounts import (
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)
from microsoft_agents.activity._tokens import (
    SignInResource,
    TokenExchangeInvokeRequest,
    TokenExchangeInvokeResponse,
    TokenExchangeRequest,
    TokenExchangeResource,
    TokenExchangeState,
    TokenOrSignInResourceResponse,
    TokenPostResource,
    TokenRequest,
    TokenResponse,
    TokenStatus,
)

APP_ID = "0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"


def make_jwt(**claims: Any) -> str:
    return jwt.encode(claims, "a-test-signing-secret-of-32-bytes!", algorithm="HS256")


def wire(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


# --- TokenResponse truthiness ------------------------------------------------------------------


def test_token_response_truthiness_follows_token() -> None:
    assert not TokenResponse()
    assert not TokenResponse(connection_name="graph", expiration="2030-01-01T00:00:00Z")
    assert TokenResponse(token="abc")
    assert TokenResponse(token="abc", connection_name="graph")


def test_token_response_wire_form_and_empty_token_rejected() -> None:
    data = {
        "connectionName": "graph",
        "token": "abc",
        "expiration": "2030-01-01T00:00:00Z",
        "channelId": "msteams",
    }
    response = TokenResponse.model_validate(data)
    assert response.connection_name == "graph"
    assert response.channel_id == "msteams"
    assert wire(response) == data
    with pytest.raises(ValidationError):
        TokenResponse(token="")


# --- TokenResponse.is_exchangeable -------------------------------------------------------------


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"aud": f"api://{APP_ID}", "appid": APP_ID}, id="v1-no-ver"),
        pytest.param({"aud": f"api://{APP_ID}", "appid": APP_ID, "ver": "1.0"}, id="v1"),
        pytest.param({"aud": APP_ID, "azp": APP_ID, "ver": "2.0"}, id="v2"),
        pytest.param({"aud": f"api://{APP_ID}", "appid": APP_ID, "idtyp": "app"}, id="idtyp-app"),
        pytest.param(
            {"aud": f"api://{APP_ID}", "appid": APP_ID, "exp": int(time.time()) - 3600},
            id="expired-is-not-checked",
        ),
    ],
)
def test_exchangeable_tokens(claims: dict[str, Any]) -> None:
    assert TokenResponse(token=make_jwt(**claims)).is_exchangeable() is True


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"aud": f"api://{APP_ID}", "appid": APP_ID, "idtyp": "user"}, id="idtyp-user"),
        pytest.param({"aud": "https://graph.microsoft.com", "appid": APP_ID}, id="v1-other-aud"),
        pytest.param({"aud": "https://graph.microsoft.com", "azp": APP_ID, "ver": "2.0"}, id="v2"),
        pytest.param({"aud": f"api://{APP_ID}", "azp": APP_ID}, id="v1-reads-appid-not-azp"),
        pytest.param(
            {"aud": f"api://{APP_ID}", "appid": APP_ID, "ver": "2.0"}, id="v2-reads-azp-not-appid"
        ),
        pytest.param({"aud": f"api://{APP_ID}", "appid": APP_ID, "ver": "3.0"}, id="unknown-ver"),
        pytest.param({"aud": [f"api://{APP_ID}"], "appid": APP_ID}, id="aud-list"),
        pytest.param({"appid": APP_ID}, id="no-aud"),
        pytest.param({"aud": f"api://{APP_ID}", "appid": 42}, id="appid-not-a-string"),
    ],
)
def test_not_exchangeable_tokens(claims: dict[str, Any]) -> None:
    assert TokenResponse(token=make_jwt(**claims)).is_exchangeable() is False


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30"])
def test_malformed_tokens_are_not_exchangeable(token: str) -> None:
    assert TokenResponse(token=token).is_exchangeable() is False


def test_missing_token_is_not_exchangeable() -> None:
    assert TokenResponse().is_exchangeable() is False


def test_signature_is_not_verified() -> None:
    token = jwt.encode(
        {"aud": f"api://{APP_ID}", "appid": APP_ID},
        "another-secret-that-nobody-here-knows-" * 2,
        algorithm="HS512",
    )
    assert TokenResponse(token=token).is_exchangeable() is True


# --- TokenExchangeState ------------------------------------------------------------------------


def _reference() -> ConversationReference:
    return ConversationReference(
        activity_id="act-1",
        user=ChannelAccount(id="user-1", name="Ada"),
        agent=ChannelAccount(id="agent-1", name="Helper"),
        conversation=ConversationAccount(id="conv-1"),
        channel_id="msteams",
        service_url="https://smba.example/amer/",
    )


def test_encoded_state_decodes_to_exact_json() -> None:
    state = TokenExchangeState(
        connection_name="graph",
        conversation=_reference(),
        agent_url="https://agent.example/api/messages",
        ms_app_id=APP_ID,
    )
    expected = {
        "connectionName": "graph",
        "conversation": {
            "activityId": "act-1",
            "user": {"id": "user-1", "name": "Ada"},
            "bot": {"id": "agent-1", "name": "Helper"},
            "conversation": {"id": "conv-1"},
            "channelId": "msteams",
            "serviceUrl": "https://smba.example/amer/",
        },
        "bot_url": "https://agent.example/api/messages",
        "msAppId": APP_ID,
    }
    decoded = base64.b64decode(state.get_encoded_state(), validate=True).decode("utf-8")
    assert decoded == json.dumps(expected)
    assert json.loads(decoded) == expected


def test_encoded_state_leaves_out_none_and_unset() -> None:
    state = TokenExchangeState(connection_name="graph", relates_to=None, ms_app_id=APP_ID)
    decoded = json.loads(base64.b64decode(state.get_encoded_state()))
    assert decoded == {"connectionName": "graph", "msAppId": APP_ID}
    nested = TokenExchangeState(
        conversation=ConversationReference(
            conversation=ConversationAccount(id="c"), locale=None, channel_id="msteams"
        )
    )
    decoded = json.loads(base64.b64decode(nested.get_encoded_state()))
    assert decoded == {"conversation": {"conversation": {"id": "c"}, "channelId": "msteams"}}


def test_encoded_state_keeps_the_full_sub_channel() -> None:
    state = TokenExchangeState(
        conversation=ConversationReference(
            conversation=ConversationAccount(id="c"), channel_id="msteams:COPILOT"
        )
    )
    decoded = json.loads(base64.b64decode(state.get_encoded_state()))
    assert decoded["conversation"]["channelId"] == "msteams:COPILOT"


def test_exchange_state_agent_url_alias_is_bot_url() -> None:
    by_alias = TokenExchangeState.model_validate({"bot_url": "https://a", "msAppId": "x"})
    assert by_alias.agent_url == "https://a"
    assert by_alias.ms_app_id == "x"
    assert TokenExchangeState(agent_url="https://b").agent_url == "https://b"
    # Only the snake-case alias is the wire name; a camel-cased key is not recognised.
    assert TokenExchangeState.model_validate({"botUrl": "https://c"}).agent_url is None
    assert wire(by_alias) == {"bot_url": "https://a", "msAppId": "x"}


def test_exchange_state_relates_to_round_trip() -> None:
    state = TokenExchangeState(connection_name="graph", relates_to=_reference())
    again = TokenExchangeState.model_validate(wire(state))
    assert again == state
    assert again.relates_to is not None
    assert again.relates_to.agent == ChannelAccount(id="agent-1", name="Helper")


# --- other token models ------------------------------------------------------------------------


def test_token_or_sign_in_resource_response_parses_nested_wire_json() -> None:
    data = {
        "tokenResponse": {"connectionName": "graph", "token": "tok"},
        "signInResource": {
            "signInLink": "https://token.example/signin?state=abc",
            "tokenExchangeResource": {
                "id": "ter",
                "uri": "api://app/.default",
                "providerId": "aad",
            },
            "tokenPostResource": {"sasUrl": "https://token.example/post"},
        },
    }
    parsed = TokenOrSignInResourceResponse.model_validate(data)
    assert parsed.token_response == TokenResponse(connection_name="graph", token="tok")
    assert parsed.sign_in_resource == SignInResource(
        sign_in_link="https://token.example/signin?state=abc",
        token_exchange_resource=TokenExchangeResource(
            id="ter", uri="api://app/.default", provider_id="aad"
        ),
        token_post_resource=TokenPostResource(sas_url="https://token.example/post"),
    )
    assert wire(parsed) == data


def test_token_status_list_from_wire() -> None:
    rows = [
        {
            "channelId": "msteams",
            "connectionName": "graph",
            "hasToken": True,
            "serviceProviderDisplayName": "Azure AD v2",
        },
        {"connectionName": "github", "hasToken": False},
    ]
    statuses = [TokenStatus.model_validate(row) for row in rows]
    assert statuses[0].has_token is True
    assert statuses[0].service_provider_display_name == "Azure AD v2"
    assert statuses[1].channel_id is None
    assert [wire(s) for s in statuses] == rows


def test_exchange_invoke_request_and_response() -> None:
    request = TokenExchangeInvokeRequest.model_validate(
        {"id": "x1", "connectionName": "graph", "token": "sso-token", "unknown": 1}
    )
    assert (request.id, request.connection_name, request.token) == ("x1", "graph", "sso-token")
    assert wire(request) == {"id": "x1", "connectionName": "graph", "token": "sso-token"}
    response = TokenExchangeInvokeResponse(
        id="x1", connection_name="graph", failure_detail="The bot is unable to exchange token."
    )
    assert wire(response) == {
        "id": "x1",
        "connectionName": "graph",
        "failureDetail": "The bot is unable to exchange token.",
    }


def test_exchange_request_and_token_request() -> None:
    assert wire(TokenExchangeRequest(token="t")) == {"token": "t"}
    assert wire(TokenExchangeRequest(uri="api://x")) == {"uri": "api://x"}
    request = TokenRequest.model_validate({"provider": "aad", "settings": {"scope": "User.Read"}})
    assert request.settings == {"scope": "User.Read"}


@pytest.mark.parametrize(
    ("cls", "field"),
    [
        (TokenExchangeRequest, "token"),
        (TokenExchangeResource, "uri"),
        (TokenPostResource, "sas_url"),
        (SignInResource, "sign_in_link"),
        (TokenStatus, "connection_name"),
        (TokenExchangeInvokeRequest, "connection_name"),
        (TokenExchangeState, "ms_app_id"),
    ],
)
def test_optional_strings_reject_empty(cls: type[Any], field: str) -> None:
    assert getattr(cls(**{field: None}), field) is None
    with pytest.raises(ValidationError):
        cls(**{field: ""})
