"""The MSAL client objects of one connection and the blocking calls made on them.

Everything in this module blocks (MSAL does HTTP with ``requests``): ``MsalAuth`` runs it in
worker threads, never on the event loop. Clients are created on first use — creating a
confidential client already fetches the authority's OpenID metadata — and kept per
``(tenant, agentic instance)``; a lock makes concurrent first uses create one client.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

import msal
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, AuthTypes

from ._credentials import (
    certificate_credential,
    load_certificate,
    managed_identity_assertion,
    token_file_assertion,
)
from ._settings import (
    is_custom_authority,
    resolve_authority,
    resolve_azure_region,
    resolve_idpm_resource,
    setting_name,
)
from ._token_memo import IssuedToken
from .errors import MsalAuthError, MsalUnsupportedError, TokenAcquisitionError
from .errors import authentication_errors as _errors

__all__ = ["AGENTIC_SCOPE", "MsalClients"]

logger = logging.getLogger(__name__)

AGENTIC_SCOPE = "api://AzureAdTokenExchange/.default"
_ClientKey = tuple[str | None, str | None]


class MsalClients:
    """The MSAL clients of one connection (blocking; see the module documentation)."""

    def __init__(self, config: AgentAuthConfiguration, http_client: Any = None) -> None:
        self._config = config
        self._http_client = http_client
        self._lock = threading.RLock()
        self._confidential: dict[_ClientKey, msal.ConfidentialClientApplication] = {}
        self._managed: dict[str, tuple[msal.ManagedIdentityClient, msal.TokenCache]] = {}
        self._secrets = [s for s in (config.CLIENT_SECRET,) if s]

    # -- clients ----------------------------------------------------------------------------

    def _session(self) -> Any:
        return self._http_client if self._http_client is not None else requests.Session()

    def managed_identity(self, client_id: str | None = None) -> msal.ManagedIdentityClient:
        """The managed identity client: user-assigned ``client_id``, else system-assigned."""
        return self._managed_identity(client_id)[0]

    def _managed_identity(
        self, client_id: str | None
    ) -> tuple[msal.ManagedIdentityClient, msal.TokenCache]:
        key = client_id or ""
        with self._lock:
            entry = self._managed.get(key)
            if entry is None:
                identity: Any = (
                    msal.UserAssignedManagedIdentity(client_id=client_id)
                    if client_id
                    else msal.SystemAssignedManagedIdentity()
                )
                cache = msal.TokenCache()
                client = msal.ManagedIdentityClient(
                    identity, http_client=self._session(), token_cache=cache
                )
                entry = self._managed[key] = (client, cache)
            return entry

    def connection_managed_identity(self) -> msal.ManagedIdentityClient:
        """The managed identity this connection itself authenticates as."""
        return self._managed_identity(self._own_identity())[0]

    def _own_identity(self) -> str | None:
        if AuthTypes.system_managed_identity == self._config.AUTH_TYPE:
            return None
        return self._config.CLIENT_ID

    def confidential(self, tenant_id: str | None = None) -> msal.ConfidentialClientApplication:
        """The connection's confidential client for ``tenant_id`` (``None``: its own)."""
        key: _ClientKey = (tenant_id, None)
        with self._lock:
            client = self._confidential.get(key)
            if client is None:
                client = self._new_confidential(
                    str(self._config.CLIENT_ID), self._credential(), tenant_id
                )
                self._confidential[key] = client
            return client

    def instance_client(
        self, tenant_id: str, instance_id: str
    ) -> msal.ConfidentialClientApplication:
        """The client of agent instance ``instance_id``: its assertion is the blueprint's
        token for that instance, obtained afresh whenever MSAL needs one."""
        key: _ClientKey = (tenant_id, instance_id)
        with self._lock:
            client = self._confidential.get(key)
            if client is None:

                def blueprint_token() -> str:
                    return self.agentic_application_token(tenant_id, instance_id).value

                client = self._new_confidential(
                    instance_id, {"client_assertion": blueprint_token}, tenant_id
                )
                self._confidential[key] = client
            return client

    def _new_confidential(
        self, client_id: str, credential: Any, tenant_id: str | None
    ) -> msal.ConfidentialClientApplication:
        authority = resolve_authority(self._config, tenant_id)
        options: dict[str, Any] = {}
        if is_custom_authority(authority):
            # An identity provider the operator configured on purpose: MSAL cannot look it
            # up among the Microsoft clouds, so it is trusted as written.
            options.update(validate_authority=False, instance_discovery=False)
        logger.debug("creating an MSAL client for %s at %s", client_id, authority)
        return self._call(
            "reach the authority " + authority,
            lambda: msal.ConfidentialClientApplication(
                client_id,
                client_credential=credential,
                authority=authority,
                azure_region=resolve_azure_region(self._config),
                http_client=self._http_client,
                **options,
            ),
        )

    def _credential(self) -> Any:
        config = self._config
        auth_type = config.AUTH_TYPE
        if auth_type == AuthTypes.client_secret:
            return config.CLIENT_SECRET
        if auth_type == AuthTypes.certificate:
            setting = setting_name(config, "CERTPFXFILE")
            certificate = load_certificate(config.CERT_PFX_FILE or "", setting)
            return certificate_credential(certificate, config.SEND_X5C)
        if auth_type == AuthTypes.workload_identity:
            setting = setting_name(config, "FEDERATEDTOKENFILE")
            return {
                "client_assertion": token_file_assertion(config.FEDERATED_TOKEN_FILE or "", setting)
            }
        if auth_type == AuthTypes.federated_credentials:
            federated_id = str(config.FEDERATED_CLIENT_ID)
            identity = self.managed_identity(federated_id)

            def acquire(resource: str) -> dict[str, Any]:
                result: dict[str, Any] = identity.acquire_token_for_client(resource=resource)
                return result

            return {"client_assertion": managed_identity_assertion(acquire, federated_id)}
        raise MsalUnsupportedError(
            _errors.AuthenticationTypeNotSupported.format(
                str(auth_type), setting_name(config, "AUTHTYPE"), "a confidential client type"
            )
        )

    # -- token requests -----------------------------------------------------------------------

    def client_token(
        self, scopes: list[str], force_refresh: bool = False, tenant_id: str | None = None
    ) -> IssuedToken:
        """A client-credentials token of the connection's app for ``scopes``."""
        client = self.confidential(tenant_id)
        if force_refresh:
            _forget(client.token_cache, scopes)
        result = self._call("get a token", lambda: client.acquire_token_for_client(scopes=scopes))
        return self._token(result, f"scopes {scopes}")

    def managed_token(self, resource: str, force_refresh: bool = False) -> IssuedToken:
        """A token of the connection's managed identity for ``resource``."""
        client, cache = self._managed_identity(self._own_identity())
        if force_refresh:
            _forget(cache, [resource])
        result = self._call(
            "get a managed identity token",
            lambda: client.acquire_token_for_client(resource=resource),
        )
        return self._token(result, f"resource {resource!r} (managed identity)")

    def on_behalf_of(self, scopes: list[str], user_assertion: str) -> IssuedToken:
        client = self.confidential()
        result = self._call(
            "exchange the user's token",
            lambda: client.acquire_token_on_behalf_of(user_assertion=user_assertion, scopes=scopes),
        )
        return self._token(result, f"scopes {scopes} (on behalf of a user)")

    def agentic_application_token(self, tenant_id: str | None, instance_id: str) -> IssuedToken:
        """The blueprint's token for one agent instance (``fmi_path`` = the instance id)."""
        auth_type = self._config.AUTH_TYPE
        if auth_type == AuthTypes.identity_proxy_manager:
            resource = resolve_idpm_resource(self._config)
            client = self.connection_managed_identity()
            result = self._call(
                "get the blueprint token",
                lambda: client.acquire_token_for_client(resource=resource),
            )
        elif self._config.AUTH_TYPE in (
            AuthTypes.user_managed_identity,
            AuthTypes.system_managed_identity,
        ):
            raise MsalUnsupportedError(
                f"Agentic tokens need a confidential client or IdentityProxyManager; this "
                f"connection uses {auth_type!s}."
            )
        else:
            app = self.confidential(tenant_id)
            result = self._call(
                "get the blueprint token",
                lambda: app.acquire_token_for_client([AGENTIC_SCOPE], fmi_path=instance_id),
            )
        return self._token(result, f"the blueprint of agent instance {instance_id!r}")

    def agentic_instance_token(self, tenant_id: str, instance_id: str) -> IssuedToken:
        client = self.instance_client(tenant_id, instance_id)
        result = self._call(
            "get the agent instance token",
            lambda: client.acquire_token_for_client([AGENTIC_SCOPE]),
        )
        return self._token(result, f"agent instance {instance_id!r}")

    def agentic_user_token(
        self, tenant_id: str, instance_id: str, user_id: str, scopes: list[str]
    ) -> IssuedToken:
        instance_token = self.agentic_instance_token(tenant_id, instance_id)
        client = self.instance_client(tenant_id, instance_id)
        result = self._call(
            "get the agentic user token",
            lambda: client.acquire_token_by_user_federated_identity_credential(
                scopes, assertion=instance_token.value, user_object_id=user_id
            ),
        )
        return self._token(result, f"agentic user {user_id!r} of instance {instance_id!r}")

    # -- results and failures ------------------------------------------------------------------

    def _call(self, what: str, action: Callable[[], Any]) -> Any:
        """Run an MSAL call, translating its exceptions (whose text is kept free of secrets)."""
        try:
            return action()
        except MsalAuthError:
            raise
        except Exception as error:
            detail = self._redact(f"{type(error).__name__}: {error}")
            raise TokenAcquisitionError(
                _errors.FailedToAcquireToken.format(f"Could not {what}: {detail}")
            ) from error

    def _token(self, result: Any, what: str) -> IssuedToken:
        if isinstance(result, dict) and result.get("access_token"):
            token = IssuedToken.from_result(result)
            logger.debug(
                "token for %s from %s, valid for %.0f s",
                what,
                result.get("token_source", "the identity provider"),
                token.expires_on - time.time(),
            )
            return token
        result = result if isinstance(result, dict) else {}
        error = result.get("error")
        description = str(result.get("error_description") or "").strip().splitlines()
        codes = result.get("error_codes")
        numbers = [c for c in codes if isinstance(c, int)] if isinstance(codes, list) else None
        detail = f"No token for {what}: {error or 'no access_token in the answer'}"
        if description:
            detail += f" - {description[0]}"
        raise TokenAcquisitionError(
            _errors.FailedToAcquireToken.format(self._redact(detail)),
            error=error if isinstance(error, str) else None,
            error_codes=numbers,
            correlation_id=result.get("correlation_id"),
        )

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _forget(cache: Any, targets: list[str]) -> None:
    """Drop the cached access tokens for ``targets`` so the next request gets a new one."""
    for entry in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN, target=targets)):
        cache.remove_at(entry)
