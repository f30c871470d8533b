"""Bearer-token checks for ASGI: a middleware for a whole application, a decorator per route.

Both take the agent's ``AgentAuthConfiguration`` from ``app.state.agent_configuration`` and
leave the caller's ``ClaimsIdentity`` in ``request.state.claims_identity``. A request that is
refused gets the same ``401`` (or ``500`` without configuration) as on every other host.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.authorization.jwt import _authorize_request
from microsoft_agents.hosting.core.http import HttpResponse, check_authorization_header

from ._http import to_starlette_response

__all__ = ["JwtAuthorizationMiddleware", "_authorize_request", "jwt_authorization_decorator"]

_Handler = TypeVar("_Handler", bound=Callable[..., Awaitable[Any]])
_NO_REQUEST = HttpResponse(500, {"error": "Request object not found"})


def _configuration_of(app: Any) -> AgentAuthConfiguration | None:
    return getattr(getattr(app, "state", None), "agent_configuration", None)


async def _identify(
    header: str | None, configuration: AgentAuthConfiguration | None
) -> ClaimsIdentity | HttpResponse:
    checked = check_authorization_header(header)
    if isinstance(checked, HttpResponse):
        return checked
    # Looked up as a module global on every call so tests can replace it here.
    return await _authorize_request(checked, configuration)


class JwtAuthorizationMiddleware:
    """ASGI middleware validating the bearer token of every HTTP request and WebSocket.

    ``app.add_middleware(JwtAuthorizationMiddleware)`` on FastAPI or Starlette; the
    configuration comes from ``configuration`` when given, else from the application's
    ``state.agent_configuration``. Lifespan events pass straight through.
    """

    def __init__(self, app: ASGIApp, configuration: AgentAuthConfiguration | None = None) -> None:
        self.app = app
        self.configuration = configuration

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        configuration = self.configuration
        if configuration is None:
            configuration = _configuration_of(scope.get("app"))
        result = await _identify(Headers(scope=scope).get("Authorization"), configuration)
        if isinstance(result, ClaimsIdentity):
            # Request(scope).state reads this dict, so every handler downstream sees it.
            scope.setdefault("state", {})["claims_identity"] = result
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # policy violation
        else:
            await to_starlette_response(result)(scope, receive, send)


def _find_request(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Request | None:
    return next((a for a in (*args, *kwargs.values()) if isinstance(a, Request)), None)


def jwt_authorization_decorator(func: _Handler) -> _Handler:
    """Validate the bearer token before the route handler ``func`` runs.

    ``func`` takes the ``Request`` (positionally or by keyword, among any other parameters);
    the wrapper keeps ``func``'s name and signature, so FastAPI still injects what it asks for.
    """
    signature = inspect.signature(func)

    @functools.wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        request = _find_request(args, kwargs)
        if request is None:
            return to_starlette_response(_NO_REQUEST)
        header = request.headers.get("Authorization")
        result = await _identify(header, _configuration_of(request.scope.get("app")))
        if isinstance(result, HttpResponse):
            return to_starlette_response(result)
        request.state.claims_identity = result
        return await func(*args, **kwargs)

    wrapper.__signature__ = signature  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
