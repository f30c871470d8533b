"""The dev chat's stand-in channel service and the event stream that feeds the chat page.

A real channel (Teams, Web Chat, ...) receives the agent's replies on its connector service at
``{serviceUrl}v3/conversations/{id}/activities/...``. The dev chat points ``serviceUrl`` at
:class:`DevChannelService`, which answers those calls the way a connector service does (an id
for every activity) and pushes each activity, update and deletion to the pages that show the
conversation, as Server-Sent Events::

    id: 3f2a9c1e.7
    event: activity
    data: {"seq": 7, "op": "post", "activity": {...}}

``op`` is ``post`` (a new activity), ``update`` (an activity replaced by ``PUT``) or
``delete`` (``{"id": ...}`` only). Every conversation keeps its last events, so a page that
reconnects gets what it missed: its ``Last-Event-ID`` names the server instance (a new one
after a restart replays everything it has) and the last event seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

__all__ = ["DevChannelService"]

logger = logging.getLogger(__name__)

_KEEP_ALIVE_SECONDS = 15.0


@dataclass
class _Conversation:
    events: deque[dict[str, Any]]
    subscribers: set[asyncio.Queue[dict[str, Any] | None]] = field(default_factory=set)
    seq: int = 0


def _now() -> str:
    """The current time as a channel stamps received activities (ISO 8601, UTC)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _json(status: int, body: Any) -> web.Response:
    return web.json_response(body, status=status)


def _sse(boot: str, event: dict[str, Any]) -> bytes:
    data = json.dumps(event, separators=(",", ":"))
    return f"id: {boot}.{event['seq']}\nevent: activity\ndata: {data}\n\n".encode()


class DevChannelService:
    """A loopback connector service that forwards the agent's activities to chat pages.

    ``user`` and ``agent`` are the two members of every conversation (wire form, with ``id``
    and ``name``). ``history`` is how many events each conversation keeps for pages that
    reconnect. Mount it with ``app.router.add_routes(service.routes(prefix))`` and serve the
    event stream with :meth:`events`; call :meth:`close` on shutdown to end open streams.
    """

    def __init__(self, *, user: dict[str, Any], agent: dict[str, Any], history: int = 500) -> None:
        self.user = dict(user)
        self.agent = dict(agent)
        self._history = history
        self._conversations: dict[str, _Conversation] = {}
        self._ids = itertools.count(1)
        self._boot = uuid.uuid4().hex[:8]
        self._closed = False

    # -- the event hub ---------------------------------------------------------------------------

    def _conversation(self, conversation_id: str) -> _Conversation:
        conversation = self._conversations.get(conversation_id)
        if conversation is None:
            conversation = _Conversation(events=deque(maxlen=self._history))
            self._conversations[conversation_id] = conversation
        return conversation

    def publish(self, conversation_id: str, op: str, activity: dict[str, Any]) -> dict[str, Any]:
        """Record an event of ``conversation_id`` and push it to its pages; returns the event."""
        conversation = self._conversation(conversation_id)
        conversation.seq += 1
        event = {"seq": conversation.seq, "op": op, "activity": activity}
        conversation.events.append(event)
        for queue in conversation.subscribers:
            queue.put_nowait(event)
        return event

    def history(self, conversation_id: str) -> list[dict[str, Any]]:
        """The events kept for ``conversation_id``, oldest first."""
        conversation = self._conversations.get(conversation_id)
        return list(conversation.events) if conversation is not None else []

    async def close(self) -> None:
        """End every open event stream (the pages reconnect to the next server)."""
        self._closed = True
        for conversation in self._conversations.values():
            for queue in conversation.subscribers:
                queue.put_nowait(None)

    async def events(self, request: web.Request) -> web.StreamResponse:
        """``GET ...?conversation=ID``: the conversation's events as ``text/event-stream``."""
        conversation_id = request.query.get("conversation", "")
        if not conversation_id:
            return _json(400, {"error": "pass ?conversation=<conversation id>"})
        boot, _, seen = (request.headers.get("Last-Event-ID") or "").partition(".")
        after = int(seen) if boot == self._boot and seen.isdigit() else 0
        conversation = self._conversation(conversation_id)
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        conversation.subscribers.add(queue)  # before the replay, so nothing falls in between
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        try:
            await response.prepare(request)
            await response.write(b"retry: 1000\nevent: ready\ndata: {}\n\n")
            for event in list(conversation.events):
                if event["seq"] > after:
                    after = event["seq"]
                    await response.write(_sse(self._boot, event))
            while not self._closed:
                try:
                    pushed = await asyncio.wait_for(queue.get(), _KEEP_ALIVE_SECONDS)
                except asyncio.TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if pushed is None:
                    break
                if pushed["seq"] > after:
                    after = pushed["seq"]
                    await response.write(_sse(self._boot, pushed))
        except ConnectionError:
            logger.debug("a chat page closed its event stream")
        finally:
            conversation.subscribers.discard(queue)
        with contextlib.suppress(ConnectionError):
            await response.write_eof()
        return response

    # -- the connector service -------------------------------------------------------------------

    def routes(self, prefix: str) -> list[web.RouteDef]:
        """The ``v3/conversations`` routes under ``prefix`` (the ``serviceUrl`` path)."""
        base = prefix.rstrip("/") + "/v3/conversations"
        return [
            web.post(base, self._create_conversation),
            web.post(base + "/{cid}/activities", self._post_activity),
            web.post(base + "/{cid}/activities/history", self._history_upload),
            web.post(base + "/{cid}/activities/{aid}", self._post_activity),
            web.put(base + "/{cid}/activities/{aid}", self._update_activity),
            web.delete(base + "/{cid}/activities/{aid}", self._delete_activity),
            web.get(base + "/{cid}/members", self._members),
            web.get(base + "/{cid}/activities/{aid}/members", self._members),
            web.get(base + "/{cid}/members/{mid}", self._member),
            web.route("*", base + "/{tail:.*}", self._not_implemented),
        ]

    async def _body(self, request: web.Request) -> dict[str, Any] | web.Response:
        try:
            body = await request.json()
        except ValueError:
            return _json(400, {"error": "the body must be a JSON activity"})
        if not isinstance(body, dict):
            return _json(400, {"error": "the body must be a JSON object"})
        return body

    def _new_id(self) -> str:
        return f"dev-{self._boot}-{next(self._ids)}"

    async def _post_activity(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        conversation_id = request.match_info["cid"]
        activity_id = self._new_id()
        body["id"] = activity_id
        body.setdefault("timestamp", _now())
        reply_to = request.match_info.get("aid")
        if reply_to and not body.get("replyToId"):
            body["replyToId"] = reply_to
        self.publish(conversation_id, "post", body)
        return _json(200, {"id": activity_id})

    async def _update_activity(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        activity_id = request.match_info["aid"]
        body["id"] = activity_id
        self.publish(request.match_info["cid"], "update", body)
        return _json(200, {"id": activity_id})

    async def _delete_activity(self, request: web.Request) -> web.Response:
        self.publish(request.match_info["cid"], "delete", {"id": request.match_info["aid"]})
        return web.Response(status=200)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        conversation_id = f"dev-conversation-{self._boot}-{next(self._ids)}"
        self._conversation(conversation_id)
        result: dict[str, Any] = {"id": conversation_id}
        activity = body.get("activity")
        if isinstance(activity, dict):
            activity_id = self._new_id()
            self.publish(conversation_id, "post", {**activity, "id": activity_id})
            result["activityId"] = activity_id
        return _json(201, result)

    async def _history_upload(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        for activity in body.get("activities") or []:
            if isinstance(activity, dict):
                self.publish(request.match_info["cid"], "post", activity)
        return _json(200, {"id": self._new_id()})

    async def _members(self, request: web.Request) -> web.Response:
        return _json(200, [self.user, self.agent])

    async def _member(self, request: web.Request) -> web.Response:
        wanted = request.match_info["mid"]
        for member in (self.user, self.agent):
            if member.get("id") == wanted:
                return _json(200, member)
        return _json(404, {"error": {"code": "MemberNotFound", "message": wanted}})

    async def _not_implemented(self, request: web.Request) -> web.Response:
        message = (
            f"the dev chat's stand-in channel service does not implement "
            f"{request.method} {request.path}"
        )
        logger.warning(message)
        return _json(404, {"error": {"code": "NotImplemented", "message": message}})
