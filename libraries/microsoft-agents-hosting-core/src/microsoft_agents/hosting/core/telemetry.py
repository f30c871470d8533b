"""Tracing hooks of the hosting core.

Spans are recorded through OpenTelemetry when ``opentelemetry-api`` is installed and a tracer
provider is configured; otherwise every helper here is a no-op. Telemetry never fails a turn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

__all__ = ["span", "tracing_enabled"]

try:  # pragma: no cover - exercised only when opentelemetry is installed
    from opentelemetry import trace as _trace

    _tracer: Any = _trace.get_tracer("microsoft_agents.hosting.core")
    _get_provider: Any = _trace.get_tracer_provider
    # What get_tracer_provider() answers until an SDK is configured: spans go nowhere.
    _UNCONFIGURED: tuple[type, ...] = (_trace.ProxyTracerProvider, _trace.NoOpTracerProvider)
except Exception:
    _tracer = _get_provider = None
    _UNCONFIGURED = ()


class _NoSpan(AbstractContextManager[None]):
    """What :func:`span` returns without OpenTelemetry: one shared object that does nothing."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


_NO_SPAN = _NoSpan()


def tracing_enabled() -> bool:
    """Whether spans are recorded: opentelemetry-api is installed and an SDK is configured.

    Without a configured SDK the API's spans would be discarded anyway, so none are built.
    Hot paths check this first and skip the ``with span(...)`` block altogether.
    """
    return _tracer is not None and type(_get_provider()) not in _UNCONFIGURED


def span(name: str, **attributes: Any) -> AbstractContextManager[None]:
    """Record ``name`` as a span around the block when tracing is enabled."""
    if _tracer is None or type(_get_provider()) in _UNCONFIGURED:
        return _NO_SPAN
    return _recorded_span(name, attributes)


@contextmanager
def _recorded_span(name: str, attributes: dict[str, Any]) -> Iterator[None]:
    with _tracer.start_as_current_span(name, attributes=attributes or None):
        yield
