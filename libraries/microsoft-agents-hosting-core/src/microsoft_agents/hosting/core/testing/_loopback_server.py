"""``LoopbackServer``: the life cycle every loopback stand-in of the test kits shares.

A subclass adds its routes in :meth:`LoopbackServer._add_routes`; the server listens on
``host`` at a port the operating system picks, from :meth:`start` (or ``async with``) until
:meth:`close`, and :attr:`url` is its base URL (``http://127.0.0.1:<port>``, or ``https``
when :meth:`_ssl_context` gives a TLS context).
"""

from __future__ import annotations

import ssl
from typing import Any

from aiohttp import web
from typing_extensions import Self

__all__ = ["LoopbackServer"]


class LoopbackServer:
    """An aiohttp server on a loopback port; use as an async context manager."""

    _app_options: dict[str, Any] = {}
    """Keyword arguments of the ``web.Application`` (``client_max_size``...)."""
    _runner_options: dict[str, Any] = {}
    """Keyword arguments of the ``web.AppRunner`` besides ``access_log=None``."""

    def __init__(self, *, host: str = "127.0.0.1") -> None:
        self.host = host
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    def _add_routes(self, app: web.Application) -> None:
        raise NotImplementedError(f"{type(self).__name__} must add its routes")

    def _ssl_context(self) -> ssl.SSLContext | None:
        """The server's TLS context, or ``None`` for plain HTTP."""
        return None

    async def start(self) -> Self:
        """Listen (no effect when already listening); returns the server."""
        if self._runner is not None:
            return self
        app = web.Application(**self._app_options)
        self._add_routes(app)
        runner = web.AppRunner(app, access_log=None, **self._runner_options)
        await runner.setup()
        context = self._ssl_context()
        await web.TCPSite(runner, self.host, 0, ssl_context=context).start()
        scheme = "http" if context is None else "https"
        self._runner = runner
        self._url = f"{scheme}://{self.host}:{runner.addresses[0][1]}"
        return self

    async def close(self) -> None:
        """Stop listening (no effect when not started)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def url(self) -> str:
        """The base URL, without a trailing ``/`` (``RuntimeError`` before :meth:`start`)."""
        if self._url is None:
            raise RuntimeError(f"{type(self).__name__} is not started; use 'async with'")
        return self._url
