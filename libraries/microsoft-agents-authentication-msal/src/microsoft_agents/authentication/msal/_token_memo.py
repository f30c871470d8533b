"""Issued tokens, and the small in-process memo that answers repeated requests for them.

MSAL keeps its own token cache, but asking it means a hop to a worker thread. The memo lets
the event loop answer a repeated request at once while the token is fresh: until MSAL's own
refresh point (``refresh_in``, sent by the identity provider for long-lived tokens) and never
within five minutes of expiry — the margin MSAL uses as well. After that the request goes to
MSAL, which refreshes the token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["EXPIRY_MARGIN", "IssuedToken", "TokenMemo"]

EXPIRY_MARGIN = 300.0
"""Seconds before expiry from which a token is no longer handed out."""

_DEFAULT_LIFETIME = 3600


@dataclass(frozen=True)
class IssuedToken:
    """A token and when it expires and should be refreshed (seconds since the epoch)."""

    value: str
    expires_on: float
    refresh_on: float

    def __repr__(self) -> str:  # the token itself stays out of logs and tracebacks
        return f"IssuedToken(value='***', expires_on={self.expires_on:.0f})"

    def is_fresh(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return now < self.refresh_on and now < self.expires_on - EXPIRY_MARGIN

    @classmethod
    def from_result(cls, result: Mapping[str, Any], now: float | None = None) -> IssuedToken:
        """From an MSAL result holding ``access_token`` (``expires_in`` is relative; MSAL adds
        ``refresh_on``, or the provider sends ``refresh_in``, for tokens to renew early)."""
        now = time.time() if now is None else now
        expires_on = now + _number(result.get("expires_in"), _DEFAULT_LIFETIME)
        refresh_on = expires_on
        if result.get("refresh_on") is not None:
            refresh_on = min(refresh_on, _number(result["refresh_on"], expires_on))
        elif result.get("refresh_in") is not None:
            refresh_on = min(refresh_on, now + _number(result["refresh_in"], expires_on - now))
        return cls(str(result["access_token"]), expires_on, refresh_on)


def _number(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


class TokenMemo:
    """Fresh tokens by key, shared by the event loop and the worker threads."""

    def __init__(self, capacity: int = 512) -> None:
        self._capacity = capacity
        self._tokens: dict[Hashable, IssuedToken] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> IssuedToken | None:
        with self._lock:
            token = self._tokens.get(key)
        return token if token is not None and token.is_fresh() else None

    def put(self, key: Hashable, token: IssuedToken) -> None:
        with self._lock:
            self._tokens.pop(key, None)
            self._tokens[key] = token
            if len(self._tokens) > self._capacity:
                self._shrink()

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._tokens.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()

    def __len__(self) -> int:
        return len(self._tokens)

    def _shrink(self) -> None:
        now = time.time()
        for key in [k for k, t in self._tokens.items() if not t.is_fresh(now)]:
            del self._tokens[key]
        while len(self._tokens) > self._capacity:
            del self._tokens[next(iter(self._tokens))]  # the least recently stored
