"""The REST clients of the connector service and of the user-token service."""

from ._connector_client import ConnectorClient
from ._operations import AttachmentsOperations, ConversationsOperations
from ._user_token_client import AgentSignInOperations, UserTokenClient, UserTokenOperations

__all__ = [
    "AgentSignInOperations",
    "AttachmentsOperations",
    "ConnectorClient",
    "ConversationsOperations",
    "UserTokenClient",
    "UserTokenOperations",
]
