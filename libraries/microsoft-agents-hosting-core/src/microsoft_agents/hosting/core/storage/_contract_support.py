"""Items and fixtures shared by the storage contract test classes (imported by test code only)."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import pytest

from ._type_aliases import JSON
from .storage import Storage
from .store_item import StoreItem

__all__ = ["ContractFixtures", "ContractItem"]


class ContractItem(StoreItem):
    """A plain store item holding a JSON object, used by the contract tests."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = data if data is not None else {}

    def store_item_to_json(self) -> JSON:
        return self.data

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> ContractItem:
        return ContractItem(dict(json_data))


class OtherItem(ContractItem):
    """A second target class, to check that ``read`` builds what it is asked for."""

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> OtherItem:
        return OtherItem(dict(json_data))


class ContractFixtures:
    """The fixtures every contract test uses; subclasses override ``storage``."""

    atomic_multi_key_writes: ClassVar[bool] = False
    """True if a multi-key write that conflicts on one key writes none of the keys."""

    @pytest.fixture
    def storage(self) -> Storage:
        raise NotImplementedError("subclasses provide a 'storage' fixture")

    @pytest.fixture
    def prefix(self) -> str:
        return f"contract-{uuid.uuid4().hex}/"

    async def _stored(self, storage: Storage, key: str) -> dict[str, Any] | None:
        items = await storage.read([key], target_cls=ContractItem)
        return items[key].data if key in items else None
