"""``CopilotClient``: talk to a Copilot Studio agent over its Direct-to-Engine API.

Every conversation call is one HTTP request whose answer is an event stream; the client
parses it as it arrives and yields each ``activity`` event as an :class:`Activity`, so the
first reply can be shown while the agent is still working on the next one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

import aiohttp
from pydantic import ValidationError

from microsoft_agents.activity import Activity, ActivityTypes, ConversationAccount

from ._environment import PowerPlatformEnvironment
from ._models import ExecuteTurnRequest, StartRequest, SubscribeEvent, UserAgentHelper, wire
from ._settings import ConnectionSettings, PowerPlatformCloud
from ._sse import ServerSentEvent, SseParser
from .errors import (
    CopilotClientConnectionError,
    CopilotClientError,
    CopilotClientHTTPError,
    CopilotClientProtocolError,
    CopilotClientTimeoutError,
    CopilotClientValueError,
)
from .errors._exceptions import BODY_EXCERPT_LIMIT, body_excerpt
from .errors.copilot_studio_errors import (
    ActivityRequired,
    ConversationIdRequired,
    MalformedActivity,
    StreamBroken,
    StreamEndedInsideEvent,
    StreamTimedOut,
)

__all__ = ["CopilotClient", "CopilotClientProtocol"]

logger = logging.getLogger(__name__)

_DATA_EXCERPT = 200


@runtime_checkable
class CopilotClientProtocol(Protocol):
    """The conversation operations of a Copilot Studio client; each is an async generator."""

    def start_conversation(
        self, emit_start_conversation_event: bool = True
    ) -> AsyncIterator[Activity]: ...

    def start_conversation_with_request(
        self, start_request: StartRequest
    ) -> AsyncIterator[Activity]: ...

    def ask_question(
        self, question: str, conversation_id: str | None = None
    ) -> AsyncIterator[Activity]: ...

    def ask_question_with_activity(self, activity: Activity) -> AsyncIterator[Activity]: ...

    def send_activity(self, activity: Activity) -> AsyncIterator[Activity]: ...

    def execute(self, conversation_id: str, activity: Activity) -> AsyncIterator[Activity]: ...

    def subscribe(
        self, conversation_id: str, last_received_event_id: str | None = None
    ) -> AsyncIterator[SubscribeEvent]: ...


def _to_activity(event: ServerSentEvent) -> Activity:
    try:
        return Activity.model_validate_json(event.data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "the event data"
        problem = f"{error.error_count()} problem(s), first at {where}: {first.get('msg')}"
        excerpt = event.data[:_DATA_EXCERPT] + ("…" if len(event.data) > _DATA_EXCERPT else "")
        raise CopilotClientProtocolError(MalformedActivity.format(problem, excerpt)) from None


async def _read_at_most(response: aiohttp.ClientResponse, limit: int) -> bytes:
    body = bytearray()
    try:
        while len(body) < limit:
            chunk = await response.content.read(limit - len(body))
            if not chunk:
                break
            body += chunk
    except (aiohttp.ClientError, asyncio.TimeoutError):
        pass  # the status is the news; a body that cannot be read is left out
    return bytes(body)


class CopilotClient:
    """A client for one Copilot Studio agent, authenticated with a bearer ``token``.

    The token must be issued for the Power Platform API (see :meth:`scope_from_settings`).
    ``conversation_id`` is the conversation the client is in: it is taken from the
    ``x-ms-conversationid`` response header and from every message activity received, so
    ``ask_question(text)`` without an id continues the last conversation.
    """

    EVENT_STREAM_TYPE = "text/event-stream"
    APPLICATION_JSON_TYPE = "application/json"
    EXPERIMENTAL_URL_HEADER_KEY = "x-ms-d2e-experimental"
    CONVERSATION_ID_HEADER_KEY = "x-ms-conversationid"

    def __init__(self, settings: ConnectionSettings, token: str) -> None:
        self.settings = settings
        self._token = token
        self.conversation_id = ""

    def __repr__(self) -> str:
        return (
            f"CopilotClient(settings={self.settings!r}, conversation_id={self.conversation_id!r})"
        )

    # -- scopes -----------------------------------------------------------------------------------

    @staticmethod
    def scope_from_settings(settings: ConnectionSettings) -> str:
        """The token scope for ``settings``, e.g. ``https://api.powerplatform.com/.default``."""
        return PowerPlatformEnvironment.get_token_audience(settings)

    @staticmethod
    def scope_from_cloud(cloud: PowerPlatformCloud) -> str:
        """The token scope for an agent in ``cloud``."""
        return PowerPlatformEnvironment.get_token_audience(cloud=cloud)

    # -- conversation operations -----------------------------------------------------------------

    async def start_conversation(
        self, emit_start_conversation_event: bool = True
    ) -> AsyncGenerator[Activity, None]:
        """Start a new conversation and yield the agent's first activities (its greeting when
        ``emit_start_conversation_event`` is true)."""
        request = StartRequest(emit_start_conversation_event=emit_start_conversation_event)
        async with aclosing(self.start_conversation_with_request(request)) as activities:
            async for activity in activities:
                yield activity

    async def start_conversation_with_request(
        self, start_request: StartRequest
    ) -> AsyncGenerator[Activity, None]:
        """Start a conversation with a locale or a conversation id of the caller's choice."""
        url = self._url()
        async with aclosing(self._stream("POST", url, start_request.to_wire())) as events:
            async for event in events:
                yield self._received(event)

    async def ask_question(
        self, question: str, conversation_id: str | None = None
    ) -> AsyncGenerator[Activity, None]:
        """Send ``question`` as a message and yield the agent's replies."""
        conversation = conversation_id or self.conversation_id
        if not conversation:
            raise CopilotClientValueError(ConversationIdRequired)
        activity = Activity(
            type=ActivityTypes.message,
            text=question,
            conversation=ConversationAccount(id=conversation),
        )
        async with aclosing(self.ask_question_with_activity(activity)) as replies:
            async for reply in replies:
                yield reply

    async def ask_question_with_activity(
        self, activity: Activity
    ) -> AsyncGenerator[Activity, None]:
        """Send ``activity`` into its conversation (the current one when it names none) and
        yield the agent's replies."""
        if activity is None:
            raise CopilotClientValueError(ActivityRequired)
        conversation = activity.conversation.id if activity.conversation else None
        conversation = conversation or self.conversation_id
        if not conversation:
            raise CopilotClientValueError(ConversationIdRequired)
        url = self._url(conversation)
        body = wire(ExecuteTurnRequest(activity=activity))
        async with aclosing(self._stream("POST", url, body)) as events:
            async for event in events:
                yield self._received(event)

    async def send_activity(self, activity: Activity) -> AsyncGenerator[Activity, None]:
        """The same as :meth:`ask_question_with_activity`."""
        async with aclosing(self.ask_question_with_activity(activity)) as replies:
            async for reply in replies:
                yield reply

    async def execute(
        self, conversation_id: str, activity: Activity
    ) -> AsyncGenerator[Activity, None]:
        """Send ``activity`` into conversation ``conversation_id`` and yield the replies.

        The activity is sent with its conversation id set to ``conversation_id``; the object
        passed in is left unchanged.
        """
        if not conversation_id:
            raise CopilotClientValueError(ConversationIdRequired)
        if activity is None:
            raise CopilotClientValueError(ActivityRequired)
        outgoing = activity.model_copy()
        if activity.conversation is not None:
            outgoing.conversation = activity.conversation.model_copy(update={"id": conversation_id})
        else:
            outgoing.conversation = ConversationAccount(id=conversation_id)
        async with aclosing(self.ask_question_with_activity(outgoing)) as replies:
            async for reply in replies:
                yield reply

    async def subscribe(
        self, conversation_id: str, last_received_event_id: str | None = None
    ) -> AsyncGenerator[SubscribeEvent, None]:
        """Follow a conversation: yield its activities with their event ids as they come.

        ``last_received_event_id`` resumes after that event (sent as ``Last-Event-ID``).
        """
        if not conversation_id:
            raise CopilotClientValueError(ConversationIdRequired)
        url = self._url(conversation_id, subscribe=True)
        headers = {"Last-Event-ID": last_received_event_id} if last_received_event_id else None
        async with aclosing(self._stream("GET", url, None, headers)) as events:
            async for event in events:
                yield SubscribeEvent(self._received(event), event.id)

    # -- plumbing ---------------------------------------------------------------------------------

    def _url(self, conversation_id: str | None = None, subscribe: bool = False) -> str:
        return PowerPlatformEnvironment.get_copilot_studio_connection_url(
            self.settings, conversation_id, create_subscribe_link=subscribe
        )

    def _headers(self) -> dict[str, str]:
        return {
            "Content-Type": self.APPLICATION_JSON_TYPE,
            "Authorization": f"Bearer {self._token}",
            "Accept": self.EVENT_STREAM_TYPE,
            "User-Agent": UserAgentHelper.get_user_agent_header(),
        }

    def _received(self, event: ServerSentEvent) -> Activity:
        activity = _to_activity(event)
        if activity.type == ActivityTypes.message and activity.conversation is not None:
            self.conversation_id = activity.conversation.id
        return activity

    async def _stream(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncGenerator[ServerSentEvent, None]:
        """Send the request and yield its ``activity`` events as they arrive."""
        headers = self._headers()
        headers.update(extra_headers or {})
        if self.settings.enable_diagnostics:
            logger.debug("Copilot Studio request: %s %s", method, url)
        try:
            async with (
                aiohttp.ClientSession(**self.settings.client_session_settings) as session,
                session.request(method, url, json=body, headers=headers) as response,
            ):
                await self._check_response(method, url, response)
                parser = SseParser()
                async for chunk in response.content.iter_any():
                    for event in parser.feed(chunk):
                        if event.event == "activity":
                            yield event
                pending = parser.close()
        except CopilotClientError:
            raise
        except aiohttp.ClientResponseError as error:  # raise_for_status=True in the session
            raise CopilotClientHTTPError(error.status, error.message, "", method, url) from None
        except (asyncio.TimeoutError, TimeoutError) as error:
            raise CopilotClientTimeoutError(StreamTimedOut.format(method, url)) from error
        except aiohttp.ClientError as error:
            what = f"{type(error).__name__}: {error}"
            raise CopilotClientConnectionError(StreamBroken.format(method, url, what)) from error
        if pending is not None and pending.event == "activity" and pending.data_lines:
            raise CopilotClientProtocolError(StreamEndedInsideEvent.format(pending.size))
        if pending is not None:
            logger.debug("Discarded an unterminated %r event at the end of the stream", pending)

    async def _check_response(
        self, method: str, url: str, response: aiohttp.ClientResponse
    ) -> None:
        if self.settings.enable_diagnostics:
            logger.debug(
                "Copilot Studio answered %s %s with headers %s",
                response.status,
                url,
                dict(response.headers),
            )
        conversation = response.headers.get(self.CONVERSATION_ID_HEADER_KEY)
        if conversation:
            self.conversation_id = conversation
        self._remember_experimental_url(url, response.headers.get(self.EXPERIMENTAL_URL_HEADER_KEY))
        if response.status != 200:
            body = await _read_at_most(response, BODY_EXCERPT_LIMIT * 4)
            reason = response.reason or ""
            raise CopilotClientHTTPError(
                response.status, reason, body_excerpt(body, self._token), method, url
            )
        content_type = response.headers.get("Content-Type", "")
        if not content_type.startswith(self.EVENT_STREAM_TYPE):
            logger.warning(
                "Copilot Studio answered %s %s with content type %r instead of %s; "
                "only 'activity' events in it are delivered",
                method,
                url,
                content_type,
                self.EVENT_STREAM_TYPE,
            )

    def _remember_experimental_url(self, request_url: str, offered: str | None) -> None:
        settings = self.settings
        if not offered or not settings.use_experimental_endpoint or settings.direct_connect_url:
            return
        new, current = urlsplit(offered), urlsplit(request_url)
        same_origin = (new.scheme, new.netloc) == (current.scheme, current.netloc)
        if new.netloc and (new.scheme == "https" or same_origin):
            settings.direct_connect_url = offered
        else:
            logger.warning("Ignored the experimental endpoint %r: not an https URL", offered)
