"""Headers added to every outbound connector and user-token request of a turn.

Register a :class:`HeaderValueProvider` with :class:`HeaderPropagationContext` and the
requests made during the rest of the turn carry its headers (the request's own headers win)::

    class TraceHeaders(HeaderValueProvider):
        def get_headers(self) -> dict[str, str]:
            return {"x-trace-id": current_trace_id()}


    HeaderPropagationContext.register(TraceHeaders())

``AgentApplication`` registers an :class:`AgenticHeaderProvider` for each agentic request, so
that its outbound requests name the agent (``AgentRegistrar``, ``AgentID``, ``AgentName``,
``Agent-Referrer``).
"""

from ._context import HeaderPropagationContext
from ._providers import AGENT_REGISTRAR, AgenticHeaderProvider, HeaderValueProvider

__all__ = [
    "AGENT_REGISTRAR",
    "AgenticHeaderProvider",
    "HeaderPropagationContext",
    "HeaderValueProvider",
]
