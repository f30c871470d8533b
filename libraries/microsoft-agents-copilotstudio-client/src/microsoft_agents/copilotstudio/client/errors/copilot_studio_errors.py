"""The catalogue of Copilot Studio client error messages (codes -65000 to -65199).

* ``-65000 .. -65099`` — connection settings, endpoint construction and call arguments;
* ``-65100 .. -65199`` — the HTTP exchange and the server-sent-event stream.

Every entry is an :class:`~microsoft_agents.activity.errors.ErrorMessage`; the comment above
an entry says which positional arguments its template takes. The names are available both as
module attributes (``copilot_studio_errors.CloudBaseAddressRequired``) and on
:class:`CopilotStudioErrorResources`.
"""

from __future__ import annotations

from microsoft_agents.activity.errors import ErrorMessage

__all__ = [
    "ActivityRequired",
    "AgentIdentifierRequired",
    "CloudBaseAddressRequired",
    "ConversationIdRequired",
    "CopilotStudioErrorResources",
    "CustomCloudOrBaseAddressRequired",
    "DirectConnectUrlInvalid",
    "EnvironmentIdRequired",
    "EventTooLarge",
    "HttpStatus",
    "MalformedActivity",
    "StreamBroken",
    "StreamEndedInsideEvent",
    "StreamTimedOut",
    "TokenAudienceUndecidable",
    "UnknownCloud",
]


class CopilotStudioErrorResources:
    """Error messages of the Copilot Studio client, each with a stable negative code."""

    # -- settings, endpoints and arguments (-65000 ..) --
    # no arguments
    CloudBaseAddressRequired = ErrorMessage(
        "PowerPlatformCloud.OTHER needs a base address: pass cloud_base_address or set "
        "ConnectionSettings.custom_power_platform_cloud to an absolute URL such as "
        "'https://api.contoso.example'.",
        -65000,
    )
    # no arguments
    EnvironmentIdRequired = ErrorMessage(
        "The Power Platform environment id is missing: set ConnectionSettings.environment_id "
        "(or ENVIRONMENT_ID), or give a direct_connect_url instead.",
        -65001,
    )
    # no arguments
    AgentIdentifierRequired = ErrorMessage(
        "The agent identifier (the agent's schema name) is missing: set "
        "ConnectionSettings.agent_identifier (or AGENT_IDENTIFIER), or give a "
        "direct_connect_url instead.",
        -65002,
    )
    # {0}: the rejected base address
    CustomCloudOrBaseAddressRequired = ErrorMessage(
        "PowerPlatformCloud.OTHER needs an absolute base URL such as "
        "'https://api.contoso.example'; got {0!r}.",
        -65003,
    )
    # {0}: the rejected URL
    DirectConnectUrlInvalid = ErrorMessage(
        "direct_connect_url must be an absolute http(s) URL such as "
        "'https://host/copilotstudio/.../conversations'; got {0!r}.",
        -65004,
    )
    # no arguments
    ConversationIdRequired = ErrorMessage(
        "No conversation id: pass one, or call start_conversation() first so the client "
        "remembers the conversation it started.",
        -65005,
    )
    # no arguments
    ActivityRequired = ErrorMessage("An activity is required.", -65006)
    # no arguments
    UnknownCloud = ErrorMessage(
        "PowerPlatformCloud.UNKNOWN names no endpoint: choose the cloud your environment "
        "lives in (PROD for most tenants).",
        -65020,
    )
    # {0}: the direct-connect URL
    TokenAudienceUndecidable = ErrorMessage(
        "Cannot tell the token audience from the direct-connect URL {0!r}: its host belongs to "
        "no known Power Platform cloud. Pass settings with a cloud (or cloud=...) as well.",
        -65021,
    )
    # -- HTTP exchange and event stream (-65100 ..) --
    # {0}: status, {1}: reason, {2}: method, {3}: URL, {4}: what to check, {5}: body excerpt
    HttpStatus = ErrorMessage(
        "Copilot Studio answered {0} {1} to {2} {3}. {4} Response body: {5}",
        -65100,
    )
    # {0}: method, {1}: URL, {2}: what went wrong
    StreamBroken = ErrorMessage(
        "The connection to Copilot Studio failed during {0} {1}: {2}. Activities received "
        "before the failure were delivered; retry the call to continue.",
        -65101,
    )
    # {0}: method, {1}: URL
    StreamTimedOut = ErrorMessage(
        "Copilot Studio did not answer {0} {1} in time. Raise the timeout with "
        "ConnectionSettings(client_session_settings={{'timeout': aiohttp.ClientTimeout(...)}}).",
        -65102,
    )
    # {0}: what is wrong, {1}: excerpt of the event data
    MalformedActivity = ErrorMessage(
        "Copilot Studio sent an 'activity' event that is not a valid activity ({0}). "
        "Event data: {1}",
        -65103,
    )
    # {0}: number of bytes left without a terminating blank line
    StreamEndedInsideEvent = ErrorMessage(
        "The event stream ended in the middle of an 'activity' event ({0} bytes without the "
        "terminating blank line), so that activity may be truncated and was not delivered.",
        -65104,
    )
    # {0}: limit in bytes
    EventTooLarge = ErrorMessage(
        "An event of the stream is larger than {0} bytes; the stream was abandoned.",
        -65105,
    )


CloudBaseAddressRequired = CopilotStudioErrorResources.CloudBaseAddressRequired
EnvironmentIdRequired = CopilotStudioErrorResources.EnvironmentIdRequired
AgentIdentifierRequired = CopilotStudioErrorResources.AgentIdentifierRequired
CustomCloudOrBaseAddressRequired = CopilotStudioErrorResources.CustomCloudOrBaseAddressRequired
DirectConnectUrlInvalid = CopilotStudioErrorResources.DirectConnectUrlInvalid
ConversationIdRequired = CopilotStudioErrorResources.ConversationIdRequired
ActivityRequired = CopilotStudioErrorResources.ActivityRequired
UnknownCloud = CopilotStudioErrorResources.UnknownCloud
TokenAudienceUndecidable = CopilotStudioErrorResources.TokenAudienceUndecidable
HttpStatus = CopilotStudioErrorResources.HttpStatus
StreamBroken = CopilotStudioErrorResources.StreamBroken
StreamTimedOut = CopilotStudioErrorResources.StreamTimedOut
MalformedActivity = CopilotStudioErrorResources.MalformedActivity
StreamEndedInsideEvent = CopilotStudioErrorResources.StreamEndedInsideEvent
EventTooLarge = CopilotStudioErrorResources.EventTooLarge
