"""Authentication of agents: caller identities, claim names and credential kinds."""

from ._claims_identity import ClaimsIdentity
from ._constants import AuthenticationConstants, AuthTypes

__all__ = ["AuthTypes", "AuthenticationConstants", "ClaimsIdentity"]
