"""The connector client for Copilot Studio connector requests."""

from ._mcs_client import MCSConnectorClient

__all__ = ["MCSConnectorClient"]
