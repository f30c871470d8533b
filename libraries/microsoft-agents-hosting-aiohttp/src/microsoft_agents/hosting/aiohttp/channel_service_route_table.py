"""``channel_service_route_table``: mounts the core's channel-service routes on aiohttp."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from microsoft_agents.hosting.core import ChannelApiHandlerProtocol
from microsoft_agents.hosting.core.http import ChannelServiceRoute, ChannelServiceRoutes

from ._http import AiohttpRequest, to_web_response

__all__ = ["channel_service_route_table"]


def channel_service_route_table(
    handler: ChannelApiHandlerProtocol, base_url: str = ""
) -> web.RouteTableDef:
    """The channel-service routes under ``base_url``, answered by ``handler``.

    Mount them with ``app.router.add_routes(channel_service_route_table(handler, base))``.
    """
    routes = ChannelServiceRoutes(handler, base_url)
    table = web.RouteTableDef()
    for route in routes.routes:
        table.route(route.method, routes.path_of(route))(_endpoint(routes, route))
    return table


def _endpoint(
    routes: ChannelServiceRoutes, route: ChannelServiceRoute
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def endpoint(request: web.Request) -> web.Response:
        return to_web_response(await routes.handle(route, AiohttpRequest(request)))

    endpoint.__name__ = route.name
    return endpoint
