"""Turning storage keys into Cosmos DB document ids.

Cosmos DB ids may not contain ``/``, ``\\``, ``?`` or ``#`` (and tabs and line breaks cause
trouble in URLs), so :func:`sanitize_key` escapes each of them, and the escape character
``*`` itself, as ``*`` followed by the character's decimal code point: ``/`` becomes ``*47``.
Escaping every ``*`` keeps the mapping one-to-one: two different keys never share an id.

:func:`truncate_key` shortens ids longer than 255 characters (the id limit of older Cosmos
DB accounts) to exactly 255: the first 191 characters and the SHA-256 of the whole id.
It only does so in compatibility mode, for containers written by older SDKs.
"""

from __future__ import annotations

import hashlib

__all__ = ["FORBIDDEN_CHARACTERS", "MAX_KEY_LENGTH", "sanitize_key", "truncate_key"]

FORBIDDEN_CHARACTERS = frozenset("\\?/#\t\n\r*")
"""Characters :func:`sanitize_key` escapes (``*`` because it is the escape character)."""

MAX_KEY_LENGTH = 255
"""Length of a key after :func:`truncate_key` in compatibility mode."""

_HASH_LENGTH = 64  # hex digits of a SHA-256
_ESCAPES = {ord(character): f"*{ord(character)}" for character in FORBIDDEN_CHARACTERS}


def sanitize_key(key: str, key_suffix: str = "", compatibility_mode: bool = True) -> str:
    """The Cosmos DB id of ``key``: forbidden characters escaped, ``key_suffix`` appended,
    then :func:`truncate_key` applied (which shortens only in ``compatibility_mode``)."""
    return truncate_key(key.translate(_ESCAPES) + key_suffix, compatibility_mode)


def truncate_key(key: str, compatibility_mode: bool = True) -> str:
    """``key`` unchanged, unless ``compatibility_mode`` is on and it is longer than 255
    characters: then its first 191 characters followed by the lowercase hex SHA-256 of the
    whole key (255 characters in all)."""
    if not compatibility_mode or len(key) <= MAX_KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return key[: MAX_KEY_LENGTH - _HASH_LENGTH] + digest
