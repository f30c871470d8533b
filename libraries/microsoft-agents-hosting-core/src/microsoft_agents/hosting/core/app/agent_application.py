"""Import path kept for code written against the published module layout."""

from ._application import AgentApplication

__all__ = ["AgentApplication"]
