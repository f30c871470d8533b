"""Reading a failed send: which channel errors end a stream quietly or switch it off.

Connector clients report a rejected POST as an exception carrying the HTTP status (``status``
as on ``aiohttp.ClientResponseError``, or ``status_code``) and the channel's error body in its
message. Two such answers have a meaning for streaming:

* Teams answers ``403`` with the error code ``ContentStreamNotAllowed`` when the user stopped
  the stream (or streaming is not allowed there): the stream is cancelled without an error.
* A channel answers ``BadArgument`` "... streaming api is not enabled" when it does not take
  streamed updates: the reply is then sent as one ordinary message.

Any other failure is a real error and is raised to the code that ends the stream.
"""

from __future__ import annotations

import enum

__all__ = ["SendFailure", "classify_send_error", "error_status", "error_text"]

_CANCELLED_CODE = "contentstreamnotallowed"
_BAD_ARGUMENT_CODE = "badargument"
_NOT_ENABLED_TEXT = "streaming api is not enabled"


class SendFailure(enum.Enum):
    """What a failed send means for the stream."""

    CANCELLED = "cancelled"
    """The channel refused further streamed content: stop quietly."""
    STREAMING_DISABLED = "streaming_disabled"
    """The channel does not take streamed updates: fall back to one final message."""
    ERROR = "error"
    """Anything else: report it."""


def error_status(error: BaseException) -> int | None:
    """The HTTP status an exception carries (``status``/``status_code``, also on ``response``)."""
    for holder in (error, getattr(error, "response", None)):
        if holder is None:
            continue
        for name in ("status", "status_code"):
            value = getattr(holder, name, None)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str) and value.isdigit():
                return int(value)
    return None


def error_text(error: BaseException) -> str:
    """Everything an exception says about itself: its text, message, reason and body."""
    parts = [str(error)]
    for name in ("message", "reason", "body", "text", "content"):
        value = getattr(error, name, None)
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str) and value:
            parts.append(value)
    return "\n".join(parts)


def classify_send_error(error: BaseException, *, teams: bool) -> SendFailure:
    """What ``error``, raised while sending part of a stream, means for the stream.

    ``teams`` says whether the conversation is on Microsoft Teams, where a bare ``403`` also
    means the stream was stopped.
    """
    text = error_text(error).casefold()
    if _CANCELLED_CODE in text or (teams and error_status(error) == 403):
        return SendFailure.CANCELLED
    if _BAD_ARGUMENT_CODE in text and _NOT_ENABLED_TEXT in text:
        return SendFailure.STREAMING_DISABLED
    return SendFailure.ERROR
