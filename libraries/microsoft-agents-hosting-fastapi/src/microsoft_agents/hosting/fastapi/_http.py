"""Starlette request → core request, core response → Starlette response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.http import HttpResponse

__all__ = ["StarletteRequest", "to_starlette_response"]


class StarletteRequest:
    """A Starlette (or FastAPI) ``Request`` seen through ``HttpRequestProtocol``."""

    __slots__ = ("_request", "headers", "method")

    def __init__(self, request: Request) -> None:
        self._request = request
        self.method: str = request.method
        self.headers: Mapping[str, str] = request.headers

    async def json(self) -> Any:
        return await self._request.json()

    def get_claims_identity(self) -> ClaimsIdentity | None:
        # Set by the JWT middleware or decorator; absent means anonymous.
        return getattr(self._request.state, "claims_identity", None)

    def get_path_param(self, name: str) -> str:
        return str(self._request.path_params.get(name, ""))

    async def read_body(self, max_bytes: int) -> bytes:
        received = bytearray()
        async for chunk in self._request.stream():
            received += chunk
            if len(received) > max_bytes:
                break  # enough to know it is too large; the rest is never buffered
        return bytes(received)


def to_starlette_response(response: HttpResponse) -> Response:
    """The Starlette response for a core ``HttpResponse``: the core's bytes, unchanged."""
    body = response.encode_body()
    if body is None:
        return Response(status_code=response.status_code, headers=response.headers)
    media_type = (
        f"{response.content_type}; charset=utf-8"
        if response.content_type
        else "application/octet-stream"
    )
    return Response(body, response.status_code, response.headers, media_type)
