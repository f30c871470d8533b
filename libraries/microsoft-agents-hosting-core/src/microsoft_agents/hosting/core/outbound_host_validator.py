"""Import path kept for code written against the earlier module layout."""

from ._host_validator import OutboundHostValidator

__all__ = ["OutboundHostValidator"]
