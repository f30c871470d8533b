from typing import Any

import core_streaming_agent as sample  # type: ignore[import-not-found]
import pytest

FULL_POEM = "Indented lines of quiet grace,\nPython finds its place."


def entity_types(activity: Any) -> list[str]:
    return [e.type for e in activity.entities or []]


def stream_info(activity: Any) -> dict[str, Any]:
    for entity in activity.entities or []:
        if entity.type == "streaminfo":
            return entity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return {}


def ai_entity(activity: Any) -> dict[str, Any]:
    for entity in activity.entities or []:
        if entity.type == "https://schema.org/Message":
            return entity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return {}


async def test_webchat_streams_the_update_then_the_final_message() -> None:
    sent = await sample.ask_for_a_poem("webchat")
    first, last = sent[0], sent[-1]
    assert (first.type, first.text) == ("typing", "Starting a poem...\n")
    assert stream_info(first)["streamType"] == "informative"
    assert (last.type, last.text) == ("message", FULL_POEM)
    final = stream_info(last)
    assert final["streamType"] == "final"
    assert final["streamId"] == stream_info(first)["streamId"]
    label = ai_entity(last)
    assert label["additionalType"] == ["AIGeneratedContent"]
    assert label["usageInfo"]["name"] == "Internal"


async def test_teams_final_message_asks_for_feedback() -> None:
    sent = await sample.ask_for_a_poem("msteams")
    assert sent[-1].text == FULL_POEM
    assert sent[-1].channel_data == {"feedbackLoop": {"type": "default"}}


async def test_other_channels_get_one_message() -> None:
    sent = await sample.ask_for_a_poem("test")
    assert [(a.type, a.text) for a in sent] == [("message", FULL_POEM)]
    assert "streaminfo" not in entity_types(sent[0])
    assert ai_entity(sent[0])["usageInfo"]["name"] == "Internal"


async def test_the_model_is_asked_to_stream() -> None:
    await sample.ask_for_a_poem("test")
    request = sample.CLIENT.chat.completions.requests[-1]
    assert request["stream"] is True and request["model"] == "gpt-4o"


def test_main_prints_the_activities(capsys: pytest.CaptureFixture[str]) -> None:
    assert sample.main(["test"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"message: {FULL_POEM!r}"]
