"""Tracing hooks of the hosting core.

Spans are recorded through OpenTelemetry when ``opentelemetry-api`` is installed and a tracer
provider is configured; otherwise every helper here is a no-op. Telemetry never fails a turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["span"]

try:  # pragma: no cover - exercised only when opentelemetry is installed
    from opentelemetry import trace as _trace

    _tracer: Any = _trace.get_tracer("microsoft_agents.hosting.core")
except Exception:
    _tracer = None


@contextmanager
def span(name: str, **attributes: Any) -> Iterator[None]:
    """Record ``name`` as a span around the block when tracing is available."""
    if _tracer is None:
        yield
        return
    with _tracer.start_as_current_span(name, attributes=attributes or None):
        yield
