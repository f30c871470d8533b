"""Keep the cyclic garbage collector away from the objects a server builds at start-up.

A running agent holds tens of thousands of long-lived objects: imported modules, pydantic
schemas, the application, its routes and clients. CPython's cyclic collector walks all of
them on every full collection, and under load a full collection runs every few hundred
requests, each costing tens of milliseconds. Once the host has served its first request
(so that what is built lazily on first use exists too), :func:`freeze_after_first_request`
collects once and moves every object alive at that point into the collector's permanent
generation (``gc.freeze()``). Those objects are still freed normally when their last
reference goes; they are only no longer scanned for reference cycles.

Set ``AGENTS_GC_FREEZE=0`` (or ``false``/``no``/``off``) to leave the collector untouched,
for example when the process forks workers and manages ``gc.freeze()`` itself.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os

__all__ = ["GC_FREEZE_ENV", "freeze_after_first_request", "gc_freeze_enabled"]

logger = logging.getLogger(__name__)

GC_FREEZE_ENV = "AGENTS_GC_FREEZE"
_OFF = frozenset({"0", "false", "no", "off"})


def gc_freeze_enabled() -> bool:
    """Whether ``AGENTS_GC_FREEZE`` allows freezing (it does unless set to an "off" value)."""
    return os.environ.get(GC_FREEZE_ENV, "").strip().lower() not in _OFF


class _FreezeOnce:
    __slots__ = ("pending",)

    def __init__(self) -> None:
        self.pending = True

    def __call__(self) -> None:
        """Schedule the freeze once per process, after the current request has answered."""
        if not self.pending:
            return
        self.pending = False
        if not gc_freeze_enabled():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            _freeze()
            return
        loop.call_soon(_freeze)


def _freeze() -> None:
    gc.collect()
    gc.freeze()
    logger.debug(
        "moved %d start-up objects out of the garbage collector's way", gc.get_freeze_count()
    )


freeze_after_first_request = _FreezeOnce()
"""Call after each request: the first call schedules ``gc.collect(); gc.freeze()``."""
