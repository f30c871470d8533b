"""Tune CPython's cyclic garbage collector for a long-running agent server, once.

Two costs show up under load:

* A server holds tens of thousands of long-lived objects: imported modules, pydantic schemas,
  the application, its routes and clients. Every full collection walks all of them, and
  under load a full collection comes every few hundred requests, tens of milliseconds each.
* Every request in flight keeps some hundred objects alive (coroutines, the activity, the
  turn's state). With the interpreter's default first-generation threshold (700 new
  objects), the collector runs every few requests and walks all of those each time, only
  to find them still in use.

Once the host has answered its first turn (so that what is built lazily on first use exists
too), :data:`tune_after_first_request` runs ``gc.collect()`` and ``gc.freeze()``, which moves
every object alive at that point into the collector's permanent generation (such objects are
still freed normally when their last reference goes; they are only no longer scanned), and
raises the first-generation threshold to :data:`YOUNG_THRESHOLD` when it is lower, keeping
the other two thresholds. Garbage in reference cycles is still collected, in larger and
rarer batches.

Set ``AGENTS_GC_TUNING=0`` (or ``false``/``no``/``off``) to leave the collector untouched,
for example when the process forks workers and manages ``gc.freeze()`` itself or when the
application sets its own thresholds.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os

__all__ = ["GC_TUNING_ENV", "YOUNG_THRESHOLD", "gc_tuning_enabled", "tune_after_first_request"]

logger = logging.getLogger(__name__)

GC_TUNING_ENV = "AGENTS_GC_TUNING"
YOUNG_THRESHOLD = 10_000
"""The first-generation threshold the tuning sets when the current one is lower."""
_OFF = frozenset({"0", "false", "no", "off"})


def gc_tuning_enabled() -> bool:
    """Whether ``AGENTS_GC_TUNING`` allows the tuning (it does unless set to an "off" value)."""
    return os.environ.get(GC_TUNING_ENV, "").strip().lower() not in _OFF


class _TuneOnce:
    __slots__ = ("pending",)

    def __init__(self) -> None:
        self.pending = True

    def __call__(self) -> None:
        """Schedule the tuning once per process, after the current request has answered."""
        if not self.pending:
            return
        self.pending = False
        if not gc_tuning_enabled():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            _tune()
            return
        loop.call_soon(_tune)


def _tune() -> None:
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    if 0 < young < YOUNG_THRESHOLD:  # 0: automatic collection switched off by the application
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    logger.debug(
        "garbage collector tuned: %d start-up objects frozen, thresholds %s",
        gc.get_freeze_count(),
        gc.get_threshold(),
    )


tune_after_first_request = _TuneOnce()
"""Call after each answered turn: the first call schedules the tuning."""
