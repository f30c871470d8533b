"""``CopilotStudioStandIn``: a loopback Direct-to-Engine service that streams events.

It listens on ``127.0.0.1`` (port chosen by the OS), serves any path ending in
``/conversations`` (start), ``/conversations/{id}`` (send an activity) and
``/conversations/{id}/subscribe`` (follow a conversation), records every request, and answers
with a real ``text/event-stream`` body written piece by piece. Point a client at it through
``ConnectionSettings(..., direct_connect_url=stand_in.direct_connect_url)``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from microsoft_agents.hosting.core.testing import LoopbackServer

from ._script import Disconnect, Pause, ScriptedReply, Step, WaitFor, activity_event

__all__ = ["CopilotStudioStandIn", "EngineRequest"]

_CONVERSATION_HEADER = "x-ms-conversationid"


@dataclass
class EngineRequest:
    """One request as the stand-in received it.

    ``operation`` is ``"start"``, ``"execute"``, ``"subscribe"`` or ``"unknown"``;
    ``conversation_id`` the (decoded) id in the path, if any; ``json`` the parsed body.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: CIMultiDictProxy[str]
    body: bytes
    json: Any
    operation: str
    conversation_id: str | None

    @property
    def authorization(self) -> str | None:
        return self.headers.get("Authorization")

    @property
    def activity(self) -> dict[str, Any] | None:
        """The activity of an ``execute`` request body."""
        if isinstance(self.json, dict) and isinstance(self.json.get("activity"), dict):
            return self.json["activity"]
        return None


def _route(raw_path: str) -> tuple[str, str | None]:
    segments = [unquote(s) for s in raw_path.strip("/").split("/")]
    if "conversations" not in segments:
        return "unknown", None
    rest = segments[segments.index("conversations") + 1 :]
    if not rest:
        return "start", None
    if len(rest) == 1:
        return "execute", rest[0]
    if len(rest) == 2 and rest[1] == "subscribe":
        return "subscribe", rest[0]
    return "unknown", None


class CopilotStudioStandIn(LoopbackServer):
    """A loopback Copilot Studio agent; use as an async context manager.

    Without instructions it behaves like a friendly echo agent: starting a conversation
    answers a new ``x-ms-conversationid`` header and a greeting (when
    ``emitStartConversationEvent`` is true); a message gets a ``typing`` activity and
    ``"You said: <text>"``; subscribing replays the agent's activities of that conversation
    with event ids, honouring ``Last-Event-ID``. Unknown conversations answer ``404``.

    ``expected_token``: requests without ``Authorization: Bearer <expected_token>`` answer
    ``401``. :meth:`reply_next` scripts the answer to the next request (any route), for slow
    streams, broken streams, odd line ends or malformed events.
    """

    AGENT_PATH = "/copilotstudio/dataverse-backed/authenticated/bots/loopback_agent"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        expected_token: str | None = None,
        greeting: str = "Hello! I am the loopback agent. Ask me anything.",
    ) -> None:
        super().__init__(host=host)
        self.expected_token = expected_token
        self.greeting = greeting
        self.requests: list[EngineRequest] = []
        self.conversations: dict[str, list[dict[str, Any]]] = {}
        """Conversation id → the activities the agent sent in it, in order (wire form)."""
        self.received: dict[str, list[dict[str, Any]]] = {}
        """Conversation id → the activities the client sent into it (wire form)."""
        self.open_streams = 0
        """Responses being written right now (a client that stops reading early and closes
        its connection brings this back to 0)."""
        self._scripts: deque[ScriptedReply] = deque()
        self._ids = itertools.count(1)
        self._conversation_ids = itertools.count(1)

    # -- lifecycle -------------------------------------------------------------------------------

    _runner_options = {"handler_cancellation": True}

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{tail:.*}", self._handle)

    @property
    def direct_connect_url(self) -> str:
        """The conversations endpoint of the loopback agent, for ``direct_connect_url``."""
        return f"{self.url}{self.AGENT_PATH}/conversations"

    # -- test controls ---------------------------------------------------------------------------

    def reply_next(
        self,
        steps: Sequence[Step] | ScriptedReply,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "text/event-stream",
    ) -> None:
        """Answer the next request (whatever it asks) with these steps instead."""
        if isinstance(steps, ScriptedReply):
            self._scripts.append(steps)
        else:
            self._scripts.append(
                ScriptedReply(list(steps), status, dict(headers or {}), content_type)
            )

    def fail_next(self, status: int, body: Any = None) -> None:
        """Answer the next request with ``status`` and a JSON error body."""
        payload = body if body is not None else {"error": {"code": "Injected", "status": status}}
        self.reply_next([json.dumps(payload)], status=status, content_type="application/json")

    def new_conversation(self) -> str:
        """Create a conversation (as starting one would) and return its id."""
        conversation_id = f"conversation-{next(self._conversation_ids)}"
        self.conversations[conversation_id] = []
        self.received[conversation_id] = []
        return conversation_id

    def agent_activity(self, conversation_id: str, type: str, **fields: Any) -> dict[str, Any]:
        """An activity from the loopback agent in ``conversation_id`` (wire form), recorded
        in :attr:`conversations` so subscriptions replay it."""
        activity = {
            "type": type,
            "id": f"activity-{next(self._ids)}",
            "channelId": "pva-studio",
            "from": {"id": "loopback-agent", "name": "Loopback agent", "role": "bot"},
            "conversation": {"id": conversation_id},
            **fields,
        }
        self.conversations.setdefault(conversation_id, []).append(activity)
        return activity

    # -- serving --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        try:
            parsed = json.loads(body) if body.strip() else None
        except ValueError:
            parsed = None
        operation, conversation_id = _route(request.rel_url.raw_path)
        record = EngineRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=CIMultiDictProxy(CIMultiDict(request.headers)),
            body=body,
            json=parsed,
            operation=operation,
            conversation_id=conversation_id,
        )
        self.requests.append(record)
        if self._scripts:
            return await self._play(request, self._scripts.popleft())
        expected = self.expected_token
        if expected is not None and record.authorization != f"Bearer {expected}":
            error = {"error": {"code": "Unauthorized", "message": "The bearer token is invalid."}}
            return web.json_response(error, status=401)
        return await self._play(request, self._answer(record))

    def _answer(self, record: EngineRequest) -> ScriptedReply:
        key = (record.method, record.operation)
        cid = record.conversation_id
        if key == ("POST", "start"):
            cid = self.new_conversation()
            steps: list[Step] = [": the loopback agent is listening\n\n"]
            if (record.json or {}).get("emitStartConversationEvent", True):
                greeting = self.agent_activity(cid, "message", text=self.greeting)
                steps.append(activity_event(greeting))
            return ScriptedReply(steps, headers={_CONVERSATION_HEADER: cid})
        if cid is None or cid not in self.conversations:
            return _not_found(record)
        if key == ("POST", "execute"):
            incoming = record.activity or {}
            self.received[cid].append(incoming)
            typing = self.agent_activity(cid, "typing")
            reply = self.agent_activity(cid, "message", text=_echo(incoming))
            steps = [activity_event(typing), ":\n\n", activity_event(reply)]
            return ScriptedReply(steps, headers={_CONVERSATION_HEADER: cid})
        if key == ("GET", "subscribe"):
            history = self.conversations[cid]
            last = record.headers.get("Last-Event-ID")
            start = int(last) if last and last.isdigit() else 0
            steps = [activity_event(a, id=str(i)) for i, a in enumerate(history, 1) if i > start]
            return ScriptedReply(steps)
        return _not_found(record)

    async def _play(self, request: web.Request, reply: ScriptedReply) -> web.StreamResponse:
        response = web.StreamResponse(status=reply.status, headers=dict(reply.headers))
        response.content_type = reply.content_type
        response.enable_chunked_encoding()
        await response.prepare(request)
        self.open_streams += 1
        try:
            for step in reply.steps:
                if isinstance(step, Pause):
                    await asyncio.sleep(step.seconds)
                elif isinstance(step, WaitFor):
                    await step.event.wait()
                elif isinstance(step, Disconnect):
                    if request.transport is not None:
                        request.transport.abort()
                    return response
                else:
                    await response.write(step.encode("utf-8") if isinstance(step, str) else step)
            await response.write_eof()
        finally:
            self.open_streams -= 1
        return response


def _echo(activity: dict[str, Any]) -> str:
    if activity.get("type") == "message":
        return f"You said: {activity.get('text') or ''}"
    return f"Received a {activity.get('type') or 'typeless'} activity"


def _not_found(record: EngineRequest) -> ScriptedReply:
    error = {"error": {"code": "NotFound", "message": f"{record.method} {record.path}"}}
    return ScriptedReply([json.dumps(error)], status=404, content_type="application/json")
