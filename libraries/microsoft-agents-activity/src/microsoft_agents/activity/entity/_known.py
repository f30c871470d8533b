"""Dispatch of raw entity dicts to the known entity classes.

Known ``type`` strings are matched case-insensitively and validated into their class; any
other type stays a plain :class:`Entity` with its keys kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Discriminator, SerializeAsAny, Tag

from ._ai import AIEntity
from ._base import Entity
from ._kinds import (
    ActivityTreatment,
    GeoCoordinates,
    Mention,
    Place,
    ProductInfo,
    StreamInfo,
    Thing,
)

__all__ = ["KNOWN_ENTITY_CLASSES", "AnyEntity", "entity_class_for"]

KNOWN_ENTITY_CLASSES: dict[str, type[Entity]] = {
    str(cls._canonical_type).casefold(): cls
    for cls in (
        ActivityTreatment,
        AIEntity,
        GeoCoordinates,
        Mention,
        Place,
        ProductInfo,
        StreamInfo,
        Thing,
    )
}

_OTHER = "*"


def entity_class_for(type_name: Any) -> type[Entity]:
    """The class an entity of ``type_name`` is validated into."""
    if isinstance(type_name, str):
        return KNOWN_ENTITY_CLASSES.get(type_name.casefold(), Entity)
    return Entity


_TAG_BY_CLASS: dict[type, str] = {cls: key for key, cls in KNOWN_ENTITY_CLASSES.items()}
_TAG_BY_CLASS[Entity] = _OTHER


def _tag(value: Any) -> str | None:
    # Serialisation asks again for every entity: answer exact known classes from a dict.
    tag = _TAG_BY_CLASS.get(type(value))
    if tag is not None:
        return tag
    if isinstance(value, dict):
        type_name = value.get("type")
        if not isinstance(type_name, str) or not type_name:
            return None
        key = type_name.casefold()
        return key if key in KNOWN_ENTITY_CLASSES else _OTHER
    if isinstance(value, Entity):
        key = value.type.casefold()
        known = KNOWN_ENTITY_CLASSES.get(key)
        return key if known is not None and isinstance(value, known) else _OTHER
    return None


if TYPE_CHECKING:
    AnyEntity = Entity
else:
    AnyEntity = Annotated[
        Union[
            tuple(
                [
                    Annotated[SerializeAsAny[cls], Tag(key)]
                    for key, cls in KNOWN_ENTITY_CLASSES.items()
                ]
                + [Annotated[SerializeAsAny[Entity], Tag(_OTHER)]]
            )
        ],
        Discriminator(
            _tag,
            custom_error_type="entity_type",
            custom_error_message="each entity needs a non-empty string 'type'",
        ),
    ]
    """An entity validated into its known class by ``type``; serialised with its own fields."""
