"""An incremental parser for ``text/event-stream`` bodies (server-sent events).

Feed it the body in whatever chunks the network delivers; it returns the events completed by
each chunk and keeps only the unfinished line and the unfinished event in memory, never the
whole stream. The rules are those of the HTML "server-sent events" standard:

* lines end with CRLF, LF or a lone CR (a CRLF split across two chunks counts once); a UTF-8
  byte-order mark at the very start is skipped; bytes that are not UTF-8 become U+FFFD;
* a line starting with ``:`` is a comment (servers send them as keep-alives) and is ignored;
* ``field: value`` lines set ``event``, append to ``data``, set ``id`` (unless it contains
  NUL) or set ``retry`` (digits only); one space after the colon is dropped, unknown fields are
  ignored, and a line without a colon is a field with an empty value;
* a blank line dispatches the event: its ``data`` lines joined with ``"\\n"``, its type
  (``"message"`` when no ``event`` field was given) and the ``id`` given inside it. An event
  without data is not dispatched (that is how bare keep-alive blank lines disappear).

End of stream: the standard discards an event whose terminating blank line never came.
:meth:`SseParser.close` reports such an event as a :class:`PendingEvent` so the caller can
decide whether losing it is an error (the Copilot Studio client raises for activities).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import CopilotClientProtocolError
from .errors.copilot_studio_errors import EventTooLarge

__all__ = ["MAX_EVENT_BYTES", "PendingEvent", "ServerSentEvent", "SseParser"]

MAX_EVENT_BYTES = 32 * 1024 * 1024
"""The largest event (all of its lines) a parser accepts before it gives up on the stream."""

_EOL = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event: its type, its data and the ``id``/``retry`` fields it carried."""

    event: str
    data: str
    id: str | None = None
    retry: int | None = None


@dataclass(frozen=True)
class PendingEvent:
    """An event the stream ended inside of (no terminating blank line)."""

    event: str
    data_lines: int
    size: int


class SseParser:
    """Turns chunks of an event stream into :class:`ServerSentEvent` objects.

    ``last_event_id`` is the most recent ``id`` of the stream (it survives across events, as
    reconnection needs); ``retry`` the most recent reconnection delay in milliseconds.
    """

    def __init__(self, max_event_bytes: int = MAX_EVENT_BYTES) -> None:
        self.max_event_bytes = max_event_bytes
        self.last_event_id = ""
        self.retry: int | None = None
        self._buffer = bytearray()
        self._scanned = 0  # bytes at the start of the buffer known to hold no line end
        self._started = False
        self._skip_lf = False
        self._reset_event()

    def _reset_event(self) -> None:
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None
        self._size = 0
        self._fields = 0

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Parse the next chunk of the body; return the events it completed, in order."""
        buffer = self._buffer
        buffer += chunk
        if not self._started:
            if len(buffer) < len(_BOM) and _BOM.startswith(bytes(buffer)):
                return []  # maybe a byte-order mark still arriving
            self._started = True
            if buffer.startswith(_BOM):
                del buffer[: len(_BOM)]
        start = 0
        if self._skip_lf and buffer[:1] == b"\n":
            start = 1
        if buffer:
            self._skip_lf = False
        events: list[ServerSentEvent] = []
        for match in _EOL.finditer(buffer, max(start, self._scanned)):
            line = bytes(buffer[start : match.start()])
            start = match.end()
            if match.group() == b"\r" and start == len(buffer):
                self._skip_lf = True  # the LF of a CRLF may open the next chunk
            event = self._line(line)
            if event is not None:
                events.append(event)
        del buffer[:start]
        self._scanned = len(buffer)
        if self._size + len(buffer) > self.max_event_bytes:
            raise CopilotClientProtocolError(EventTooLarge.format(self.max_event_bytes))
        return events

    def close(self) -> PendingEvent | None:
        """End of stream: the event left unterminated, if any (it is never dispatched)."""
        if self._buffer:
            self._line(bytes(self._buffer))  # a last line without its line end
            self._buffer.clear()
        self._scanned = 0
        pending = None
        if self._fields:
            pending = PendingEvent(self._event or "message", len(self._data), self._size)
        self._reset_event()
        return pending

    def _line(self, raw: bytes) -> ServerSentEvent | None:
        if not raw:
            return self._dispatch()
        if raw[:1] == b":":
            return None  # a comment (keep-alive); it does not count towards the event size
        self._size += len(raw) + 1
        line = raw.decode("utf-8", errors="replace")
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            if "\0" not in value:
                self._id = value
                self.last_event_id = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self._retry = self.retry = int(value)
        else:
            return None
        self._fields += 1
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        event = None
        if self._data:
            event = ServerSentEvent(
                event=self._event or "message",
                data="\n".join(self._data),
                id=self._id,
                retry=self._retry,
            )
        self._reset_event()
        return event
