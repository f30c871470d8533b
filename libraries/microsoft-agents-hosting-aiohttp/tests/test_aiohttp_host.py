"""The aiohttp host's own surface: exports, middleware, decorator, route table, helpers."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

import microsoft_agents.hosting.aiohttp as host
from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    channel_service_route_table,
    create_app,
    jwt_authorization_decorator,
    jwt_authorization_middleware,
    start_agent_process,
)
from microsoft_agents.hosting.core import (
    AgentApplication,
    Citation,
    CitationUtil,
    MemoryStorage,
    StreamingResponse,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core._http_adapter_base import HttpAdapterBase
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.http import CHANNEL_SERVICE_ROUTES, HttpResponse
from microsoft_agents.hosting.core.testing.host_contract import RecordingChannelApiHandler
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn, OpenIdProvider

Serve = Callable[[web.Application], Awaitable[str]]

# The package exports the middleware under the module's own name, so reach the module itself
# through the import system (as ``unittest.mock.patch("...jwt_authorization_middleware.x")``
# does).
middleware_module = importlib.import_module(
    "microsoft_agents.hosting.aiohttp.jwt_authorization_middleware"
)


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> str:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    yield start
    for runner in runners:
        await runner.cleanup()


async def fetch(method: str, url: str, **kwargs: Any) -> tuple[int, bytes]:
    async with aiohttp.ClientSession() as session, session.request(method, url, **kwargs) as r:
        return r.status, await r.read()


def echo_app(adapter: CloudAdapter) -> AgentApplication[TurnState]:
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        await context.send_activity(f"You said: {context.activity.text}")

    return app


def test_the_published_names_and_module_paths_exist() -> None:
    for name in (
        "AgentHttpAdapter",
        "CloudAdapter",
        "channel_service_route_table",
        "jwt_authorization_decorator",
        "jwt_authorization_middleware",
        "start_agent_process",
        "start_server",
    ):
        assert name in host.__all__ and getattr(host, name) is not None
    assert (host.Citation, host.CitationUtil, host.StreamingResponse) == (
        Citation,
        CitationUtil,
        StreamingResponse,
    )
    for module in (
        "cloud_adapter",
        "jwt_authorization_middleware",
        "channel_service_route_table",
        "agent_http_adapter",
        "_start_agent_process",
    ):
        importlib.import_module(f"microsoft_agents.hosting.aiohttp.{module}")
    assert callable(middleware_module._authorize_request)


def test_cloud_adapter_is_the_shared_http_adapter_with_keyword_options() -> None:
    adapter = CloudAdapter()
    assert isinstance(adapter, HttpAdapterBase) and adapter.anonymous
    with pytest.raises(TypeError):
        CloudAdapter(object())  # type: ignore[misc]


async def test_start_agent_process_needs_an_adapter_and_an_agent() -> None:
    adapter = CloudAdapter()
    agent = echo_app(adapter)
    with pytest.raises(TypeError, match="adapter is required"):
        await start_agent_process(None, agent, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AgentApplication is required"):
        await start_agent_process(None, None, adapter)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await adapter.process(None, agent)  # type: ignore[arg-type]


async def test_the_seed_server_setup_runs_an_agent(serve: Serve) -> None:
    adapter = CloudAdapter()
    agent_app = echo_app(adapter)

    async def entry_point(req: web.Request) -> web.Response:
        return await start_agent_process(req, req.app["agent_app"], req.app["adapter"])

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app.router.add_post("/api/messages", entry_point)
    app["agent_configuration"] = AgentAuthConfiguration(anonymous_allowed=True)
    app["agent_app"] = agent_app
    app["adapter"] = agent_app.adapter
    base = await serve(app)
    activity = {
        "type": "message",
        "channelId": "test",
        "text": "seed",
        "deliveryMode": "expectReplies",
        "conversation": {"id": "c"},
        "from": {"id": "u"},
        "recipient": {"id": "a"},
    }

    status, body = await fetch("POST", base + "/api/messages", json=activity)

    assert status == 200 and b'"text":"You said: seed"' in body
    status, body = await fetch("GET", base + "/api/messages")
    assert status == 405  # aiohttp's own answer: only POST is routed here
    await adapter.close()


async def test_the_middleware_calls_authorize_request_through_its_module_global(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str | None, Any]] = []
    configuration = AgentAuthConfiguration(anonymous_allowed=False)

    async def fake(header: str | None, config: Any) -> ClaimsIdentity | HttpResponse:
        seen.append((header, config))
        if header == "Bearer good":
            return ClaimsIdentity({"name": "Ada"})
        return HttpResponse(403, {"error": "nope"})

    monkeypatch.setattr(middleware_module, "_authorize_request", fake)

    async def whoami(request: web.Request) -> web.Response:
        return web.Response(text=f"Hello {request['claims_identity'].name}")

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app.router.add_get("/whoami", whoami)
    app["agent_configuration"] = configuration
    base = await serve(app)

    assert await fetch("GET", base + "/whoami", headers={"Authorization": " bearer  good "}) == (
        200,
        b"Hello Ada",
    )
    assert await fetch("GET", base + "/whoami", headers={"Authorization": "Bearer bad"}) == (
        403,
        b'{"error":"nope"}',
    )
    assert await fetch("GET", base + "/whoami", headers={"Authorization": "Bearer a b"}) == (
        401,
        b'{"error":"Invalid token or authentication failed."}',
    )
    assert seen == [("Bearer good", configuration), ("Bearer bad", configuration)]


async def test_the_authorize_request_patch_point_resolves_by_its_dotted_name(
    serve: Serve,
) -> None:
    from unittest import mock

    async def refuse(header: str | None, config: Any) -> HttpResponse:
        return HttpResponse(418, {"error": "patched"})

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="unreachable")

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app.router.add_get("/", ok)
    app["agent_configuration"] = AgentAuthConfiguration(anonymous_allowed=True)
    base = await serve(app)
    target = "microsoft_agents.hosting.aiohttp.jwt_authorization_middleware._authorize_request"
    with mock.patch(target, new=refuse):
        assert await fetch("GET", base + "/") == (418, b'{"error":"patched"}')
    assert await fetch("GET", base + "/") == (200, b"unreachable")


async def test_without_a_configuration_the_middleware_answers_500(serve: Serve) -> None:
    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="unreachable")

    app = web.Application(middlewares=[jwt_authorization_middleware])
    app.router.add_get("/", ok)
    base = await serve(app)

    assert await fetch("GET", base + "/") == (
        500,
        b'{"error":"Agent Authentication configuration not found"}',
    )


async def test_the_decorator_protects_one_handler_with_a_real_token(serve: Serve) -> None:
    @jwt_authorization_decorator
    async def protected_endpoint(request: web.Request) -> web.Response:
        claims = request["claims_identity"]
        return web.Response(text=f"Hello {claims.name}")

    async def open_endpoint(request: web.Request) -> web.Response:
        return web.Response(text="open")

    assert protected_endpoint.__name__ == "protected_endpoint"
    async with OpenIdProvider() as idp:
        app = web.Application()
        app.router.add_get("/protected", protected_endpoint)
        app.router.add_get("/open", open_endpoint)
        app["agent_configuration"] = AgentAuthConfiguration(**idp.settings("my-app"))
        base = await serve(app)
        token = idp.bot_framework_token("my-app", name="Ada Lovelace")

        auth = {"Authorization": f"Bearer {token}"}
        assert await fetch("GET", base + "/protected", headers=auth) == (
            200,
            b"Hello Ada Lovelace",
        )
        assert await fetch("GET", base + "/protected") == (
            401,
            b'{"error":"Authorization header not found"}',
        )
        assert await fetch("GET", base + "/open") == (200, b"open")


def test_the_route_table_mounts_the_core_routes_in_order() -> None:
    table = channel_service_route_table(RecordingChannelApiHandler(), "/api/agent")
    mounted = [(route.method, route.path) for route in table]  # type: ignore[attr-defined]
    expected = [(r.method, "/api/agent" + r.path) for r in CHANNEL_SERVICE_ROUTES]
    assert mounted == expected
    assert [route.handler.__name__ for route in table] == [  # type: ignore[attr-defined]
        r.name for r in CHANNEL_SERVICE_ROUTES
    ]


async def test_a_body_read_by_an_earlier_middleware_is_still_processed(serve: Serve) -> None:
    @web.middleware
    async def peek(request: web.Request, handler: Any) -> web.StreamResponse:
        await request.read()
        return await handler(request)

    adapter = CloudAdapter()
    agent_app = echo_app(adapter)
    app = create_app(agent_app, None)
    app.middlewares.insert(0, peek)
    base = await serve(app)
    activity = {
        "type": "message",
        "channelId": "test",
        "text": "again",
        "deliveryMode": "expectReplies",
        "conversation": {"id": "c"},
        "from": {"id": "u"},
    }

    status, body = await fetch("POST", base + "/api/messages", json=activity)

    assert status == 200 and b"You said: again" in body


async def test_create_app_answers_probes_and_closes_the_adapter(serve: Serve) -> None:
    adapter = CloudAdapter()
    app = create_app(echo_app(adapter), None)
    assert app["adapter"] is adapter and app["agent_configuration"].ANONYMOUS_ALLOWED
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    async with ChannelServiceStandIn() as channel:
        activity = {
            "type": "message",
            "channelId": "test",
            "id": "1",
            "text": "x",
            "serviceUrl": channel.url,
            "conversation": {"id": "c"},
            "from": {"id": "u"},
        }
        assert await fetch("GET", base + "/api/messages") == (200, b"")
        assert (await fetch("POST", base + "/api/messages", json=activity))[0] == 202
    factory = adapter.channel_service_client_factory
    assert factory.shared_session.session is not None  # type: ignore[attr-defined]
    await runner.cleanup()
    assert factory.shared_session.session is None  # type: ignore[attr-defined]


def test_start_server_listens_where_configured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []

    def record(app: web.Application, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr(web, "run_app", record)
    monkeypatch.setenv("PORT", "4567")
    agent_app = echo_app(CloudAdapter())

    host.start_server(agent_application=agent_app, auth_configuration=None)
    host.start_server(agent_app, None, host="0.0.0.0", port=8080)

    assert [(c["host"], c["port"]) for c in calls] == [("localhost", 4567), ("0.0.0.0", 8080)]
    assert calls[0]["app"]["agent_app"] is agent_app
    out = capsys.readouterr().out
    assert "http://localhost:4567/api/messages" in out
    assert "http://0.0.0.0:8080/api/messages" in out
