"""The quickstart script in its authenticated mode: with the seed's
``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID/CLIENTSECRET/TENANTID`` set it builds an
``MsalConnectionManager``, validates the caller's Bot Framework token and answers the channel
with a token MSAL got from the identity provider — all of them loopback servers here."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import aiohttp
import pytest

pytest.importorskip("microsoft_agents.authentication.msal")

from microsoft_agents.authentication.msal.testing import EntraIdStandIn
from microsoft_agents.hosting.core.testing.loopback import (
    ChannelServiceStandIn,
    OpenIdProvider,
)

SAMPLE = Path(__file__).resolve().parent / "quickstart_agent.py"
APP = "00000000-0000-0000-0000-00000000a9e7"
SECRET = "quickstart-loopback-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _post(url: str, body: dict[str, object], token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        return response.status


async def test_the_script_authenticates_and_replies_with_an_msal_token(tmp_path: Path) -> None:
    tenant = str(uuid.uuid4())
    port = _free_port()
    async with (
        EntraIdStandIn() as idp,
        OpenIdProvider() as bot_framework,
        ChannelServiceStandIn() as channel,
    ):
        idp.register_secret(APP, SECRET)
        prefix = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS__")}
        env.update(
            {
                "PORT": str(port),
                f"{prefix}CLIENTID": APP,
                f"{prefix}CLIENTSECRET": SECRET,
                f"{prefix}TENANTID": tenant,
                f"{prefix}AUTHORITY": idp.authority(tenant),
                f"{prefix}OPENIDMETADATAURL": bot_framework.metadata_url,
                f"{prefix}AZUREBOTSERVICEOPENIDMETADATAURL": bot_framework.metadata_url,
                # MSAL's HTTP stack trusts the loopback provider's private CA.
                "REQUESTS_CA_BUNDLE": idp.tls.ca_file,
            }
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(SAMPLE),
            env=env,
            cwd=tmp_path,  # no stray .env file is read
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output = b""
        try:
            assert process.stdout is not None
            while b"Agent listening" not in output:
                line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
                assert line, f"the sample exited early: {output.decode(errors='replace')}"
                output += line
            url = f"http://localhost:{port}/api/messages"
            activity = {
                "type": "message",
                "id": "activity-1",
                "channelId": "msteams",
                "serviceUrl": channel.url,
                "conversation": {"id": "conversation-1"},
                "from": {"id": "user-1"},
                "recipient": {"id": APP},
                "text": "authenticated hello",
            }
            inbound = bot_framework.bot_framework_token(APP, service_url=channel.url)
            for _ in range(50):  # the socket opens just after the banner is printed
                try:
                    status = await _post(url, activity, inbound)
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                pytest.fail("the sample never accepted a connection")
            refused = await _post(url, activity, "not-a-token")
        finally:
            process.terminate()
            rest, _ = await process.communicate()
            output += rest or b""

    assert status == 202, output.decode(errors="replace")
    assert refused == 401
    [reply] = channel.requests
    assert reply.json["text"] == "You said: authenticated hello"
    [token_request] = idp.token_requests
    assert (token_request.client_id, token_request.credential) == (APP, "secret")
    assert reply.authorization == f"Bearer {token_request.token}"
    assert SECRET.encode() not in output and token_request.token.encode() not in output
