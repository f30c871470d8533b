"""Entities: typed metadata attached to activities (mentions, AI citations, streaming...)."""

from ._ai import (
    AIEntity,
    ClientCitation,
    ClientCitationAppearance,
    ClientCitationIconName,
    ClientCitationImage,
    SensitivityPattern,
    SensitivityUsageInfo,
)
from ._base import Entity, EntityTypes
from ._kinds import (
    ActivityTreatment,
    ActivityTreatmentTypes,
    GeoCoordinates,
    Mention,
    Place,
    ProductInfo,
    StreamInfo,
    Thing,
)

__all__ = [
    "AIEntity",
    "ActivityTreatment",
    "ActivityTreatmentTypes",
    "ClientCitation",
    "ClientCitationAppearance",
    "ClientCitationIconName",
    "ClientCitationImage",
    "Entity",
    "EntityTypes",
    "GeoCoordinates",
    "Mention",
    "Place",
    "ProductInfo",
    "SensitivityPattern",
    "SensitivityUsageInfo",
    "StreamInfo",
    "Thing",
]
