"""Microsoft Teams for agents: a Teams activity handler, Teams REST helpers and Teams routes.

* :class:`TeamsActivityHandler` — subclass it and override ``on_message_activity`` and the
  ``on_teams_...`` hooks (message extensions, dialogs, tabs, file consent, link unfurling,
  channel and team events, meetings, read receipts, message edits and deletes).
* :class:`TeamsInfo` — members, teams, channels, meetings, channel threads and batch messages
  for the current turn, over the turn's ``TeamsConnectorClient``.
* :class:`TeamsAgentExtension` — the same Teams events as routes of an ``AgentApplication``
  (with :class:`MessageExtension`, :class:`TaskModule` and :class:`Meeting`).

Importing the package logs a warning that it is in maintenance mode (see the README).
"""

import logging

from ._agent_extension import TeamsAgentExtension
from ._dialogs_meetings import Meeting, TaskModule
from ._message_extension import MessageExtension
from ._teams_activity_handler import TeamsActivityHandler
from ._teams_info import TeamsInfo

__all__ = [
    "Meeting",
    "MessageExtension",
    "TaskModule",
    "TeamsActivityHandler",
    "TeamsAgentExtension",
    "TeamsInfo",
]

DEPRECATION_MESSAGE = (
    "microsoft-agents-hosting-teams is deprecated: it stays available for existing agents, "
    "but new Teams features are planned for microsoft-agents-hosting-msteams."
)

logging.getLogger(__name__).warning(DEPRECATION_MESSAGE)
