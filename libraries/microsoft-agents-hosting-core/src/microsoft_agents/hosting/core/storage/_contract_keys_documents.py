"""Contract tests on the shapes of keys and documents a store must keep intact.

Keys come from channel, conversation and user ids: Teams ids contain ``:``, ``@`` and ``;``,
other channels bring ``/``, ``#``, ``?``, ``%``, spaces and non-ASCII text, and long ids
push keys past 255 characters. Every such key must round-trip and stay distinct from its
look-alikes. Documents may be deeply nested and hundreds of kilobytes large.
"""

from __future__ import annotations

import copy
from typing import Any

from ._contract_support import ContractFixtures, ContractItem
from .storage import Storage

__all__ = ["KeysAndDocumentsContract"]

# Key endings appended to the test prefix (no backslash and no control characters: Azure Blob
# Storage turns "\" into "/", and stores refuse such keys rather than alias them).
SPECIAL_KEY_ENDINGS = [
    "msteams/conversations/19:meeting_Mzk2@thread.v2;messageid=1712345678901",
    "msteams/users/29:1AbCdEf-GhIj_KlMn",
    "msteams:COPILOT/conversations/a:1XyZ-conversation",
    "emulator/conversations/a#b?c=d&e=f",
    "webchat/conversations/with space and ünïcödé ✓",
    "directline/conversations/100%25/+plus%/=equals",
    "asterisk*47/and*42",  # look-alikes of escaped characters
    "asterisk*",
    "double//slash",
    "semi;colon,comma'quote\"dquote",
    "emoji 🤖 and cjk 会话",
]

_NESTING_DEPTH = 40
_LARGE_TEXT_CHARS = 300_000


def _long_keys(prefix: str) -> list[str]:
    """Keys of 256, 300 and 900 characters; the two 300-character ones differ only at the end."""
    base = prefix + "msteams/conversations/19:" + "long-conversation-id-" * 40
    return [
        base[:256],
        base[:299] + "1",
        base[:299] + "2",
        base[:899] + "x",
    ]


def _nested(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"leaf": [depth, "bottom", None, {"deepest": True}]}
    for level in range(depth):
        node = {"level": level, "child": node, "siblings": [level, str(level), [level]]}
    return node


def _large_document() -> dict[str, Any]:
    return {
        "text": "0123456789abcdef" * (_LARGE_TEXT_CHARS // 16),
        "records": [{"id": n, "name": f"record {n}", "tags": ["a", "b"]} for n in range(2000)],
        "unicode": "ünïcödé ✓ 🤖 会话 \u00a0\u2028\u2029",
        "escapes": 'quote " backslash \\ slash / tab \t newline \n nul-free',
        "numbers": [0, -1, 1.5, -0.25, 2**53 - 1, -(2**53 - 1), 1e300],
        "empties": {"string": "", "list": [], "object": {}},
        "flags": [True, False, None],
    }


class KeysAndDocumentsContract(ContractFixtures):
    """Keys with special characters and long keys, nested and large documents."""

    async def test_keys_with_special_characters_round_trip_and_stay_distinct(
        self, storage: Storage, prefix: str
    ) -> None:
        keys = [prefix + ending for ending in SPECIAL_KEY_ENDINGS]
        await storage.write({key: ContractItem({"key": key}) for key in keys})
        items = await storage.read(keys, target_cls=ContractItem)
        assert {key: item.data["key"] for key, item in items.items()} == {k: k for k in keys}
        await storage.delete(keys[:3])
        remaining = await storage.read(keys, target_cls=ContractItem)
        assert sorted(remaining) == sorted(keys[3:])

    async def test_etags_work_on_keys_with_special_characters(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + SPECIAL_KEY_ENDINGS[0]
        await storage.write({key: ContractItem({"v": 1})})
        item = (await storage.read([key], target_cls=ContractItem))[key]
        item.data["v"] = 2
        await storage.write({key: item})
        assert await self._stored(storage, key) == {"v": 2}

    async def test_keys_longer_than_255_characters_round_trip_and_stay_distinct(
        self, storage: Storage, prefix: str
    ) -> None:
        keys = _long_keys(prefix)
        assert min(len(key) for key in keys) > 255
        await storage.write({key: ContractItem({"length": len(key), "key": key}) for key in keys})
        items = await storage.read(keys, target_cls=ContractItem)
        assert {key: item.data["key"] for key, item in items.items()} == {k: k for k in keys}
        item = items[keys[1]]
        item.data["changed"] = True
        await storage.write({keys[1]: item})  # conditional write on a long key
        assert await self._stored(storage, keys[2]) == {"length": len(keys[2]), "key": keys[2]}
        await storage.delete([keys[1]])
        assert sorted(await storage.read(keys, target_cls=ContractItem)) == sorted(
            [keys[0], keys[2], keys[3]]
        )

    async def test_deeply_nested_documents_round_trip(self, storage: Storage, prefix: str) -> None:
        document = {"tree": _nested(_NESTING_DEPTH), "list_of_lists": [[[[["deep"]]]]]}
        await storage.write({prefix + "nested": ContractItem(copy.deepcopy(document))})
        assert await self._stored(storage, prefix + "nested") == document

    async def test_large_documents_round_trip(self, storage: Storage, prefix: str) -> None:
        document = _large_document()
        item = ContractItem(copy.deepcopy(document))
        await storage.write({prefix + "large": item})
        read = (await storage.read([prefix + "large"], target_cls=ContractItem))[prefix + "large"]
        assert read.data == document
        assert read.e_tag == item.e_tag
        read.data["records"].append({"id": -1})
        await storage.write({prefix + "large": read})  # a large conditional write
        stored = await self._stored(storage, prefix + "large")
        assert stored is not None and stored["records"][-1] == {"id": -1}
