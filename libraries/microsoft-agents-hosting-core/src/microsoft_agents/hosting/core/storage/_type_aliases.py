"""Type aliases shared by the storage contract and its implementations."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, TypeAlias

__all__ = ["JSON"]

JSON: TypeAlias = MutableMapping[str, Any]
"""A JSON object as stored by a :class:`~microsoft_agents.hosting.core.storage.Storage`."""
