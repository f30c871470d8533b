"""Module map (spec §1): every module path and public name of the turn engine is importable.

Covers the rows that belong to the turn engine (app, storage, state, errors and the root
names of the context, middleware, adapter, handler and factories). Module paths of the
published single-class layout that this project keeps are checked too, and they must name
the very same objects as the packages.
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping
from typing import Any, get_args, get_origin

import pytest

CORE = "microsoft_agents.hosting.core"

MODULE_NAMES: dict[str, list[str]] = {
    "": [
        "TurnContext",
        "Middleware",
        "MiddlewareSet",
        "Agent",
        "ActivityHandler",
        "ChannelAdapter",
        "MessageFactory",
        "CardFactory",
        # re-exported from the sub-packages below
        "AgentApplication",
        "ApplicationError",
        "ApplicationOptions",
        "InputFile",
        "InputFileDownloader",
        "Query",
        "RouteRank",
        "RouteHandler",
        "RouteSelector",
        "StateT",
        "TypingIndicator",
        "Authorization",
        "AuthHandler",
        "AgenticUserAuthorization",
        "ConnectorUserAuthorization",
        "ConversationState",
        "StatePropertyAccessor",
        "TurnState",
        "TempState",
        "StreamingResponse",
        "Citation",
        "CitationUtil",
        "StoreItem",
        "Storage",
        "MemoryStorage",
        "AgentState",
        "UserState",
        "ErrorMessage",
        "ErrorResources",
        "error_resources",
    ],
    ".app": [
        "AgentApplication",
        "ApplicationError",
        "ApplicationOptions",
        "InputFile",
        "InputFileDownloader",
        "Query",
        "RouteRank",
        "RouteHandler",
        "RouteSelector",
        "StateT",
        "TypingIndicator",
        "TypingOptions",
        "TypingChannelStrategy",
        "Authorization",
        "AuthHandler",
        "AgenticUserAuthorization",
        "Conversation",
        "ConversationBuilder",
        "ConversationReferenceBuilder",
        "CreateConversationOptions",
        "Proactive",
        "ProactiveOptions",
        "ConversationState",
        "StatePropertyAccessor",
        "TurnState",
        "TempState",
    ],
    ".app.oauth": [
        "Authorization",
        "AuthHandler",
        "AgenticUserAuthorization",
        "ConnectorUserAuthorization",
    ],
    ".app.state": ["TurnState", "ConversationState", "TempState", "StatePropertyAccessor"],
    ".app.streaming": ["StreamingResponse", "Citation", "CitationUtil"],
    ".app.proactive": [
        "Conversation",
        "ConversationBuilder",
        "ConversationReferenceBuilder",
        "CreateConversationOptions",
        "Proactive",
        "ProactiveOptions",
    ],
    ".app.adaptive_card": ["AdaptiveCard"],
    ".app.adaptive_card.models": ["AdaptiveCardSearchParams", "AdaptiveCardSearchResult", "Query"],
    ".storage": ["StoreItem", "Storage", "AsyncStorageBase", "MemoryStorage"],
    ".storage.memory_storage": ["MemoryStorage"],
    ".storage.storage": ["Storage", "AsyncStorageBase"],
    ".storage.store_item": ["StoreItem"],
    ".storage.error_handling": ["ignore_error", "is_status_code_error"],
    ".storage._type_aliases": ["JSON"],
    ".state": ["AgentState", "StatePropertyAccessor", "UserState"],
    ".errors": ["ErrorMessage", "ErrorResources", "error_resources"],
    # single-class modules of the published layout (MAY), kept by this project
    ".app.app_error": ["ApplicationError"],
    ".app.app_options": ["ApplicationOptions"],
    ".app.input_file": ["InputFile", "InputFileDownloader"],
    ".app.typing_indicator": ["TypingIndicator"],
    ".app.agent_application": ["AgentApplication"],
    ".app.query": ["Query"],
    ".app.state.turn_state": ["TurnState"],
    ".app.state.conversation_state": ["ConversationState"],
    ".app.state.temp_state": ["TempState"],
    ".app.streaming.streaming_response": ["StreamingResponse"],
    ".app.streaming.citation": ["Citation"],
    ".app.streaming.citation_util": ["CitationUtil"],
}

CASES = [(module, name) for module, names in MODULE_NAMES.items() for name in names]


@pytest.mark.parametrize(("module", "name"), CASES, ids=[f"{m or '.'}:{n}" for m, n in CASES])
def test_module_path_exports_name(module: str, name: str) -> None:
    imported = importlib.import_module(CORE + module)
    assert getattr(imported, name, None) is not None, f"{CORE}{module} has no {name}"


def _object(module: str, name: str) -> Any:
    return getattr(importlib.import_module(CORE + module), name)


@pytest.mark.parametrize(
    ("name", "modules"),
    [
        ("AgentApplication", ["", ".app", ".app.agent_application"]),
        ("ApplicationError", ["", ".app", ".app.app_error", ".errors"]),
        ("ApplicationOptions", ["", ".app", ".app.app_options"]),
        ("InputFile", ["", ".app", ".app.input_file"]),
        ("Query", ["", ".app", ".app.query", ".app.adaptive_card", ".app.adaptive_card.models"]),
        ("TypingIndicator", ["", ".app", ".app.typing_indicator"]),
        ("TurnState", ["", ".app", ".app.state", ".app.state.turn_state"]),
        ("ConversationState", ["", ".app", ".app.state", ".app.state.conversation_state"]),
        ("TempState", ["", ".app", ".app.state", ".app.state.temp_state"]),
        ("StatePropertyAccessor", ["", ".app", ".app.state", ".state"]),
        ("StreamingResponse", ["", ".app.streaming", ".app.streaming.streaming_response"]),
        ("Citation", ["", ".app.streaming", ".app.streaming.citation"]),
        ("Authorization", ["", ".app", ".app.oauth"]),
        ("MemoryStorage", ["", ".storage", ".storage.memory_storage"]),
        ("Storage", ["", ".storage", ".storage.storage"]),
        ("StoreItem", ["", ".storage", ".storage.store_item"]),
        ("AgentState", ["", ".state"]),
        ("UserState", ["", ".state"]),
        ("error_resources", ["", ".errors"]),
    ],
)
def test_every_path_names_the_same_object(name: str, modules: list[str]) -> None:
    objects = {id(_object(module, name)) for module in modules}
    assert len(objects) == 1, f"{name} differs between {modules}"


def test_json_alias_is_a_mutable_mapping_of_str() -> None:
    alias = _object(".storage._type_aliases", "JSON")
    assert get_origin(alias) is MutableMapping
    assert get_args(alias) == (str, Any)


def test_root_all_lists_only_importable_names() -> None:
    root = importlib.import_module(CORE)
    missing = [name for name in root.__all__ if not hasattr(root, name)]
    assert missing == []
