"""sanitize_key and truncate_key: how storage keys become Cosmos DB ids."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microsoft_agents.storage.cosmos.key_ops import sanitize_key, truncate_key


@pytest.mark.parametrize(
    ("character", "escaped"),
    [
        ("/", "*47"),
        ("\\", "*92"),
        ("?", "*63"),
        ("#", "*35"),
        ("\t", "*9"),
        ("\n", "*10"),
        ("\r", "*13"),
        ("*", "*42"),
    ],
)
def test_each_forbidden_character_becomes_star_and_its_code_point(
    character: str, escaped: str
) -> None:
    assert sanitize_key(f"a{character}b") == f"a{escaped}b"


def test_other_characters_stay_as_they_are() -> None:
    key = "msteams 19:abc@thread.v2;messageid=1 ünïcödé ✓ %20 +&=.,'\"<>|"
    assert sanitize_key(key) == key


def test_a_teams_conversation_key() -> None:
    assert (
        sanitize_key("msteams/conversations/19:abc@thread.tacv2")
        == "msteams*47conversations*4719:abc@thread.tacv2"
    )


def test_the_suffix_is_appended_after_escaping() -> None:
    assert sanitize_key("a/b", key_suffix="-agent1") == "a*47b-agent1"


def test_long_keys_are_cut_to_255_with_the_hash_of_the_whole_key_in_compatibility_mode() -> None:
    key = "k/" * 150  # 300 characters, 600 once escaped
    escaped = "k*47" * 150
    expected = escaped[:191] + hashlib.sha256(escaped.encode("utf-8")).hexdigest()
    assert sanitize_key(key) == expected  # compatibility_mode defaults to True here
    assert len(expected) == 255
    assert sanitize_key(key, compatibility_mode=False) == escaped


def test_truncate_key_only_acts_in_compatibility_mode_and_over_255() -> None:
    assert truncate_key("x" * 255) == "x" * 255
    assert truncate_key("x" * 256, compatibility_mode=False) == "x" * 256
    truncated = truncate_key("x" * 256)
    assert len(truncated) == 255
    assert truncated == "x" * 191 + hashlib.sha256(b"x" * 256).hexdigest()
    assert truncated[191:] == truncated[191:].lower()


def test_keys_sharing_their_first_255_characters_stay_distinct_when_truncated() -> None:
    base = "p" * 300
    assert truncate_key(base + "1") != truncate_key(base + "2")


@given(st.text(max_size=40), st.text(max_size=40))
def test_escaping_never_maps_two_keys_to_one_id(first: str, second: str) -> None:
    if first != second:
        assert sanitize_key(first, compatibility_mode=False) != sanitize_key(
            second, compatibility_mode=False
        )


@given(st.text(alphabet="ab/*4712", max_size=30))
def test_escaped_ids_hold_no_forbidden_character(key: str) -> None:
    assert not set(sanitize_key(key, compatibility_mode=False)) & set("\\?/#\t\n\r")
