"""load_configuration_from_env: shape of the result, conflicts, and the logging side effect."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microsoft_agents.activity.config import load_configuration_from_env
from microsoft_agents.activity.errors import configuration_errors

SEED_ENV = {
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "<client-id>",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "<client-secret>",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": "<tenant-id>",
    "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__GRAPH__SETTINGS__AZUREBOTOAUTHCONNECTIONNAME": (
        "<connection-name>"
    ),
    "COPILOTSTUDIOAGENT__ENVIRONMENTID": "<environment-id>",
    "COPILOTSTUDIOAGENT__SCHEMANAME": "<schema-name>",
    "COPILOTSTUDIOAGENT__TENANTID": "<tenant-id>",
    "COPILOTSTUDIOAGENT__AGENTAPPID": "<app-id>",
    "PORT": "3978",
}

SEED_CONFIG = {
    "AGENTAPPLICATION": {
        "USERAUTHORIZATION": {
            "HANDLERS": {
                "GRAPH": {"SETTINGS": {"AZUREBOTOAUTHCONNECTIONNAME": "<connection-name>"}}
            }
        }
    },
    "CONNECTIONS": {
        "SERVICE_CONNECTION": {
            "SETTINGS": {
                "CLIENTID": "<client-id>",
                "CLIENTSECRET": "<client-secret>",
                "TENANTID": "<tenant-id>",
            }
        }
    },
    "CONNECTIONSMAP": [],
}


class ReadOnlyEnv(Mapping[str, Any]):
    """A Mapping that is not a dict and cannot be written to."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


# --------------------------------------------------------------------------- shape


def test_seed_environment_gives_exactly_the_three_sections() -> None:
    assert load_configuration_from_env(SEED_ENV) == SEED_CONFIG


def test_empty_environment_gives_empty_defaults() -> None:
    config = load_configuration_from_env({})
    assert config == {"AGENTAPPLICATION": {}, "CONNECTIONS": {}, "CONNECTIONSMAP": []}
    assert list(config) == ["AGENTAPPLICATION", "CONNECTIONS", "CONNECTIONSMAP"]


def test_defaults_are_fresh_objects_per_call() -> None:
    first = load_configuration_from_env({})
    first["CONNECTIONS"]["X"] = 1
    first["CONNECTIONSMAP"].append({})
    assert load_configuration_from_env({}) == {
        "AGENTAPPLICATION": {},
        "CONNECTIONS": {},
        "CONNECTIONSMAP": [],
    }


def test_result_can_be_splatted_into_keyword_arguments() -> None:
    def consumer(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    assert consumer(**load_configuration_from_env(SEED_ENV)) == SEED_CONFIG


def test_segment_case_is_kept() -> None:
    config = load_configuration_from_env(
        {"CONNECTIONS__Service_Connection__Settings__ClientId": "abc"}
    )
    assert config["CONNECTIONS"] == {"Service_Connection": {"Settings": {"ClientId": "abc"}}}


def test_top_level_name_must_match_exactly() -> None:
    env = {"connections__A__B": "x", "Connections__A__B": "y", "CONNECTIONSX__A": "z"}
    assert load_configuration_from_env(env)["CONNECTIONS"] == {}


def test_single_underscores_stay_inside_a_segment() -> None:
    config = load_configuration_from_env(
        {"AGENTAPPLICATION__USERAUTHORIZATION__AUTO_SIGN_IN": "true"}
    )
    assert config["AGENTAPPLICATION"] == {"USERAUTHORIZATION": {"AUTO_SIGN_IN": "true"}}


def test_values_are_not_converted() -> None:
    marker = object()
    config = load_configuration_from_env(
        {
            "CONNECTIONS__A__SETTINGS__ANONYMOUS_ALLOWED": "true",
            "CONNECTIONS__A__SETTINGS__PORT": "3978",
            "CONNECTIONS__A__SETTINGS__EMPTY": "",
            "CONNECTIONS__A__SETTINGS__OBJECT": marker,
        }
    )
    settings = config["CONNECTIONS"]["A"]["SETTINGS"]
    assert settings["ANONYMOUS_ALLOWED"] == "true"
    assert settings["PORT"] == "3978"
    assert settings["EMPTY"] == ""
    assert settings["OBJECT"] is marker


def test_sibling_keys_keep_environment_order() -> None:
    env = {
        "CONNECTIONS__B__SETTINGS__Z": "1",
        "CONNECTIONS__A__SETTINGS__Y": "2",
        "CONNECTIONS__B__SETTINGS__A": "3",
    }
    config = load_configuration_from_env(env)
    assert list(config["CONNECTIONS"]) == ["B", "A"]
    assert list(config["CONNECTIONS"]["B"]["SETTINGS"]) == ["Z", "A"]


@pytest.mark.parametrize("wrap", [MappingProxyType, ReadOnlyEnv], ids=["proxy", "mapping"])
def test_read_only_mappings_are_accepted_and_left_unchanged(wrap: Any) -> None:
    source = dict(SEED_ENV)
    env = wrap(source)
    assert load_configuration_from_env(env) == SEED_CONFIG
    assert source == SEED_ENV


def test_os_environ_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTIONS__ENV_TEST_CONNECTION__SETTINGS__CLIENTID", "from-os")
    config = load_configuration_from_env(os.environ)
    assert config["CONNECTIONS"]["ENV_TEST_CONNECTION"] == {"SETTINGS": {"CLIENTID": "from-os"}}


def test_result_does_not_share_objects_with_a_second_load() -> None:
    first = load_configuration_from_env(SEED_ENV)
    first["CONNECTIONS"]["SERVICE_CONNECTION"]["SETTINGS"]["CLIENTID"] = "changed"
    second = load_configuration_from_env(SEED_ENV)
    assert second["CONNECTIONS"]["SERVICE_CONNECTION"]["SETTINGS"]["CLIENTID"] == "<client-id>"


# --------------------------------------------------------------------------- CONNECTIONSMAP


def test_connections_map_becomes_list_of_dicts_in_index_order() -> None:
    env = {
        "CONNECTIONSMAP__1__CONNECTION": "SECOND",
        "CONNECTIONSMAP__1__SERVICEURL": "https://second/",
        "CONNECTIONSMAP__0__SERVICEURL": "*",
        "CONNECTIONSMAP__0__CONNECTION": "FIRST",
    }
    entries = load_configuration_from_env(env)["CONNECTIONSMAP"]
    assert entries == [
        {"SERVICEURL": "*", "CONNECTION": "FIRST"},
        {"CONNECTION": "SECOND", "SERVICEURL": "https://second/"},
    ]
    assert list(entries[0]) == ["SERVICEURL", "CONNECTION"]


def test_connections_map_indexes_sort_numerically() -> None:
    env = {f"CONNECTIONSMAP__{i}__CONNECTION": f"C{i}" for i in (10, 2, 0, 11, 1, 3)}
    entries = load_configuration_from_env(env)["CONNECTIONSMAP"]
    assert [e["CONNECTION"] for e in entries] == ["C0", "C1", "C2", "C3", "C10", "C11"]


def test_non_numeric_connections_map_indexes_are_kept_after_numeric_ones() -> None:
    env = {
        "CONNECTIONSMAP__b__CONNECTION": "B",
        "CONNECTIONSMAP__10__CONNECTION": "TEN",
        "CONNECTIONSMAP__a__CONNECTION": "A",
        "CONNECTIONSMAP__9__CONNECTION": "NINE",
    }
    entries = load_configuration_from_env(env)["CONNECTIONSMAP"]
    assert [e["CONNECTION"] for e in entries] == ["NINE", "TEN", "A", "B"]


def test_nested_keys_inside_a_connections_map_entry() -> None:
    env = {"CONNECTIONSMAP__0__AUDIENCE__PRIMARY": "api://x"}
    assert load_configuration_from_env(env)["CONNECTIONSMAP"] == [
        {"AUDIENCE": {"PRIMARY": "api://x"}}
    ]


def test_numeric_keys_elsewhere_stay_dict_keys() -> None:
    env = {"CONNECTIONS__A__SETTINGS__SCOPES__0": "s0"}
    assert load_configuration_from_env(env)["CONNECTIONS"] == {
        "A": {"SETTINGS": {"SCOPES": {"0": "s0"}}}
    }


# --------------------------------------------------------------------------- rejected input


def _conflict_env(value_first: bool) -> dict[str, str]:
    value = ("CONNECTIONS__SERVICE_CONNECTION__SETTINGS", "flat")
    section = ("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID", "id")
    pairs = [value, section] if value_first else [section, value]
    return dict(pairs)


@pytest.mark.parametrize("value_first", [True, False])
def test_value_and_section_at_same_key_names_both_variables(value_first: bool) -> None:
    with pytest.raises(ValueError) as info:
        load_configuration_from_env(_conflict_env(value_first))
    message = str(info.value)
    assert "CONNECTIONS__SERVICE_CONNECTION__SETTINGS " in message
    assert "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID" in message
    # The value-holding variable is always named first.
    assert message.index("SETTINGS and") < message.index("SETTINGS__CLIENTID")
    assert f"Error Code: {configuration_errors.ConflictingConfigurationKey.error_code}" in message


@pytest.mark.parametrize("value_first", [True, False])
def test_conflict_several_levels_apart(value_first: bool) -> None:
    items = [("AGENTAPPLICATION__A", "x"), ("AGENTAPPLICATION__A__B__C__D", "y")]
    env = dict(items if value_first else reversed(items))
    with pytest.raises(ValueError, match="AGENTAPPLICATION__A and AGENTAPPLICATION__A__B__C__D"):
        load_configuration_from_env(env)


def test_conflict_inside_connections_map() -> None:
    env = {"CONNECTIONSMAP__0__AUDIENCE": "a", "CONNECTIONSMAP__0__AUDIENCE__X": "b"}
    with pytest.raises(ValueError, match="CONNECTIONSMAP__0__AUDIENCE and"):
        load_configuration_from_env(env)


@pytest.mark.parametrize("variable", ["CONNECTIONS", "AGENTAPPLICATION", "CONNECTIONSMAP"])
def test_bare_section_variable_is_rejected(variable: str) -> None:
    with pytest.raises(ValueError, match=variable):
        load_configuration_from_env({variable: "x"})


def test_bare_connections_map_entry_is_rejected() -> None:
    with pytest.raises(ValueError, match="CONNECTIONSMAP__0 "):
        load_configuration_from_env({"CONNECTIONSMAP__0": "SERVICE_CONNECTION"})


@pytest.mark.parametrize(
    "variable",
    ["CONNECTIONS____A", "CONNECTIONS__A__", "CONNECTIONSMAP____CONNECTION", "CONNECTIONS__"],
)
def test_empty_segment_is_rejected(variable: str) -> None:
    with pytest.raises(ValueError) as info:
        load_configuration_from_env({variable: "x"})
    assert variable in str(info.value)
    assert str(configuration_errors.EmptyConfigurationKeySegment.error_code) in str(info.value)


def test_problems_outside_the_sections_are_ignored() -> None:
    env = {"OTHER": "x", "OTHER__A": "y", "OTHER__A__B": "z", "X____Y": "1", "LOGGING__X": "1"}
    assert load_configuration_from_env(env) == {
        "AGENTAPPLICATION": {},
        "CONNECTIONS": {},
        "CONNECTIONSMAP": [],
    }


# --------------------------------------------------------------------------- round trip

_segment = st.text(alphabet="ABCXYZabc019", min_size=1, max_size=6)
_tree = st.recursive(
    st.text(alphabet="abc XYZ:/_-=", max_size=8),
    lambda children: st.dictionaries(_segment, children, min_size=1, max_size=4),
    max_leaves=12,
)


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, child in node.items():
            _flatten(f"{prefix}__{key}", child, out)
    else:
        out[prefix] = node


@given(st.dictionaries(_segment, _tree, max_size=3), st.dictionaries(_segment, _tree, max_size=3))
def test_flattened_sections_load_back_unchanged(
    connections: dict[str, Any], application: dict[str, Any]
) -> None:
    env: dict[str, str] = {}
    _flatten("CONNECTIONS", connections, env)
    _flatten("AGENTAPPLICATION", application, env)
    assert load_configuration_from_env(env) == {
        "AGENTAPPLICATION": application,
        "CONNECTIONS": connections,
        "CONNECTIONSMAP": [],
    }


# --------------------------------------------------------------------------- logging


def _console_handlers(logger: logging.Logger) -> list[logging.Handler]:
    return [h for h in logger.handlers if type(h).__name__ == "_ConsoleHandler"]


def _all_loggers() -> list[tuple[str, logging.Logger]]:
    known = logging.Logger.manager.loggerDict.items()
    return [("", logging.getLogger())] + [
        (name, logger) for name, logger in known if isinstance(logger, logging.Logger)
    ]


@pytest.fixture
def restore_loggers() -> Iterator[None]:
    """Put back level, handlers and propagate of the loggers a test may touch.

    Loggers that existed before get their saved state back; loggers created by the test
    (all named ``tests.config.*``) go back to the defaults.
    """
    saved = {name: (lg.level, list(lg.handlers), lg.propagate) for name, lg in _all_loggers()}
    yield
    for name, logger in _all_loggers():
        if name in saved:
            level, handlers, propagate = saved[name]
        elif name.startswith("tests.config."):
            level, handlers, propagate = logging.NOTSET, [], True
        else:
            continue
        for handler in logger.handlers:
            if handler not in handlers:
                handler.close()
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.mark.usefixtures("restore_loggers")
class TestLogLevels:
    def test_level_handler_and_propagation_are_set(self) -> None:
        config = load_configuration_from_env(
            {"LOGGING__LOGLEVEL__Tests.Config.Alpha": "debug", **SEED_ENV}
        )
        assert config == SEED_CONFIG
        logger = logging.getLogger("tests.config.alpha")
        assert logger.level == logging.DEBUG
        assert logger.propagate is False
        assert len(logger.handlers) == 1
        handler = logger.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        assert handler.stream is sys.stderr

    def test_only_the_lower_cased_logger_is_configured(self) -> None:
        load_configuration_from_env({"LOGGING__LOGLEVEL__Tests.Config.Mixed": "ERROR"})
        assert logging.getLogger("tests.config.mixed").level == logging.ERROR
        assert logging.getLogger("Tests.Config.Mixed").level == logging.NOTSET

    def test_handler_writes_to_the_console(self, capsys: pytest.CaptureFixture[str]) -> None:
        load_configuration_from_env({"LOGGING__LOGLEVEL__tests.config.console": "INFO"})
        logger = logging.getLogger("tests.config.console")
        logger.info("visible-%s", 1)
        logger.debug("hidden-message")
        err = capsys.readouterr().err
        assert "visible-1" in err
        assert "tests.config.console" in err
        assert "hidden-message" not in err

    def test_repeated_loads_do_not_stack_handlers(self) -> None:
        logger = logging.getLogger("tests.config.repeat")
        foreign = logging.NullHandler()
        logger.addHandler(foreign)
        load_configuration_from_env({"LOGGING__LOGLEVEL__tests.config.repeat": "DEBUG"})
        load_configuration_from_env({"LOGGING__LOGLEVEL__tests.config.repeat": "WARNING"})
        load_configuration_from_env({"LOGGING__LOGLEVEL__TESTS.CONFIG.REPEAT": "ERROR"})
        assert len(_console_handlers(logger)) == 1
        assert foreign in logger.handlers
        assert len(logger.handlers) == 2
        assert logger.level == logging.ERROR

    def test_default_configures_the_root_logger(self) -> None:
        root = logging.getLogger()
        load_configuration_from_env({"LOGGING__LOGLEVEL__default": "CRITICAL"})
        assert root.level == logging.CRITICAL
        assert len(_console_handlers(root)) == 1
        assert root.propagate is False
        assert logging.getLogger("default").level == logging.NOTSET

    @pytest.mark.parametrize(
        ("word", "level"),
        [
            ("CRITICAL", logging.CRITICAL),
            ("fatal", logging.CRITICAL),
            ("Error", logging.ERROR),
            ("warn", logging.WARNING),
            ("WARNING", logging.WARNING),
            ("info", logging.INFO),
            ("  Information ", logging.INFO),
            ("DEBUG", logging.DEBUG),
            ("NotSet", logging.NOTSET),
        ],
    )
    def test_accepted_level_words(self, word: str, level: int) -> None:
        logger = logging.getLogger("tests.config.words")
        logger.setLevel(logging.CRITICAL + 5)
        load_configuration_from_env({"LOGGING__LOGLEVEL__tests.config.words": word})
        assert logger.level == level

    @pytest.mark.parametrize("word", ["VERBOSE", "", "10", "TRACE"])
    def test_unknown_level_names_variable_and_accepted_levels(self, word: str) -> None:
        variable = "LOGGING__LOGLEVEL__tests.config.bad"
        with pytest.raises(ValueError) as info:
            load_configuration_from_env({variable: word})
        message = str(info.value)
        assert variable in message
        for accepted in ("CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "INFO", "INFORMATION"):
            assert accepted in message
        assert "DEBUG" in message and "NOTSET" in message
        assert f"Error Code: {configuration_errors.InvalidLogLevel.error_code}" in message

    def test_non_string_level_is_rejected(self) -> None:
        with pytest.raises(ValueError, match=re.escape("LOGGING__LOGLEVEL__tests.config.int")):
            load_configuration_from_env({"LOGGING__LOGLEVEL__tests.config.int": 10})

    def test_nothing_is_configured_when_any_level_is_bad(self) -> None:
        good = logging.getLogger("tests.config.good")
        env = {
            "LOGGING__LOGLEVEL__tests.config.good": "DEBUG",
            "LOGGING__LOGLEVEL__tests.config.broken": "LOUD",
        }
        with pytest.raises(ValueError):
            load_configuration_from_env(env)
        assert good.level == logging.NOTSET
        assert good.handlers == []
        assert good.propagate is True

    def test_nothing_is_configured_when_the_sections_conflict(self) -> None:
        env = {
            "LOGGING__LOGLEVEL__tests.config.untouched": "DEBUG",
            **_conflict_env(value_first=True),
        }
        with pytest.raises(ValueError):
            load_configuration_from_env(env)
        assert logging.getLogger("tests.config.untouched").handlers == []

    def test_two_variables_for_one_logger_must_agree(self) -> None:
        agreeing = {
            "LOGGING__LOGLEVEL__tests.config.Twice": "info",
            "LOGGING__LOGLEVEL__TESTS.CONFIG.TWICE": "INFORMATION",
        }
        load_configuration_from_env(agreeing)
        assert logging.getLogger("tests.config.twice").level == logging.INFO
        disagreeing = {
            "LOGGING__LOGLEVEL__tests.config.Other": "info",
            "LOGGING__LOGLEVEL__TESTS.CONFIG.OTHER": "DEBUG",
        }
        with pytest.raises(ValueError, match=re.escape("TESTS.CONFIG.OTHER")):
            load_configuration_from_env(disagreeing)
        assert logging.getLogger("tests.config.other").handlers == []

    def test_missing_logger_name_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="does not name a logger") as info:
            load_configuration_from_env({"LOGGING__LOGLEVEL__": "DEBUG"})
        code = configuration_errors.InvalidLoggingConfiguration.error_code
        assert f"Error Code: {code}" in str(info.value)
