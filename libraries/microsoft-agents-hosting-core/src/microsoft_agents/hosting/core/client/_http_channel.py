"""Calling another agent over HTTP: ``HttpAgentChannel`` and its factory.

The calling agent posts an activity to the other agent's messaging endpoint, as a channel
would. The copy it sends lives in a conversation of its own (an id from a
``ConversationIdFactory``), names the calling agent's channel-service URL as ``serviceUrl``
(where the other agent sends its answers) and points back at the original activity through
``relatesTo``. The request carries a token for the other agent's app (scope
``{app id}/.default``) and the conversation id in the ``x-ms-conversation-id`` header.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Protocol, runtime_checkable

import aiohttp
from pydantic import ValidationError

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationReference,
    InvokeResponse,
    RoleTypes,
)
from microsoft_agents.activity._model import AgentsModel

from ..authorization import AccessTokenProviderBase
from ..connector import get_product_info
from ..errors import HostingError, error_resources
from ._conversation_ids import ConversationConstants

__all__ = [
    "AgentChannelError",
    "ChannelFactoryProtocol",
    "ChannelProtocol",
    "HttpAgentChannel",
    "HttpAgentChannelFactory",
]

logger = logging.getLogger(__name__)

_APP_RESOURCE_PREFIX = "app://"
_DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=300, sock_connect=15)


class AgentChannelError(HostingError):
    """Another agent could not take an activity: it is unreachable or answered ``5xx``.

    ``agent_id`` and ``endpoint`` name the agent called; ``status`` is the HTTP status it
    answered (``None`` when no answer came: connection refused, DNS failure, timeout) and
    ``body`` its parsed answer, if any. The activity must be considered not delivered.
    """

    def __init__(
        self,
        message: str,
        *,
        agent_id: str,
        endpoint: str,
        status: int | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.agent_id = agent_id
        self.endpoint = endpoint
        self.status = status
        self.body = body


@runtime_checkable
class ChannelProtocol(Protocol):
    """A way to deliver activities to another agent."""

    async def post_activity(
        self,
        to_agent_id: str,
        to_agent_resource: str,
        endpoint: str,
        service_url: str,
        conversation_id: str,
        activity: Activity,
        *,
        response_body_type: type[AgentsModel] | None = None,
        **kwargs: Any,
    ) -> InvokeResponse:
        """Deliver ``activity``; the answer's status and body."""
        ...


@runtime_checkable
class ChannelFactoryProtocol(Protocol):
    """Makes channels that get their tokens from ``token_access``."""

    def create_channel(self, token_access: AccessTokenProviderBase) -> ChannelProtocol:
        """A channel authenticating with ``token_access``."""
        ...


def _outgoing_copy(activity: Activity, service_url: str, conversation_id: str) -> Activity:
    """The activity as the other agent receives it (the original is left untouched)."""
    if activity.conversation is None:
        missing = error_resources.AgentChannelArgumentMissing.format("activity.conversation")
        raise ValueError(missing)
    copy = activity.model_copy(deep=True)
    copy.relates_to = ConversationReference(
        service_url=activity.service_url,
        activity_id=activity.id,
        channel_id=activity.channel_id,
        locale=activity.locale,
        conversation=activity.conversation.model_copy(deep=True),
    )
    conversation = activity.conversation.model_copy(deep=True)
    conversation.id = conversation_id
    copy.conversation = conversation
    copy.service_url = service_url
    recipient = copy.recipient if copy.recipient is not None else ChannelAccount()
    recipient.role = RoleTypes.skill.value
    copy.recipient = recipient
    return copy


def _parse_body(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class HttpAgentChannel(ChannelProtocol):
    """Posts activities to another agent's messaging endpoint over HTTP.

    ``HttpAgentChannel(token_access, *, session=None, timeout=None)``: tokens come from
    ``token_access`` (an empty token sends no ``Authorization`` header, for agents running
    without credentials). Each call opens its own HTTP session unless ``session`` is given
    (then it is used and never closed here). ``timeout`` bounds a whole call (default 300 s:
    the other agent answers once its turn is over).
    """

    def __init__(
        self,
        token_access: AccessTokenProviderBase,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: aiohttp.ClientTimeout | None = None,
    ) -> None:
        if token_access is None:
            raise ValueError("HttpAgentChannel needs a token provider (token_access)")
        self._token_access = token_access
        self._session = session
        self._timeout = timeout or _DEFAULT_TIMEOUT

    async def post_activity(
        self,
        to_agent_id: str,
        to_agent_resource: str,
        endpoint: str,
        service_url: str,
        conversation_id: str,
        activity: Activity,
        *,
        response_body_type: type[AgentsModel] | None = None,
        **kwargs: Any,
    ) -> InvokeResponse:
        """Post a copy of ``activity`` to ``endpoint`` for the agent with app id ``to_agent_id``.

        The copy gets ``conversation.id = conversation_id``, ``serviceUrl = service_url``,
        ``recipient.role = "skill"`` and a ``relatesTo`` reference to the original activity.
        The token is asked for ``to_agent_resource`` (default ``app://{to_agent_id}``) with
        scope ``{to_agent_id}/.default``.

        Returns the answer's status and body (parsed JSON; validated as
        ``response_body_type`` when given). ``2xx`` to ``4xx`` answers are returned as they are.

        :raises ValueError: when an argument is missing.
        :raises AgentChannelError: when the agent cannot be reached or answers ``5xx``.
        """
        required = {
            "to_agent_id": to_agent_id,
            "endpoint": endpoint,
            "service_url": service_url,
            "conversation_id": conversation_id,
            "activity": activity,
        }
        for name, value in required.items():
            if not value:
                raise ValueError(str(error_resources.AgentChannelArgumentMissing.format(name)))
        outgoing = _outgoing_copy(activity, service_url, conversation_id)
        # Token providers want a URL for the resource; app://<id> names the agent's app.
        resource = to_agent_resource or f"{_APP_RESOURCE_PREFIX}{to_agent_id}"
        token = await self._token_access.get_access_token(resource, [f"{to_agent_id}/.default"])
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": get_product_info(),
            ConversationConstants.CONVERSATION_ID_HTTP_HEADER_NAME: conversation_id,
        }
        if token and len(token) > 1:
            headers["Authorization"] = f"Bearer {token}"
        payload = outgoing.model_dump(
            mode="json", by_alias=True, exclude_unset=True, exclude_none=True
        )
        status, body = await self._post(to_agent_id, endpoint, headers, payload)
        if status >= 500:
            raise AgentChannelError(
                error_resources.AgentServerError.format(to_agent_id, endpoint, status),
                agent_id=to_agent_id,
                endpoint=endpoint,
                status=status,
                body=body,
            )
        if status in (401, 403):
            logger.warning(
                "agent %r at %s refused the call (HTTP %s): check the app ids and the token "
                "scope %s/.default",
                to_agent_id,
                endpoint,
                status,
                to_agent_id,
            )
        if response_body_type is not None and isinstance(body, dict):
            try:
                body = response_body_type.model_validate(body)
            except ValidationError as error:
                raise AgentChannelError(
                    f"Agent {to_agent_id!r} at {endpoint} answered a body that is not a "
                    f"{response_body_type.__name__}: {error.error_count()} validation error(s).",
                    agent_id=to_agent_id,
                    endpoint=endpoint,
                    status=status,
                    body=body,
                ) from error
        return InvokeResponse(status=status, body=body)

    async def _post(
        self, agent_id: str, endpoint: str, headers: dict[str, str], payload: Any
    ) -> tuple[int, Any]:
        try:
            if self._session is not None:
                return await self._send(self._session, endpoint, headers, payload)
            async with aiohttp.ClientSession(timeout=self._timeout) as session:
                return await self._send(session, endpoint, headers, payload)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            reason = type(error).__name__ if isinstance(error, asyncio.TimeoutError) else error
            raise AgentChannelError(
                error_resources.AgentUnreachable.format(agent_id, endpoint, reason),
                agent_id=agent_id,
                endpoint=endpoint,
            ) from error

    async def _send(
        self,
        session: aiohttp.ClientSession,
        endpoint: str,
        headers: dict[str, str],
        payload: Any,
    ) -> tuple[int, Any]:
        async with session.post(
            endpoint, json=payload, headers=headers, timeout=self._timeout
        ) as response:
            return response.status, _parse_body(await response.text())


class HttpAgentChannelFactory(ChannelFactoryProtocol):
    """Makes :class:`HttpAgentChannel` objects.

    ``HttpAgentChannelFactory(*, session=None, timeout=None)``: the options are handed to
    every channel (a ``session`` given here is shared by them and stays the caller's to close).
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: aiohttp.ClientTimeout | None = None,
    ) -> None:
        self._session = session
        self._timeout = timeout

    def create_channel(self, token_access: AccessTokenProviderBase) -> HttpAgentChannel:
        """A channel that authenticates with ``token_access``."""
        return HttpAgentChannel(token_access, session=self._session, timeout=self._timeout)
