"""``OutboundHostValidator``: which hosts an agent may send requests to.

An incoming activity names the ``serviceUrl`` the agent answers to. Left unchecked, anyone
who can post an activity could make the agent send its replies (and its access token) to a
host of their choosing. When enabled, the validator admits only Microsoft channel hosts plus
the hosts you configure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

import aiohttp
from aiohttp.abc import ResolveResult
from aiohttp.tracing import Trace
from yarl import URL

from .errors import HostingError

__all__ = ["DEFAULT_MICROSOFT_HOSTS", "OutboundHostRefusedError", "OutboundHostValidator"]

DEFAULT_MICROSOFT_HOSTS: tuple[str, ...] = (
    "botframework.com",
    "smba.trafficmanager.net",
    "teams.microsoft.com",
    "teams.microsoft.us",
    "graph.microsoft.com",
    "sharepoint.com",
    "svc.ms",
    "blob.core.windows.net",
)
"""Host suffixes admitted by default when the validator is enabled."""

_WEB_SCHEMES = frozenset({"http", "https"})

# The ``aiohttp.ClientSession`` options :meth:`OutboundHostValidator.client` passes on; the
# others (a connector above all) would take the checks away.
_SESSION_OPTIONS = frozenset(
    {
        "auth",
        "auto_decompress",
        "base_url",
        "cookie_jar",
        "cookies",
        "fallback_charset_resolver",
        "headers",
        "json_serialize",
        "max_field_size",
        "max_line_size",
        "raise_for_status",
        "read_bufsize",
        "requote_redirect_url",
        "response_class",
        "skip_auto_headers",
        "timeout",
        "trace_configs",
        "version",
        "ws_response_class",
    }
)


class OutboundHostRefusedError(HostingError, ValueError):
    """A session from :meth:`OutboundHostValidator.client` refused to connect somewhere."""


def _normalize_host(entry: str) -> str:
    """``entry`` reduced to a bare lower-case host: no scheme, ``*.``, port, path or dots."""
    text = entry.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1]
    if text.startswith("["):  # bracketed IPv6 literal, maybe with a port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    while text.startswith("*."):
        text = text[2:]
    return text.strip(".")


class OutboundHostValidator:
    """Admits URLs whose host is an allowed host or a sub-domain of one.

    ``OutboundHostValidator(enabled=False, hosts=None, include_default_microsoft_hosts=True)``.
    A disabled validator admits everything. ``hosts`` may be written as host names,
    ``*.example.com`` patterns or URLs; they are reduced to lower-case host names.
    """

    def __init__(
        self,
        enabled: bool = False,
        hosts: Iterable[str] | None = None,
        include_default_microsoft_hosts: bool = True,
    ) -> None:
        allowed = list(DEFAULT_MICROSOFT_HOSTS) if include_default_microsoft_hosts else []
        for entry in hosts or ():
            host = _normalize_host(entry)
            if host and host not in allowed:
                allowed.append(host)
        self._enabled = bool(enabled)
        self._hosts = tuple(allowed)

    @property
    def enabled(self) -> bool:
        """Whether URLs are checked at all."""
        return self._enabled

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """The allowed host suffixes, normalised."""
        return self._hosts

    def is_allowed(self, url: str | URL | None) -> bool:
        """Whether requests to ``url`` are allowed.

        Always true when disabled. Otherwise ``url`` must be an absolute ``http``/``https``
        URL whose host equals an allowed host or ends with ``.`` + one.
        """
        if not self._enabled:
            return True
        if url is None:
            return False
        try:
            parsed = url if isinstance(url, URL) else URL(str(url).strip())
        except (ValueError, TypeError):
            return False
        if not parsed.is_absolute() or parsed.scheme not in _WEB_SCHEMES:
            return False
        host = (parsed.host or "").lower().rstrip(".")
        if not host:
            return False
        return any(host == allowed or host.endswith("." + allowed) for allowed in self._hosts)

    def client(self, client_session_kwargs: dict[str, Any] | None = None) -> aiohttp.ClientSession:
        """A new ``aiohttp.ClientSession`` that only reaches admitted hosts.

        When enabled, every request, redirects included, must pass :meth:`is_allowed`, and
        an admitted host name must resolve to public addresses (an address that is not
        public passes only when it is itself one of the allowed hosts), so a name pointing
        into a private network is refused too. Refusals raise
        :class:`OutboundHostRefusedError` (a ``ValueError``). A disabled validator gives a
        plain session. ``client_session_kwargs`` are ``ClientSession`` options; unknown ones,
        and ``connector``, are a ``ValueError``. Close the session when done.
        """
        options = dict(client_session_kwargs or {})
        unsupported = sorted(set(options) - _SESSION_OPTIONS)
        if unsupported:
            raise ValueError(
                f"OutboundHostValidator.client() cannot pass on {', '.join(unsupported)}; "
                f"supported ClientSession options: {', '.join(sorted(_SESSION_OPTIONS))}"
            )
        if not self._enabled:
            return aiohttp.ClientSession(**options)
        return aiohttp.ClientSession(connector=_CheckingConnector(self), **options)

    def __repr__(self) -> str:
        return f"OutboundHostValidator(enabled={self._enabled}, hosts={list(self._hosts)!r})"


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])  # no IPv6 zone index
    except ValueError:
        return None


class _CheckingConnector(aiohttp.TCPConnector):
    """Connects only to URLs the validator admits, at public (or listed) addresses."""

    def __init__(self, validator: OutboundHostValidator) -> None:
        super().__init__()
        self._validator = validator
        self._listed_ips = {ip for ip in map(_ip, validator.allowed_hosts) if ip is not None}

    async def connect(
        self, req: aiohttp.ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout
    ) -> aiohttp.connector.Connection:
        if not self._validator.is_allowed(req.url):
            raise OutboundHostRefusedError(
                f"refused to connect to {req.url.scheme}://{req.url.host}: the host is not "
                "allowed by the OutboundHostValidator (add it to its hosts to allow it)"
            )
        return await super().connect(req, traces, timeout)

    def _admits(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        if ip is None:
            return False
        if ip in self._listed_ips:
            return True
        return ip.is_global and not ip.is_multicast

    async def _resolve_host(
        self, host: str, port: int, traces: Sequence[Trace] | None = None
    ) -> list[ResolveResult]:
        results = await super()._resolve_host(host, port, traces)
        for result in results:
            ip = _ip(str(result.get("host") or ""))
            if not self._admits(ip):
                raise OutboundHostRefusedError(
                    f"refused to connect to {host}: it resolves to {ip or 'an unusable address'}, "
                    "which is not a public address; list that address in the "
                    "OutboundHostValidator's hosts to allow it"
                )
        return results
