"""``StatePropertyAccessor``: one named value of an :class:`AgentState`, loaded on demand."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._turn_context import TurnContext
    from ._agent_state import AgentState

__all__ = ["StatePropertyAccessor"]


class StatePropertyAccessor:
    """Reads and writes the value ``name`` of a state scope.

    Every call first loads the scope for the turn (a no-op once it is loaded), so an
    accessor can be used without loading state by hand. Changes are persisted when the scope
    is saved. Create accessors with :meth:`AgentState.create_property`.
    """

    def __init__(self, agent_state: AgentState, name: str) -> None:
        if agent_state is None:
            raise TypeError("StatePropertyAccessor needs an AgentState")
        if not isinstance(name, str) or not name:
            raise ValueError("StatePropertyAccessor needs a non-empty property name")
        self._agent_state = agent_state
        self._name = name

    @property
    def name(self) -> str:
        """The name of the value in its scope."""
        return self._name

    async def get(
        self,
        turn_context: TurnContext,
        default_value_or_factory: Any = None,
        *,
        target_cls: type[Any] | None = None,
    ) -> Any:
        """The value, or the default when it is missing or falsy.

        ``default_value_or_factory`` is either a callable (called for the default, e.g. a
        class) or a value (a deep copy of it is used). The default is stored in the scope.
        With ``target_cls`` a stored JSON value is turned back into that class.
        """
        await self._agent_state.load(turn_context)
        factory: Callable[[], Any] | None = None
        if callable(default_value_or_factory):
            factory = default_value_or_factory
        elif default_value_or_factory is not None:
            default = default_value_or_factory

            def factory() -> Any:
                return copy.deepcopy(default)

        return self._agent_state.get_value(self._name, factory, target_cls=target_cls)

    async def set(self, turn_context: TurnContext, value: Any) -> None:
        """Set the value (persisted on the next save)."""
        await self._agent_state.load(turn_context)
        self._agent_state.set_value(self._name, value)

    async def delete(self, turn_context: TurnContext) -> None:
        """Remove the value (persisted on the next save)."""
        await self._agent_state.load(turn_context)
        self._agent_state.delete_value(self._name)

    def __repr__(self) -> str:
        return f"StatePropertyAccessor({type(self._agent_state).__name__}, {self._name!r})"
