"""Contract tests on concurrent writers: no write is ever lost silently.

Writers that race on one key with the eTag they read must see exactly one winner per stored
version; the others get ``StorageConflictError``. Writers that re-read and retry on conflict
must all land, one after the other. ``"*"`` overrides the check on purpose.
"""

from __future__ import annotations

import asyncio
import random
from typing import ClassVar

import pytest

from ..errors import StorageConflictError
from ._contract_support import ContractFixtures, ContractItem
from .storage import Storage
from .store_item import ETAG_ANY, ETAG_CREATE_ONLY

__all__ = ["RacingWritersContract"]


class RacingWritersContract(ContractFixtures):
    """N tasks racing on one key, with and without retrying."""

    racing_writers: ClassVar[int] = 8
    """How many tasks race on one key."""

    async def _race(self, storage: Storage, key: str, items: list[ContractItem]) -> list[int]:
        """Write every item at once; return the indexes of the writes that succeeded."""
        outcomes = await asyncio.gather(
            *(storage.write({key: item}) for item in items), return_exceptions=True
        )
        for outcome in outcomes:
            if outcome is not None and not isinstance(outcome, StorageConflictError):
                raise outcome
        return [n for n, outcome in enumerate(outcomes) if outcome is None]

    async def test_exactly_one_writer_wins_each_generation(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "contended"
        await storage.write({key: ContractItem({"round": -1})})
        for round_number in range(3):
            racers = [
                (await storage.read([key], target_cls=ContractItem))[key]
                for _ in range(self.racing_writers)
            ]
            assert len({racer.e_tag for racer in racers}) == 1  # all read the same version
            for number, racer in enumerate(racers):
                racer.data = {"round": round_number, "writer": number}
            winners = await self._race(storage, key, racers)
            assert len(winners) == 1, f"round {round_number}: winners {winners}"
            assert await self._stored(storage, key) == {"round": round_number, "writer": winners[0]}

    async def test_racing_writers_that_retry_lose_no_update(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "counter"
        first = ContractItem({"count": 0, "writers": []})
        await storage.write({key: first})
        generations: list[tuple[str | None, str | None]] = []  # (eTag read, eTag written)

        async def increment(writer: int) -> None:
            for attempt in range(200):
                item = (await storage.read([key], target_cls=ContractItem))[key]
                read_e_tag = item.e_tag
                item.data["count"] += 1
                item.data["writers"].append(writer)
                await asyncio.sleep(0)  # let the other writers read the same version
                try:
                    await storage.write({key: item})
                except StorageConflictError:
                    await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
                    continue
                generations.append((read_e_tag, item.e_tag))
                return
            raise AssertionError(f"writer {writer} never got its update in")

        await asyncio.gather(*(increment(n) for n in range(self.racing_writers)))
        stored = await self._stored(storage, key)
        assert stored is not None
        assert stored["count"] == self.racing_writers
        assert sorted(stored["writers"]) == list(range(self.racing_writers))
        # Every successful write built on a different stored version, and the versions form
        # one chain from the first write to the last: nothing was overwritten unseen.
        read_e_tags = [read for read, _ in generations]
        assert len(set(read_e_tags)) == len(read_e_tags)
        successor = dict(generations)
        chain, e_tag = 0, first.e_tag
        while e_tag in successor:
            e_tag, chain = successor[e_tag], chain + 1
        assert chain == self.racing_writers

    async def test_racing_create_only_writes_let_exactly_one_win(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "created"
        racers = [ContractItem({"writer": n}) for n in range(self.racing_writers)]
        for racer in racers:
            racer.e_tag = ETAG_CREATE_ONLY
        winners = await self._race(storage, key, racers)
        assert len(winners) == 1
        assert await self._stored(storage, key) == {"writer": winners[0]}

    async def test_star_overwrites_a_concurrent_change_on_purpose(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "doc"
        await storage.write({key: ContractItem({"v": "original"})})
        mine = (await storage.read([key], target_cls=ContractItem))[key]
        theirs = (await storage.read([key], target_cls=ContractItem))[key]
        theirs.data["v"] = "theirs"
        await storage.write({key: theirs})
        mine.data["v"] = "mine"
        mine.e_tag = ETAG_ANY
        await storage.write({key: mine})
        assert mine.e_tag not in (None, ETAG_ANY, theirs.e_tag)
        assert await self._stored(storage, key) == {"v": "mine"}
        theirs.data["v"] = "theirs again"
        with pytest.raises(StorageConflictError):
            await storage.write({key: theirs})  # their eTag is stale now
        assert await self._stored(storage, key) == {"v": "mine"}
