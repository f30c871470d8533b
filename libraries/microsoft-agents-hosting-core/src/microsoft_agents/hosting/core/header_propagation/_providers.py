"""Header providers: the ``HeaderValueProvider`` interface and the agent identity headers.

A provider is asked for its headers each time an outbound connector or token-service request
is prepared (see :class:`HeaderPropagationContext`). :class:`AgenticHeaderProvider` is the one
``AgentApplication`` registers for turns whose recipient is an agentic identity.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microsoft_agents.activity import Activity

__all__ = ["AGENT_REGISTRAR", "AgenticHeaderProvider", "HeaderValueProvider", "clean_value"]

AGENT_REGISTRAR = "A365"
"""The value of the ``AgentRegistrar`` header: where the agent's id is registered."""

# Control characters are removed from header values (horizontal tab is allowed by HTTP): a
# CR or LF taken from an activity field must never start a header line of its own.
_CONTROL_CHARACTERS = dict.fromkeys([*range(0x09), *range(0x0A, 0x20), 0x7F])


def clean_value(value: object) -> str:
    """``value`` as a header value: text without control characters or outer whitespace
    (``None`` is the empty string)."""
    if value is None:
        return ""
    return str(value).translate(_CONTROL_CHARACTERS).strip()


class HeaderValueProvider(ABC):
    """Supplies headers for the outbound requests made while it is registered.

    Register an instance with ``HeaderPropagationContext.register(provider)``;
    :meth:`get_headers` is then called for every connector and token-service request of the
    same turn (or task), so it may compute values that change over time.
    """

    @abstractmethod
    def get_headers(self) -> dict[str, str]:
        """The headers to add to the request: header name → value."""
        raise NotImplementedError


class AgenticHeaderProvider(HeaderValueProvider):
    """The agent identity headers of a turn whose recipient is an agentic identity.

    For an agentic request (recipient role ``agenticAppInstance`` or ``agenticUser``) the
    headers are ``AgentRegistrar`` (``A365``), ``AgentID`` (the recipient's agentic app id),
    ``AgentName`` (``agent_name``) and ``Agent-Referrer`` (the activity's channel id), each
    value stripped of line breaks and other control characters. Any other activity gives no
    headers.
    """

    def __init__(self, activity: Activity, agent_name: str | None = None) -> None:
        if activity is None:
            raise ValueError(
                "AgenticHeaderProvider needs the incoming activity (pass context.activity)"
            )
        self._activity = activity
        self._agent_name = agent_name or ""

    def get_headers(self) -> dict[str, str]:
        activity = self._activity
        if not activity.is_agentic_request():
            return {}
        recipient = activity.recipient
        return {
            "AgentRegistrar": AGENT_REGISTRAR,
            "AgentID": clean_value(recipient.agentic_app_id if recipient is not None else None),
            "AgentName": clean_value(self._agent_name),
            "Agent-Referrer": clean_value(activity.channel_id),
        }
