"""Signing keys of token issuers, fetched without blocking and cached per URL.

A key source is a JWKS URL or an OpenID metadata URL (whose ``jwks_uri`` is then fetched).
Keys are kept for ``ttl`` seconds. A token signed with an unknown key id makes the cache
fetch the keys again, so rotated keys are picked up without a restart; such refreshes happen
at most once per ``min_refresh_interval`` seconds per URL, so tokens with made-up key ids
cannot make the process hammer the key endpoint. When a refresh fails, the keys already
known are kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import PyJWKClientConnectionError, PyJWKClientError

from .._issuers import check_metadata_url

__all__ = ["JwksCache", "jwks_cache"]

logger = logging.getLogger("microsoft_agents.hosting.core.authorization")

_MAX_KEYS = 100
_MIN_KEY_BITS = 2048


@dataclass
class _Entry:
    keys: dict[str, RSAPublicKey] = field(default_factory=dict)
    fetched_at: float | None = None
    attempted_at: float | None = None


class JwksCache:
    """RS256 signing keys by key source URL and key id.

    One process-wide instance, :data:`jwks_cache`, serves every ``JwtTokenValidator`` that is
    not given its own. ``clock`` (monotonic seconds) can be replaced in tests.
    """

    def __init__(
        self,
        *,
        ttl: float = 24 * 60 * 60,
        min_refresh_interval: float = 30.0,
        timeout: float = 10.0,
        max_document_bytes: int = 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.min_refresh_interval = min_refresh_interval
        self.timeout = timeout
        self.max_document_bytes = max_document_bytes
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        # asyncio locks belong to one event loop; keep one set per running loop.
        self._locks: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, asyncio.Lock]
        ] = weakref.WeakKeyDictionary()

    def clear(self) -> None:
        """Forget every cached key (the next validation fetches again)."""
        self._entries.clear()

    def forget(self, url: str) -> None:
        """Forget the keys of ``url`` only (a key source that moved or was replaced)."""
        self._entries.pop(url, None)

    def cached_key_ids(self, url: str) -> frozenset[str]:
        """The key ids currently cached for ``url``."""
        entry = self._entries.get(url)
        return frozenset(entry.keys) if entry else frozenset()

    async def get_signing_key(self, url: str, kid: str) -> RSAPublicKey:
        """The public key ``kid`` of source ``url``, fetching the keys when needed.

        Raises ``PyJWKClientError`` when no such key is known (after a refresh, if one was
        allowed) and ``PyJWKClientConnectionError`` when keys could not be fetched at all.
        """
        entry = self._entries.get(url)
        if entry is not None and kid in entry.keys and not self._stale(entry):
            return entry.keys[kid]
        async with self._lock(url):
            entry = self._entries.setdefault(url, _Entry())
            if kid in entry.keys and not self._stale(entry):
                return entry.keys[kid]  # fetched while this call waited for the lock
            now = self._clock()
            may_fetch = (
                entry.attempted_at is None or now - entry.attempted_at >= self.min_refresh_interval
            )
            if may_fetch:
                entry.attempted_at = now
                try:
                    entry.keys = await self._fetch(url)
                    entry.fetched_at = self._clock()
                except PyJWKClientConnectionError:
                    if not entry.keys:
                        raise
                    logger.warning("Refreshing keys from %s failed; keeping cached keys", url)
            key = entry.keys.get(kid)
        if key is None:
            raise PyJWKClientError("No signing key matches the key id of the token.")
        return key

    def _stale(self, entry: _Entry) -> bool:
        return entry.fetched_at is None or self._clock() - entry.fetched_at >= self.ttl

    def _lock(self, url: str) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        locks = self._locks.get(loop)
        if locks is None:
            locks = self._locks[loop] = {}
        lock = locks.get(url)
        if lock is None:
            lock = locks[url] = asyncio.Lock()
        return lock

    async def _fetch(self, url: str) -> dict[str, RSAPublicKey]:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                document = await self._get_json(session, url)
                if "keys" not in document:
                    jwks_uri = document.get("jwks_uri")
                    if not isinstance(jwks_uri, str):
                        raise PyJWKClientConnectionError(
                            f"{url} returned neither signing keys nor a jwks_uri."
                        )
                    check_metadata_url(jwks_uri, f"The jwks_uri of {url}")
                    document = await self._get_json(session, jwks_uri)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise PyJWKClientConnectionError(
                f"Could not fetch signing keys from {url}: {type(error).__name__}: {error}"
            ) from error
        keys = _parse_keys(document.get("keys"))
        if not keys:
            raise PyJWKClientConnectionError(f"{url} published no usable RS256 signing keys.")
        logger.debug("Fetched %d signing keys from %s", len(keys), url)
        return keys

    async def _get_json(self, session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
        # Redirects are not followed: they could lead from https to plain http.
        async with session.get(url, allow_redirects=False) as response:
            if response.status != 200:
                raise PyJWKClientConnectionError(f"{url} answered HTTP {response.status}.")
            body = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                body.extend(chunk)
                if len(body) > self.max_document_bytes:
                    raise PyJWKClientConnectionError(f"{url} returned a document too large.")
        document = json.loads(body)
        if not isinstance(document, dict):
            raise ValueError("the document is not a JSON object")
        return document


def _parse_keys(keys: Any) -> dict[str, RSAPublicKey]:
    """The RSA signing keys of a JWKS ``keys`` list; other and malformed entries are skipped."""
    result: dict[str, RSAPublicKey] = {}
    if not isinstance(keys, list):
        return result
    for jwk in keys[:_MAX_KEYS]:
        if not isinstance(jwk, dict):
            continue
        kid = jwk.get("kid")
        if not isinstance(kid, str) or not kid or jwk.get("kty") != "RSA":
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", "RS256") != "RS256":
            continue
        try:
            key = RSAAlgorithm.from_jwk(jwk)
        except Exception:  # malformed key material: skip this entry
            logger.debug("Skipping malformed signing key %s", kid)
            continue
        if isinstance(key, RSAPrivateKey):
            key = key.public_key()
        if isinstance(key, RSAPublicKey) and key.key_size >= _MIN_KEY_BITS:
            result[kid] = key
    return result


jwks_cache = JwksCache()
"""The process-wide cache used by validators that are not given their own."""
