"""The two translations this host needs: aiohttp request → core request, core response → aiohttp."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.http import HttpResponse

__all__ = ["AiohttpRequest", "to_web_response"]

_CHUNK = 64 * 1024


class AiohttpRequest:
    """An ``aiohttp.web.Request`` seen through ``HttpRequestProtocol``."""

    __slots__ = ("_request",)

    def __init__(self, request: web.Request) -> None:
        self._request = request

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    async def json(self) -> Any:
        return await self._request.json()

    def get_claims_identity(self) -> ClaimsIdentity | None:
        return self._request.get("claims_identity")

    def get_path_param(self, name: str) -> str:
        return self._request.match_info[name]

    async def read_body(self, max_bytes: int) -> bytes:
        request = self._request
        declared = request.content_length
        if (
            declared is not None
            and declared <= max_bytes
            and "Content-Encoding" not in request.headers
        ):
            # An uncompressed body cannot be longer than declared: read it whole, in one
            # call, unless that would trip aiohttp's own client_max_size (which streaming
            # does not apply).
            framework_limit = getattr(request, "client_max_size", 0)
            if not framework_limit or declared <= framework_limit:
                return await request.read()
        content = request.content
        if content.at_eof():  # nothing left to stream: empty, or already read and cached
            return await request.read()
        chunks: list[bytes] = []
        size = 0
        async for chunk in content.iter_chunked(_CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                break
        return b"".join(chunks)


def to_web_response(response: HttpResponse) -> web.Response:
    """The aiohttp response for a core ``HttpResponse`` (JSON bodies as UTF-8)."""
    body = response.encode_body()
    if body is None:
        return web.Response(status=response.status_code, headers=response.headers)
    return web.Response(
        status=response.status_code,
        body=body,
        content_type=response.content_type or "application/octet-stream",
        charset="utf-8" if response.content_type else None,
        headers=response.headers,
    )
