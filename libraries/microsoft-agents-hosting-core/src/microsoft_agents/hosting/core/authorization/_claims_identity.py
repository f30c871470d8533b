"""``ClaimsIdentity``: who sent a request, as told by the claims of its validated token."""

from __future__ import annotations

import warnings
from typing import Any

from ._constants import AuthenticationConstants as _C

__all__ = ["ClaimsIdentity"]

_PUBLIC_ISSUER = _C.AGENTS_SDK_TOKEN_ISSUER.lower()
_GOV_ISSUER = _C.GOV_AGENTS_SDK_TOKEN_ISSUER.lower()


class ClaimsIdentity:
    """The claims of a caller plus how they were established.

    An identity with no claims and no (or an ``anonymous``) authentication type stands for an
    anonymous caller. The helpers tell a channel (Azure Bot Service) apart from another agent
    calling this one, and derive the audience and scope of tokens used to answer it.

    ``is_authenticated`` is accepted for backwards compatibility and ignored, with a
    ``DeprecationWarning``: whether the caller is authenticated follows from the claims.
    """

    claims: dict[str, Any]
    authentication_type: str | None
    security_token: str | None

    def __init__(
        self,
        claims: dict[str, Any] | None = None,
        is_authenticated: bool | None = None,
        authentication_type: str | None = None,
        security_token: str | None = None,
    ) -> None:
        if is_authenticated is not None:
            warnings.warn(
                "ClaimsIdentity(is_authenticated=...) is ignored; authentication follows "
                "from the claims and the authentication type",
                DeprecationWarning,
                stacklevel=2,
            )
        self.claims = claims if claims is not None else {}
        self.authentication_type = authentication_type
        self.security_token = security_token

    def __repr__(self) -> str:
        # Claims may carry personal data and the token is a secret: show neither.
        return (
            f"ClaimsIdentity(authentication_type={self.authentication_type!r}, "
            f"claims={sorted(self.claims)!r})"
        )

    def get_claim_value(self, claim_type: str) -> Any:
        """The value of claim ``claim_type``, or ``None``."""
        return self.claims.get(claim_type)

    @property
    def name(self) -> str | None:
        """The ``name`` claim, if present."""
        value = self.claims.get("name")
        return value if value is None else str(value)

    @property
    def allow_anonymous(self) -> bool:
        """True for an anonymous caller: no claims and no (or ``anonymous``) auth type."""
        auth_type = self.authentication_type
        return not self.claims and (not auth_type or auth_type.lower() == "anonymous")

    def get_app_id(self) -> str | None:
        """The app id the token was issued for: ``aud``, else ``appid``."""
        return self.claims.get(_C.AUDIENCE_CLAIM) or self.claims.get(_C.APP_ID_CLAIM)

    def get_outgoing_app_id(self) -> str | None:
        """The caller's app id: ``appid`` in v1 tokens, ``azp`` in v2 tokens."""
        version = self.claims.get(_C.VERSION_CLAIM)
        if not version or version == "1.0":
            return self.claims.get(_C.APP_ID_CLAIM)
        if version == "2.0":
            return self.claims.get(_C.AUTHORIZED_PARTY)
        return None

    def is_agent_claim(self) -> bool:
        """True when another agent (not a channel) called: versioned token, own audience,
        and a caller app id different from the audience."""
        if not self.claims.get(_C.VERSION_CLAIM):
            return False
        audience = self.claims.get(_C.AUDIENCE_CLAIM)
        if not audience or str(audience).lower() == _PUBLIC_ISSUER:
            return False
        caller = self.get_outgoing_app_id()
        return bool(caller) and caller != audience

    def is_gov_botframework_claim(self) -> bool:
        """True when the token's audience is the government-cloud token issuer."""
        audience = self.claims.get(_C.AUDIENCE_CLAIM)
        return bool(audience) and str(audience).lower() == _GOV_ISSUER

    def get_outgoing_audience_claim(self) -> str:
        """The audience of tokens for answering the caller."""
        if self.is_agent_claim():
            return f"api://{self.get_outgoing_app_id()}"
        if self.is_gov_botframework_claim():
            return _C.GOV_AGENTS_SDK_TOKEN_ISSUER
        return _C.AGENTS_SDK_SCOPE

    def get_token_audience(self) -> str:
        """``app://{caller}`` for agent callers, else the public token service."""
        if self.is_agent_claim():
            return f"app://{self.get_outgoing_app_id()}"
        return _C.AGENTS_SDK_SCOPE

    def get_token_scope(self) -> list[str]:
        """The scope of tokens for answering the caller."""
        if self.is_agent_claim():
            return [f"{self.get_outgoing_app_id()}/.default"]
        return [f"{_C.AGENTS_SDK_SCOPE}/.default"]
