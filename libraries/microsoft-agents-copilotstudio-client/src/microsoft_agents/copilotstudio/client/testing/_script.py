"""Building blocks of scripted stand-in answers: event formatting and stream steps."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from microsoft_agents.activity import Activity

__all__ = [
    "Disconnect",
    "Pause",
    "ScriptedReply",
    "Step",
    "WaitFor",
    "activity_event",
    "sse_event",
]


@dataclass(frozen=True)
class Pause:
    """Wait ``seconds`` before sending the next step (a slow agent)."""

    seconds: float


@dataclass(frozen=True)
class WaitFor:
    """Wait until the test sets ``event`` before sending the next step.

    This proves a client delivers what it has received so far: the test sets the event only
    after it saw the activities sent before this step.
    """

    event: asyncio.Event


@dataclass(frozen=True)
class Disconnect:
    """Drop the connection without ending the response (a network failure mid-stream)."""


Step = Union[str, bytes, Pause, WaitFor, Disconnect]
"""One step of a scripted stream: text or bytes written as they are, or a control step."""


@dataclass
class ScriptedReply:
    """The answer to one request: status, headers and the body, sent step by step."""

    steps: Sequence[Step] = ()
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "text/event-stream"


def sse_event(
    data: Any,
    *,
    event: str | None = "activity",
    id: str | None = None,
    retry: int | None = None,
    newline: str = "\n",
) -> str:
    """Format one server-sent event, blank line included.

    ``data`` that is not a string is JSON-encoded; a string with line breaks becomes several
    ``data:`` lines (the client joins them with ``"\\n"``). ``newline`` may be ``"\\r\\n"`` or
    ``"\\r"`` to test the other line ends.
    """
    text = data if isinstance(data, str) else json.dumps(data)
    lines: list[str] = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines.extend(f"data: {line}" for line in re.split(r"\r\n|\r|\n", text))
    return newline.join(lines) + newline + newline


def activity_event(
    activity: Activity | Mapping[str, Any], *, id: str | None = None, newline: str = "\n"
) -> str:
    """An ``activity`` event carrying ``activity`` (a model or its wire form)."""
    if isinstance(activity, Activity):
        payload: Any = activity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    else:
        payload = dict(activity)
    return sse_event(payload, event="activity", id=id, newline=newline)
