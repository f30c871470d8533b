"""Where the agent lives: clouds, agent types and the connection settings of a client."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import Enum
from typing import Any, Protocol, TypeVar, runtime_checkable

from .errors import CopilotClientValueError
from .errors.copilot_studio_errors import AgentIdentifierRequired, EnvironmentIdRequired

__all__ = [
    "AgentType",
    "ConnectionSettings",
    "DirectToEngineConnectionSettingsProtocol",
    "PowerPlatformCloud",
]


class AgentType(str, Enum):
    """How the agent is hosted: a published (Dataverse-backed) agent or a prebuilt one."""

    PUBLISHED = "published"
    PREBUILT = "prebuilt"


class PowerPlatformCloud(str, Enum):
    """The Power Platform cloud an environment lives in; it decides the API host."""

    UNKNOWN = "Unknown"
    EXP = "Exp"
    DEV = "Dev"
    TEST = "Test"
    PREPROD = "Preprod"
    FIRST_RELEASE = "FirstRelease"
    PROD = "Prod"
    GOV = "Gov"
    HIGH = "High"
    DOD = "DoD"
    MOONCAKE = "Mooncake"
    EX = "Ex"
    RX = "Rx"
    PRV = "Prv"
    LOCAL = "Local"
    GOV_FR = "GovFR"
    OTHER = "Other"


@runtime_checkable
class DirectToEngineConnectionSettingsProtocol(Protocol):
    """What endpoint construction reads from a settings object."""

    environment_id: str
    agent_identifier: str
    cloud: PowerPlatformCloud | None
    copilot_agent_type: AgentType | None
    custom_power_platform_cloud: str | None


_EnumT = TypeVar("_EnumT", bound=Enum)


def _enum_member(kind: type[_EnumT], raw: Any) -> _EnumT | None:
    """``raw`` as a member of ``kind`` (a member, a member name in any case, or a value);
    ``None`` when ``raw`` is empty or names no member."""
    if isinstance(raw, kind):
        return raw
    text = str(raw or "").strip()
    if not text:
        return None
    for candidate in (text, text.upper()):
        if candidate in kind.__members__:
            return kind.__members__[candidate]
    for member in kind:
        if str(member.value).lower() == text.lower():
            return member
    return None


def _setting(kind: type[_EnumT], raw: Any, default: _EnumT, name: str) -> _EnumT:
    if raw is None or raw == "":
        return default
    member = _enum_member(kind, raw)
    if member is None:
        names = ", ".join(kind.__members__)
        raise CopilotClientValueError(f"{name}={raw!r} is not one of {names}.")
    return member


def _flag(raw: str | None) -> bool:
    return raw is not None and raw.strip().lower() == "true"


class ConnectionSettings:
    """The agent to talk to and how to reach it.

    Either ``environment_id`` and ``agent_identifier`` (the agent's schema name) name an agent
    in a Power Platform ``cloud`` (``PROD`` by default), or ``direct_connect_url`` gives its
    conversations endpoint outright — the latter is also how a client is pointed at a local
    stand-in. ``client_session_settings`` are keyword arguments for every
    ``aiohttp.ClientSession`` the client opens (timeouts, connectors, proxies, ...).
    ``use_experimental_endpoint`` lets the service hand out a direct URL for later calls;
    ``enable_diagnostics`` logs request URLs and response headers at DEBUG level.

    Raises :class:`~microsoft_agents.copilotstudio.client.errors.CopilotClientValueError`
    (a ``ValueError``) when the agent cannot be located.
    """

    def __init__(
        self,
        environment_id: str | None,
        agent_identifier: str | None,
        cloud: PowerPlatformCloud | None = None,
        copilot_agent_type: AgentType | None = None,
        custom_power_platform_cloud: str | None = None,
        client_session_settings: dict[str, Any] | None = None,
        direct_connect_url: str | None = None,
        use_experimental_endpoint: bool = False,
        enable_diagnostics: bool = False,
    ) -> None:
        self.environment_id: str = (environment_id or "").strip()
        self.agent_identifier: str = (agent_identifier or "").strip()
        self.direct_connect_url: str | None = (direct_connect_url or "").strip() or None
        if not self.direct_connect_url:
            if not self.environment_id:
                raise CopilotClientValueError(EnvironmentIdRequired)
            if not self.agent_identifier:
                raise CopilotClientValueError(AgentIdentifierRequired)
        self.cloud: PowerPlatformCloud | None = _setting(
            PowerPlatformCloud, cloud, PowerPlatformCloud.PROD, "cloud"
        )
        self.copilot_agent_type: AgentType | None = _setting(
            AgentType, copilot_agent_type, AgentType.PUBLISHED, "copilot_agent_type"
        )
        self.custom_power_platform_cloud = custom_power_platform_cloud or None
        self.client_session_settings: dict[str, Any] = dict(client_session_settings or {})
        self.use_experimental_endpoint = bool(use_experimental_endpoint)
        self.enable_diagnostics = bool(enable_diagnostics)

    def __repr__(self) -> str:
        cloud = self.cloud.name if self.cloud else None
        kind = self.copilot_agent_type.name if self.copilot_agent_type else None
        return (
            f"ConnectionSettings(environment_id={self.environment_id!r}, "
            f"agent_identifier={self.agent_identifier!r}, cloud={cloud}, "
            f"copilot_agent_type={kind}, direct_connect_url={self.direct_connect_url!r})"
        )

    @staticmethod
    def populate_from_environment(
        environment_id: str | None = None,
        agent_identifier: str | None = None,
        cloud: PowerPlatformCloud | None = None,
        copilot_agent_type: AgentType | None = None,
        custom_power_platform_cloud: str | None = None,
        direct_connect_url: str | None = None,
        use_experimental_endpoint: bool | None = None,
        enable_diagnostics: bool | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Constructor keyword arguments from environment variables; arguments win.

        Reads ``ENVIRONMENT_ID``, ``AGENT_IDENTIFIER``, ``CLOUD`` (a member name such as
        ``PROD``; unknown names give ``PROD``), ``COPILOT_AGENT_TYPE`` (``PUBLISHED`` or
        ``PREBUILT``; unknown gives ``PUBLISHED``), ``CUSTOM_POWER_PLATFORM_CLOUD``,
        ``DIRECT_CONNECT_URL``, ``USE_EXPERIMENTAL_ENDPOINT`` and ``ENABLE_DIAGNOSTICS``
        (``"true"`` in any case turns them on). ``environ`` defaults to ``os.environ``.
        Use it as ``ConnectionSettings(**ConnectionSettings.populate_from_environment())``.
        """
        env = os.environ if environ is None else environ

        def pick(given: Any, name: str) -> Any:
            return given if given is not None else env.get(name)

        return {
            "environment_id": pick(environment_id, "ENVIRONMENT_ID") or "",
            "agent_identifier": pick(agent_identifier, "AGENT_IDENTIFIER") or "",
            "cloud": _enum_member(PowerPlatformCloud, pick(cloud, "CLOUD"))
            or PowerPlatformCloud.PROD,
            "copilot_agent_type": _enum_member(
                AgentType, pick(copilot_agent_type, "COPILOT_AGENT_TYPE")
            )
            or AgentType.PUBLISHED,
            "custom_power_platform_cloud": pick(
                custom_power_platform_cloud, "CUSTOM_POWER_PLATFORM_CLOUD"
            )
            or None,
            "direct_connect_url": pick(direct_connect_url, "DIRECT_CONNECT_URL") or None,
            "use_experimental_endpoint": use_experimental_endpoint
            if use_experimental_endpoint is not None
            else _flag(env.get("USE_EXPERIMENTAL_ENDPOINT")),
            "enable_diagnostics": enable_diagnostics
            if enable_diagnostics is not None
            else _flag(env.get("ENABLE_DIAGNOSTICS")),
        }
