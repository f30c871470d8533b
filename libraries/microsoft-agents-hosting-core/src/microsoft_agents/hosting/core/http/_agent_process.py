"""The framework-neutral body of every host's ``start_agent_process``.

Each web host exposes ``start_agent_process(request, agent_application, adapter)`` typed with
its own framework's request and response; all of them check their arguments and hand the
request to the adapter the same way, here.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..errors import error_resources

if TYPE_CHECKING:
    from .._middleware import Agent

__all__ = ["AgentRequestProcessor", "run_agent_process"]

_Request_contra = TypeVar("_Request_contra", contravariant=True)
_Response_co = TypeVar("_Response_co", covariant=True)


class AgentRequestProcessor(Protocol[_Request_contra, _Response_co]):
    """An adapter that answers a web framework's request by running an agent."""

    async def process(self, request: _Request_contra, agent: Agent) -> _Response_co:
        """Process ``request`` with ``agent`` and return the framework's answer."""
        ...


def run_agent_process(
    request: _Request_contra,
    agent_application: Agent | None,
    adapter: AgentRequestProcessor[_Request_contra, _Response_co] | None,
) -> Awaitable[_Response_co]:
    """``adapter.process(request, agent_application)`` to be awaited, once both are given.

    (A plain function handing back the adapter's coroutine: one coroutine fewer per request
    than an ``async def`` that awaits it; callers ``await`` it all the same.)

    :raises TypeError: when the adapter or the agent application is missing (or falsy),
        with the messages of ``error_resources.AdapterRequired`` / ``AgentApplicationRequired``.
    """
    if not adapter:
        raise TypeError(str(error_resources.AdapterRequired))
    if not agent_application:
        raise TypeError(str(error_resources.AgentApplicationRequired))
    return adapter.process(request, agent_application)
