"""AgentApplication construction, configuration from the environment and user sign-in setup."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from microsoft_agents.activity import TokenResponse, load_configuration_from_env
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.app import (
    AgentApplication,
    AgenticUserAuthorization,
    ApplicationOptions,
    AuthHandler,
    Authorization,
    ProactiveOptions,
)
from microsoft_agents.hosting.core.app.oauth import ConnectorUserAuthorization
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.errors import ApplicationError
from microsoft_agents.hosting.core.storage import MemoryStorage
from microsoft_agents.hosting.core.testing import TestAdapter

App = AgentApplication[TurnState]

HANDLERS = "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS"
SEED_ENV = {
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "client-id",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "not-a-real-secret",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": "tenant-id",
    "CONNECTIONSMAP__0__CONNECTION": "SERVICE_CONNECTION",
    "CONNECTIONSMAP__0__SERVICEURL": "*",
    f"{HANDLERS}__GRAPH__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME": "graph-connection",
    f"{HANDLERS}__GRAPH__SETTINGS__SCOPES": "User.Read Mail.Read",
    f"{HANDLERS}__GITHUB__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME": "github-connection",
    "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__GITHUB__SETTINGS__TITLE": "GitHub",
    "AZURE_OPENAI_ENDPOINT": "https://ignored.example/",
}


class Connections:
    """Stands in for a connection manager: configuration only stores it."""


def config() -> dict[str, Any]:
    return load_configuration_from_env(SEED_ENV)


# -- construction --------------------------------------------------------------------------


async def test_minimal_anonymous_app_runs_without_sign_in() -> None:
    adapter = TestAdapter()
    agent_app = App(storage=MemoryStorage(), adapter=adapter)

    @agent_app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        await context.send_activity(f"You said: {context.activity.text}")

    assert agent_app.adapter is adapter
    assert agent_app.connection_manager is None
    replies = await adapter.process_activity("hello", agent_app)
    assert [r.text for r in replies] == ["You said: hello"]


def test_configuration_keys_from_the_environment_are_accepted() -> None:
    cfg = config()
    assert set(cfg) == {"AGENTAPPLICATION", "CONNECTIONS", "CONNECTIONSMAP"}
    app = App(storage=MemoryStorage(), **cfg)
    assert app.options.storage is not None
    with pytest.raises(ApplicationError, match="AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS"):
        _ = app.auth


def test_configured_handlers_without_connections_are_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        App(storage=MemoryStorage(), **config())
    assert "GRAPH" in caplog.text and "GITHUB" in caplog.text


def test_connection_manager_builds_authorization_from_the_configuration() -> None:
    connections = Connections()
    app = App(storage=MemoryStorage(), connection_manager=connections, **config())
    assert isinstance(app.auth, Authorization)
    assert app.auth.handler_ids == ["GRAPH", "GITHUB"]
    assert app.auth.connection_manager is connections
    assert app.connection_manager is connections


def test_authorization_is_used_as_given() -> None:
    storage = MemoryStorage()
    connections = Connections()
    auth = Authorization(storage, connections, **config())
    app = App(storage=storage, authorization=auth, **config())
    assert app.auth is auth
    assert app.connection_manager is connections


def test_authorization_and_connection_manager_together_are_refused() -> None:
    storage = MemoryStorage()
    auth = Authorization(storage, Connections())
    with pytest.raises(ApplicationError):
        App(storage=storage, authorization=auth, connection_manager=Connections())


def test_storage_is_required() -> None:
    with pytest.raises(ApplicationError):
        App()
    with pytest.raises(ApplicationError):
        App(ApplicationOptions())
    with pytest.raises(ApplicationError):
        App(**config())


def test_long_running_messages_need_the_app_id() -> None:
    with pytest.raises(ApplicationError):
        App(storage=MemoryStorage(), long_running_messages=True)
    App(storage=MemoryStorage(), long_running_messages=True, bot_app_id="app")


def test_options_object_wins_over_keyword_options() -> None:
    storage = MemoryStorage()
    options = ApplicationOptions(storage=storage, start_typing_timer=False)
    app = App(options, start_typing_timer=True)
    assert app.options is options
    assert app.options.start_typing_timer is False


def test_keyword_options_are_read() -> None:
    app = App(storage=MemoryStorage(), remove_recipient_mention=False, bot_app_id="id-1")
    assert app.options.remove_recipient_mention is False
    assert app.options.bot_app_id == "id-1"
    assert app.options.start_typing_timer is True


def test_adapter_and_proactive_properties_without_configuration() -> None:
    app = App(storage=MemoryStorage())
    with pytest.raises(ApplicationError):
        _ = app.adapter
    with pytest.raises(ApplicationError):
        _ = app.proactive
    enabled = App(storage=MemoryStorage(), proactive=ProactiveOptions())
    assert enabled.proactive is enabled.proactive


def test_agent_name_is_sanitised() -> None:
    app = App(storage=MemoryStorage(), agent_name="My <Agent>/v1.0")
    assert app._agent_name == "My Agentv1.0"
    assert App(storage=MemoryStorage())._agent_name == "AgentApplication"


# -- routes that need sign-in ----------------------------------------------------------------


async def test_auth_route_without_authorization_fails_with_configuration_help() -> None:
    app = App(storage=MemoryStorage())
    errors: list[Exception] = []
    ran: list[str] = []

    @app.message("/me", auth_handlers=["GRAPH"])
    async def profile(context: TurnContext, state: TurnState) -> None:
        ran.append("me")

    @app.message("hi")
    async def hi(context: TurnContext, state: TurnState) -> None:
        ran.append("hi")

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        errors.append(error)

    adapter = TestAdapter(app)
    await adapter.process_activity("hi")
    assert ran == ["hi"] and errors == []
    await adapter.process_activity("/me")
    assert ran == ["hi"]
    assert len(errors) == 1 and isinstance(errors[0], ApplicationError)
    message = str(errors[0])
    assert "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__<ID>__SETTINGS__" in message
    assert "connection manager" in message and "GRAPH" in message


async def test_auth_route_with_unknown_handler_id_names_it() -> None:
    app = App(storage=MemoryStorage(), connection_manager=Connections(), **config())
    errors: list[Exception] = []

    @app.message("/x", auth_handlers=["SLACK"])
    async def handler(context: TurnContext, state: TurnState) -> None:
        raise AssertionError("must not run")

    app.error(_collect(errors))
    await TestAdapter(app).process_activity("/x")
    assert len(errors) == 1 and isinstance(errors[0], ApplicationError)
    assert "'SLACK'" in str(errors[0]) and "GRAPH, GITHUB" in str(errors[0])


async def test_auth_route_runs_when_the_turn_already_has_a_token() -> None:
    app = App(storage=MemoryStorage(), connection_manager=Connections(), **config())
    tokens: list[TokenResponse] = []

    @app.before_turn
    async def sign_in_done(context: TurnContext, state: TurnState) -> bool:
        Authorization._cache_token(context, "GRAPH", TokenResponse(token="user-token"))
        return True

    @app.message("/me", auth_handlers=["GRAPH"])
    async def profile(context: TurnContext, state: TurnState) -> None:
        tokens.append(await app.auth.get_token(context, "GRAPH"))
        tokens.append(await app.auth.get_token(context, "GITHUB"))

    await TestAdapter(app).process_activity("/me")
    assert [t.token for t in tokens] == ["user-token", None]
    assert bool(tokens[1]) is False


async def test_auth_route_without_a_user_token_client_says_what_is_missing() -> None:
    app = App(storage=MemoryStorage(), connection_manager=Connections(), **config())
    errors: list[Exception] = []

    @app.message("/me", auth_handlers=["GRAPH"])
    async def profile(context: TurnContext, state: TurnState) -> None:
        raise AssertionError("must not run")

    app.error(_collect(errors))
    await TestAdapter(app).process_activity("/me")
    assert len(errors) == 1 and isinstance(errors[0], ValueError)
    assert "'GRAPH'" in str(errors[0]) and "user-token client" in str(errors[0])


def _collect(errors: list[Exception]) -> Any:
    async def on_error(context: TurnContext, error: Exception) -> None:
        errors.append(error)

    return on_error


# -- AuthHandler and Authorization configuration ---------------------------------------------


def test_auth_handler_reads_upper_case_settings() -> None:
    handler = AuthHandler(
        NAME="graph",
        TITLE="Sign in",
        TEXT="Please sign in",
        AZUREBOTOAUTHCONNECTIONNAME="conn",
        OBOCONNECTIONNAME="obo",
        TYPE="AgenticUserAuthorization",
        SCOPES="  User.Read   Mail.Read ",
        ALT_BLUEPRINT_NAME="alt",
    )
    assert handler.name == "graph"
    assert (handler.title, handler.text) == ("Sign in", "Please sign in")
    assert handler.abs_oauth_connection_name == "conn"
    assert handler.obo_connection_name == "obo"
    assert handler.auth_type == "agenticuserauthorization"
    assert handler.scopes == ["User.Read", "Mail.Read"]
    assert handler.alt_blueprint_name == "alt"


def test_auth_handler_keywords_win_and_defaults_apply() -> None:
    handler = AuthHandler(
        name="a", abs_oauth_connection_name="x", scopes=["s"], TITLE="T", NAME="b"
    )
    assert (handler.name, handler.abs_oauth_connection_name, handler.scopes) == ("a", "x", ["s"])
    assert handler.title == "T"
    assert handler.auth_type == "userauthorization"
    assert AuthHandler().scopes == []


def test_authorization_builds_handlers_from_the_configuration() -> None:
    auth = Authorization(MemoryStorage(), Connections(), **config())
    assert auth.handler_ids == ["GRAPH", "GITHUB"]
    assert auth.default_handler_id == "GRAPH"
    graph = auth._resolve_handler("GRAPH")
    assert graph.settings.name == "GRAPH"
    assert graph.settings.abs_oauth_connection_name == "graph-connection"
    assert graph.settings.scopes == ["User.Read", "Mail.Read"]
    assert auth._resolve_handler(None) is graph
    assert auth._resolve_handler("GITHUB").settings.title == "GitHub"
    assert auth.auto_sign_in is False


def test_explicit_handlers_win_over_the_configuration() -> None:
    handlers = {"ME": AuthHandler(name="ME", abs_oauth_connection_name="c")}
    auth = Authorization(MemoryStorage(), Connections(), auth_handlers=handlers, **config())
    assert auth.handler_ids == ["ME"]


def test_app_authorization_handlers_option_is_used() -> None:
    handlers = {"ME": AuthHandler(name="ME", abs_oauth_connection_name="c")}
    app = App(
        storage=MemoryStorage(),
        connection_manager=Connections(),
        authorization_handlers=handlers,
        **config(),
    )
    assert app.auth.handler_ids == ["ME"]


@pytest.mark.parametrize(
    ("handler_type", "kind"),
    [
        ("UserAuthorization", "_UserAuthorization"),
        ("AgenticUserAuthorization", AgenticUserAuthorization.__name__),
        ("connectoruserauthorization", ConnectorUserAuthorization.__name__),
    ],
)
def test_handler_types(handler_type: str, kind: str) -> None:
    cfg: dict[str, Any] = {
        "AGENTAPPLICATION": {
            "USERAUTHORIZATION": {"HANDLERS": {"H": {"SETTINGS": {"TYPE": handler_type}}}}
        }
    }
    auth = Authorization(MemoryStorage(), Connections(), **cfg)
    assert type(auth._resolve_handler("H")).__name__ == kind


def test_handler_type_at_handler_level_and_unknown_types() -> None:
    cfg: dict[str, Any] = {
        "AGENTAPPLICATION": {
            "USERAUTHORIZATION": {"HANDLERS": {"H": {"TYPE": "AgenticUserAuthorization"}}}
        }
    }
    auth = Authorization(MemoryStorage(), Connections(), **cfg)
    assert isinstance(auth._resolve_handler("H"), AgenticUserAuthorization)
    handlers: dict[str, Any] = {"H": {"TYPE": "Magic"}}
    bad: dict[str, Any] = {"AGENTAPPLICATION": {"USERAUTHORIZATION": {"HANDLERS": handlers}}}
    with pytest.raises(ValueError, match="magic"):
        Authorization(MemoryStorage(), Connections(), **bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("True", True), ("1", True), ("yes", True), ("false", False), ("", False)],
)
def test_auto_sign_in_from_the_configuration(value: str, expected: bool) -> None:
    cfg = load_configuration_from_env({"AGENTAPPLICATION__USERAUTHORIZATION__AUTO_SIGN_IN": value})
    assert Authorization(MemoryStorage(), Connections(), **cfg).auto_sign_in is expected
    assert Authorization(MemoryStorage(), Connections(), auto_sign_in=True).auto_sign_in is True


def test_authorization_needs_storage() -> None:
    with pytest.raises(ValueError):
        Authorization(None, Connections())  # type: ignore[arg-type]


async def test_get_token_without_sign_in_is_empty_and_unknown_ids_raise() -> None:
    auth = Authorization(MemoryStorage(), Connections(), **config())
    adapter = TestAdapter()
    results: list[Any] = []

    async def logic(context: TurnContext) -> None:
        results.append(await auth.get_token(context, "GRAPH"))
        results.append(await auth.get_token(context))
        results.append(await auth.exchange_token(context, ["scope"], "GITHUB"))
        with pytest.raises(ValueError):
            await auth.get_token(context, "NOPE")

    await adapter.process_activity("x", logic)
    assert results == [TokenResponse(), TokenResponse(), TokenResponse()]
    assert not any(results)


async def test_get_token_with_no_handlers_raises() -> None:
    auth = Authorization(MemoryStorage(), Connections())

    async def logic(context: TurnContext) -> None:
        with pytest.raises(ValueError):
            await auth.get_token(context)

    await TestAdapter().process_activity("x", logic)


async def test_sign_out_clears_local_state_and_accepts_the_older_call_shape() -> None:
    documents: dict[str, Any] = {}
    storage = MemoryStorage(documents)
    auth = Authorization(storage, Connections(), **config())
    app = App(storage=storage, authorization=auth)
    sign_in_key = "auth:_SignInState:test:user1"
    flow_key = "auth/test/user1/GITHUB"
    seen: list[Any] = []

    @app.message("/logout")
    async def logout(context: TurnContext, state: TurnState) -> None:
        Authorization._cache_token(context, "GRAPH", TokenResponse(token="t1"))
        Authorization._cache_token(context, "GITHUB", TokenResponse(token="t2"))
        documents[sign_in_key] = {"active_handler_id": "GITHUB"}
        documents[flow_key] = {"tag": "begin"}
        await app.auth.sign_out(context, state, "GITHUB")  # older samples pass the state
        seen.append(await app.auth.get_token(context, "GITHUB"))
        seen.append(sign_in_key in documents or flow_key in documents)
        await app.auth.sign_out(context)  # default handler
        seen.append(await app.auth.get_token(context, "GRAPH"))
        with pytest.raises(ValueError):
            await app.auth.sign_out(context, auth_handler_id="NOPE")

    await TestAdapter(app).process_activity("/logout")
    assert seen == [TokenResponse(), False, TokenResponse()]


async def test_sign_in_handlers_are_registered_on_the_authorization() -> None:
    auth = Authorization(MemoryStorage(), Connections())
    app = App(storage=MemoryStorage(), authorization=auth)

    async def success(context: TurnContext, state: TurnState, handler_id: str | None) -> None:
        return None

    async def failure(context: TurnContext, state: TurnState, handler_id: str | None) -> None:
        return None

    assert app.on_sign_in_success(success) is success
    assert app.on_sign_in_failure(failure) is failure
    assert auth._sign_in_success is success
    assert auth._sign_in_failure is failure
    anonymous = App(storage=MemoryStorage())
    assert anonymous.on_sign_in_success(success) is success  # accepted, nothing to call it
