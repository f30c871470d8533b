"""The two scripts in their authenticated mode: MSAL gets every token from a loopback Entra ID.

Both agents get ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*`` (their own app ids and
secrets) and build an ``MsalConnectionManager``. The user's channel sends a Bot Framework
token; the caller gets a token for the flight agent's app from the identity provider, the
flight agent validates it and answers with a token for the caller's app, and the caller
relays with a token for the channel. Nothing here is anonymous.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import uuid
from pathlib import Path

import aiohttp
import pytest

pytest.importorskip("microsoft_agents.authentication.msal")

from microsoft_agents.authentication.msal.testing import EntraIdStandIn
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn, OpenIdProvider

HERE = Path(__file__).resolve().parent
CALLER_APP = "00000000-0000-0000-0000-0000000ca11e"
CALLEE_APP = "00000000-0000-0000-0000-0000000f1195"
PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _wait_until_listening(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _attempt in range(150):
            assert process.returncode is None, f"{url}: the script exited early"
            try:
                async with session.get(url):
                    return  # any answer (401 without a token) means it is serving
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    pytest.fail(f"{url} never answered")


async def test_both_agents_authenticate_every_call_with_msal(tmp_path: Path) -> None:
    tenant = str(uuid.uuid4())
    caller_port, callee_port = _free_port(), _free_port()
    async with (
        EntraIdStandIn() as entra,
        OpenIdProvider() as bot_framework,
        ChannelServiceStandIn() as channel,
    ):
        base = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS__")}
        base.update(
            {
                f"{PREFIX}TENANTID": tenant,
                f"{PREFIX}AUTHORITY": entra.authority(tenant),
                # tokens between the agents come from Entra ID, the user's from Bot Framework
                f"{PREFIX}OPENIDMETADATAURL": (
                    f"{entra.authority(tenant)}/v2.0/.well-known/openid-configuration"
                ),
                f"{PREFIX}AZUREBOTSERVICEOPENIDMETADATAURL": bot_framework.metadata_url,
                # the loopback Entra ID's issuer (the real one is among the defaults)
                f"{PREFIX}ISSUERS": entra.issuer(tenant),
                # MSAL (requests) and the token validator (aiohttp) trust the loopback CA
                "REQUESTS_CA_BUNDLE": entra.tls.ca_file,
                "SSL_CERT_FILE": entra.tls.ca_file,
            }
        )
        agents = {
            "callee_agent.py": {"PORT": str(callee_port), f"{PREFIX}CLIENTID": CALLEE_APP},
            "caller_agent.py": {
                "PORT": str(caller_port),
                f"{PREFIX}CLIENTID": CALLER_APP,
                "CALLEE_APP_ID": CALLEE_APP,
                "CALLEE_ENDPOINT": f"http://localhost:{callee_port}/api/messages",
            },
        }
        for script, env in agents.items():
            secret = f"secret-of-{script}"
            entra.register_secret(env[f"{PREFIX}CLIENTID"], secret)
            env[f"{PREFIX}CLIENTSECRET"] = secret
        logs = {script: (tmp_path / f"{script}.log").open("wb") for script in agents}
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                str(HERE / script),
                env={**base, **env},
                cwd=tmp_path,  # no stray .env file is read
                stdout=logs[script],
                stderr=asyncio.subprocess.STDOUT,
            )
            for script, env in agents.items()
        ]
        try:
            for port, process in zip((callee_port, caller_port), processes, strict=True):
                await _wait_until_listening(f"http://localhost:{port}/api/messages", process)
            activity = {
                "type": "message",
                "id": "activity-1",
                "channelId": "msteams",
                "serviceUrl": channel.url,
                "conversation": {"id": "user-conversation"},
                "from": {"id": "user-1"},
                "recipient": {"id": "caller-bot"},
                "text": "Paris",
            }
            url = f"http://localhost:{caller_port}/api/messages"
            async with aiohttp.ClientSession() as session:
                async with session.post(url, json=activity) as anonymous:
                    assert anonymous.status == 401  # the caller wants a token now
                token = bot_framework.bot_framework_token(CALLER_APP, service_url=channel.url)
                headers = {"Authorization": f"Bearer {token}"}
                async with session.post(url, json=activity, headers=headers) as response:
                    assert response.status == 202

            [relayed] = channel.activities("user-conversation")
            assert relayed["text"] == "Flights to Paris: AF123 at 09:40."
            scopes = {(r.client_id, tuple(r.scopes)) for r in entra.token_requests if r.token}
            assert scopes == {
                (CALLER_APP, (f"{CALLEE_APP}/.default",)),  # caller → flight agent
                (CALLEE_APP, (f"{CALLER_APP}/.default",)),  # flight agent → caller
                (CALLER_APP, ("https://api.botframework.com/.default",)),  # caller → channel
            }
            relay_token = (channel.last_request.authorization or "").removeprefix("Bearer ")
            claims = entra.decode(relay_token)
            assert (claims["aud"], claims["azp"]) == ("https://api.botframework.com", CALLER_APP)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                await asyncio.wait_for(process.wait(), timeout=20)
            for script, log in logs.items():  # shown by pytest when the test fails
                log.close()
                print(f"--- {script}\n{(tmp_path / f'{script}.log').read_text()}")
