"""The error catalogue (spec §16 ``error_resources``, §1 ``…core.errors``)."""

from __future__ import annotations

import pytest

from microsoft_agents.hosting.core.errors import ErrorMessage, ErrorResources, error_resources


def _messages() -> dict[str, ErrorMessage]:
    return {
        name: value
        for name in dir(ErrorResources)
        if isinstance(value := getattr(error_resources, name), ErrorMessage)
    }


def test_error_resources_is_an_instance_of_error_messages() -> None:
    assert isinstance(error_resources, ErrorResources)
    assert len(_messages()) >= 10


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("AdapterRequired", -63000),
        ("AgentApplicationRequired", -63001),
        ("RequestRequired", -63002),
        ("AgentRequired", -63003),
        ("StreamAlreadyEnded", -63004),
        ("InvalidConfiguration", -66000),
    ],
)
def test_published_codes(name: str, code: int) -> None:
    message = getattr(error_resources, name)
    assert isinstance(message, ErrorMessage)
    assert message.error_code == code


def test_codes_are_negative_and_unique() -> None:
    by_code: dict[int, list[str]] = {}
    for name, message in _messages().items():
        by_code.setdefault(message.error_code, []).append(name)
    assert all(code < 0 for code in by_code)
    assert {code: names for code, names in by_code.items() if len(names) > 1} == {}


def test_formatted_messages_end_with_code_and_help_link() -> None:
    text = str(error_resources.AdapterRequired)
    assert text.startswith("An adapter is required.")
    assert text.endswith(
        "\n\nError Code: -63000\nHelp URL: https://aka.ms/M365AgentsErrorCodes/#-63000"
    )
    filled = error_resources.StateKeyMissing.format("UserState", "from.id")
    assert filled.startswith(
        "Cannot compute the UserState storage key: the activity has no from.id."
    )
