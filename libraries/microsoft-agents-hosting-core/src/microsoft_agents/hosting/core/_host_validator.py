"""``OutboundHostValidator``: which hosts an agent may send requests to.

An incoming activity names the ``serviceUrl`` the agent answers to. Left unchecked, anyone
who can post an activity could make the agent send its replies (and its access token) to a
host of their choosing. When enabled, the validator admits only Microsoft channel hosts plus
the hosts you configure.
"""

from __future__ import annotations

from collections.abc import Iterable

from yarl import URL

__all__ = ["DEFAULT_MICROSOFT_HOSTS", "OutboundHostValidator"]

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

    def __repr__(self) -> str:
        return f"OutboundHostValidator(enabled={self._enabled}, hosts={list(self._hosts)!r})"
