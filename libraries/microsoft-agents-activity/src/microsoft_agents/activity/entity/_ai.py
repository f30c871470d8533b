"""AI-generated-content metadata: the schema.org ``Message`` entity and citations."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from pydantic import Field

from ._base import Entity, EntityTypes, SchemaModel

__all__ = [
    "AIEntity",
    "ClientCitation",
    "ClientCitationAppearance",
    "ClientCitationIconName",
    "ClientCitationImage",
    "SensitivityPattern",
    "SensitivityUsageInfo",
]


class ClientCitationIconName(str, Enum):
    """Icons a client may show next to a citation."""

    MICROSOFT_WORD = "Microsoft Word"
    MICROSOFT_EXCEL = "Microsoft Excel"
    MICROSOFT_POWERPOINT = "Microsoft PowerPoint"
    MICROSOFT_ONENOTE = "Microsoft OneNote"
    MICROSOFT_SHAREPOINT = "Microsoft SharePoint"
    MICROSOFT_VISIO = "Microsoft Visio"
    MICROSOFT_LOOP = "Microsoft Loop"
    MICROSOFT_WHITEBOARD = "Microsoft Whiteboard"
    ADOBE_ILLUSTRATOR = "Adobe Illustrator"
    ADOBE_PHOTOSHOP = "Adobe Photoshop"
    ADOBE_INDESIGN = "Adobe InDesign"
    ADOBE_FLASH = "Adobe Flash"
    SKETCH = "Sketch"
    SOURCE_CODE = "Source Code"
    IMAGE = "Image"
    GIF = "GIF"
    VIDEO = "Video"
    SOUND = "Sound"
    ZIP = "ZIP"
    TEXT = "Text"
    PDF = "PDF"


class ClientCitationImage(SchemaModel):
    type: str = "ImageObject"
    name: str = ""


class SensitivityPattern(SchemaModel):
    _always_emit: ClassVar[tuple[str, ...]] = ("at_type",)

    at_type: str = Field(default="DefinedTerm", alias="@type")
    in_defined_term_set: str = ""
    name: str = ""
    term_code: str = ""


class SensitivityUsageInfo(SchemaModel):
    """A sensitivity label for generated content (e.g. ``name="Confidential"``)."""

    _always_emit: ClassVar[tuple[str, ...]] = ("at_type",)

    type: str = "https://schema.org/Message"
    at_type: str = Field(default="CreativeWork", alias="@type")
    description: str | None = None
    name: str = ""
    position: int | None = None
    pattern: SensitivityPattern | None = None


class ClientCitationAppearance(SchemaModel):
    _always_emit: ClassVar[tuple[str, ...]] = ("at_type",)

    at_type: str = Field(default="DigitalDocument", alias="@type")
    name: str = ""
    text: str | None = None
    url: str | None = None
    abstract: str = ""
    encoding_format: str | None = None
    image: ClientCitationImage | None = None
    keywords: list[str] | None = None
    usage_info: SensitivityUsageInfo | None = None


class ClientCitation(SchemaModel):
    """One numbered source cited by generated text (``[1]``)."""

    _always_emit: ClassVar[tuple[str, ...]] = ("at_type",)

    at_type: str = Field(default="Claim", alias="@type")
    at_id: str | None = Field(default=None, alias="@id")
    position: int = 0
    appearance: ClientCitationAppearance = Field(default_factory=ClientCitationAppearance)


class AIEntity(Entity):
    """Marks a message as AI generated and carries its citations and sensitivity label."""

    _canonical_type = EntityTypes.AI_CITATION.value
    _always_emit: ClassVar[tuple[str, ...]] = ("type", "at_type", "at_context", "at_id")

    type: str = EntityTypes.AI_CITATION.value
    at_type: str = Field(default="Message", alias="@type")
    at_context: str = Field(default="https://schema.org", alias="@context")
    at_id: str | None = Field(default=None, alias="@id")
    id: str = ""
    additional_type: list[str] = Field(default_factory=lambda: ["AIGeneratedContent"])
    citation: list[ClientCitation] | None = None
    usage_info: SensitivityUsageInfo | None = None
