"""The documented string application keys are stored without aiohttp's ``NotAppKeyWarning``;
every other string key still gets it, attributed to the line that stored it."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
from aiohttp import web

from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    create_app,
    jwt_authorization_middleware,
)
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnState
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration


def test_the_documented_setup_stores_its_keys_without_a_warning() -> None:
    adapter = CloudAdapter()
    agent_app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)
    auth_config = AgentAuthConfiguration(anonymous_allowed=True)
    app = web.Application(middlewares=[jwt_authorization_middleware])

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning, NotAppKeyWarning included, would raise
        app["agent_configuration"] = auth_config
        app["agent_app"] = agent_app
        app["adapter"] = adapter
        served = create_app(agent_app, auth_config)

    assert (app["agent_configuration"], app["agent_app"], app["adapter"]) == (
        auth_config,
        agent_app,
        adapter,
    )
    assert served["agent_app"] is agent_app and served["adapter"] is adapter


def test_other_string_keys_still_warn_where_they_are_stored() -> None:
    app = web.Application()

    with pytest.warns(web.NotAppKeyWarning, match=r"web\.AppKey") as caught:
        app["my_setting"] = 42

    assert app["my_setting"] == 42
    assert len(caught) == 1
    assert caught[0].filename == __file__  # this line, not the wrapper
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(web.NotAppKeyWarning):
            app["Adapter"] = object()  # the names match exactly, not ignoring case


def test_typed_keys_and_aiohttps_other_warnings_are_kept() -> None:
    key = web.AppKey("agent_app_key", int)
    app = web.Application()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app[key] = 7
    app.freeze()

    assert app[key] == 7
    # Only NotAppKeyWarning is dropped for the documented keys: aiohttp's other advice stays.
    with pytest.warns(DeprecationWarning, match="Changing state") as caught:
        app["agent_app"] = object()
    assert [w.category for w in caught] == [DeprecationWarning]
    assert caught[0].filename == __file__


_CLAIMS_KEY_PROBE = """
import asyncio, warnings
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from microsoft_agents.hosting.aiohttp import jwt_authorization_middleware
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

warnings.resetwarnings()  # as a test runner does between tests: the package's rules are gone
warnings.simplefilter("error")

async def whoami(request):
    return web.json_response({"anonymous": request["claims_identity"].allow_anonymous})

async def main():
    app = web.Application(middlewares=[jwt_authorization_middleware])
    app["agent_configuration"] = AgentAuthConfiguration(anonymous_allowed=True)
    app.router.add_get("/", whoami)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        for _ in range(2):
            response = await client.get("/")
            print(response.status, await response.json())

asyncio.run(main())
"""


def test_the_claims_identity_request_key_never_warns() -> None:
    # In a fresh process: aiohttp warns once per process about a string request key, so only
    # the first request of a process can show it.
    done = subprocess.run(
        [sys.executable, "-c", _CLAIMS_KEY_PROBE], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["200 {'anonymous': True}"] * 2
    assert "NotAppKeyWarning" not in done.stderr
