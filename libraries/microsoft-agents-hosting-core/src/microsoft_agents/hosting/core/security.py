"""Security helpers of the hosting core: the outbound host allow-list."""

from ._host_validator import (
    DEFAULT_MICROSOFT_HOSTS,
    OutboundHostRefusedError,
    OutboundHostValidator,
)

__all__ = ["DEFAULT_MICROSOFT_HOSTS", "OutboundHostRefusedError", "OutboundHostValidator"]
