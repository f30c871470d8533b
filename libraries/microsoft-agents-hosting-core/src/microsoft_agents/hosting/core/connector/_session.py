"""One pooled ``aiohttp`` session shared by many REST clients, plus the retry policy they use.

A channel adapter talks to the same few hosts (the channel's service URL, the token service)
turn after turn. Opening a session per turn, or per client, would throw away the connection
pool and pay a TCP and TLS handshake for every reply. Instead a :class:`SharedSession` owns a
single ``aiohttp.ClientSession`` (created on first use, inside the running event loop), and the
per-turn clients are light views over it that only add their own base URL and credentials.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import platform
import random
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any

import aiohttp
from typing_extensions import Self

__all__ = ["RetryPolicy", "SharedSession", "get_product_info"]

logger = logging.getLogger("microsoft_agents.hosting.core.connector")

_DISTRIBUTION = "microsoft-agents-hosting-core"
# 501 (not implemented) and 505 (HTTP version not supported) never get better by waiting.
_PERMANENT_SERVER_ERRORS = frozenset({501, 505})


@lru_cache(maxsize=1)
def get_product_info() -> str:
    """The ``User-Agent`` of the REST clients.

    ``agents-sdk-py/<version> python/<x.y.z> <platform>-<arch>/<release>``, where the version
    is that of the installed hosting-core distribution (``unknown`` when not installed).
    """
    try:
        version = metadata.version(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "unknown"
    python = platform.python_version()
    arch = platform.machine() or "unknown"
    release = platform.release() or "unknown"
    return f"agents-sdk-py/{version} python/{python} {sys.platform}-{arch}/{release}"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header (delta seconds or HTTP date).

    Returns ``None`` when the header is absent or unreadable; never a negative number.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:  # pragma: no cover - older Pythons returned None instead of raising
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How outbound REST calls are retried.

    * Answers ``429`` and ``5xx`` (except ``501`` and ``505``) are retried for every HTTP
      method: the services answer them before doing any work.
    * Other ``4xx`` answers are final and never retried.
    * Connection failures (reset, server disconnected, read timeout) are retried only for the
      idempotent methods ``GET``, ``PUT``, ``DELETE`` (and ``HEAD``/``OPTIONS``), since a
      ``POST`` may already have been processed. A failure to *establish* the connection (no
      byte was sent) is retried for every method. TLS/certificate errors are never retried.
    * At most ``max_attempts`` attempts are made in total (``1`` turns retrying off).
    * The wait before attempt ``n + 1`` is ``base_delay * 2 ** (n - 1)`` capped at
      ``max_delay``; with ``jitter`` a random part of up to half of it is taken off, so that
      many clients do not retry in lockstep. A ``Retry-After`` header (seconds or an HTTP
      date) replaces the computed wait, capped at ``max_delay`` as well.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 10.0
    jitter: bool = True

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("RetryPolicy delays must not be negative")

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that makes exactly one attempt."""
        return cls(max_attempts=1)

    @classmethod
    def from_value(cls, value: RetryPolicy | Mapping[str, Any] | None) -> RetryPolicy:
        """``value`` itself, a policy built from a mapping of its fields, or the default."""
        if value is None:
            return cls()
        if isinstance(value, RetryPolicy):
            return value
        known = {"max_attempts", "base_delay", "max_delay", "jitter"}
        fields = {str(k).lower(): v for k, v in value.items()}
        unknown = set(fields) - known
        if unknown:
            raise ValueError(f"unknown retry option(s): {', '.join(sorted(unknown))}")
        return cls(**fields)

    def retries_status(self, status: int) -> bool:
        """Whether an answer with ``status`` is worth another attempt."""
        return status == 429 or (500 <= status <= 599 and status not in _PERMANENT_SERVER_ERRORS)

    def retries_error(self, method: str, error: BaseException) -> bool:
        """Whether a transport ``error`` raised for ``method`` is worth another attempt."""
        if isinstance(error, aiohttp.ClientSSLError):
            return False
        if isinstance(error, aiohttp.ClientConnectorError):
            return True  # nothing was sent
        idempotent = method.upper() in {"GET", "PUT", "DELETE", "HEAD", "OPTIONS"}
        return idempotent and isinstance(
            error, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, asyncio.TimeoutError)
        )

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        asked = parse_retry_after(retry_after)
        if asked is not None:
            return min(asked, self.max_delay)
        wait = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        if self.jitter and wait > 0:
            wait -= random.uniform(0, wait / 2)
        return wait


class SharedSession:
    """Owns one pooled ``aiohttp.ClientSession`` for many REST clients.

    The session is created on the first :meth:`get` (which must run inside the event loop that
    will use it) and reused afterwards. A session handed in by the caller is used as is and
    never closed here. Owned sessions are closed by :meth:`close`; if the loop that created an
    owned session is gone (for example between test cases), :meth:`get` starts a new one.

    A session handed in must not have a ``base_url``: clients build absolute URLs. Hand one in
    to control proxies (``trust_env``), TLS or timeouts; the default session has a 60 s total
    and 15 s connect timeout and at most ``limit`` pooled connections.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        limit: int = 100,
        limit_per_host: int = 0,
        timeout: aiohttp.ClientTimeout | None = None,
    ) -> None:
        self._session = session
        self._owned = session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._limit = limit
        self._limit_per_host = limit_per_host
        self._timeout = timeout or aiohttp.ClientTimeout(total=60, sock_connect=15)
        self._sessions_created = 0
        self._stale_close: asyncio.Task[None] | None = None

    @property
    def owns_session(self) -> bool:
        """True when the session is created (and closed) by this object."""
        return self._owned

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The current session, without creating one."""
        return self._session

    @property
    def sessions_created(self) -> int:
        """How many sessions this object has created so far (0 until first use)."""
        return self._sessions_created

    def get(self) -> aiohttp.ClientSession:
        """The shared session, created on first use."""
        session = self._session
        if not self._owned:
            if session is None or session.closed:
                raise RuntimeError("the aiohttp ClientSession given to the REST clients is closed")
            return session
        loop = asyncio.get_running_loop()
        if session is not None and not session.closed and self._loop is loop:
            return session
        if session is not None and not session.closed:
            # Created in another (usually finished) event loop, where it cannot be used any
            # more; a new one is made for this loop. The old one is released when its loop
            # is closed (its connections died with it), so it does not leak a warning.
            logger.debug("shared REST session belongs to another event loop; starting a new one")
            if self._loop is not None and self._loop.is_closed():
                self._stale_close = loop.create_task(session.close())
        connector = aiohttp.TCPConnector(
            limit=self._limit, limit_per_host=self._limit_per_host, ttl_dns_cache=300
        )
        # No cookie jar: the channel APIs use none, and a shared jar would carry cookies set
        # for one conversation's requests into every other one (it also costs per request).
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=self._timeout, cookie_jar=aiohttp.DummyCookieJar()
        )
        self._loop = loop
        self._sessions_created += 1
        return self._session

    async def close(self) -> None:
        """Close the owned session (a session handed in is left open).

        A request made afterwards opens a new session, which must be closed again.
        """
        session, self._session = self._session, None
        if self._owned and session is not None and not session.closed:
            await session.close()
        if not self._owned:
            self._session = session

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()
