import core_quickstart_agent as sample  # type: ignore[import-not-found]
import pytest

from microsoft_agents.hosting.core.testing import TestAdapter


async def test_echoes_messages_without_any_sign_in_configuration() -> None:
    assert sample.agent_app.adapter is sample.ADAPTER
    assert sample.agent_app.connection_manager is None
    assert await sample.talk(["hello"]) == ["You said: hello"]


async def test_errors_reach_the_error_handler(capsys: pytest.CaptureFixture[str]) -> None:
    assert await sample.talk(["/fail", "still there?"]) == [
        "The bot encountered an error or bug.",
        "You said: still there?",
    ]
    err = capsys.readouterr().err
    assert "[on_turn_error] unhandled error: this route always fails" in err
    assert "Traceback" in err and "RuntimeError" in err


async def test_runs_through_a_fresh_test_adapter() -> None:
    adapter = TestAdapter(sample.agent_app)
    await (
        adapter.send("one").assert_reply("You said: one").send("two").assert_reply("You said: two")
    )


def test_main_prints_the_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert sample.main(["hi"]) == 0
    assert capsys.readouterr().out.splitlines() == ["You said: hi"]
