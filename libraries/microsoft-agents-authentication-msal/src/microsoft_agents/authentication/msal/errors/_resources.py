"""The catalogue of error messages of the MSAL distribution (codes -60000 to -60999).

The codes -60012 to -60020 are those of the compatibility contract; the messages added by
this project start at -60100.
"""

from __future__ import annotations

from microsoft_agents.activity.errors import ErrorMessage

__all__ = ["AuthenticationErrorResources", "authentication_errors"]


class AuthenticationErrorResources:
    """Error messages about getting tokens, each with a stable negative error code."""

    # {0}: what failed and what to check
    FailedToAcquireToken = ErrorMessage("Failed to acquire token. {0}", -60012)
    # {0}: the rejected URL
    InvalidInstanceUrl = ErrorMessage(
        "Invalid instance URL {0!r}: it needs a scheme and a host (https://host/...).", -60013
    )
    OnBehalfOfFlowNotSupportedManagedIdentity = ErrorMessage(
        "The on-behalf-of flow is not supported with a managed identity; configure a "
        "ClientSecret, certificate, FederatedCredentials or WorkloadIdentity connection.",
        -60014,
    )
    # {0}: the auth type
    OnBehalfOfFlowNotSupportedAuthType = ErrorMessage(
        "The on-behalf-of flow is not supported with authentication type {0}.", -60015
    )
    # {0}: the auth type, {1}: the setting to fix, {2}: the supported values
    AuthenticationTypeNotSupported = ErrorMessage(
        "Authentication type not supported: {0!r}. Set {1} to one of {2}.", -60016
    )
    AgentApplicationInstanceIdRequired = ErrorMessage(
        "An agent application instance id is required.", -60017
    )
    # {0}: the instance id
    FailedToAcquireAgenticInstanceToken = ErrorMessage(
        "Failed to acquire the token of agent instance {0!r}.", -60018
    )
    AgentApplicationInstanceIdAndUserIdRequired = ErrorMessage(
        "An agent application instance id and an agentic user id are required.", -60019
    )
    # {0}: the instance id
    FailedToAcquireInstanceOrAgentToken = ErrorMessage(
        "Failed to acquire the instance or agent token for agent instance {0!r}.", -60020
    )

    # -- this project's additions (-60100 ..) --
    # {0}: the setting to fix, {1}: the auth type
    SettingRequired = ErrorMessage("{0} is required when AUTHTYPE is {1}.", -60100)
    # {0}: the setting to fix, {1}: the path, {2}: why it cannot be used
    CertificateUnusable = ErrorMessage(
        "{0} names {1!r}, which cannot be used as a certificate: {2}. It must be a PFX (PKCS#12) "
        "file or a PEM file holding an unencrypted private key and its certificate.",
        -60101,
    )
    # {0}: the setting to fix, {1}: the path
    TokenFileMissing = ErrorMessage(
        "{0} names {1!r}, which is not a readable file. Point it at the federated token file "
        "(in Kubernetes: the AZURE_FEDERATED_TOKEN_FILE of the workload identity webhook).",
        -60102,
    )
    # {0}: the setting to fix, {1}: the rejected value
    InvalidIdpmResource = ErrorMessage(
        "{0} must be an absolute URI (such as api://AzureAdTokenExchange), not {1!r}.", -60103
    )
    # {0}: the connection's settings prefix
    AnonymousConnectionHasNoCredentials = ErrorMessage(
        "This connection has no credentials (it only admits anonymous requests), so it cannot "
        "get tokens. Set {0}CLIENTID, {0}TENANTID and the credential of its AUTHTYPE.",
        -60104,
    )
    # {0}: the setting to fix, {1}: the auth type, {2}: the connection's settings prefix
    ClientIdRequired = ErrorMessage(
        "{0} is required for a connection that gets tokens (AUTHTYPE {1}). For local testing "
        "without credentials set {2}ANONYMOUS_ALLOWED=true instead.",
        -60106,
    )
    # {0}: the setting to fix
    TenantRequired = ErrorMessage("TENANT_ID is not set in the configuration. Set {0}.", -60105)


authentication_errors = AuthenticationErrorResources()
