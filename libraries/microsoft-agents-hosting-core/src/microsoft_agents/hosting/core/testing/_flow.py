"""``TestFlow``: a fluent, awaitable script of what the user sends and what the agent answers."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, Union

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse

if TYPE_CHECKING:
    from ._adapter import TestAdapter

__all__ = ["ReplyExpectation", "TestFlow"]

ReplyExpectation = Union[str, Activity, Callable[[Activity], Any]]
"""What :meth:`TestFlow.assert_reply` accepts: the text of a message, an activity whose set
fields must match, or a check ``(reply) -> bool | None`` (sync or async; may raise)."""

_Step = Callable[[], Awaitable[None]]
_UNSET: Any = object()


def describe(activity: Activity | None) -> str:
    """A short, readable rendering of ``activity`` for assertion messages."""
    if activity is None:
        return "nothing"
    parts = [f"type={activity.type!r}"]
    for name in ("text", "name", "value", "attachments", "suggested_actions"):
        value = getattr(activity, name)
        if value is not None and value != []:
            if isinstance(value, list) or hasattr(value, "model_dump"):
                value = _dump(value)
            parts.append(f"{name}={value!r}")
    return f"Activity({', '.join(parts)})"


def _dump(value: Any) -> Any:
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def _label(description: str, index: int) -> str:
    return f"{description} (reply #{index})" if description else f"reply #{index}"


async def _check(reply: Activity, expected: ReplyExpectation, label: str) -> None:
    if isinstance(expected, str):
        if reply.type != ActivityTypes.message or reply.text != expected:
            raise AssertionError(
                f"{label}: expected a message with text {expected!r}, got {describe(reply)}"
            )
        return
    if isinstance(expected, Activity):
        for name in sorted(expected.model_fields_set):
            want, got = getattr(expected, name), getattr(reply, name)
            if _dump(want) != _dump(got):
                raise AssertionError(
                    f"{label}: field {name!r} expected {_dump(want)!r}, got {_dump(got)!r} "
                    f"in {describe(reply)}"
                )
        return
    if callable(expected):
        outcome = expected(reply)
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome is False:
            raise AssertionError(f"{label}: the check rejected {describe(reply)}")
        return
    raise TypeError(f"assert_reply expects a str, an Activity or a callable, got {expected!r}")


class TestFlow:
    """A script run against a :class:`TestAdapter`; ``await`` it to run every step in order.

    Each method returns a new flow with one more step, so flows can be built up and shared::

        await (
            adapter.send("hi")
            .assert_reply("Echo: hi")
            .send("bye")
            .assert_reply(lambda reply: reply.text.startswith("Good"))
        )
    """

    __test__ = False

    def __init__(
        self, adapter: TestAdapter, steps: tuple[_Step, ...] = (), replies_checked: int = 0
    ) -> None:
        self.adapter = adapter
        self._steps = steps
        self._replies_checked = replies_checked

    def _then(self, step: _Step, checks_reply: bool = False) -> TestFlow:
        count = self._replies_checked + (1 if checks_reply else 0)
        return TestFlow(self.adapter, (*self._steps, step), count)

    def __await__(self) -> Generator[Any, None, TestFlow]:
        return self.run().__await__()

    async def run(self) -> TestFlow:
        """Run every step in order; an ``AssertionError`` names the step that failed."""
        for step in self._steps:
            await step()
        return self

    # -- steps -----------------------------------------------------------------------------------

    def send(self, activity_or_text: Activity | str | Mapping[str, Any]) -> TestFlow:
        """Deliver an activity (a ``str`` becomes a message) and run the agent's turn."""

        async def step() -> None:
            await self.adapter.process_activity(activity_or_text)

        return self._then(step)

    def assert_reply(
        self, expected: ReplyExpectation, description: str = "", timeout: float = 1.0
    ) -> TestFlow:
        """Take the next reply and check it.

        ``expected`` is the text of a message, an ``Activity`` whose *set* fields must all be
        equal in the reply, or a callable that receives the reply and fails by returning
        ``False`` or raising. Waits up to ``timeout`` seconds for a reply sent in background.
        """
        label = _label(description, self._replies_checked + 1)

        async def step() -> None:
            reply = await self.adapter.wait_for_reply(timeout)
            if reply is None:
                raise AssertionError(f"{label}: expected a reply, but the agent sent nothing")
            await _check(reply, expected, label)

        return self._then(step, checks_reply=True)

    def assert_replies(self, *expected: ReplyExpectation, timeout: float = 1.0) -> TestFlow:
        """Check the next replies in order, one expectation each."""
        flow = self
        for item in expected:
            flow = flow.assert_reply(item, timeout=timeout)
        return flow

    def assert_no_reply(self, description: str = "", timeout: float = 0.0) -> TestFlow:
        """Check that no reply is queued (waiting ``timeout`` seconds for a late one)."""

        async def step() -> None:
            reply = await self.adapter.wait_for_reply(timeout) if timeout else None
            if reply is None:
                reply = self.adapter.get_next_reply()
            if reply is not None:
                prefix = f"{description}: " if description else ""
                raise AssertionError(f"{prefix}expected no reply, got {describe(reply)}")

        return self._then(step)

    def assert_invoke_response(self, status: int, body: Any = _UNSET) -> TestFlow:
        """Check the invoke response of the last turn (status, and body when given)."""

        async def step() -> None:
            response = self.adapter.last_invoke_response
            _check_invoke(response, status, body)

        return self._then(step)

    def test(
        self,
        user_says: Activity | str | Mapping[str, Any],
        expected: ReplyExpectation,
        description: str = "",
        timeout: float = 1.0,
    ) -> TestFlow:
        """Send ``user_says`` and check the next reply against ``expected``."""
        return self.send(user_says).assert_reply(expected, description, timeout)

    def delay(self, seconds: float) -> TestFlow:
        """Wait ``seconds`` (for example for a typing indicator or a timer)."""

        async def step() -> None:
            await asyncio.sleep(seconds)

        return self._then(step)

    def then(self, action: Callable[[TestAdapter], Any]) -> TestFlow:
        """Run ``action(adapter)`` (sync or async) as a step, e.g. a proactive turn."""

        async def step() -> None:
            outcome = action(self.adapter)
            if inspect.isawaitable(outcome):
                await outcome

        return self._then(step)


def _check_invoke(response: InvokeResponse | None, status: int, body: Any) -> None:
    if response is None:
        raise AssertionError(
            f"expected an invoke response with status {status}, but the last turn had none "
            "(was it an invoke or expectReplies activity?)"
        )
    if response.status != status:
        raise AssertionError(
            f"expected invoke response status {status}, got {response.status} "
            f"(body {response.body!r})"
        )
    if body is not _UNSET and response.body != body:
        raise AssertionError(f"expected invoke response body {body!r}, got {response.body!r}")
