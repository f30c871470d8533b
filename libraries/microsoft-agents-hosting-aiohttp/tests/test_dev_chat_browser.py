"""The dev chat page in real headless Chromium (Playwright drives the machine's Chromium).

Each test serves a test agent with the dev chat on 127.0.0.1 and uses the page as a person
would: type, click, read. Screenshots go to build/screenshots/ (AGENTS_SCREENSHOT_DIR
overrides it) for CI to keep as artifacts.

Chromium comes from the system (scripts/setup-browser.sh installs Debian's package; set
CHROMIUM_PATH to use another). Without it the tests are skipped, except under CI, where
they fail: a CI run must not pass without them.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from microsoft_agents.activity import (
    ActionTypes,
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    CardAction,
    HeroCard,
    SuggestedActions,
)
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.aiohttp.dev import DevServer, start_dev_server
from microsoft_agents.hosting.core import (
    AgentApplication,
    CardFactory,
    MemoryStorage,
    TurnContext,
    TurnState,
)

try:
    from playwright.async_api import Browser, Page, async_playwright
except ImportError:  # pragma: no cover - depends on the environment
    async_playwright = None  # type: ignore[assignment]

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(
    os.environ.get("AGENTS_SCREENSHOT_DIR")
    or Path(__file__).resolve().parents[3] / "build" / "screenshots"
)
DOT = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48">'
        b'<circle cx="24" cy="24" r="22" fill="#4f52b2"/></svg>'
    ).decode()
)


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def missing(what: str) -> None:
    message = f"{what}; run `bash scripts/setup-browser.sh` to install it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# -- the agent the page talks to ---------------------------------------------------------------

ADAPTIVE_CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Order summary", "size": "Large", "weight": "Bolder"},
        {
            "type": "ColumnSet",
            "columns": [
                {"type": "Column", "width": "auto", "items": [{"type": "Image", "url": DOT}]},
                {
                    "type": "Column",
                    "width": "stretch",
                    "items": [
                        {"type": "TextBlock", "text": "Three **blue** widgets", "wrap": True},
                        {"type": "TextBlock", "text": "Ships tomorrow", "isSubtle": True},
                    ],
                },
            ],
        },
        {
            "type": "FactSet",
            "facts": [{"title": "Quantity", "value": "3"}, {"title": "Total", "value": "$42"}],
        },
        {"type": "Input.Text", "id": "note", "placeholder": "A note for the seller"},
    ],
    "actions": [
        {"type": "Action.Submit", "title": "Confirm", "data": {"choice": "confirm"}},
        {"type": "Action.OpenUrl", "title": "Details", "url": "https://example.com/order"},
    ],
}


MARKDOWN = """## Release notes
Fixed **three** bugs:
- faster `start-up`
- [safe links](https://example.com/notes)
- [a trap](javascript:alert(1))

```python
print("<b>not bold</b>")
```

| name | count |
|------|-------|
| widgets | 3 |
"""


def counter_card(count: int) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": f"Count: {count}"}],
        "actions": [
            {"type": "Action.Execute", "title": "Add one", "verb": "add", "data": {"n": count}}
        ],
    }


def build_agent() -> AgentApplication[TurnState]:
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=CloudAdapter())

    @app.message("markdown")
    async def on_markdown(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(MARKDOWN)

    @app.message("counter")
    async def on_counter(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(
            Activity(
                type=ActivityTypes.message, attachments=[CardFactory.adaptive_card(counter_card(0))]
            )
        )

    @app.adaptive_card.action_execute("add")
    async def on_add(
        context: TurnContext, _state: TurnState, data: Any
    ) -> AdaptiveCardInvokeResponse:
        card = counter_card(int(data["n"]) + 1)
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=card
        )

    @app.message("cards")
    async def on_cards(context: TurnContext, _state: TurnState) -> None:
        hero = HeroCard(
            title="Widget shop",
            subtitle="Hero card",
            text="Everything *blue*, all week.",
            buttons=[CardAction(type=ActionTypes.im_back, title="Buy one", value="buy")],
        )
        await context.send_activity(
            Activity(
                type=ActivityTypes.message,
                text="Here are two cards:",
                attachments=[
                    CardFactory.hero_card(hero),
                    CardFactory.adaptive_card(ADAPTIVE_CARD),
                ],
            )
        )

    @app.message("stream")
    async def on_stream(context: TurnContext, _state: TurnState) -> None:
        stream = context.streaming_response
        stream.interval = 0.05
        stream.queue_informative_update("Looking that up…")
        await asyncio.sleep(0.4)
        for word in ("Streaming ", "replies ", "grow ", "in ", "place."):
            stream.queue_text_chunk(word)
            await asyncio.sleep(0.3)
        await stream.end_stream()

    @app.message("colors")
    async def on_colors(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(
            Activity(
                type=ActivityTypes.message,
                text="Pick a color",
                suggested_actions=SuggestedActions(
                    actions=[
                        CardAction(type=ActionTypes.im_back, title="Red", value="red"),
                        CardAction(type=ActionTypes.im_back, title="Blue", value="blue"),
                    ]
                ),
            )
        )

    @app.message("slow")
    async def on_slow(context: TurnContext, _state: TurnState) -> None:
        await asyncio.sleep(1.5)
        await context.send_activity("Done, slowly.")

    @app.activity("message")
    async def on_message(context: TurnContext, _state: TurnState) -> None:
        value = context.activity.value
        if value is not None:
            await context.send_activity(f"Submitted {value['choice']} with note {value['note']}")
        elif context.activity.text in ("red", "blue"):
            await context.send_activity(f"You picked {context.activity.text}")
        else:
            await context.send_activity(f"Echo: {context.activity.text}")

    return app


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
async def server() -> AsyncIterator[DevServer]:
    running = await start_dev_server(build_agent(), port=0, title="Test agent")
    yield running
    await running.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if async_playwright is None:
        missing("the playwright package is not installed")
    executable = chromium_path()
    if executable is None:
        missing("Chromium is not installed")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS, headless=True
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(
    browser: Browser, server: DevServer, request: pytest.FixtureRequest
) -> AsyncIterator[Page]:
    errors: list[str] = []
    context = await browser.new_context(viewport={"width": 960, "height": 900})
    opened = await context.new_page()
    opened.on("pageerror", lambda error: errors.append(str(error)))
    await opened.goto(server.url)
    await opened.wait_for_selector("body[data-ready='true']")
    yield opened
    await opened.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    await context.close()
    assert errors == [], f"the page raised: {errors}"


async def snap(page: Page, name: str) -> None:
    """A screenshot in the middle of a test (the fixture takes one at the end)."""
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def say(page: Page, text: str) -> None:
    await page.fill("#input", text)
    await page.press("#input", "Enter")


def agent_messages(page: Page) -> Any:
    return page.locator(".msg.agent")


# -- tests ------------------------------------------------------------------------------------


async def test_a_typed_message_is_echoed_with_markdown_and_no_markup_injection(
    page: Page,
) -> None:
    welcome = agent_messages(page)
    await say(page, "hello **there** <img src=x onerror=alert(1)>")
    user = page.locator(".msg.user").last
    await user.locator(".content").wait_for()
    assert "hello **there**" in await user.locator(".content").inner_text()
    echo = welcome.filter(has_text="Echo:")
    await echo.wait_for()
    assert await echo.locator("strong").inner_text() == "there"
    assert "<img src=x onerror=alert(1)>" in await echo.locator(".content").inner_text()
    assert await page.locator(".msg img").count() == 0
    assert await page.locator(".msg.user").last.get_attribute("data-state") == "sent"


async def test_hero_and_adaptive_cards_render_and_submit_their_inputs(page: Page) -> None:
    await say(page, "cards")
    message = agent_messages(page).filter(has_text="Here are two cards")
    await message.wait_for()
    hero = message.locator(".hero-card")
    assert await hero.locator(".hero-title").inner_text() == "Widget shop"
    assert await hero.locator(".hero-body em").inner_text() == "blue"
    card = message.locator(".ac-card")
    assert await card.locator(".ac-text.size-large").inner_text() == "Order summary"
    assert await card.locator(".ac-column").count() == 2
    assert await card.locator(".ac-column strong").inner_text() == "blue"
    assert await card.locator(".ac-factset dt").all_inner_texts() == ["Quantity", "Total"]
    assert await card.locator(".ac-factset dd").all_inner_texts() == ["3", "$42"]
    assert await card.locator("img.ac-image").evaluate("img => img.naturalWidth") == 48
    await card.locator("input.ac-input").fill("gift wrap")
    await card.get_by_role("button", name="Confirm").click()
    await agent_messages(page).filter(has_text="Submitted confirm with note gift wrap").wait_for()
    await hero.get_by_role("button", name="Buy one").click()
    await agent_messages(page).filter(has_text="Echo: buy").wait_for()


async def test_a_streamed_reply_grows_in_place_and_completes(page: Page) -> None:
    await page.evaluate(
        """() => {
            window.streamTexts = [];
            new MutationObserver(() => {
                const bubble = document.querySelector('.msg[data-stream-id]');
                if (!bubble) return;
                const text = bubble.querySelector('.content').innerText.trim();
                const state = bubble.dataset.streamState;
                const last = window.streamTexts[window.streamTexts.length - 1];
                if (!last || last.text !== text || last.state !== state) {
                    window.streamTexts.push({text, state});
                }
            }).observe(document.getElementById('transcript'),
                       {subtree: true, childList: true, characterData: true, attributes: true});
        }"""
    )
    await say(page, "stream")
    bubble = page.locator(".msg[data-stream-id]")
    await bubble.locator(".informative").filter(has_text="Looking that up").wait_for()
    await page.locator(".msg[data-stream-state='streaming'] .content", has_text="grow").wait_for()
    await snap(page, "stream-growing")
    await page.wait_for_selector(".msg[data-stream-state='final']", timeout=15_000)
    assert await bubble.count() == 1
    assert await bubble.locator(".content").inner_text() == "Streaming replies grow in place."
    seen = await page.evaluate("window.streamTexts")
    growing = [s["text"] for s in seen if s["state"] == "streaming" and s["text"]]
    assert len(growing) >= 2, seen
    for shorter, longer in itertools.pairwise(growing):
        assert longer.startswith(shorter) and len(longer) > len(shorter), seen
    assert seen[-1] == {"text": "Streaming replies grow in place.", "state": "final"}


async def test_a_suggested_action_click_sends_its_value(page: Page) -> None:
    await say(page, "colors")
    buttons = page.locator("#suggested .suggested-action")
    await buttons.first.wait_for()
    assert await buttons.all_inner_texts() == ["Red", "Blue"]
    await snap(page, "suggested-actions")
    await page.get_by_role("button", name="Blue").click()
    await agent_messages(page).filter(has_text="You picked blue").wait_for()
    assert await page.locator(".msg.user .content").last.inner_text() == "blue"
    assert await buttons.count() == 0


async def test_typing_shows_while_the_agent_works_and_raw_json_on_demand(page: Page) -> None:
    await say(page, "slow")
    await page.wait_for_selector("#typing:not([hidden])", timeout=5_000)
    await snap(page, "typing-indicator")
    reply = agent_messages(page).filter(has_text="Done, slowly.")
    await reply.wait_for()
    assert await page.locator("#typing").is_hidden()
    await reply.locator(".raw-toggle").click()
    raw = reply.locator(".raw")
    assert '"text": "Done, slowly."' in await raw.inner_text()
    assert '"replyToId"' in await raw.inner_text()


async def test_markdown_blocks_render_and_unsafe_links_stay_text(page: Page) -> None:
    await say(page, "markdown")
    content = agent_messages(page).filter(has_text="Release notes").locator(".content")
    await content.wait_for()
    assert await content.locator("[role=heading]").inner_text() == "Release notes"
    assert await content.locator("li").count() == 3
    assert await content.locator("li code").inner_text() == "start-up"
    link = content.locator("a")
    assert await link.count() == 1
    assert await link.get_attribute("href") == "https://example.com/notes"
    assert await link.get_attribute("rel") == "noopener noreferrer"
    assert "a trap" in await content.locator("li").nth(2).inner_text()
    assert await content.locator("pre code").inner_text() == 'print("<b>not bold</b>")'
    assert await content.locator("b").count() == 0
    assert await content.locator("td").all_inner_texts() == ["widgets", "3"]


async def test_action_execute_replaces_the_card_with_the_agent_s_answer(page: Page) -> None:
    await say(page, "counter")
    card = page.locator(".msg.agent .ac-card")
    await card.filter(has_text="Count: 0").wait_for()
    await card.get_by_role("button", name="Add one").click()
    await card.filter(has_text="Count: 1").wait_for()
    await card.get_by_role("button", name="Add one").click()
    await card.filter(has_text="Count: 2").wait_for()
    assert await card.count() == 1


MARKDOWN_CASES = {
    "<script>alert(1)</script>": "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "**a** *b* _c_ ~~d~~ `e`": (
        "<p><strong>a</strong> <em>b</em> <em>c</em> <del>d</del> <code>e</code></p>"
    ),
    "snake_case_name and 2 * 3 * 4": "<p>snake_case_name and 2 * 3 * 4</p>",
    r"\*not italic\*": "<p>*not italic*</p>",
    "[x](javascript:alert(1))": "<p>x</p>",
    '[<b>](https://e.com/a_(b) "t")': (
        '<p><a href="https://e.com/a_(b)" target="_blank" rel="noopener noreferrer">'
        "&lt;b&gt;</a></p>"
    ),
    "see https://e.com/x.": (
        '<p>see <a href="https://e.com/x" target="_blank" rel="noopener noreferrer">'
        "https://e.com/x</a>.</p>"
    ),
    "![pic](https://e.com/p.png) ![bad](javascript:1)": (
        '<p><img class="md-image" src="https://e.com/p.png" alt="pic"> bad</p>'
    ),
    "one\ntwo": "<p>one<br>two</p>",
    "1. a\n2. b\n\n> quoted": "<ol><li>a</li><li>b</li></ol><blockquote><p>quoted</p></blockquote>",
}


async def test_the_markdown_renderer_escapes_everything_it_does_not_format(page: Page) -> None:
    rendered = await page.evaluate(
        """(cases) => cases.map((text) => {
            const box = document.createElement('div');
            box.appendChild(window.DevMarkdown.render(text));
            return box.innerHTML;
        })""",
        list(MARKDOWN_CASES),
    )
    assert dict(zip(MARKDOWN_CASES, rendered, strict=True)) == MARKDOWN_CASES


CARD_FEATURES: dict[str, Any] = {
    "type": "AdaptiveCard",
    "body": [
        {"type": "Rating", "id": "unknown"},
        {"type": "Carousel", "fallback": {"type": "TextBlock", "text": "fallback text"}},
        {"type": "Chart", "fallback": "drop"},
        {"type": "TextBlock", "id": "secret", "text": "hidden text", "isVisible": False},
        {"type": "Input.Toggle", "id": "agree", "title": "I agree", "valueOn": "yes"},
        {
            "type": "Input.ChoiceSet",
            "id": "sizes",
            "isMultiSelect": True,
            "choices": [{"title": "S", "value": "s"}, {"title": "L", "value": "l"}],
        },
        {"type": "Input.Text", "id": "name", "isRequired": True, "label": "Name"},
    ],
    "actions": [
        {"type": "Action.ToggleVisibility", "title": "Reveal", "targetElements": ["secret"]},
        {"type": "Action.Submit", "title": "Send", "data": {"kind": "form"}},
        {
            "type": "Action.ShowCard",
            "title": "More",
            "card": {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "inner"}]},
        },
    ],
}


async def test_card_fallbacks_inputs_and_local_actions(page: Page) -> None:
    await page.evaluate(
        """(card) => {
            window.submitted = [];
            const ctx = {
                cardAction: () => {},
                submit: (action, data) => window.submitted.push(data),
                execute: () => {},
            };
            const box = document.createElement('div');
            box.id = 'card-under-test';
            box.appendChild(window.DevAdaptive.render(card, ctx));
            document.getElementById('transcript').appendChild(box);
        }""",
        CARD_FEATURES,
    )
    card = page.locator("#card-under-test")
    assert await card.locator(".ac-unsupported").all_inner_texts() == [
        "[Rating is not shown by the dev chat]"
    ]
    assert await card.get_by_text("fallback text").is_visible()
    assert await card.get_by_text("hidden text").is_hidden()
    await card.get_by_role("button", name="Reveal").click()
    assert await card.get_by_text("hidden text").is_visible()
    await card.get_by_role("button", name="Send").click()
    assert await page.evaluate("window.submitted") == []  # the required name is empty
    assert await card.locator(".ac-invalid").count() == 1
    await card.get_by_label("I agree").check()
    await card.get_by_label("L").check()
    await card.locator("input.ac-input").fill("Ada")
    await card.get_by_role("button", name="Send").click()
    assert await page.evaluate("window.submitted") == [
        {"kind": "form", "agree": "yes", "sizes": "l", "name": "Ada"}
    ]
    await card.get_by_role("button", name="More").click()
    assert await card.get_by_text("inner").is_visible()
    await card.get_by_role("button", name="More").click()
    assert await card.get_by_text("inner").is_hidden()


async def test_channel_assigned_stream_ids_updates_and_deletions_show_in_place(
    page: Page, server: DevServer
) -> None:
    conversation = await page.evaluate("document.body.dataset.conversationId")
    base = f"{server.url}_dev/channel/v3/conversations/{conversation}/activities"

    def info(**fields: Any) -> list[dict[str, Any]]:
        return [{"type": "streaminfo", **fields}]

    async with aiohttp.ClientSession() as session:

        async def send(activity: dict[str, Any]) -> str:
            async with session.post(base, json=activity) as response:
                return str((await response.json())["id"])

        # Teams style: the first update has no streamId; the channel's id for it becomes one.
        first = await send(
            {
                "type": "typing",
                "text": "Hel",
                "entities": info(streamType="streaming", streamSequence=1),
            }
        )
        await send(
            {
                "type": "typing",
                "text": "Hello wo",
                "entities": info(streamId=first, streamType="streaming", streamSequence=3),
            }
        )
        await send(  # arrives late: an older sequence number must not shrink the text
            {
                "type": "typing",
                "text": "Hello",
                "entities": info(streamId=first, streamType="streaming", streamSequence=2),
            }
        )
        bubble = page.locator(".msg[data-stream-state='streaming'] .content")
        await bubble.filter(has_text="Hello wo").wait_for()
        assert await bubble.inner_text() == "Hello wo"
        await send(
            {
                "type": "message",
                "text": "Hello world",
                "entities": info(streamId=first, streamType="final"),
            }
        )
        await page.locator(".msg[data-stream-state='final']", has_text="Hello world").wait_for()
        assert await page.locator(".msg[data-stream-id]").count() == 1

        edited = await send({"type": "message", "text": "first draft"})
        await page.locator(".msg.agent", has_text="first draft").wait_for()
        async with session.put(f"{base}/{edited}", json={"type": "message", "text": "final draft"}):
            pass
        await page.locator(".msg.agent.edited", has_text="final draft").wait_for()
        async with session.delete(f"{base}/{edited}"):
            pass
        await page.locator(".msg.agent", has_text="final draft").wait_for(state="detached")
        await send({"type": "endOfConversation"})
        await page.locator(".activity-line.always", has_text="endOfConversation").wait_for()
