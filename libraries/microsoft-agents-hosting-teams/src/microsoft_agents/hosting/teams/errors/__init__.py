"""Errors of the Teams distribution: the message catalogue and the exception tree.

:data:`teams_errors` holds the messages (codes -62000 and up). :class:`TeamsError` is the base
of the exceptions; :class:`TeamsArgumentError` is also a ``ValueError`` (missing ids),
:class:`TeamsBadRequestError` and :class:`TeamsNotImplementedError` answer an invoke with
400 and 501 when raised from an invoke hook.
"""

from microsoft_agents.activity.errors import ErrorMessage

from ._teams_errors import (
    TeamsArgumentError,
    TeamsBadRequestError,
    TeamsError,
    TeamsErrorResources,
    TeamsNotImplementedError,
    teams_errors,
)

__all__ = [
    "ErrorMessage",
    "TeamsArgumentError",
    "TeamsBadRequestError",
    "TeamsError",
    "TeamsErrorResources",
    "TeamsNotImplementedError",
    "teams_errors",
]
