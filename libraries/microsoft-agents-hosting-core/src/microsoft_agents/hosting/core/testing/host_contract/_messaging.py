"""Contract: the messaging endpoint — normal turns, and bad input that must never run a turn."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ...http import ACTIVITY_REQUIRED_FIELDS_MESSAGE, INVALID_JSON_MESSAGE
from ._harness import ContractFixtures, Harness, compact_json, error_body

__all__ = ["TestBadInputContract", "TestMessagingContract"]

_NOT_AN_OBJECT = error_body("The request body must be a JSON object")
_UNSUPPORTED_MEDIA_TYPE = error_body("Unsupported Content-Type: send the body as application/json")
_SERVICE_URL_REQUIRED = error_body(
    "Activity must have a serviceUrl that is an absolute http(s) URL"
)


class TestMessagingContract(ContractFixtures):
    """Ordinary traffic on ``POST /api/messages`` from an anonymous caller."""

    async def test_message_is_accepted_and_the_reply_goes_to_the_channel(
        self, harness: Harness
    ) -> None:
        await harness.serve(harness.agent())
        activity = harness.activity(text="hi there")

        reply = await harness.post_activity(activity)

        assert (reply.status, reply.body, reply.media_type) == (202, b"", None)
        [request] = harness.channel.requests
        assert (request.method, request.path) == (
            "POST",
            "/v3/conversations/conversation-1/activities/incoming-1",
        )
        expected = harness.reply_to(activity, "You said: hi there")
        del expected["id"]  # the connector client leaves out unset values
        assert request.json == expected
        assert request.authorization is None

    async def test_expect_replies_answers_with_the_replies(self, harness: Harness) -> None:
        agent = harness.agent()
        await harness.serve(agent)
        activity = harness.activity(deliveryMode="expectReplies", text="ping")

        reply = await harness.post_activity(activity)

        assert reply.status == 200
        assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
        expected = {"activities": [harness.reply_to(activity, "You said: ping")]}
        assert reply.body == compact_json(expected)
        assert harness.channel.requests == []

    async def test_invoke_with_a_handler_answers_its_invoke_response(
        self, harness: Harness
    ) -> None:
        await harness.serve(harness.agent())
        activity = harness.activity(type="invoke", name="test/echo", value={"n": 1}, text=None)

        reply = await harness.post_activity(activity)

        assert reply.status == 200
        assert reply.media_type == "application/json"
        assert reply.body == b'{"echo":{"n":1}}'
        assert harness.channel.requests == []

    async def test_invoke_without_a_handler_answers_501_with_no_body(
        self, harness: Harness
    ) -> None:
        agent = harness.agent()
        await harness.serve(agent)

        reply = await harness.post_activity(harness.activity(type="invoke", name="nobody/home"))

        assert (reply.status, reply.body) == (501, b"")
        assert [turn.name for turn in agent.turns] == ["nobody/home"]

    async def test_conversation_update_sends_the_welcome(self, harness: Harness) -> None:
        await harness.serve(harness.agent())
        activity = harness.activity(
            type="conversationUpdate", text=None, membersAdded=[{"id": "user-1"}]
        )

        reply = await harness.post_activity(activity)

        assert (reply.status, reply.body) == (202, b"")
        [request] = harness.channel.requests
        assert request.path == "/v3/conversations/conversation-1/activities/incoming-1"
        assert request.json["text"] == "Welcome!"

    async def test_turn_errors_reach_the_default_error_handler(self, harness: Harness) -> None:
        await harness.serve(harness.agent())

        reply = await harness.post_activity(harness.activity(text="/fail"))

        assert (reply.status, reply.body) == (202, b"")
        # The trace activity is only delivered to the emulator channel.
        assert [r.json["text"] for r in harness.channel.requests] == ["Exception caught : boom"]

    async def test_unhandled_turn_errors_are_server_errors(self, harness: Harness) -> None:
        agent = harness.agent()
        agent.adapter.on_turn_error = None
        await harness.serve(agent)

        reply = await harness.post_activity(harness.activity(text="/fail"))

        assert reply.status == 500
        assert harness.channel.requests == []

    @pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
    async def test_other_methods_are_not_allowed(self, harness: Harness, method: str) -> None:
        agent = harness.agent()
        await harness.serve(agent)

        reply = await harness.request(
            method, harness.host.messages_path, json_body=harness.activity()
        )

        assert (reply.status, reply.body) == (405, error_body("Method Not Allowed"))
        assert reply.headers.get("Allow") == "POST"
        assert agent.turns == []


class TestBadInputContract(ContractFixtures):
    """Bad requests get a 4xx with a short JSON error, and the agent never runs."""

    @pytest.fixture
    async def served(self, harness: Harness) -> AsyncIterator[Harness]:
        self.agent = harness.agent(max_body_bytes=1024)
        await harness.serve(self.agent)
        yield harness
        assert self.agent.turns == [], "the agent must not run for bad input"
        assert harness.channel.requests == []

    async def _post_raw(self, harness: Harness, data: Any, content_type: str) -> Any:
        return await harness.request(
            "POST",
            harness.host.messages_path,
            data=data,
            headers={"Content-Type": content_type},
        )

    @pytest.mark.parametrize("body", [b"{bad", b"", b'{"type": ', b"\xff\xfe\x00{", b"[1,]"])
    async def test_invalid_json_is_400(self, served: Harness, body: bytes) -> None:
        reply = await self._post_raw(served, body, "application/json")
        assert (reply.status, reply.body) == (400, error_body(INVALID_JSON_MESSAGE))
        assert reply.headers["Content-Type"] == "application/json; charset=utf-8"

    @pytest.mark.parametrize("body", [b"[]", b'"message"', b"42", b"null", b"true"])
    async def test_json_that_is_not_an_object_is_400(self, served: Harness, body: bytes) -> None:
        reply = await self._post_raw(served, body, "application/json")
        assert (reply.status, reply.body) == (400, _NOT_AN_OBJECT)

    @pytest.mark.parametrize(
        "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
    )
    async def test_a_content_type_other_than_json_is_415(
        self, served: Harness, content_type: str
    ) -> None:
        body = json.dumps(served.activity()).encode()
        reply = await self._post_raw(served, body, content_type)
        assert (reply.status, reply.body) == (415, _UNSUPPORTED_MEDIA_TYPE)

    async def test_a_body_over_the_limit_is_413(self, served: Harness) -> None:
        activity = served.activity(text="x" * 2048)
        reply = await served.post_activity(activity)
        assert (reply.status, reply.body) == (
            413,
            error_body("Request body too large: the limit is 1024 bytes"),
        )

    async def test_a_streamed_body_over_the_limit_is_413(self, served: Harness) -> None:
        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"type": "message", "text": "'
            for _ in range(64):
                yield b"x" * 256
            yield b'"}'

        reply = await self._post_raw(served, chunks(), "application/json")
        assert (reply.status, reply.body) == (
            413,
            error_body("Request body too large: the limit is 1024 bytes"),
        )

    @pytest.mark.parametrize(
        "change",
        [
            {"type": None},
            {"type": ""},
            {"conversation": None},
            {"conversation": {}},
            {"conversation": {"id": ""}},
        ],
        ids=["no-type", "empty-type", "no-conversation", "no-conversation-id", "empty-id"],
    )
    async def test_an_activity_without_type_or_conversation_id_is_400(
        self, served: Harness, change: dict[str, Any]
    ) -> None:
        activity = served.activity()
        activity.update(change)
        reply = await served.post_activity(activity)
        assert (reply.status, reply.body) == (400, error_body(ACTIVITY_REQUIRED_FIELDS_MESSAGE))

    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            ({"text": 5}, "text: Input should be a valid string"),
            ({"type": 7}, "type: Input should be a valid string"),
            ({"conversation": {"id": 12}}, "conversation.id: Input should be a valid string"),
            ({"from": "user-1"}, "from: Input should be a valid dictionary or instance of "),
            ({"timestamp": "yesterday"}, "timestamp: Input should be a valid datetime"),
        ],
        ids=["text", "type", "conversation-id", "from", "timestamp"],
    )
    async def test_an_activity_with_a_wrongly_typed_field_is_400_naming_it(
        self, served: Harness, change: dict[str, Any], problem: str
    ) -> None:
        activity = served.activity()
        activity.update(change)
        reply = await served.post_activity(activity)
        assert reply.status == 400
        message = reply.json()["error"]
        assert list(reply.json()) == ["error"]
        assert message.startswith(f"Invalid activity: {problem}")
        assert len(message) <= 220 and "Traceback" not in message

    @pytest.mark.parametrize("service_url", [None, "not a url", "/relative", "ftp://x/"])
    async def test_an_activity_without_a_usable_service_url_is_400(
        self, served: Harness, service_url: str | None
    ) -> None:
        activity = served.activity()
        activity["serviceUrl"] = service_url
        if service_url is None:
            del activity["serviceUrl"]
        reply = await served.post_activity(activity)
        assert (reply.status, reply.body) == (400, _SERVICE_URL_REQUIRED)
