"""Tracing hooks of the hosting core.

Spans are recorded through OpenTelemetry when ``opentelemetry-api`` is installed and a tracer
provider is configured; otherwise every helper here is a no-op. Telemetry never fails a turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

__all__ = ["span"]

try:  # pragma: no cover - exercised only when opentelemetry is installed
    from opentelemetry import trace as _trace

    _tracer: Any = _trace.get_tracer("microsoft_agents.hosting.core")
except Exception:
    _tracer = None


class _NoSpan(AbstractContextManager[None]):
    """What :func:`span` returns without OpenTelemetry: one shared object that does nothing."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


_NO_SPAN = _NoSpan()


def span(name: str, **attributes: Any) -> AbstractContextManager[None]:
    """Record ``name`` as a span around the block when tracing is available."""
    if _tracer is None:
        return _NO_SPAN
    return _recorded_span(name, attributes)


@contextmanager
def _recorded_span(name: str, attributes: dict[str, Any]) -> Iterator[None]:
    with _tracer.start_as_current_span(name, attributes=attributes or None):
        yield
