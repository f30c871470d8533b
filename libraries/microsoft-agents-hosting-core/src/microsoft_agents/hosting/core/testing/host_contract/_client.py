"""How the contract suite reaches a host: over real HTTP, or through a host-provided client.

By default the suite sends its requests with an aiohttp ``ClientSession`` to the URL the host
returned from ``start`` (a real server on ``127.0.0.1``). A host whose application can also
be called in-process (an ASGI application, say) hands the suite its own
:class:`ContractClient` from ``HostUnderTest.client()``; the assertions stay the same.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp

__all__ = ["AiohttpContractClient", "ContractClient", "Reply", "RequestBody"]

RequestBody = bytes | AsyncIterable[bytes] | None
"""A request body: all at once, streamed in chunks (sent chunked), or none."""


@dataclass
class Reply:
    """An HTTP answer as the client saw it."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def media_type(self) -> str | None:
        value = self.headers.get("Content-Type")
        return value.split(";", 1)[0].strip() if value else None

    def json(self) -> Any:
        return json.loads(self.body)


class ContractClient(Protocol):
    """Sends one request and reads the whole answer.

    ``headers`` are sent exactly as given: the client adds no ``Content-Type`` of its own.
    ``Reply.headers`` must look names up case-insensitively.
    """

    async def send(
        self, method: str, url: str, *, data: RequestBody, headers: Mapping[str, str]
    ) -> Reply:
        """Send ``method url`` with ``data`` and ``headers``."""
        ...

    async def close(self) -> None:
        """Release the client's connections."""
        ...


class AiohttpContractClient:
    """The default client: real HTTP through an aiohttp ``ClientSession``."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def send(
        self, method: str, url: str, *, data: RequestBody, headers: Mapping[str, str]
    ) -> Reply:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        skip = () if "Content-Type" in headers else ("Content-Type",)
        async with self._session.request(
            method, url, data=data, headers=dict(headers), skip_auto_headers=skip
        ) as response:
            body = await response.read()
            return Reply(response.status, response.headers.copy(), body)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
