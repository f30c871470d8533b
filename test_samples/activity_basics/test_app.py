import json
from pathlib import Path

import app  # type: ignore[import-not-found]
import pytest

from microsoft_agents.activity import Activity

HERE = Path(__file__).resolve().parent


def test_reply_echoes_text_without_the_mention_and_addresses_the_sender(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert app.main([str(HERE / "incoming.json")]) == 0
    out = capsys.readouterr().out
    reply_json = out.split("reply the agent would send:\n", 1)[1]
    reply = json.loads(reply_json)
    assert reply["text"] == "You said: hello there"
    assert reply["recipient"] == {"id": "29:1Xq4dXyzSample", "name": "Megan Bowen"}
    assert reply["replyToId"] == "1730542530123"
    assert reply["attachments"][0]["contentType"] == "application/vnd.microsoft.card.hero"
    assert Activity.model_validate(reply).is_message()
