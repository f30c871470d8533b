"""``create_app`` and ``start_server``: a ready-made ASGI application around an agent.

``create_app`` builds a plain Starlette application (any ASGI server can run it);
``start_server`` serves it with uvicorn or hypercorn until interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

from ._start_agent_process import start_agent_process
from .jwt_authorization_middleware import JwtAuthorizationMiddleware

__all__ = ["create_app", "start_server"]

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
SERVERS = ("uvicorn", "hypercorn")
# Every method reaches the endpoint, so the adapter gives its own 405 to all but POST.
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _messages(request: Request) -> Response:
    if request.method in ("GET", "HEAD"):
        return Response(status_code=200)  # a liveness probe
    state = request.app.state
    response = await start_agent_process(request, state.agent_app, state.adapter)
    return response if response is not None else Response(status_code=202)


def create_app(
    agent_application: Any,
    auth_configuration: AgentAuthConfiguration | None = None,
    *,
    messages_path: str = MESSAGES_PATH,
) -> Starlette:
    """A Starlette application serving ``agent_application`` at ``messages_path``.

    Every request passes :class:`JwtAuthorizationMiddleware`, checked against
    ``auth_configuration``; without one only anonymous requests are accepted (local
    development). ``POST`` runs the agent, ``GET`` answers ``200`` (liveness), other methods
    get the adapter's ``405``. Shutting the application down closes the adapter.
    """
    adapter = agent_application.adapter
    if auth_configuration is None:
        logger.warning("no auth_configuration given: the agent accepts anonymous requests only")
        auth_configuration = AgentAuthConfiguration(anonymous_allowed=True)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        close = getattr(adapter, "close", None)
        if close is not None:
            await close()

    app = Starlette(
        routes=[Route(messages_path, _messages, methods=_METHODS)],
        middleware=[Middleware(JwtAuthorizationMiddleware)],
        lifespan=lifespan,
    )
    app.state.agent_configuration = auth_configuration
    app.state.agent_app = agent_application
    app.state.adapter = adapter
    return app


def _installed_server() -> str:
    for name in SERVERS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ImportError(
        "start_server needs an ASGI server: pip install "
        '"microsoft-agents-hosting-fastapi[server]" (uvicorn) or hypercorn'
    )


def start_server(
    agent_application: Any,
    auth_configuration: AgentAuthConfiguration | None = None,
    *,
    host: str = "localhost",
    port: int | None = None,
    server: str | None = None,
    **server_options: Any,
) -> None:
    """Serve ``agent_application`` until interrupted (blocking).

    ``server`` is ``"uvicorn"`` or ``"hypercorn"`` (default: the first one installed);
    ``server_options`` go to ``uvicorn.run`` or onto hypercorn's ``Config``. The port
    defaults to the ``PORT`` environment variable, else ``3978``.
    """
    name = server or _installed_server()
    if name not in SERVERS:
        raise ValueError(f"unknown server {name!r}: use one of {', '.join(SERVERS)}")
    app = create_app(agent_application, auth_configuration)
    port = int(os.environ.get("PORT", "3978")) if port is None else port
    banner = f"Agent listening on http://{host}:{port}{MESSAGES_PATH} ({name}; Ctrl+C to stop)"
    print(banner, flush=True)  # noqa: T201
    if name == "uvicorn":
        import uvicorn

        server_options.setdefault("log_level", "warning")
        uvicorn.run(app, host=host, port=port, **server_options)
        return
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"{host}:{port}"]
    for option, value in server_options.items():
        setattr(config, option, value)
    asyncio.run(serve(app, config))  # type: ignore[arg-type]
