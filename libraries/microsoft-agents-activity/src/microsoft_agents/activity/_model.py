"""The shared pydantic base of every protocol model."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

__all__ = ["AgentsModel", "NonEmptyString", "camelize_key"]

NonEmptyString = Annotated[str, StringConstraints(min_length=1)]
"""A string that must not be empty; optional fields use ``NonEmptyString | None``."""

_ModelT = TypeVar("_ModelT", bound="AgentsModel")


def camelize_key(key: str) -> str:
    """Turn ``snake_case`` into ``camelCase`` without touching keys that are not snake.

    Keys without an underscore (``someKey``, ``ID``, ``SomeKey``) and keys that start with
    ``@`` or ``_`` are returned unchanged, so a key that came from the wire goes back out
    exactly as it arrived.
    """
    if "_" not in key or key[0] in "@_":
        return key
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class AgentsModel(BaseModel):
    """Base of every Activity-protocol model.

    Python attributes are ``snake_case``; the wire form is ``camelCase``. Both names are
    accepted on input; unknown input keys are ignored unless a model opts into extras. The
    wire form is ``model_dump(mode="json", by_alias=True, exclude_unset=True)``.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
    )

    @classmethod
    def pick_properties(
        cls: type[_ModelT],
        original: AgentsModel | None,
        fields_to_copy: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> _ModelT | None:
        """Build a ``cls`` from the fields that were *set* on ``original`` plus ``kwargs``.

        ``fields_to_copy`` narrows the copied fields; unset fields of ``original`` stay unset
        on the result. Returns ``None`` when ``original`` is falsy.
        """
        if not original:
            return None
        names = original.model_fields_set
        if fields_to_copy is not None:
            names = names & set(fields_to_copy)
        data: dict[str, Any] = {name: getattr(original, name) for name in names}
        data.update(kwargs)
        return cls.model_validate(data)
