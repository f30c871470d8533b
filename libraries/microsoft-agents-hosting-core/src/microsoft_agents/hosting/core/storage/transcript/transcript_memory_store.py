"""``TranscriptMemoryStore`` under its long-standing module path.

Agents written for earlier releases import the in-memory transcript store from here; new code
can import it from ``microsoft_agents.hosting.core.storage.transcript``.
"""

from ._memory_store import TranscriptMemoryStore

__all__ = ["TranscriptMemoryStore"]
