"""State for ``AgentApplication`` handlers: the scopes of a turn and ``TurnState``.

``TurnState.with_storage(storage)`` holds a :class:`ConversationState`, a
:class:`~microsoft_agents.hosting.core.state.UserState` and a :class:`TempState`; handlers
read and write values as ``state.conversation.get_value("count")`` or
``state.get_value("ConversationState.count")``. Saving is optimistic: a turn whose
conversation changed under it gets ``StorageConflictError`` instead of overwriting.
"""

from ...state import StatePropertyAccessor
from ._scopes import ConversationState, TempState
from ._turn_state import TurnState

__all__ = ["ConversationState", "StatePropertyAccessor", "TempState", "TurnState"]
