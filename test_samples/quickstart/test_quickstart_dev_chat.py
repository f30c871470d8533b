"""The README's run command: agents-dev serves the quickstart with the chat page.

`bash scripts/run.sh` runs `agents-dev run test_samples/quickstart/quickstart_agent.py`; these
tests run the same command (from the venv the tests run in) and talk to it over HTTP, then in
headless Chromium the way a newcomer would. The browser test is skipped when Chromium or
Playwright is missing, except under CI (scripts/setup-browser.sh installs Chromium).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "test_samples/quickstart/quickstart_agent.py"
SCREENSHOTS = Path(os.environ.get("AGENTS_SCREENSHOT_DIR") or ROOT / "build" / "screenshots")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chat_url() -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS__")}
    env["PYTHONUNBUFFERED"] = "1"
    script = Path(sys.executable).with_name("agents-dev")
    command = [str(script)]
    if not script.exists():
        command = [sys.executable, "-m", "microsoft_agents.hosting.aiohttp.dev"]
    process = subprocess.Popen(
        [*command, "run", SAMPLE, "--port", str(port), "--no-browser"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.communicate(timeout=5)[0] if process.poll() is not None else ""
                    pytest.fail(f"agents-dev did not start:\n{output}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
        assert f"Chat with it:  {url}" in output


def test_the_run_command_serves_the_chat_page_next_to_the_quickstart(chat_url: str) -> None:
    with urllib.request.urlopen(chat_url, timeout=5) as response:
        assert b"/_dev/static/chat.js" in response.read()
    activity = {
        "type": "message",
        "text": "hi",
        "deliveryMode": "expectReplies",
        "channelId": "test",
        "conversation": {"id": "c1"},
        "from": {"id": "user"},
        "recipient": {"id": "agent"},
    }
    request = urllib.request.Request(
        chat_url + "api/messages",
        data=json.dumps(activity).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["activities"][0]["text"] == "You said: hi"


async def test_a_newcomer_chats_with_the_quickstart_in_a_browser(chat_url: str) -> None:
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        async_playwright = None  # type: ignore[assignment]
    if chromium is None or async_playwright is None:
        message = "Chromium or playwright is missing; run `bash scripts/setup-browser.sh`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = await browser.new_page(viewport={"width": 900, "height": 600})
        await page.goto(chat_url)
        agent = page.locator(".msg.agent .content")
        await agent.filter(has_text="Welcome to the agent!").wait_for()
        await page.fill("#input", "hello")
        await page.press("#input", "Enter")
        await agent.filter(has_text="Hello!").wait_for()
        await page.fill("#input", "how are you?")
        await page.click("#send")
        await agent.filter(has_text="You said: how are you?").wait_for()
        assert await agent.all_inner_texts() == [
            "Welcome to the agent! Say something and I will echo it.",
            "Hello!",
            "You said: how are you?",
        ]
        await page.screenshot(path=str(SCREENSHOTS / "quickstart-chat.png"))
        await browser.close()
