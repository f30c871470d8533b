"""The ASGI host's own surface: exports, FastAPI and Starlette wiring, JWT checks, helpers."""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from unittest import mock

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.routing import APIRouter
from fastapi_host_testing import EXPECT_REPLIES, UvicornServer
from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Router

import microsoft_agents.hosting.fastapi as host
from microsoft_agents.hosting import core
from microsoft_agents.hosting.core import HttpAdapterBase
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.http import CHANNEL_SERVICE_ROUTES, HttpResponse
from microsoft_agents.hosting.core.testing.host_contract import (
    RecordingChannelApiHandler,
    build_contract_agent,
)
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn, OpenIdProvider
from microsoft_agents.hosting.fastapi import (
    CloudAdapter,
    JwtAuthorizationMiddleware,
    channel_service_route_table,
    create_app,
    jwt_authorization_decorator,
    start_agent_process,
)

jwt_module = importlib.import_module(
    "microsoft_agents.hosting.fastapi.jwt_authorization_middleware"
)
server_module = importlib.import_module("microsoft_agents.hosting.fastapi._server")
ANONYMOUS = AgentAuthConfiguration(anonymous_allowed=True)


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://agent.test")


def whoami_app(configuration: AgentAuthConfiguration | None) -> Starlette:
    """A Starlette app behind the middleware whose only route names the caller."""

    async def whoami(request: Request) -> Response:
        return PlainTextResponse(f"Hello {request.state.claims_identity.name}")

    app = Starlette()
    app.add_route("/whoami", whoami)
    app.add_middleware(JwtAuthorizationMiddleware)
    app.state.agent_configuration = configuration
    return app


def test_the_published_names_and_modules_exist() -> None:
    for name in (
        "AgentHttpAdapter",
        "CloudAdapter",
        "JwtAuthorizationMiddleware",
        "channel_service_route_table",
        "jwt_authorization_decorator",
        "start_agent_process",
    ):
        assert name in host.__all__ and hasattr(host, name)
    for name in ("Citation", "CitationUtil", "StreamingResponse"):
        assert getattr(host, name) is getattr(core, name)
    for module in ("cloud_adapter", "channel_service_route_table", "agent_http_adapter"):
        importlib.import_module(f"microsoft_agents.hosting.fastapi.{module}")
    assert jwt_module._authorize_request is core.authorization.jwt._authorize_request


async def test_the_adapter_and_start_agent_process_check_their_arguments() -> None:
    adapter = CloudAdapter()
    agent = build_contract_agent(adapter).app
    assert isinstance(adapter, HttpAdapterBase) and adapter.anonymous
    with pytest.raises(TypeError):
        CloudAdapter(object())  # type: ignore[misc]  # keyword-only
    with pytest.raises(TypeError, match="adapter is required"):
        await start_agent_process(None, agent, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AgentApplication is required"):
        await start_agent_process(None, None, adapter)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="request is required"):
        await adapter.process(None, agent)  # type: ignore[arg-type]


async def test_a_fastapi_app_wired_as_documented_runs_the_agent() -> None:
    adapter = CloudAdapter()
    agent_app = build_contract_agent(adapter).app
    app = FastAPI()
    app.add_middleware(JwtAuthorizationMiddleware)
    app.state.agent_configuration = ANONYMOUS

    @app.post("/api/messages")
    async def messages(request: Request):  # type: ignore[no-untyped-def]
        return await start_agent_process(request, agent_app, adapter)

    async with client(app) as http:
        answer = await http.post("/api/messages", json=EXPECT_REPLIES)
        refused = await http.get("/api/messages")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert answer.json()["activities"][0]["text"] == "You said: ping"
    assert refused.status_code == 405  # FastAPI's own answer: only POST is routed
    await adapter.close()


async def test_the_middleware_calls_authorize_request_through_its_module_global(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str | None, Any]] = []

    async def verdict(header: str | None, config: Any) -> ClaimsIdentity | HttpResponse:
        calls.append((header, config))
        ada = ClaimsIdentity({"name": "Ada"})
        return ada if header == "Bearer good" else HttpResponse(403, {"error": "nope"})

    monkeypatch.setattr(jwt_module, "_authorize_request", verdict)
    required = AgentAuthConfiguration(anonymous_allowed=False)
    async with client(whoami_app(required)) as http:
        answers = [
            await http.get("/whoami", headers={"Authorization": header})
            for header in ("bearer good", "Bearer bad", "Bearer a b")
        ]

    assert [(a.status_code, a.content) for a in answers] == [
        (200, b"Hello Ada"),
        (403, b'{"error":"nope"}'),
        (401, b'{"error":"Invalid token or authentication failed."}'),  # never reaches it
    ]
    assert calls == [("Bearer good", required), ("Bearer bad", required)]


async def test_the_patch_point_resolves_by_its_dotted_name() -> None:
    async def refuse(header: str | None, config: Any) -> HttpResponse:
        return HttpResponse(418, {"error": "patched"})

    target = "microsoft_agents.hosting.fastapi.jwt_authorization_middleware._authorize_request"
    async with client(whoami_app(ANONYMOUS)) as http:
        with mock.patch(target, new=refuse):
            patched = await http.get("/whoami")
        unpatched = await http.get("/whoami")

    assert (patched.status_code, patched.content) == (418, b'{"error":"patched"}')
    assert (unpatched.status_code, unpatched.text) == (200, "Hello None")  # anonymous caller


async def test_without_a_configuration_the_middleware_answers_500() -> None:
    async with client(whoami_app(None)) as http:
        answer = await http.get("/whoami")

    assert (answer.status_code, answer.content) == (
        500,
        b'{"error":"Agent Authentication configuration not found"}',
    )
    assert answer.headers["content-type"] == "application/json; charset=utf-8"


async def test_the_middleware_wraps_any_asgi_app_and_passes_lifespan_through() -> None:
    scopes: list[dict[str, Any]] = []

    async def bare_app(scope: Any, receive: Any, send: Any) -> None:
        scopes.append(scope)
        if scope["type"] == "http":
            await PlainTextResponse("inner")(scope, receive, send)

    guarded = JwtAuthorizationMiddleware(bare_app, configuration=ANONYMOUS)
    async with client(guarded) as http:
        answer = await http.get("/")
        refused = await http.get("/", headers={"Authorization": "Basic abc"})

    async def no_messages() -> dict[str, Any]:
        raise AssertionError("the middleware must not read a lifespan scope's messages")

    async def no_sending(message: Any) -> None:
        raise AssertionError("the middleware must not answer a lifespan scope")

    await guarded({"type": "lifespan"}, no_messages, no_sending)

    assert (answer.status_code, answer.text) == (200, "inner")
    assert refused.status_code == 401
    assert [scope["type"] for scope in scopes] == ["http", "lifespan"]
    identity = scopes[0]["state"]["claims_identity"]
    assert isinstance(identity, ClaimsIdentity) and identity.allow_anonymous


async def test_a_websocket_without_a_valid_token_is_closed_before_the_app_sees_it() -> None:
    reached: list[ClaimsIdentity] = []

    async def socket_app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["state"]["claims_identity"])

    async def connect(configuration: AgentAuthConfiguration, *headers: tuple[bytes, bytes]) -> Any:
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            return {"type": "websocket.connect"}

        async def send(message: Any) -> None:
            sent.append(message)

        scope = {"type": "websocket", "path": "/ws", "headers": list(headers)}
        await JwtAuthorizationMiddleware(socket_app, configuration)(scope, receive, send)
        return sent

    assert await connect(ANONYMOUS) == []
    assert len(reached) == 1 and reached[0].allow_anonymous
    closed = {"type": "websocket.close", "code": 1008}
    assert await connect(ANONYMOUS, (b"authorization", b"Token x")) == [closed]
    assert await connect(AgentAuthConfiguration()) == [closed]  # a token is required
    assert len(reached) == 1


async def test_the_decorator_keeps_fastapi_injection_and_checks_a_real_token() -> None:
    async with OpenIdProvider() as idp:
        app = FastAPI()
        app.state.agent_configuration = AgentAuthConfiguration(**idp.settings("my-app"))

        @app.get("/items/{item_id}")
        @jwt_authorization_decorator
        async def read_item(item_id: int, request: Request, q: str = "none") -> JSONResponse:
            caller = request.state.claims_identity.name
            return JSONResponse({"item": item_id, "q": q, "caller": caller})

        @app.get("/orphan")
        @jwt_authorization_decorator
        async def orphan() -> JSONResponse:
            return JSONResponse({"unreachable": True})

        token = idp.bot_framework_token("my-app", name="Ada Lovelace")
        async with client(app) as http:
            good = await http.get(
                "/items/7", params={"q": "x"}, headers={"Authorization": f"Bearer {token}"}
            )
            missing = await http.get("/items/7")
            invalid = await http.get("/items/seven", headers={"Authorization": f"Bearer {token}"})
            lost = await http.get("/orphan")

    assert read_item.__name__ == "read_item"
    assert list(inspect.signature(read_item).parameters) == ["item_id", "request", "q"]
    assert (good.status_code, good.json()) == (200, {"item": 7, "q": "x", "caller": "Ada Lovelace"})
    assert (missing.status_code, missing.content) == (
        401,
        b'{"error":"Authorization header not found"}',
    )
    assert invalid.status_code == 422  # FastAPI still validates the injected path parameter
    assert (lost.status_code, lost.content) == (500, b'{"error":"Request object not found"}')
    schema = app.openapi()["paths"]["/items/{item_id}"]["get"]["parameters"]
    assert [parameter["name"] for parameter in schema] == ["item_id", "q"]


def test_the_route_table_is_an_api_router_with_the_core_routes_in_order() -> None:
    router = channel_service_route_table(RecordingChannelApiHandler(), "/api/agent/")
    mounted = [(route.path, route.name, route.methods) for route in router.routes]  # type: ignore[attr-defined]

    assert isinstance(router, APIRouter)
    assert mounted == [
        ("/api/agent" + r.path, r.name, {r.method} | ({"HEAD"} if r.method == "GET" else set()))
        for r in CHANNEL_SERVICE_ROUTES
    ]


async def test_without_fastapi_the_route_table_is_a_starlette_router(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)  # "import fastapi" now fails
    handler = RecordingChannelApiHandler()
    router = channel_service_route_table(handler, "/agent")
    app = Starlette(routes=router.routes)

    async with client(app) as http:
        answer = await http.get("/agent/v3/conversations/c1/members/m1")

    assert type(router) is Router
    assert (answer.status_code, answer.json()) == (200, {"id": "m1", "name": "User One"})
    assert [name for name, _claims, _args in handler.calls] == ["on_get_conversation_member"]


async def test_a_body_read_by_an_earlier_middleware_is_still_processed() -> None:
    class Peek(BaseHTTPMiddleware):
        async def dispatch(
            self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            assert b'"ping"' in await request.body()
            return await call_next(request)

    app = create_app(build_contract_agent(CloudAdapter()).app, ANONYMOUS)
    app.add_middleware(Peek)

    async with client(app) as http:
        answer = await http.post("/api/messages", json=EXPECT_REPLIES)

    assert answer.status_code == 200 and b"You said: ping" in answer.content


async def test_create_app_answers_probes_and_closes_the_adapter_on_shutdown() -> None:
    adapter = CloudAdapter()
    app = create_app(build_contract_agent(adapter).app)
    assert app.state.adapter is adapter and app.state.agent_configuration.ANONYMOUS_ALLOWED
    server = UvicornServer(app)
    base = await server.start()
    try:
        async with ChannelServiceStandIn() as channel, httpx.AsyncClient(base_url=base) as http:
            probe = await http.get("/api/messages")
            head = await http.head("/api/messages")
            activity = {**EXPECT_REPLIES, "id": "1", "serviceUrl": channel.url}
            del activity["deliveryMode"]
            accepted = await http.post("/api/messages", json=activity)
            assert [request.json["text"] for request in channel.requests] == ["You said: ping"]
    finally:
        factory = adapter.channel_service_client_factory
        assert factory.shared_session.session is not None  # type: ignore[attr-defined]
        await server.stop()
    assert factory.shared_session.session is None  # type: ignore[attr-defined]
    assert (probe.status_code, probe.content, head.status_code) == (200, b"", 200)
    assert (accepted.status_code, accepted.content) == (202, b"")
