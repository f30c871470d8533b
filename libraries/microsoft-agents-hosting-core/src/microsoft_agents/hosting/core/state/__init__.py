"""Agent state: scopes of named values persisted in a storage, one document per scope.

:class:`AgentState` is the base of every scope (conversation, user...); it loads the scope's
document once per turn, tracks changes, and saves with the eTag it loaded so that two turns
racing on the same document cannot silently overwrite each other. :class:`UserState` keeps
values per user; the conversation and temp scopes and ``TurnState`` are in
:mod:`microsoft_agents.hosting.core.app.state`.
"""

from ._accessor import StatePropertyAccessor
from ._agent_state import AgentState
from ._user_state import UserState

__all__ = ["AgentState", "StatePropertyAccessor", "UserState"]
