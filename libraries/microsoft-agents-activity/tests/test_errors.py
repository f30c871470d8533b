"""ErrorMessage formatting and the error catalogs."""

from __future__ import annotations

import pytest

from microsoft_agents.activity.errors import (
    ActivityErrorResources,
    ConfigurationErrorResources,
    ErrorMessage,
    activity_errors,
    configuration_errors,
)


def _messages(catalog: object) -> dict[str, ErrorMessage]:
    return {
        name: value
        for name in dir(catalog)
        if isinstance(value := getattr(catalog, name), ErrorMessage)
    }


def test_format_appends_code_and_help_url() -> None:
    message = ErrorMessage("Bad value {0} for {name}.", -64999)
    assert message.format(3, name="PORT") == (
        "Bad value 3 for PORT.\n\n"
        "Error Code: -64999\n"
        "Help URL: https://aka.ms/M365AgentsErrorCodes/#-64999"
    )


def test_str_is_format_without_arguments() -> None:
    message = ErrorMessage("Something failed.", -64998)
    assert str(message) == message.format()
    assert str(message).startswith("Something failed.\n\nError Code: -64998\n")


def test_attributes() -> None:
    message = ErrorMessage("text", -64997)
    assert message.error_code == -64997
    assert message.message_template == "text"
    assert message.help_url == "https://aka.ms/M365AgentsErrorCodes/#-64997"
    assert "-64997" in repr(message)


def test_escaped_braces_are_unescaped_when_formatting() -> None:
    assert str(ErrorMessage("use {{x}}", -1)).startswith("use {x}\n\n")


def test_str_of_template_with_placeholders_does_not_raise() -> None:
    message = ErrorMessage("Value {0} is wrong.", -64996)
    assert str(message).startswith("Value {0} is wrong.\n\nError Code: -64996")


@pytest.mark.parametrize(
    ("args", "kwargs", "shown"),
    [((), {"other": 1}, "other=1"), ((), {}, None), (("a",), {}, None)],
)
def test_mismatched_arguments_never_raise(
    args: tuple[object, ...], kwargs: dict[str, object], shown: str | None
) -> None:
    message = ErrorMessage("Needs {0} and {1}.", -64995)
    text = message.format(*args, **kwargs)
    assert text.startswith("Needs {0} and {1}.")
    assert text.endswith("#-64995")
    for arg in args:
        assert repr(arg) in text
    if shown:
        assert shown in text


def test_messages_are_immutable_and_comparable() -> None:
    message = ErrorMessage("x", -1)
    assert message == ErrorMessage("x", -1)
    assert message != ErrorMessage("x", -2)
    with pytest.raises(AttributeError):
        message.error_code = 5  # type: ignore[misc]


def test_singletons_are_catalog_instances() -> None:
    assert isinstance(activity_errors, ActivityErrorResources)
    assert isinstance(configuration_errors, ConfigurationErrorResources)


@pytest.mark.parametrize(
    "name",
    [
        "InvalidChannelIdType",
        "ChannelIdProductInfoConflict",
        "ChannelIdValueConflict",
        "ChannelIdValueMustBeNonEmpty",
        "InvalidFromPropertyType",
        "InvalidRecipientType",
        "InvalidTargetedActivityRecipient",
        "ActivityMissingType",
        "InvalidChannelIdChannel",
    ],
)
def test_activity_catalog_entries(name: str) -> None:
    assert isinstance(getattr(activity_errors, name), ErrorMessage)


@pytest.mark.parametrize(
    "name",
    [
        "InvalidLoggingConfiguration",
        "InvalidLogLevel",
        "ConflictingConfigurationKey",
        "InvalidConfigurationSection",
        "EmptyConfigurationKeySegment",
        "InvalidBooleanValue",
        "InvalidIntegerValue",
        "InvalidFloatValue",
        "MissingRequiredValue",
    ],
)
def test_configuration_catalog_entries(name: str) -> None:
    assert isinstance(getattr(configuration_errors, name), ErrorMessage)


@pytest.mark.parametrize(
    ("catalog", "low", "high"),
    [(activity_errors, -64099, -64000), (configuration_errors, -64199, -64100)],
    ids=["activity", "configuration"],
)
def test_codes_are_in_their_range(catalog: object, low: int, high: int) -> None:
    messages = _messages(catalog)
    assert messages
    for name, message in messages.items():
        assert low <= message.error_code <= high, name


def test_codes_are_unique_across_catalogs() -> None:
    catalogs = (activity_errors, configuration_errors)
    codes = [m.error_code for c in catalogs for m in _messages(c).values()]
    assert len(codes) == len(set(codes))


def test_catalog_templates_take_their_documented_arguments() -> None:
    text = activity_errors.ChannelIdProductInfoConflict.format("COPILOT", "OTHER")
    assert "'COPILOT'" in text and "'OTHER'" in text
    text = configuration_errors.ConflictingConfigurationKey.format("A__B", "A__B__C")
    assert text.startswith("Environment variables A__B and A__B__C conflict")
    text = configuration_errors.InvalidLogLevel.format("LOGGING__LOGLEVEL__x", "LOUD", "INFO")
    assert "LOGGING__LOGLEVEL__x" in text and "'LOUD'" in text and "INFO" in text
    assert "(arguments:" not in text
