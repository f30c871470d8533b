"""The ASGI host as the host contract suite drives it: in-process (httpx) or under uvicorn.

Two ways to assemble the application are covered: ``create_app`` (a Starlette application)
and a FastAPI application put together the way the README shows (middleware, a route calling
``start_agent_process``, ``include_router`` for the channel-service routes).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Mapping
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from microsoft_agents.activity import Activity, ChannelAccount, ConversationAccount
from microsoft_agents.hosting.core.testing.host_contract import (
    HostUnderTest,
    Reply,
    RequestBody,
)
from microsoft_agents.hosting.fastapi import (
    CloudAdapter,
    JwtAuthorizationMiddleware,
    channel_service_route_table,
    create_app,
    start_agent_process,
)

IN_PROCESS_URL = "http://asgi.test"


def starlette_app(host: HostUnderTest, agent: Any, config: Any, handler: Any = None) -> Starlette:
    app = create_app(agent, config, messages_path=host.messages_path)
    if handler is not None:
        app.router.routes += channel_service_route_table(handler, host.channel_path).routes
    return app


def fastapi_app(host: HostUnderTest, agent: Any, config: Any, handler: Any = None) -> FastAPI:
    app = FastAPI()
    app.add_middleware(JwtAuthorizationMiddleware)
    app.state.agent_configuration = config

    # No return annotation: FastAPI would try to build a response model from it.
    async def messages(request: Request):  # type: ignore[no-untyped-def]
        return await start_agent_process(request, agent, agent.adapter)

    # Every method reaches the adapter, which answers 405 for all but POST.
    methods = ["POST", "PUT", "DELETE", "PATCH"]
    app.add_api_route(host.messages_path, messages, methods=methods)
    if handler is not None:
        app.include_router(channel_service_route_table(handler, host.channel_path))
    return app


APP_BUILDERS = {"starlette": starlette_app, "fastapi": fastapi_app}

EXPECT_REPLIES = Activity(
    type="message",
    text="ping",
    delivery_mode="expectReplies",
    channel_id="test",
    conversation=ConversationAccount(id="c"),
    from_property=ChannelAccount(id="u"),
    recipient=ChannelAccount(id="a"),
).model_dump(mode="json", by_alias=True, exclude_unset=True)
"""A message whose reply comes back in the HTTP answer (no channel needed)."""


class HttpxAsgiClient:
    """Sends the suite's requests straight into an ASGI application (no socket)."""

    def __init__(self, app: Any) -> None:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._client = httpx.AsyncClient(transport=transport)

    async def send(
        self, method: str, url: str, *, data: RequestBody, headers: Mapping[str, str]
    ) -> Reply:
        response = await self._client.request(method, url, content=data, headers=headers)
        return Reply(response.status_code, response.headers, response.content)

    async def close(self) -> None:
        await self._client.aclose()


class AsgiHost(HostUnderTest):
    """Builds the application with ``build`` and has a subclass serve it."""

    def __init__(self, build: Any) -> None:
        self.build = build

    def create_adapter(self, **kwargs: Any) -> CloudAdapter:
        return CloudAdapter(**kwargs)

    async def start(self, agent: Any, configuration: Any, handler: Any = None) -> str:
        return await self.serve_app(self.build(self, agent, configuration, handler))

    async def serve_app(self, app: Any) -> str:
        raise NotImplementedError


class InProcessAsgiHost(AsgiHost):
    """The application called in-process through httpx's ASGI transport."""

    def __init__(self, build: Any = starlette_app) -> None:
        super().__init__(build)
        self.app: Any = None

    async def serve_app(self, app: Any) -> str:
        self.app = app
        return IN_PROCESS_URL

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "start() the host first"
        await self.app(scope, receive, send)

    def client(self) -> HttpxAsgiClient:
        return HttpxAsgiClient(self._dispatch)

    async def close(self) -> None:
        self.app = None


class UvicornServer:
    """``app`` served by uvicorn on 127.0.0.1 (a free port) inside the running event loop."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> str:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        config = uvicorn.Config(self.app, lifespan="on", log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[listener]))
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises what stopped the server
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.005)
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None


class UvicornAsgiHost(AsgiHost):
    """The application served by a real uvicorn server on 127.0.0.1."""

    def __init__(self, build: Any = fastapi_app) -> None:
        super().__init__(build)
        self.servers: list[UvicornServer] = []

    async def serve_app(self, app: Any) -> str:
        self.servers.append(UvicornServer(app))
        return await self.servers[-1].start()

    async def close(self) -> None:
        while self.servers:
            await self.servers.pop().stop()
