"""Contract: the channel-service routes an agent hosts for the agents it calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from microsoft_agents.activity import (
    Activity,
    AttachmentData,
    ChannelAccount,
    ConversationMembers,
    ConversationParameters,
    ConversationResourceResponse,
    ConversationsResult,
    PagedMembersResult,
    ResourceResponse,
    Transcript,
)

from ...authorization import ClaimsIdentity
from ...http import INVALID_JSON_MESSAGE
from ._harness import ContractFixtures, Harness, error_body

__all__ = ["RecordingChannelApiHandler", "TestChannelServiceRoutesContract"]

_MEMBER = ChannelAccount(id="user-1", name="User One")


class RecordingChannelApiHandler:
    """A ``ChannelApiHandlerProtocol`` that records each call and answers canned results."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ClaimsIdentity, tuple[Any, ...]]] = []

    def _record(self, name: str, claims: ClaimsIdentity, *args: Any) -> None:
        self.calls.append((name, claims, args))

    async def on_get_conversations(
        self, claims_identity: ClaimsIdentity, conversation_id: Any, continuation_token: Any = None
    ) -> ConversationsResult:
        self._record("on_get_conversations", claims_identity, conversation_id)
        return ConversationsResult(conversations=[ConversationMembers(id="c1", members=[_MEMBER])])

    async def on_create_conversation(
        self, claims_identity: ClaimsIdentity, parameters: ConversationParameters
    ) -> ConversationResourceResponse:
        self._record("on_create_conversation", claims_identity, parameters)
        return ConversationResourceResponse(id="new-conversation", activity_id="first-activity")

    async def on_send_to_conversation(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity: Activity
    ) -> ResourceResponse:
        self._record("on_send_to_conversation", claims_identity, conversation_id, activity)
        return ResourceResponse(id="sent-1")

    async def on_send_conversation_history(
        self, claims_identity: ClaimsIdentity, conversation_id: str, transcript: Transcript
    ) -> ResourceResponse:
        self._record("on_send_conversation_history", claims_identity, conversation_id, transcript)
        return ResourceResponse(id="history-1")

    async def on_update_activity(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str, activity: Any
    ) -> ResourceResponse:
        self._record("on_update_activity", claims_identity, conversation_id, activity_id, activity)
        return ResourceResponse(id=activity_id)

    async def on_reply_to_activity(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str, activity: Any
    ) -> ResourceResponse:
        self._record(
            "on_reply_to_activity", claims_identity, conversation_id, activity_id, activity
        )
        return ResourceResponse(id="reply-1")

    async def on_delete_activity(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str
    ) -> None:
        self._record("on_delete_activity", claims_identity, conversation_id, activity_id)

    async def on_get_conversation_members(
        self, claims_identity: ClaimsIdentity, conversation_id: str
    ) -> list[ChannelAccount]:
        self._record("on_get_conversation_members", claims_identity, conversation_id)
        return [_MEMBER, ChannelAccount(id="agent-1", role="bot")]

    async def on_get_conversation_member(
        self, claims_identity: ClaimsIdentity, user_id: str, conversation_id: str
    ) -> ChannelAccount:
        self._record("on_get_conversation_member", claims_identity, user_id, conversation_id)
        return ChannelAccount(id=user_id, name="User One")

    async def on_get_conversation_paged_members(
        self,
        claims_identity: ClaimsIdentity,
        conversation_id: str,
        page_size: Any = None,
        continuation_token: Any = None,
    ) -> PagedMembersResult:
        self._record("on_get_conversation_paged_members", claims_identity, conversation_id)
        return PagedMembersResult(members=[_MEMBER], continuation_token="page-2")

    async def on_delete_conversation_member(
        self, claims_identity: ClaimsIdentity, conversation_id: str, member_id: str
    ) -> None:
        self._record("on_delete_conversation_member", claims_identity, conversation_id, member_id)

    async def on_get_activity_members(
        self, claims_identity: ClaimsIdentity, conversation_id: str, activity_id: str
    ) -> list[ChannelAccount]:
        self._record("on_get_activity_members", claims_identity, conversation_id, activity_id)
        return [_MEMBER]

    async def on_upload_attachment(
        self, claims_identity: ClaimsIdentity, conversation_id: str, attachment_upload: Any
    ) -> ResourceResponse:
        self._record("on_upload_attachment", claims_identity, conversation_id, attachment_upload)
        return ResourceResponse(id="attachment-1")


_ACTIVITY = {"type": "message", "text": "from the other agent", "conversation": {"id": "c1"}}
_C1 = "/v3/conversations/c1"

# (method, path below the channel base, JSON body, status, exact answer, handler, arguments)
_ROUTE_CASES: list[tuple[str, str, Any, int, bytes, str, tuple[Any, ...]]] = [
    ("POST", _C1 + "/activities", _ACTIVITY, 200, b'{"id":"sent-1"}',
     "on_send_to_conversation", ("c1", "activity")),
    ("POST", _C1 + "/activities/a1", _ACTIVITY, 200, b'{"id":"reply-1"}',
     "on_reply_to_activity", ("c1", "a1", "activity")),
    ("PUT", _C1 + "/activities/a1", _ACTIVITY, 200, b'{"id":"a1"}',
     "on_update_activity", ("c1", "a1", "activity")),
    ("DELETE", _C1 + "/activities/a1", None, 200, b"",
     "on_delete_activity", ("c1", "a1")),
    ("GET", _C1 + "/activities/a1/members", None, 200,
     b'[{"id":"user-1","name":"User One"}]', "on_get_activity_members", ("c1", "a1")),
    ("POST", "/", {"isGroup": False, "bot": {"id": "agent-1"}}, 200,
     b'{"activityId":"first-activity","id":"new-conversation"}',
     "on_create_conversation", ("parameters",)),
    ("GET", "/", None, 200,
     b'{"conversations":[{"id":"c1","members":[{"id":"user-1","name":"User One"}]}]}',
     "on_get_conversations", (None,)),
    ("GET", _C1 + "/members", None, 200,
     b'[{"id":"user-1","name":"User One"},{"id":"agent-1","role":"bot"}]',
     "on_get_conversation_members", ("c1",)),
    ("GET", _C1 + "/members/m1", None, 200, b'{"id":"m1","name":"User One"}',
     "on_get_conversation_member", ("m1", "c1")),
    ("GET", _C1 + "/pagedmembers", None, 200,
     b'{"continuationToken":"page-2","members":[{"id":"user-1","name":"User One"}]}',
     "on_get_conversation_paged_members", ("c1",)),
    ("DELETE", _C1 + "/members/m1", None, 200, b"{}",
     "on_delete_conversation_member", ("c1", "m1")),
    # Shadowed by the reply route registered before it (kept from the published SDK).
    ("POST", _C1 + "/activities/history", _ACTIVITY, 200, b'{"id":"reply-1"}',
     "on_reply_to_activity", ("c1", "history", "activity")),
    ("POST", _C1 + "/attachments", {"name": "a.txt", "type": "text/plain"}, 200,
     b'{"id":"attachment-1"}', "on_upload_attachment", ("c1", "attachment")),
]  # fmt: skip

_BODY_TYPES = {
    "activity": Activity,
    "parameters": ConversationParameters,
    "attachment": AttachmentData,
}


class TestChannelServiceRoutesContract(ContractFixtures):
    """Every channel-service route reaches its handler and renders its result exactly."""

    @pytest.fixture
    async def channel_host(self, harness: Harness) -> AsyncIterator[Harness]:
        self.handler = RecordingChannelApiHandler()
        await harness.serve(harness.agent(), channel_api_handler=self.handler)
        yield harness

    @pytest.mark.parametrize(
        ("method", "path", "body", "status", "answer", "handler_name", "arguments"),
        _ROUTE_CASES,
        ids=[f"{case[0]} {case[1]}" for case in _ROUTE_CASES],
    )
    async def test_route(
        self,
        channel_host: Harness,
        method: str,
        path: str,
        body: Any,
        status: int,
        answer: bytes,
        handler_name: str,
        arguments: tuple[Any, ...],
    ) -> None:
        url = channel_host.host.channel_path + path
        reply = await channel_host.request(method, url, json_body=body)

        assert (reply.status, reply.body) == (status, answer)
        if answer:
            assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
        [(called, claims, args)] = self.handler.calls
        assert called == handler_name
        assert claims.allow_anonymous
        assert len(args) == len(arguments)
        for actual, expected in zip(args, arguments, strict=True):
            if expected in _BODY_TYPES:
                assert isinstance(actual, _BODY_TYPES[expected])
            else:
                assert actual == expected
        if "activity" in arguments:
            assert args[-1].text == "from the other agent"

    async def test_a_body_that_is_not_json_is_415(self, channel_host: Harness) -> None:
        url = channel_host.host.channel_path + _C1 + "/activities"
        reply = await channel_host.request(
            "POST", url, data=b"type=message", headers={"Content-Type": "text/plain"}
        )
        assert (reply.status, reply.body) == (
            415,
            error_body("Unsupported Content-Type: send the body as application/json"),
        )
        assert self.handler.calls == []

    async def test_invalid_json_is_400(self, channel_host: Harness) -> None:
        url = channel_host.host.channel_path + _C1 + "/activities"
        reply = await channel_host.request(
            "POST", url, data=b"{nope", headers={"Content-Type": "application/json"}
        )
        assert (reply.status, reply.body) == (400, error_body(INVALID_JSON_MESSAGE))
        assert self.handler.calls == []

    async def test_an_invalid_body_is_400_naming_the_field(self, channel_host: Harness) -> None:
        url = channel_host.host.channel_path + _C1 + "/activities"
        reply = await channel_host.request("POST", url, json_body={"text": "no type"})
        assert (reply.status, reply.body) == (
            400,
            error_body("Invalid Activity: type: Field required"),
        )
        assert self.handler.calls == []
