"""State for ``AgentApplication`` handlers: the scopes of a turn and ``TurnState``.

``TurnState.with_storage(storage)`` holds a :class:`ConversationState`, a
:class:`~microsoft_agents.hosting.core.state.UserState` and a :class:`TempState`; handlers
read and write values as ``state.conversation.get_value("count")`` or
``state.get_value("ConversationState.count")``. Saving is optimistic: a turn whose
conversation changed under it gets ``StorageConflictError`` instead of overwriting.

:class:`State` (with the ``@state`` class decorator) is a simpler alternative: a dict-backed
document declared as a class, with attribute access, saved under its ``__key__``.
"""

from ...state import StatePropertyAccessor
from ._declarative import State, state
from ._scopes import ConversationState, TempState
from ._turn_state import TurnState

__all__ = ["ConversationState", "State", "StatePropertyAccessor", "TempState", "TurnState", "state"]
