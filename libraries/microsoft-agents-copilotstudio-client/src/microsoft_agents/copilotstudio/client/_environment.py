"""Endpoint construction: the Direct-to-Engine URL of an agent and the token audience."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from ._settings import AgentType, DirectToEngineConnectionSettingsProtocol, PowerPlatformCloud
from .errors import CopilotClientValueError
from .errors.copilot_studio_errors import (
    AgentIdentifierRequired,
    CloudBaseAddressRequired,
    CustomCloudOrBaseAddressRequired,
    DirectConnectUrlInvalid,
    EnvironmentIdRequired,
    TokenAudienceUndecidable,
    UnknownCloud,
)

__all__ = ["PowerPlatformEnvironment"]

_C = PowerPlatformCloud

_API_HOSTS: dict[PowerPlatformCloud, str] = {
    _C.LOCAL: "api.powerplatform.localhost",
    _C.EXP: "api.exp.powerplatform.com",
    _C.DEV: "api.dev.powerplatform.com",
    _C.PRV: "api.prv.powerplatform.com",
    _C.TEST: "api.test.powerplatform.com",
    _C.PREPROD: "api.preprod.powerplatform.com",
    _C.PROD: "api.powerplatform.com",
    _C.FIRST_RELEASE: "api.powerplatform.com",
    _C.GOV: "api.gov.powerplatform.microsoft.us",
    _C.GOV_FR: "api.gov.powerplatform.microsoft.us",
    _C.HIGH: "api.high.powerplatform.microsoft.us",
    _C.DOD: "api.appsplatform.us",
    _C.MOONCAKE: "api.powerplatform.partner.microsoftonline.cn",
    _C.EX: "api.powerplatform.eaglex.ic.gov",
    _C.RX: "api.powerplatform.microsoft.scloud",
}

# Host → cloud, for reading the cloud back from a URL. Hosts shared by two clouds decode to
# one of them: the public host to PROD, the government host to GOV_FR.
_CLOUD_OF_HOST: dict[str, PowerPlatformCloud] = {
    host: cloud for cloud, host in _API_HOSTS.items() if cloud not in (_C.FIRST_RELEASE, _C.GOV)
}

_PATH_SEGMENT = {
    AgentType.PUBLISHED: "dataverse-backed",
    AgentType.PREBUILT: "prebuilt",
}


def _quote(segment: str) -> str:
    return quote(segment, safe="-_.~")


def _conversation_path(conversation_id: str | None, create_subscribe_link: bool) -> str:
    path = "/conversations"
    if conversation_id:
        path += f"/{_quote(conversation_id)}"
        if create_subscribe_link:
            path += "/subscribe"
    return path


def _absolute_url_host(address: str | None) -> str | None:
    """``host[:port]`` of an absolute http(s) URL, or ``None`` when it is not one."""
    if not address:
        return None
    parts = urlsplit(address.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname


class PowerPlatformEnvironment:
    """Static helpers that turn connection settings into URLs and token audiences."""

    API_VERSION = "2022-03-01-preview"

    @staticmethod
    def get_copilot_studio_connection_url(
        settings: DirectToEngineConnectionSettingsProtocol,
        conversation_id: str | None = None,
        agent_type: AgentType = AgentType.PUBLISHED,
        cloud: PowerPlatformCloud = PowerPlatformCloud.PROD,
        create_subscribe_link: bool = False,
        cloud_base_address: str | None = None,
        direct_connect_url: str | None = None,
    ) -> str:
        """The conversations URL of the agent (optionally of one conversation, or its
        subscribe link), with the ``api-version`` query.

        A direct-connect URL (the argument, else ``settings.direct_connect_url``) is used as
        given up to its first ``/conversations``; otherwise the URL is built from the
        environment id, the agent identifier and the cloud (the settings' cloud unless it is
        ``UNKNOWN``).
        """
        direct = direct_connect_url or getattr(settings, "direct_connect_url", None)
        if direct:
            return PowerPlatformEnvironment._direct_url(
                direct, conversation_id, create_subscribe_link
            )
        if not settings.environment_id:
            raise CopilotClientValueError(EnvironmentIdRequired)
        if not settings.agent_identifier:
            raise CopilotClientValueError(AgentIdentifierRequired)
        if settings.cloud and settings.cloud != PowerPlatformCloud.UNKNOWN:
            cloud = settings.cloud
        if cloud == PowerPlatformCloud.OTHER:
            cloud_base_address = cloud_base_address or settings.custom_power_platform_cloud
            if not cloud_base_address:
                raise CopilotClientValueError(CloudBaseAddressRequired)
            if _absolute_url_host(cloud_base_address) is None:
                raise CopilotClientValueError(CustomCloudOrBaseAddressRequired, cloud_base_address)
        agent_type = settings.copilot_agent_type or agent_type
        host = PowerPlatformEnvironment.get_environment_endpoint(
            cloud, settings.environment_id, cloud_base_address
        )
        return PowerPlatformEnvironment.create_uri(
            settings.agent_identifier, host, agent_type, conversation_id, create_subscribe_link
        )

    @staticmethod
    def _direct_url(
        direct_connect_url: str, conversation_id: str | None, create_subscribe_link: bool
    ) -> str:
        parts = urlsplit(direct_connect_url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise CopilotClientValueError(DirectConnectUrlInvalid, direct_connect_url)
        path = parts.path.rstrip("/\\")
        cut = path.find("/conversations")
        if cut >= 0:
            path = path[:cut]
        path += _conversation_path(conversation_id, create_subscribe_link)
        query = f"api-version={PowerPlatformEnvironment.API_VERSION}"
        return urlunsplit((parts.scheme, parts.netloc, path, query, ""))

    @staticmethod
    def create_uri(
        agent_identifier: str,
        host: str,
        agent_type: AgentType,
        conversation_id: str | None,
        create_subscribe_link: bool = False,
    ) -> str:
        """``https://{host}/copilotstudio/{kind}/authenticated/bots/{agent}/conversations...``."""
        kind = _PATH_SEGMENT[AgentType(agent_type)]
        path = (
            f"/copilotstudio/{kind}/authenticated/bots/{_quote(agent_identifier)}"
            + _conversation_path(conversation_id, create_subscribe_link)
        )
        query = f"api-version={PowerPlatformEnvironment.API_VERSION}"
        return urlunsplit(("https", host, path, query, ""))

    @staticmethod
    def get_environment_endpoint(
        cloud: PowerPlatformCloud, environment_id: str, cloud_base_address: str | None = None
    ) -> str:
        """The environment's API host: ``{prefix}.{suffix}.environment.{api host}``."""
        if not environment_id:
            raise CopilotClientValueError(EnvironmentIdRequired)
        normalized = environment_id.lower().replace("-", "")
        length = PowerPlatformEnvironment.get_id_suffix_length(cloud)
        prefix, suffix = normalized[:-length], normalized[-length:]
        api_host = PowerPlatformEnvironment.get_endpoint_suffix(cloud, cloud_base_address)
        return f"{prefix}.{suffix}.environment.{api_host}"

    @staticmethod
    def get_id_suffix_length(cloud: PowerPlatformCloud) -> int:
        """How many trailing characters of the environment id form their own host label."""
        return 2 if cloud in (PowerPlatformCloud.PROD, PowerPlatformCloud.FIRST_RELEASE) else 1

    @staticmethod
    def get_endpoint_suffix(cloud: PowerPlatformCloud, cloud_base_address: str | None) -> str:
        """The Power Platform API host of ``cloud`` (for ``OTHER``: the base address's host)."""
        cloud = PowerPlatformCloud(cloud)
        if cloud == PowerPlatformCloud.OTHER:
            if not cloud_base_address:
                raise CopilotClientValueError(CloudBaseAddressRequired)
            host = _absolute_url_host(cloud_base_address)
            if host is None:
                raise CopilotClientValueError(CustomCloudOrBaseAddressRequired, cloud_base_address)
            return host
        if cloud == PowerPlatformCloud.UNKNOWN:
            raise CopilotClientValueError(UnknownCloud)
        return _API_HOSTS[cloud]

    @staticmethod
    def _decode_cloud_from_uri(uri: str) -> PowerPlatformCloud:
        """The cloud whose API host ``uri`` is on (exactly, or as a sub-domain); else
        ``UNKNOWN``."""
        host = (urlsplit(uri.strip()).hostname or "").lower()
        for api_host, cloud in _CLOUD_OF_HOST.items():
            if host == api_host or host.endswith("." + api_host):
                return cloud
        return PowerPlatformCloud.UNKNOWN

    @staticmethod
    def get_token_audience(
        settings: DirectToEngineConnectionSettingsProtocol | None = None,
        cloud: PowerPlatformCloud = PowerPlatformCloud.UNKNOWN,
        cloud_base_address: str | None = None,
        direct_connect_url: str | None = None,
    ) -> str:
        """The scope to request a token for: ``https://{api host}/.default``.

        With a direct-connect URL the cloud is read from its host, falling back to the
        settings' cloud (then ``cloud``) for hosts of no known cloud, such as a local
        stand-in. Otherwise the settings' cloud wins unless it is ``UNKNOWN``.
        """
        settings_cloud = settings.cloud if settings is not None else None
        if settings_cloud == PowerPlatformCloud.UNKNOWN:
            settings_cloud = None
        if settings is not None:
            cloud_base_address = cloud_base_address or settings.custom_power_platform_cloud
        direct = direct_connect_url or getattr(settings, "direct_connect_url", None)
        if direct:
            decoded = PowerPlatformEnvironment._decode_cloud_from_uri(direct)
            if decoded == PowerPlatformCloud.UNKNOWN:
                decoded = settings_cloud or cloud
            if decoded == PowerPlatformCloud.UNKNOWN:
                raise CopilotClientValueError(TokenAudienceUndecidable, direct)
            cloud = decoded
        else:
            cloud = settings_cloud or cloud
        host = PowerPlatformEnvironment.get_endpoint_suffix(cloud, cloud_base_address)
        return f"https://{host}/.default"
