"""Bearer-token checks for aiohttp: an application middleware and a per-handler decorator.

Both read the agent's ``AgentAuthConfiguration`` from ``request.app["agent_configuration"]``
and store the caller's ``ClaimsIdentity`` in ``request["claims_identity"]``.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Awaitable, Callable

from aiohttp import web
from microsoft_agents.hosting.core.authorization.jwt import _authorize_request
from microsoft_agents.hosting.core.http import HttpResponse, check_authorization_header

from ._http import to_web_response

__all__ = [
    "_authorize_request",
    "_jwt_authorization_middleware",
    "jwt_authorization_decorator",
    "jwt_authorization_middleware",
]

# The published SDK's string key "claims_identity" is part of the contract (handlers read it),
# so aiohttp's advice to use a typed request key is silenced for this module only.
warnings.filterwarnings("ignore", category=web.NotAppKeyWarning, module=__name__)
_claims_key_stored = False

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _jwt_authorization_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    header = check_authorization_header(request.headers.get("Authorization"))
    if isinstance(header, HttpResponse):
        return to_web_response(header)
    # Looked up as a module global on every call so tests can replace it here.
    result = await _authorize_request(header, request.app.get("agent_configuration"))
    if isinstance(result, HttpResponse):
        return to_web_response(result)
    if _claims_key_stored:
        request["claims_identity"] = result
    else:
        _store_first_claims_identity(request, result)
    return await handler(request)


def _store_first_claims_identity(request: web.Request, identity: object) -> None:
    # aiohttp warns about a string request key the first time the process stores it; the rule
    # above can be reset by whoever manages the warning filters (test runners do), so the first
    # store is made with the warning ignored explicitly.
    global _claims_key_stored
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        request["claims_identity"] = identity
    _claims_key_stored = True


jwt_authorization_middleware = web.middleware(_jwt_authorization_middleware)
"""Validates the bearer token of every request of the application (``401`` when invalid)."""


def jwt_authorization_decorator(func: Handler) -> Handler:
    """Validate the bearer token before ``func`` handles the request."""

    @functools.wraps(func)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        return await _jwt_authorization_middleware(request, func)

    return wrapper
