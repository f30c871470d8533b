"""The ``Entity`` base and the ``@``-key support shared by schema.org style models."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ConfigDict, model_validator

from .._model import AgentsModel, camelize_key

__all__ = ["Entity", "EntityTypes", "SchemaModel", "wire_key"]


class EntityTypes(str, Enum):
    """The ``type`` strings of the entities this package knows."""

    ACTIVITY_TREATMENT = "activityTreatment"
    AI_CITATION = "https://schema.org/Message"
    GEO_COORDINATES = "GeoCoordinates"
    MENTION = "mention"
    PLACE = "Place"
    THING = "Thing"
    PRODUCT_INFO = "ProductInfo"
    STREAM_INFO = "streaminfo"

    def __str__(self) -> str:
        return str(self.value)


def wire_key(name: str) -> str:
    """The wire key of an attribute name: ``at_type`` → ``@type``, ``some_key`` → ``someKey``."""
    if name.startswith("at_"):
        return "@" + camelize_key(name[3:])
    return camelize_key(name)


def _at_key(name: str) -> str:
    return "@" + name[3:] if name.startswith("at_") else name


class SchemaModel(AgentsModel):
    """A model whose listed fields are always written, even when left at their default.

    schema.org payloads carry ``@type`` / ``@context`` markers that consumers rely on, so a
    model built in code with defaults must still emit them under ``exclude_unset=True``.
    """

    _always_emit: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _mark_always_emitted(self) -> Any:
        fields_set = self.__pydantic_fields_set__
        for name in self._always_emit:
            if name not in fields_set and getattr(self, name) is not None:
                fields_set.add(name)
        return self


class Entity(SchemaModel):
    """Metadata attached to an activity: a ``type`` plus any other keys.

    Keys that are not declared fields are kept under exactly the key they were given in
    data (``model_validate``, JSON), so entities from the wire survive a round trip unchanged.
    Keyword arguments and attribute assignment use Python names, which are stored in wire
    form: ``Entity(type="x", some_key=1)`` writes ``someKey``, and ``at_type`` / ``at_context``
    / ``at_id`` write ``@type`` / ``@context`` / ``@id``. Extra keys can be read as attributes
    by their wire key or its ``snake_case`` form (``entity.some_key`` finds ``someKey``).
    """

    model_config = ConfigDict(extra="allow")

    _always_emit: ClassVar[tuple[str, ...]] = ("type",)
    _canonical_type: ClassVar[str | None] = None

    type: str

    def __init__(self, /, **data: Any) -> None:
        fields = type(self).model_fields
        super().__init__(
            **{key if key in fields else wire_key(key): value for key, value in data.items()}
        )

    # Keyword construction goes through ``__init__`` above, but validation of data must not:
    # pydantic calls a custom ``__init__`` for every nested entity unless told it is the base
    # one, which would also rename wire keys. (pydantic reads this marker to decide.)
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @model_validator(mode="after")
    def _canonical(self) -> Any:
        canonical = self._canonical_type
        if canonical is not None and self.type != canonical:
            self.__dict__["type"] = canonical
        extra = self.__pydantic_extra__
        if extra and any(key.startswith("at_") for key in extra):
            self.__pydantic_extra__ = {_at_key(key): value for key, value in extra.items()}
        return self

    @property
    def additional_properties(self) -> dict[str, Any]:
        """The keys of this entity that are not declared fields, in wire form."""
        extra = self.__pydantic_extra__
        return extra if extra is not None else {}

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            try:
                return super().__getattr__(name)
            except AttributeError:
                extra = self.__pydantic_extra__
                if extra:
                    for key in (wire_key(name), _at_key(name)):
                        if key in extra:
                            return extra[key]
                raise

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and name not in type(self).model_fields:
            extra = self.__pydantic_extra__
            if extra is None or name not in extra:
                name = wire_key(name)
        super().__setattr__(name, value)
