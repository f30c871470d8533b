"""``StreamingResponse``: send a reply piece by piece while it is being generated.

The handler queues informative updates ("Searching...") and text chunks, then calls
:meth:`StreamingResponse.end_stream`. On channels that render streams each queued item
becomes a ``typing`` activity with a ``streaminfo`` entity; the end of the stream is a
``message`` holding the whole text. Other channels receive only that final message.

Sending happens in one background task per stream. It takes queued items in order, sends
each through ``context.send_activity`` (so it is addressed as a reply and passes the send
interceptors) and then pauses for the channel's interval. Items are turned into activities
only when they are sent: text chunks queued while a send is in flight are merged into one
update carrying the whole text so far, and a chunk still waiting when the stream ends is
folded into the final message.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Literal

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    ClientCitation,
    SensitivityUsageInfo,
    StreamInfo,
)

from ...errors import error_resources
from ._citations import Citation, CitationUtil
from ._send_errors import SendFailure, classify_send_error
from ._transport import (
    STREAM_DELIVERY_INTERVAL,
    TEAMS_INTERVAL,
    WEBCHAT_INTERVAL,
    base_channel,
    choose_transport,
    new_stream_id,
)

if TYPE_CHECKING:
    from ..._turn_context import TurnContext

__all__ = ["StreamingResponse"]

logger = logging.getLogger(__name__)

_EMPTY_FINAL_TEXT = "end stream response"
_TEAMS = "msteams"

_Build = Callable[[], Activity | None]


class StreamingResponse:
    """A reply streamed to the user of one turn (``context.streaming_response``).

    ``StreamingResponse(context)`` streams to the sender of ``context.activity``.
    ``StreamingResponse(citations=[...])`` without a context is an unsent buffer: it collects
    text, citations and attachments, never streams, and :meth:`end_stream` raises.

    The pause after each intermediate send defaults per channel (see the class attributes
    ``teams_interval``, ``webchat_interval``, ``stream_delivery_interval``); ``interval=``
    or the :attr:`interval` property overrides it for one instance.
    """

    teams_interval: ClassVar[float] = TEAMS_INTERVAL
    webchat_interval: ClassVar[float] = WEBCHAT_INTERVAL
    stream_delivery_interval: ClassVar[float] = STREAM_DELIVERY_INTERVAL
    default_taking_too_long_message: ClassVar[str] = (
        "This is taking longer than expected. The answer will follow as soon as it is ready."
    )

    def __init__(
        self,
        context: TurnContext | None = None,
        *,
        citations: list[Citation] | None = None,
        interval: float | None = None,
    ) -> None:
        self._context = context
        activity = context.activity if context is not None else None
        transport = choose_transport(
            activity,
            teams_interval=self.teams_interval,
            webchat_interval=self.webchat_interval,
            stream_delivery_interval=self.stream_delivery_interval,
        )
        self._streaming = transport.streaming
        self._interval = transport.interval if interval is None else float(interval)
        self._own_stream_ids = transport.stream_id is not None
        self._teams = base_channel(activity) == _TEAMS

        # Settings: kept by reset().
        self._feedback_loop = False
        self._feedback_loop_type: str | None = None
        self._ai_label = False
        self._sensitivity_label: SensitivityUsageInfo | None = None
        self._taking_too_long_message = self.default_taking_too_long_message

        self._queue: deque[_Build] = deque()
        self._sender: asyncio.Task[None] | None = None
        self._start_message(transport.stream_id)
        if citations:
            self.set_citations(citations)

    def _start_message(self, stream_id: str | None) -> None:
        """Forget everything about the current message (not the settings)."""
        self._message = ""
        self._attachments: list[Attachment] = []
        self._citations: list[ClientCitation] = []
        self._cited: list[Citation] = []
        self._sequence = 0
        self._ended = False
        self._cancelled = False
        self._chunk_queued = False
        self._stream_id = stream_id
        self._error: BaseException | None = None
        self._queue.clear()

    # -- properties -----------------------------------------------------------------------------

    @property
    def is_streaming_channel(self) -> bool:
        """Whether intermediate updates are sent (false once a channel refused streaming)."""
        return self._streaming

    @property
    def interval(self) -> float:
        """Seconds the sender pauses after each intermediate update."""
        return self._interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the streaming interval cannot be negative")
        self._interval = float(seconds)

    @property
    def streaming_taking_too_long_message(self) -> str:
        """The default text of :meth:`send_stream_timed_out_notification`."""
        return self._taking_too_long_message

    @streaming_taking_too_long_message.setter
    def streaming_taking_too_long_message(self, message: str) -> None:
        self._taking_too_long_message = message

    @property
    def citations(self) -> list[ClientCitation]:
        """The client citations collected so far (a copy)."""
        return list(self._citations)

    # -- configuration --------------------------------------------------------------------------

    def set_attachments(self, attachments: list[Attachment]) -> None:
        """Attachments of the final message (replacing any set before)."""
        self._attachments = list(attachments)

    def add_attachment(self, attachment: Attachment) -> None:
        """Add one attachment to the final message."""
        if attachment is None:
            raise ValueError("attachment cannot be None")
        self._attachments.append(attachment)

    def set_citations(self, citations: list[Citation]) -> None:
        """Add sources; the k-th source overall is cited in the text as ``[k]``."""
        for citation in citations:
            position = len(self._citations) + 1
            self._citations.append(CitationUtil.to_client_citation(citation, position))
            self._cited.append(citation)

    def set_feedback_loop(self, enable_feedback_loop: bool) -> None:
        """Ask Teams to show feedback buttons (thumbs up/down) on the final message."""
        self._feedback_loop = enable_feedback_loop

    def set_feedback_loop_type(self, feedback_loop_type: Literal["default", "custom"]) -> None:
        """``"default"`` (Teams' own form) or ``"custom"`` (the agent handles the feedback)."""
        self._feedback_loop_type = feedback_loop_type

    def set_generated_by_ai_label(self, enable_generated_by_ai_label: bool) -> None:
        """Mark every update and the final message as AI generated."""
        self._ai_label = enable_generated_by_ai_label

    def set_sensitivity_label(self, sensitivity_label: SensitivityUsageInfo) -> None:
        """A sensitivity label carried in the AI entity of the streamed activities."""
        self._sensitivity_label = sensitivity_label

    def get_message(self) -> str:
        """The whole text queued so far, with ``[docN]`` markers rewritten to ``[N]``."""
        return self._message

    # -- queueing -------------------------------------------------------------------------------

    def queue_informative_update(self, text: str) -> None:
        """Queue a status line shown while the answer is prepared (streaming channels only)."""
        if not self._streaming or self._cancelled or not text or not text.strip():
            return
        if self._ended:
            raise RuntimeError(str(error_resources.StreamAlreadyEnded))

        def build() -> Activity | None:
            if not self._streaming or self._cancelled:
                return None
            return self._update_activity("informative", text)

        self._enqueue(build)

    def queue_text_chunk(self, text: str, citations: list[Citation] | None = None) -> None:
        """Append ``text`` to the answer and queue an update showing the whole text so far.

        ``citations`` adds sources not added before (equal sources are added once).
        """
        if self._cancelled:
            return
        if self._ended:
            raise RuntimeError(str(error_resources.StreamAlreadyEnded))
        if citations:
            self.set_citations([c for c in citations if c not in self._cited])
        if not text:
            return
        self._message = CitationUtil.format_citations_response(self._message + text)
        if self._streaming and self._context is not None and not self._chunk_queued:
            self._chunk_queued = True
            self._enqueue(self._build_chunk)

    async def end_stream(self) -> None:
        """Send the final message and wait until everything queued has been sent.

        Raises ``RuntimeError`` when called twice, or when there is no context to send with,
        and any error the channel answered with while the stream was sent.
        """
        if self._ended:
            raise RuntimeError(str(error_resources.StreamAlreadyEnded))
        if self._context is None:
            raise RuntimeError(str(error_resources.StreamingResponseWithoutContext))
        self._ended = True
        if not self._cancelled:
            self._enqueue(self._build_final)
        await self.wait_for_queue()

    async def wait_for_queue(self) -> None:
        """Wait until every queued item has been sent; raises a send error, if one happened."""
        while self._sender is not None:
            await self._sender
        error, self._error = self._error, None
        if error is not None:
            raise error

    async def reset(self) -> None:
        """Wait for pending sends, then start a new message (settings are kept)."""
        try:
            await self.wait_for_queue()
        finally:
            self._start_message(new_stream_id() if self._own_stream_ids else None)

    async def send_stream_timed_out_notification(self, message: str) -> bool:
        """End a running stream early with ``message`` as its final text.

        Meant for streams the channel will close before the answer is ready. Updates still
        waiting are dropped. Returns ``False`` (and sends nothing) when there is no running
        stream: no context, a non-streaming channel, an ended or a cancelled stream.
        """
        if self._context is None or not self._streaming or self._ended or self._cancelled:
            return False
        self._ended = True
        self._queue.clear()
        self._chunk_queued = False
        text = message or self._taking_too_long_message

        def build() -> Activity | None:
            if self._cancelled:
                return None
            activity = self._final_activity(text)
            for entity in activity.entities or ():
                if isinstance(entity, StreamInfo):
                    entity.stream_result = "error"
            return activity

        self._enqueue(build)
        await self.wait_for_queue()
        return not self._cancelled

    # -- building activities --------------------------------------------------------------------

    def _stream_info(self, stream_type: str, *, sequenced: bool) -> StreamInfo:
        info = StreamInfo(stream_type=stream_type)
        if sequenced:
            self._sequence += 1
            info.stream_sequence = self._sequence
        if self._stream_id:
            info.stream_id = self._stream_id
        return info

    def _update_activity(self, stream_type: str, text: str) -> Activity:
        return Activity(
            type=ActivityTypes.typing,
            text=text,
            entities=[self._stream_info(stream_type, sequenced=True)],
        )

    def _build_chunk(self) -> Activity | None:
        self._chunk_queued = False
        if self._ended or self._cancelled or not self._streaming:
            return None  # the final message carries this text
        activity = self._update_activity("streaming", self._message)
        self._add_ai_entity(activity)
        return activity

    def _build_final(self) -> Activity | None:
        if self._cancelled:
            return None
        return self._final_activity(self._message or _EMPTY_FINAL_TEXT)

    def _final_activity(self, text: str) -> Activity:
        activity = Activity(type=ActivityTypes.message, text=text)
        if self._attachments:
            activity.attachments = list(self._attachments)
        if self._streaming:
            activity.entities = [self._stream_info("final", sequenced=False)]
        self._add_ai_entity(activity)
        if self._teams and self._feedback_loop:
            feedback_type = self._feedback_loop_type or "default"
            activity.channel_data = {"feedbackLoop": {"type": feedback_type}}
        return activity

    def _add_ai_entity(self, activity: Activity) -> None:
        used = CitationUtil.get_used_citations(self._message, self._citations)
        if self._ai_label or used:
            activity.add_ai_metadata(used, self._sensitivity_label)

    # -- sending --------------------------------------------------------------------------------

    def _enqueue(self, build: _Build) -> None:
        self._queue.append(build)
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self._queue and self._error is None:
                build = self._queue.popleft()
                activity = build()
                if activity is None:
                    continue
                sent = await self._send(activity, build)
                if sent and activity.type != ActivityTypes.message:
                    await asyncio.sleep(self._interval)
        finally:
            self._sender = None

    async def _send(self, activity: Activity, build: _Build) -> bool:
        """Send one activity; ``False`` when it failed in a way the stream absorbs."""
        assert self._context is not None  # nothing is queued without a context
        try:
            response = await self._context.send_activity(activity)
        except Exception as error:  # sorted below: real errors are kept and re-raised
            self._on_send_failure(error, activity, build)
            return False
        if self._streaming and not self._stream_id and response is not None and response.id:
            self._stream_id = response.id
        return True

    def _on_send_failure(self, error: Exception, activity: Activity, build: _Build) -> None:
        failure = classify_send_error(error, teams=self._teams)
        if failure is SendFailure.CANCELLED:
            logger.debug("the channel stopped the stream: %s", error)
            self._cancelled = True
            self._chunk_queued = False
            self._queue.clear()
        elif failure is SendFailure.STREAMING_DISABLED and self._streaming:
            logger.info("the channel does not accept streamed replies; sending one message")
            self._streaming = False
            self._stream_id = None
            if activity.type == ActivityTypes.message:
                self._queue.appendleft(build)  # send the final message again, unstreamed
        else:
            logger.warning("sending part of a streamed reply failed: %s", error)
            self._error = error
            self._chunk_queued = False
            self._queue.clear()
