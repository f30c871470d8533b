"""Helpers for the test suites of storages that run against real local servers (emulators).

* :func:`require_local_server` finds the server a suite runs against, or skips the tests
  (fails them in CI) when there is none;
* :func:`throwaway_name` names a container (database, ...) for the tests and deletes it
  afterwards;
* :class:`StorageClientLifecycleTests` are tests every networked store passes: ``close()``
  releases its HTTP sessions, and clients starting together on a container that does not
  exist yet all work;
* :class:`UnusedTokenCredential` stands in for an async token credential in configuration
  tests that must not fetch a token.

They need pytest (with pytest-asyncio in ``auto`` mode) when used, but do not import it here.
"""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import uuid
import warnings
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn
from urllib.parse import urlsplit

from ..storage import Storage, StoreItem

__all__ = [
    "StorageClientLifecycleTests",
    "UnusedTokenCredential",
    "require_local_server",
    "throwaway_name",
]


def _answers(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), 1):
            return True
    except OSError:
        return False


def require_local_server(
    server: str, variable: str, configured: str | None, default: str, start_script: str
) -> str:
    """The endpoint of the local ``server`` the calling test runs against.

    ``configured`` is the endpoint the environment gives (through ``variable``); when it does
    not answer, the test fails. Without one, the ``default`` endpoint is used if something
    answers there; if nothing does, the test is skipped, or fails in CI (``CI`` set), which
    must run every suite. ``start_script`` is the script that starts the server.
    """
    import pytest

    if configured:
        if not _answers(configured):
            pytest.fail(f"{variable} is set but nothing answers at {configured}")
        return configured
    if _answers(default):
        return default
    message = (
        f"{server} is not running ({variable} is not set); start it with: "
        f'eval "$(bash {start_script})" (from the repository root; needs Node.js 20+), '
        "or run the whole suite with bash scripts/test.sh"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI must run these tests against {server}: {message}")
    pytest.skip(message)


@contextmanager
def throwaway_name(
    prefix: str, delete: Callable[[str], Coroutine[Any, Any, None]]
) -> Iterator[str]:
    """A new name ``<prefix>-<12 hex digits>``; ``await delete(name)`` runs on leaving (in an
    event loop of its own, so it fits synchronous fixtures of any scope). ``delete`` must cope
    with a name the tests never created."""
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        asyncio.run(delete(name))


class _Marker(StoreItem):
    def store_item_to_json(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def from_json_to_store_item(json_data: Any) -> _Marker:
        return _Marker()


async def _close(storage: Storage) -> None:
    close = getattr(storage, "close", None)
    assert close is not None, f"{type(storage).__name__} has no close()"
    await close()


def _unclosed_session_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "Unclosed" in str(w.message)]


class StorageClientLifecycleTests:
    """Tests of a store's client life cycle; subclass in a test module and provide the fixture
    ``open_storage``: a function that builds a new client of the store under test, every call
    on the same container (database, ...), which does not exist before the test."""

    async def test_close_releases_the_client(self, open_storage: Callable[[], Storage]) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            storage = open_storage()
            try:
                await storage.read(["k"], target_cls=_Marker)
            finally:
                await _close(storage)
            del storage
            gc.collect()
            closed = _unclosed_session_warnings(caught)

            leaked = open_storage()  # the same, never closed: the check can tell
            await leaked.read(["k"], target_cls=_Marker)
            del leaked
            gc.collect()
            not_closed = _unclosed_session_warnings(caught)
        assert closed == []
        assert not_closed != []

    async def test_replicas_starting_together_create_the_container_once(
        self, open_storage: Callable[[], Storage]
    ) -> None:
        storages = [open_storage() for _ in range(4)]
        try:
            await asyncio.gather(*(storage.write({"k": _Marker()}) for storage in storages))
            reads = [await storage.read(["k"], target_cls=_Marker) for storage in storages]
            assert all(list(read) == ["k"] for read in reads)
        finally:
            for storage in storages:
                await _close(storage)


class UnusedTokenCredential:
    """An async token credential (the shape of ``azure.identity.aio``'s) for tests where no
    token may be requested: :meth:`get_token` fails the test."""

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> NoReturn:
        raise AssertionError("no token is needed before the first operation")

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> UnusedTokenCredential:
        return self

    async def __aexit__(self, *exc: object) -> None:
        pass
