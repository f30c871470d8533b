"""``channel_service_route_table``: the core's channel-service routes as an ASGI router."""

from __future__ import annotations

import functools

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, Router

from microsoft_agents.hosting.core import ChannelApiHandlerProtocol
from microsoft_agents.hosting.core.http import ChannelServiceRoute, ChannelServiceRoutes

from ._http import StarletteRequest, to_starlette_response

__all__ = ["channel_service_route_table"]


async def _answer(
    routes: ChannelServiceRoutes, route: ChannelServiceRoute, request: Request
) -> Response:
    return to_starlette_response(await routes.handle(route, StarletteRequest(request)))


def _router(routes: list[BaseRoute]) -> Router:
    try:
        from fastapi import APIRouter
    except ImportError:  # Starlette alone: a plain router
        return Router(routes=routes)
    return APIRouter(routes=routes)


def channel_service_route_table(handler: ChannelApiHandlerProtocol, base_url: str = "") -> Router:
    """The channel-service routes under ``base_url``, answered by ``handler``.

    A ``fastapi.APIRouter`` (a Starlette ``Router`` when FastAPI is not installed): mount it
    with ``app.include_router(router)`` on FastAPI, or add ``router.routes`` to a Starlette
    application's routes. Routes keep the core's order, so matching works as on every host.
    """
    routes = ChannelServiceRoutes(handler, base_url)
    return _router(
        [
            Route(
                routes.path_of(route),
                functools.partial(_answer, routes, route),
                methods=[route.method],
                name=route.name,
            )
            for route in routes.routes
        ]
    )
