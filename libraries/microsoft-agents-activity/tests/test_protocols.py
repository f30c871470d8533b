"""Runtime shape checks of TurnContextProtocol and ChannelAdapterProtocol."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity._protocols import ChannelAdapterProtocol, TurnContextProtocol


class _Adapter:
    on_turn_error = None

    async def send_activities(self, context: Any, activities: Any) -> list[Any]:
        return []

    async def update_activity(self, context: Any, activity: Any) -> None:
        return None

    async def delete_activity(self, context: Any, reference: Any) -> None:
        return None

    def use(self, middleware: object) -> _Adapter:
        return self

    async def continue_conversation(self, *args: Any) -> None:
        return None

    async def continue_conversation_with_claims(self, *args: Any) -> None:
        return None

    async def create_conversation(self, *args: Any) -> None:
        return None

    async def run_pipeline(self, context: Any, callback: Any) -> None:
        await callback(context)


class _Context:
    def __init__(self) -> None:
        self.adapter = _Adapter()
        self.activity = object()
        self.responded = False
        self.turn_state: dict[str, Any] = {}
        self.services = object()

    async def send_activity(self, *args: Any) -> None:
        return None

    async def send_activities(self, activities: Any) -> list[Any]:
        return []

    async def update_activity(self, activity: Any) -> None:
        return None

    async def delete_activity(self, id_or_reference: Any) -> None:
        return None

    async def send_trace_activity(self, name: str, *args: Any) -> None:
        return None

    def on_send_activities(self, handler: Any) -> _Context:
        return self

    def on_update_activity(self, handler: Any) -> _Context:
        return self

    def on_delete_activity(self, handler: Any) -> _Context:
        return self


def test_complete_objects_match() -> None:
    context = _Context()
    assert isinstance(context, TurnContextProtocol)
    assert isinstance(context.adapter, ChannelAdapterProtocol)


def test_the_two_protocols_are_not_interchangeable() -> None:
    assert not isinstance(_Context(), ChannelAdapterProtocol)
    assert not isinstance(_Adapter(), TurnContextProtocol)


def test_missing_member_fails_the_check() -> None:
    context = _Context()
    del context.turn_state
    assert not isinstance(context, TurnContextProtocol)

    class NoPipeline:
        on_turn_error = None

    assert not isinstance(NoPipeline(), ChannelAdapterProtocol)
