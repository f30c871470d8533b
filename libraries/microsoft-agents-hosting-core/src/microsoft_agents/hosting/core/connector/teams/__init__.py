"""The connector client with the Teams team, meeting and batch operations."""

from ._teams_client import TeamsConnectorClient

__all__ = ["TeamsConnectorClient"]
