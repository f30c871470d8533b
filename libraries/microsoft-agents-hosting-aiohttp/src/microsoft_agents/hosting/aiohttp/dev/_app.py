"""``create_dev_app``: the agent's messaging endpoint plus the dev chat page, in one application.

Routes:

| Path | What |
|---|---|
| ``/`` | the chat page (``static/index.html``) |
| ``/_dev/static/<file>`` | its scripts and style sheet |
| ``/_dev/config`` | what the page needs: ``serviceUrl``, ``channelId``, the two members |
| ``/_dev/events?conversation=ID`` | the conversation's activities as Server-Sent Events |
| ``/_dev/channel/v3/conversations/...`` | the stand-in channel service (``serviceUrl``) |
| ``/api/messages`` | the agent, exactly as :func:`create_app` serves it |

Only :func:`create_dev_app` (used by the ``agents-dev`` command and
:func:`run_dev_server`) adds these routes; :func:`create_app` and ``start_server`` never do.
By default every request must come from this computer: the peer address must be a loopback
address and the ``Host`` header a loopback name (which also stops DNS-rebinding pages).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

from .._server import create_app
from ..cloud_adapter import CloudAdapter
from ._channel import DevChannelService

__all__ = [
    "CHANNEL_ID",
    "DEV_CHANNEL_KEY",
    "create_dev_app",
    "is_loopback_host",
    "resolve_adapter",
]

CHANNEL_ID = "webchat"
"""The channel id of the page's activities: ``webchat`` streams replies (typing updates)."""
CHANNEL_PATH = "/_dev/channel/"
DEV_CHANNEL_KEY = web.AppKey("dev_channel", DevChannelService)

_STATIC = Path(__file__).parent / "static"
_ASSETS = {
    "chat.css": "text/css",
    "chat.js": "text/javascript",
    "markdown.js": "text/javascript",
    "adaptive.js": "text/javascript",
    "cards.js": "text/javascript",
}
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src * data: blob:; media-src * data: blob:; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'"
    ),
}

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _host_name(host_header: str) -> str:
    """The name in a ``Host`` header, without port or IPv6 brackets, lower-case."""
    text = host_header.strip().lower()
    if text.startswith("["):
        return text[1:].split("]", 1)[0]
    if text.count(":") == 1:
        return text.split(":", 1)[0]
    return text


def is_loopback_host(host: str | None) -> bool:
    """Whether ``host`` (an address or a name) certainly means this computer."""
    if not host:
        return False
    name = host.strip().lower().strip("[]")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def _refuse(message: str) -> web.Response:
    return web.json_response({"error": message}, status=403)


def _loopback_guard(allow_remote: bool) -> Any:
    @web.middleware
    async def guard(request: web.Request, handler: _Handler) -> web.StreamResponse:
        if allow_remote:
            return await handler(request)
        if not is_loopback_host(request.remote):
            return _refuse(
                f"the dev chat answers only this computer, not {request.remote}; "
                "start it with --host 0.0.0.0 to let other machines in"
            )
        host = _host_name(request.headers.get("Host", ""))
        if not is_loopback_host(host):
            return _refuse(
                f"the Host header {host!r} is not a loopback name; open the chat at "
                "http://127.0.0.1:<port>/ or http://localhost:<port>/"
            )
        return await handler(request)

    return guard


class _AgentWithAdapter:
    """An agent paired with the adapter that serves it (for agents that hold none)."""

    def __init__(self, agent: Any, adapter: Any) -> None:
        self.agent = agent
        self.adapter = adapter

    async def on_turn(self, context: Any) -> None:
        await self.agent.on_turn(context)


def resolve_adapter(agent: Any) -> Any | None:
    """The adapter ``agent`` carries (``agent.adapter``), or ``None`` when it has none."""
    try:
        adapter = getattr(agent, "adapter", None)
    except Exception:  # AgentApplication raises when it was built without an adapter
        return None
    return adapter if callable(getattr(adapter, "process", None)) else None


def _service_url(request: web.Request) -> str:
    """The stand-in's URL as the agent (in this process) reaches it: the page's own socket."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if sockname:
        host, port = str(sockname[0]), int(sockname[1])
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}{CHANNEL_PATH}"
    return f"{request.scheme}://{request.host}{CHANNEL_PATH}"


def create_dev_app(
    agent: Any,
    *,
    adapter: Any | None = None,
    allow_remote: bool = False,
    title: str | None = None,
    channel_id: str = CHANNEL_ID,
) -> web.Application:
    """An aiohttp application serving ``agent`` at ``/api/messages`` plus the dev chat page.

    ``agent`` is an ``AgentApplication`` or any object with ``async on_turn(context)``; it is
    served through ``adapter``, else its own ``agent.adapter``, else a new anonymous
    :class:`CloudAdapter`. The messaging endpoint accepts anonymous requests only (as
    ``create_app(agent, None)`` does). ``allow_remote`` lets other machines in (off by
    default: only loopback clients). ``title`` is shown in the page's header.
    """
    served_adapter = adapter if adapter is not None else resolve_adapter(agent)
    if served_adapter is None:
        served_adapter = CloudAdapter()
    served = agent if served_adapter is resolve_adapter(agent) else None
    messages = create_app(
        served if served is not None else _AgentWithAdapter(agent, served_adapter),
        AgentAuthConfiguration(anonymous_allowed=True),
        messages_path="/messages",
    )
    channel = DevChannelService(
        user={"id": "dev-user", "name": "You", "role": "user"},
        agent={"id": "dev-agent", "name": title or "Agent", "role": "bot"},
    )
    config = {
        "channelId": channel_id,
        "messagesUrl": "/api/messages",
        "eventsUrl": "/_dev/events",
        "user": channel.user,
        "agent": channel.agent,
        "title": title or "Agent",
    }

    async def page(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(_STATIC / "index.html", headers=_PAGE_HEADERS)

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        content_type = _ASSETS.get(name)
        if content_type is None:
            raise web.HTTPNotFound(text=f"no dev chat asset named {name!r}")
        headers = {**_PAGE_HEADERS, "Content-Type": f"{content_type}; charset=utf-8"}
        return web.FileResponse(_STATIC / name, headers=headers)

    async def settings(request: web.Request) -> web.Response:
        body = {**config, "serviceUrl": _service_url(request)}
        return web.json_response(body, headers={"Cache-Control": "no-store"})

    async def close_streams(_app: web.Application) -> None:
        await channel.close()

    app = web.Application(middlewares=[_loopback_guard(allow_remote)])
    app[DEV_CHANNEL_KEY] = channel
    app.router.add_get("/", page)
    app.router.add_get("/_dev/static/{name}", asset)
    app.router.add_get("/_dev/config", settings)
    app.router.add_get("/_dev/events", channel.events)
    app.router.add_routes(channel.routes(CHANNEL_PATH))
    app.add_subapp("/api", messages)
    app.on_shutdown.append(close_streams)
    return app
