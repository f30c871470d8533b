"""``ChannelServiceStandIn``: a loopback channel connector service for tests over real HTTP.

It serves the ``v3/conversations`` and ``v3/attachments`` routes of the connector API plus the
Teams ``v3/teams``, ``v1/meetings`` and ``v3/batch`` routes, answers like the real service
(activity ids, members, paged members, conversation ids) and records every request::

    async with ChannelServiceStandIn() as channel:
        client = ConnectorClient(channel.url, "token")
        await client.conversations.send_to_conversation("conv-1", activity)
        assert channel.activities("conv-1")[0]["text"] == "hi"
        channel.fail_next(2, 429, headers={"Retry-After": "0"})  # test retries
"""

from __future__ import annotations

import base64
import binascii
import itertools
from typing import Any

from ._recording_server import Answer, RecordedRequest, RecordingServer

__all__ = ["ChannelServiceStandIn"]


def _default_members() -> list[dict[str, Any]]:
    return [
        {"id": "user-1", "name": "User One", "role": "user", "aadObjectId": "aad-user-1"},
        {"id": "agent-1", "name": "Agent", "role": "bot"},
    ]


def _decode_base64(value: Any) -> bytes:
    if not isinstance(value, str):
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return value.encode("utf-8")


class ChannelServiceStandIn(RecordingServer):
    """A loopback connector service (see the module documentation).

    State tests can read or seed: ``members`` (the members of every conversation, wire form),
    ``conversations`` (conversation id → the activities it received, wire form, in order),
    ``attachments`` (uploaded attachment id → wire form), ``operations`` (batch operation id →
    request body), ``teams`` (team id → details overriding the synthesized ones) and
    ``team_channels`` (team id → channel list).
    """

    def __init__(self, *, host: str = "127.0.0.1", expected_token: str | None = None) -> None:
        super().__init__(host=host, expected_token=expected_token)
        self.members: list[dict[str, Any]] = _default_members()
        self.conversations: dict[str, list[dict[str, Any]]] = {}
        self.attachments: dict[str, dict[str, Any]] = {}
        self.operations: dict[str, dict[str, Any]] = {}
        self.teams: dict[str, dict[str, Any]] = {}
        self.team_channels: dict[str, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1)

    async def __aenter__(self) -> ChannelServiceStandIn:
        await self.start()
        return self

    def activities(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Activities received (sent, replies, updates, history) — of one conversation or all."""
        if conversation_id is not None:
            return list(self.conversations.get(conversation_id, []))
        return [a for acts in self.conversations.values() for a in acts]

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def _store(self, conversation_id: str, activity: Any, **extra: Any) -> None:
        stored = dict(activity) if isinstance(activity, dict) else {"body": activity}
        stored.update(extra)
        self.conversations.setdefault(conversation_id, []).append(stored)

    # -- dispatch --------------------------------------------------------------------------------

    def answer(self, request: RecordedRequest) -> Answer | None:
        segments = request.segments
        if segments[:2] == ["v3", "conversations"]:
            return self._conversations(request, segments[2:])
        if segments[:2] == ["v3", "attachments"]:
            return self._attachments(request, segments[2:])
        if segments[:2] == ["v3", "teams"]:
            return self._teams(request, segments[2:])
        if segments[:2] == ["v1", "meetings"]:
            return self._meetings(request, segments[2:])
        if segments[:3] == ["v3", "batch", "conversation"]:
            return self._batch(request, segments[3:])
        return None

    # -- v3/conversations ------------------------------------------------------------------------

    def _conversations(self, request: RecordedRequest, rest: list[str]) -> Answer | None:
        method = request.method
        if not rest:
            if method == "GET":
                listed = [{"id": cid, "members": self.members} for cid in self.conversations]
                return Answer(json={"conversations": listed})
            if method == "POST":
                return self._create_conversation(request)
            return None
        cid, tail = rest[0], rest[1:]
        if tail == ["activities"] and method == "POST":
            activity_id = self._new_id("activity")
            self._store(cid, request.json, id=activity_id)
            return Answer(json={"id": activity_id})
        if tail == ["activities", "history"] and method == "POST":
            for activity in (request.json or {}).get("activities") or []:
                self._store(cid, activity, history=True)
            return Answer(json={"id": self._new_id("history")})
        if len(tail) == 2 and tail[0] == "activities":
            return self._activity(request, cid, tail[1])
        if tail == ["members"] and method == "GET":
            return Answer(json=self.members)
        if len(tail) == 2 and tail[0] == "members":
            return self._member(request, tail[1])
        if len(tail) == 3 and tail[0] == "activities" and tail[2] == "members":
            return Answer(json=self.members) if method == "GET" else None
        if tail in (["pagedmembers"], ["pagedMembers"]) and method == "GET":
            return self._paged_members(request)
        if tail == ["attachments"] and method == "POST":
            attachment_id = self._new_id("attachment")
            self.attachments[attachment_id] = dict(request.json or {})
            return Answer(json={"id": attachment_id})
        return None

    def _create_conversation(self, request: RecordedRequest) -> Answer:
        parameters = request.json or {}
        cid = (parameters.get("conversation") or {}).get("id") or self._new_id("conversation")
        self.conversations.setdefault(cid, [])
        result: dict[str, Any] = {"id": cid, "serviceUrl": self.url}
        if parameters.get("activity"):
            activity_id = self._new_id("activity")
            self._store(cid, parameters["activity"], id=activity_id)
            result["activityId"] = activity_id
        return Answer(201, json=result)

    def _activity(self, request: RecordedRequest, cid: str, activity_id: str) -> Answer | None:
        if request.method == "POST":
            new_id = self._new_id("activity")
            self._store(cid, request.json, id=new_id, replyToId=activity_id)
            return Answer(json={"id": new_id})
        if request.method == "PUT":
            self._store(cid, request.json, id=activity_id, updated=True)
            return Answer(json={"id": activity_id})
        if request.method == "DELETE":
            kept = [a for a in self.conversations.get(cid, []) if a.get("id") != activity_id]
            self.conversations[cid] = kept
            return Answer(200)
        return None

    def _member(self, request: RecordedRequest, member_id: str) -> Answer | None:
        member = next((m for m in self.members if m.get("id") == member_id), None)
        if request.method == "GET":
            if member is None:
                return Answer(404, json={"error": {"code": "MemberNotFound"}})
            return Answer(json=member)
        if request.method == "DELETE":
            if member is None:
                return Answer(404, json={"error": {"code": "MemberNotFound"}})
            self.members.remove(member)
            return Answer(200)
        return None

    def _paged_members(self, request: RecordedRequest) -> Answer:
        start = int(request.query.get("continuationToken") or 0)
        size = int(request.query.get("pageSize") or len(self.members) or 1)
        page = self.members[start : start + size]
        result: dict[str, Any] = {"members": page}
        if start + size < len(self.members):
            result["continuationToken"] = str(start + size)
        return Answer(json=result)

    # -- v3/attachments --------------------------------------------------------------------------

    def _attachments(self, request: RecordedRequest, rest: list[str]) -> Answer | None:
        if request.method != "GET" or not rest:
            return None
        data = self.attachments.get(rest[0])
        if data is None:
            return Answer(404, json={"error": {"code": "AttachmentNotFound"}})
        if len(rest) == 1:
            original = _decode_base64(data.get("originalBase64"))
            views = [{"viewId": "original", "size": len(original)}]
            if data.get("thumbnailBase64"):
                size = len(_decode_base64(data["thumbnailBase64"]))
                views.append({"viewId": "thumbnail", "size": size})
            return Answer(json={"name": data.get("name"), "type": data.get("type"), "views": views})
        if len(rest) == 3 and rest[1] == "views":
            field = {"original": "originalBase64", "thumbnail": "thumbnailBase64"}.get(rest[2])
            if field is None or not data.get(field):
                return Answer(404, json={"error": {"code": "ViewNotFound"}})
            return Answer(
                body=_decode_base64(data[field]),
                content_type=data.get("type") or "application/octet-stream",
            )
        return None

    # -- Teams -----------------------------------------------------------------------------------

    def _teams(self, request: RecordedRequest, rest: list[str]) -> Answer | None:
        if request.method != "GET" or not rest:
            return None
        team_id = rest[0]
        channels = self.team_channels.get(team_id) or [
            {"id": team_id, "name": "General"},
            {"id": f"{team_id}-planning", "name": "Planning"},
        ]
        if len(rest) == 1:
            details = {
                "id": team_id,
                "name": f"Team {team_id}",
                "aadGroupId": f"group-{team_id}",
                "channelCount": len(channels),
                "memberCount": len(self.members),
                "type": "standard",
            }
            details.update(self.teams.get(team_id, {}))
            return Answer(json=details)
        if rest[1:] == ["conversations"]:
            return Answer(json={"conversations": channels})
        return None

    def _meetings(self, request: RecordedRequest, rest: list[str]) -> Answer | None:
        if not rest:
            return None
        meeting_id = rest[0]
        if len(rest) == 1 and request.method == "GET":
            return Answer(
                json={
                    "details": {
                        "id": meeting_id,
                        "msGraphResourceId": f"graph-{meeting_id}",
                        "title": "Planning meeting",
                        "joinUrl": f"https://teams.example/join/{meeting_id}",
                        "type": "Scheduled",
                    },
                    "conversation": {"id": f"meeting-conversation-{meeting_id}"},
                    "organizer": {"id": "organizer-1", "aadObjectId": "aad-organizer-1"},
                }
            )
        if len(rest) == 3 and rest[1] == "participants" and request.method == "GET":
            if not request.query.get("tenantId"):
                return Answer(400, json={"error": {"code": "BadArgument", "message": "tenantId"}})
            return Answer(
                json={
                    "user": {"id": rest[2], "name": "Participant", "aadObjectId": rest[2]},
                    "meeting": {"role": "Attendee", "inMeeting": True},
                    "conversation": {"id": f"meeting-conversation-{meeting_id}"},
                }
            )
        if rest[1:] == ["notification"] and request.method == "POST":
            return Answer(202)
        return None

    def _batch(self, request: RecordedRequest, rest: list[str]) -> Answer | None:
        kinds = {"users", "tenant", "team", "channels"}
        if request.method == "POST" and len(rest) == 1 and rest[0] in kinds:
            operation_id = self._new_id("operation")
            self.operations[operation_id] = {"kind": rest[0], **(request.json or {})}
            return Answer(201, json={"operationId": operation_id})
        if len(rest) == 2 and rest[0] == "failedentries" and request.method == "GET":
            if rest[1] not in self.operations:
                return Answer(404, json={"error": {"code": "OperationNotFound"}})
            return Answer(json={"failedEntryResponses": []})
        if len(rest) == 1 and rest[0] in self.operations:
            operation = self.operations[rest[0]]
            if request.method == "GET":
                total = len(operation.get("members") or []) or 1
                return Answer(
                    json={
                        "state": operation.get("state", "Completed"),
                        "statusMap": {"201": total},
                        "totalEntriesCount": total,
                    }
                )
            if request.method == "DELETE":
                operation["state"] = "Cancelled"
                return Answer(200)
        if len(rest) == 1 and request.method in ("GET", "DELETE"):
            return Answer(404, json={"error": {"code": "OperationNotFound"}})
        return None
