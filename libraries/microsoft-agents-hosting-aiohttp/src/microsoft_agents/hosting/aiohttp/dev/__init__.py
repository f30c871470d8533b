"""Talk to an agent locally: a chat page served next to the agent, for development only.

Opt-in: nothing here runs unless the ``agents-dev`` command (``agents-dev run module:AGENT_APP``)
or code calling :func:`run_dev_server` / :func:`create_dev_app` asks for it; ``start_server``
and ``create_app`` never serve the page. It listens on ``127.0.0.1`` and refuses other
machines unless another host is given explicitly.

The page posts the user's activities to the agent's real ``/api/messages`` endpoint with a
``serviceUrl`` pointing at :class:`DevChannelService`, a stand-in channel service in the same
server that receives the agent's replies and pushes them to the page (Server-Sent Events).
Replies show markdown, Hero and Adaptive Cards, suggested actions, typing and streamed text.
"""

from ._app import CHANNEL_ID, create_dev_app
from ._channel import DevChannelService
from ._cli import main
from ._loader import AGENT_NAMES, AgentLoadError, DevServerError, LoadedAgent, load_agent
from ._serve import DevServer, run_dev_server, start_dev_server

__all__ = [
    "AGENT_NAMES",
    "CHANNEL_ID",
    "AgentLoadError",
    "DevChannelService",
    "DevServer",
    "DevServerError",
    "LoadedAgent",
    "create_dev_app",
    "load_agent",
    "main",
    "run_dev_server",
    "start_dev_server",
]
