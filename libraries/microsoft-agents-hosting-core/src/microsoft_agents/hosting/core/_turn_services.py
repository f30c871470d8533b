"""``TurnServices``: the typed bag of per-turn services (clients the adapter provides)."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["TurnServices"]

_T = TypeVar("_T")


class TurnServices:
    """Services of one turn (connector client, user-token client, ...) keyed by their type.

    ``set(cls, obj)`` and ``get(cls)`` check that the object is an instance of ``cls``
    (``TypeError`` otherwise); ``typing.Protocol`` keys are exempt from the check.
    """

    __slots__ = ("_items",)

    def __init__(self, other: TurnServices | None = None) -> None:
        self._items: dict[type, object] = dict(other._items) if other is not None else {}

    @staticmethod
    def _check(key: type, value: object) -> None:
        if getattr(key, "_is_protocol", False):
            return
        if not isinstance(value, key):
            raise TypeError(
                f"service registered for {key.__name__} is a {type(value).__name__}, "
                f"not a {key.__name__}"
            )

    def get(self, key: type[_T], /) -> _T | None:
        """The service registered for ``key``, or ``None``."""
        value = self._items.get(key)
        if value is None:
            return None
        self._check(key, value)
        return value  # type: ignore[return-value]  # checked above (protocols are trusted)

    def has(self, key: type, /) -> bool:
        """Whether a service is registered for ``key``."""
        return key in self._items

    def set(self, key: type[_T], value: _T, /) -> None:
        """Register ``value`` as the service for ``key`` (replacing any earlier one)."""
        if value is not None:
            self._check(key, value)
        self._items[key] = value

    def remove(self, key: type, /) -> None:
        """Forget the service registered for ``key`` (no error when there is none)."""
        self._items.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"TurnServices({', '.join(k.__name__ for k in self._items)})"
