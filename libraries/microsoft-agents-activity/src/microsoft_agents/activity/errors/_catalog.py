"""The error messages raised by this distribution, grouped by area.

Error codes are negative and stable once released:

* ``-64000 .. -64099`` — activity model errors (:class:`ActivityErrorResources`).
* ``-64100 .. -64199`` — configuration and value-coercion errors
  (:class:`ConfigurationErrorResources`).

Templates take positional arguments; the comment above each entry says which.
"""

from __future__ import annotations

from ._error_message import ErrorMessage

__all__ = [
    "ActivityErrorResources",
    "ConfigurationErrorResources",
    "activity_errors",
    "configuration_errors",
]


class ActivityErrorResources:
    """Messages about building, parsing and serialising activities."""

    # {0}: the type of the rejected value
    InvalidChannelIdType = ErrorMessage(
        "A channel id must be a str or a ChannelId, not {0}.",
        -64000,
    )
    # {0}: sub-channel of the channel id, {1}: id of the ProductInfo entity
    ChannelIdProductInfoConflict = ErrorMessage(
        "The channel id names the sub-channel {0!r} but the activity's ProductInfo entity "
        "names {1!r}; they must agree.",
        -64001,
    )
    # no arguments
    ChannelIdValueConflict = ErrorMessage(
        "Create a ChannelId either from a value or from the channel/sub_channel keywords, "
        "not from both.",
        -64002,
    )
    # no arguments
    ChannelIdValueMustBeNonEmpty = ErrorMessage(
        "A channel id must not be empty.",
        -64003,
    )
    # {0}: the type of the rejected value
    InvalidFromPropertyType = ErrorMessage(
        "The 'from' account must be a ChannelAccount or a str id, not {0}.",
        -64004,
    )
    # {0}: the type of the rejected value
    InvalidRecipientType = ErrorMessage(
        "The recipient must be a ChannelAccount or a str id, not {0}.",
        -64005,
    )
    # no arguments
    InvalidTargetedActivityRecipient = ErrorMessage(
        "A targeted activity needs a recipient: set one on the activity or pass a user.",
        -64006,
    )
    # no arguments
    ActivityMissingType = ErrorMessage(
        "An activity must have a type (for example 'message').",
        -64007,
    )
    # {0}: the channel part that was given
    InvalidChannelIdChannel = ErrorMessage(
        "The channel part of a channel id must not contain ':' (got {0!r}); pass the "
        "sub-channel separately.",
        -64008,
    )


class ConfigurationErrorResources:
    """Messages about configuration read from the environment and about value coercion."""

    # {0}: explanation of what is wrong
    InvalidLoggingConfiguration = ErrorMessage(
        "Invalid logging configuration: {0}",
        -64100,
    )
    # {0}: variable name, {1}: the rejected level, {2}: comma-separated accepted levels
    InvalidLogLevel = ErrorMessage(
        "Environment variable {0} sets the unknown log level {1!r}. Accepted levels "
        "(case-insensitive): {2}.",
        -64101,
    )
    # {0}: variable holding a value, {1}: variable that needs the same key to be a section
    ConflictingConfigurationKey = ErrorMessage(
        "Environment variables {0} and {1} conflict: {0} gives a value to a key that {1} "
        "uses as a section. Remove one of them.",
        -64102,
    )
    # {0}: variable name, {1}: what was expected there
    InvalidConfigurationSection = ErrorMessage(
        "Environment variable {0} cannot hold a value: {1}.",
        -64103,
    )
    # {0}: variable name
    EmptyConfigurationKeySegment = ErrorMessage(
        "Environment variable {0} has an empty name segment (a leading, trailing or "
        "repeated '__').",
        -64104,
    )
    # {0}: setting name, {1}: the rejected value
    InvalidBooleanValue = ErrorMessage(
        "Setting {0} must be a boolean (true/false/1/0), got {1!r}.",
        -64105,
    )
    # {0}: setting name, {1}: the rejected value
    InvalidIntegerValue = ErrorMessage(
        "Setting {0} must be an integer, got {1!r}.",
        -64106,
    )
    # {0}: setting name, {1}: the rejected value
    InvalidFloatValue = ErrorMessage(
        "Setting {0} must be a number, got {1!r}.",
        -64107,
    )
    # {0}: setting name
    MissingRequiredValue = ErrorMessage(
        "Setting {0} is required but is empty or missing.",
        -64108,
    )


activity_errors = ActivityErrorResources()
"""Shared instance of :class:`ActivityErrorResources`."""

configuration_errors = ConfigurationErrorResources()
"""Shared instance of :class:`ConfigurationErrorResources`."""
