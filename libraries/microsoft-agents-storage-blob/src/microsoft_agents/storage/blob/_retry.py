"""The retry policy of the Blob client: the SDK's exponential retry, plus HTTP 429.

The Azure Storage SDK retries timeouts and 5xx answers (503 Server Busy is how Blob Storage
usually throttles) but hands a 429 Too Many Requests straight back. Proxies and gateways in
front of an account do answer 429, so :class:`ThrottlingRetry` retries those as well, with
the same settings, waiting for ``Retry-After`` when the answer gives one.
"""

from __future__ import annotations

import asyncio
from typing import Any

from azure.storage.blob.aio import ExponentialRetry

from ._config import RETRY_OPTION_NAMES

__all__ = ["ThrottlingRetry", "build_retry_policy"]

_TOO_MANY_REQUESTS = 429
_LONGEST_RETRY_AFTER = 60.0


class ThrottlingRetry(ExponentialRetry):
    """``ExponentialRetry`` that also retries 429 answers, up to ``retry_total`` times."""

    async def send(self, request: Any) -> Any:  # type: ignore[override]
        throttled = 0
        while True:
            response = await super().send(request)
            if response.http_response.status_code != _TOO_MANY_REQUESTS:
                return response
            if throttled >= self.total_retries:
                return response
            delay = _retry_after(response.http_response.headers)
            if delay is None:
                delay = self.get_backoff_time({"count": throttled})
            throttled += 1
            await asyncio.sleep(max(0.0, delay))


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if value is None:
        return None
    try:
        return min(float(value), _LONGEST_RETRY_AFTER)
    except ValueError:
        return None  # an HTTP date: fall back to the policy's own backoff


def build_retry_policy(options: dict[str, Any]) -> ThrottlingRetry:
    """Build the policy from the SDK's retry keywords found in ``options``."""
    return ThrottlingRetry(**{name: options[name] for name in RETRY_OPTION_NAMES & set(options)})
