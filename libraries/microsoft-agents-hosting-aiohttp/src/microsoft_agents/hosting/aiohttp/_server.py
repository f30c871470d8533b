"""``create_app`` and ``start_server``: a ready-made aiohttp application around an agent.

``start_server(agent_application, auth_configuration)`` is what the samples call; it builds
the application with :func:`create_app` and runs it until interrupted.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from aiohttp import web
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

from ._start_agent_process import start_agent_process
from .jwt_authorization_middleware import jwt_authorization_middleware

__all__ = ["create_app", "start_server"]

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"


async def _messages(request: web.Request) -> web.StreamResponse:
    response = await start_agent_process(request, request.app["agent_app"], request.app["adapter"])
    return response if response is not None else web.Response(status=202)


async def _alive(request: web.Request) -> web.Response:
    return web.Response(status=200)


def create_app(
    agent_application: Any,
    auth_configuration: AgentAuthConfiguration | None = None,
    *,
    messages_path: str = MESSAGES_PATH,
) -> web.Application:
    """An aiohttp application serving ``agent_application`` at ``messages_path``.

    Every request passes the JWT middleware, checked against ``auth_configuration``. Without
    one the application accepts anonymous requests only (local development): a token sent
    anyway is refused, as there is nothing to validate it against. ``POST`` runs the agent,
    ``GET`` answers ``200`` (a liveness probe), other methods get the adapter's ``405``.
    When the application shuts down it closes the adapter (its pooled outbound connections).
    """
    adapter = agent_application.adapter
    if auth_configuration is None:
        logger.warning("no auth_configuration given: the agent accepts anonymous requests only")
        auth_configuration = AgentAuthConfiguration(anonymous_allowed=True)
    app = web.Application(middlewares=[jwt_authorization_middleware])
    app.router.add_post(messages_path, _messages)
    app.router.add_get(messages_path, _alive)
    app.router.add_route("*", messages_path, _messages)
    # The documented string keys, kept so existing handlers keep finding them (they are
    # stored without aiohttp's NotAppKeyWarning: see _app_keys).
    app["agent_configuration"] = auth_configuration
    app["agent_app"] = agent_application
    app["adapter"] = adapter
    close = getattr(adapter, "close", None)
    if close is not None:
        app.on_cleanup.append(lambda _app: close())
    return app


def start_server(
    agent_application: Any,
    auth_configuration: AgentAuthConfiguration | None = None,
    *,
    host: str | None = None,
    port: int | None = None,
    **run_app_kwargs: Any,
) -> None:
    """Serve ``agent_application`` until interrupted (blocking).

    Listens on ``host`` (default ``localhost``) and ``port`` (default: the ``PORT``
    environment variable, else ``3978``); prints the messaging endpoint's URL.
    """
    app = create_app(agent_application, auth_configuration)
    host = host or "localhost"
    if port is None:
        port = int(os.environ.get("PORT", "3978"))
    print(f"Agent listening on http://{host}:{port}{MESSAGES_PATH} (Ctrl+C to stop)", flush=True)  # noqa: T201
    run_app_kwargs.setdefault("print", None)
    web.run_app(app, host=host, port=port, **run_app_kwargs)
