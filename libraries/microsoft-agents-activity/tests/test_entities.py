"""Spec conformance of entities and citation models (activity.md §6)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from microsoft_agents.activity import (
    Activity,
    ActivityTreatment,
    ActivityTreatmentTypes,
    AIEntity,
    ChannelAccount,
    ClientCitation,
    ClientCitationAppearance,
    ClientCitationIconName,
    ClientCitationImage,
    Entity,
    EntityTypes,
    GeoCoordinates,
    Mention,
    Place,
    ProductInfo,
    SensitivityPattern,
    SensitivityUsageInfo,
    StreamInfo,
    Thing,
)
from microsoft_agents.activity import entity as entity_package


def wire(model: BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def parse_entities(*entities: Any) -> list[Entity]:
    activity = Activity.model_validate({"type": "message", "entities": list(entities)})
    assert activity.entities is not None
    return list(activity.entities)


def test_entity_package_reexports() -> None:
    for name in (
        "Entity",
        "EntityTypes",
        "Mention",
        "ProductInfo",
        "StreamInfo",
        "AIEntity",
        "ActivityTreatment",
        "ActivityTreatmentTypes",
        "GeoCoordinates",
        "Place",
        "Thing",
        "ClientCitation",
        "ClientCitationAppearance",
        "ClientCitationImage",
        "ClientCitationIconName",
        "SensitivityUsageInfo",
        "SensitivityPattern",
    ):
        assert getattr(entity_package, name) is globals()[name], name


# -- dispatch of known types ----------------------------------------------------------------------

KNOWN = [
    ("mention", Mention, "mention"),
    ("Mention", Mention, "mention"),
    ("MENTION", Mention, "mention"),
    ("ProductInfo", ProductInfo, "ProductInfo"),
    ("productinfo", ProductInfo, "ProductInfo"),
    ("streaminfo", StreamInfo, "streaminfo"),
    ("StreamInfo", StreamInfo, "streaminfo"),
    ("activityTreatment", ActivityTreatment, "activityTreatment"),
    ("ACTIVITYTREATMENT", ActivityTreatment, "activityTreatment"),
    ("https://schema.org/Message", AIEntity, "https://schema.org/Message"),
    ("HTTPS://SCHEMA.ORG/MESSAGE", AIEntity, "https://schema.org/Message"),
    ("GeoCoordinates", GeoCoordinates, "GeoCoordinates"),
    ("geocoordinates", GeoCoordinates, "GeoCoordinates"),
    ("Place", Place, "Place"),
    ("place", Place, "Place"),
    ("Thing", Thing, "Thing"),
    ("THING", Thing, "Thing"),
]


@pytest.mark.parametrize(("given", "cls", "canonical"), KNOWN)
def test_known_types_become_subclasses_with_canonical_type(
    given: str, cls: type[Entity], canonical: str
) -> None:
    (entity,) = parse_entities({"type": given})
    assert type(entity) is cls
    assert entity.type == canonical
    assert wire(entity)["type"] == canonical


def test_known_types_parse_their_fields() -> None:
    mention, stream, geo = parse_entities(
        {"type": "mention", "mentioned": {"id": "u", "name": "U"}, "text": "<at>U</at>"},
        {"type": "streaminfo", "streamId": "s-1", "stream_sequence": 2, "streamType": "final"},
        {"type": "GeoCoordinates", "latitude": 47.6, "longitude": -122.1, "elevation": 10},
    )
    assert isinstance(mention, Mention)
    assert mention.mentioned == ChannelAccount(id="u", name="U")
    assert mention.text == "<at>U</at>"
    assert isinstance(stream, StreamInfo)
    assert (stream.stream_id, stream.stream_sequence, stream.stream_type) == ("s-1", 2, "final")
    assert isinstance(geo, GeoCoordinates)
    assert (geo.latitude, geo.longitude, geo.elevation) == (47.6, -122.1, 10.0)


def test_known_entity_keeps_unknown_keys() -> None:
    (mention,) = parse_entities({"type": "mention", "text": "t", "customKey": 1, "x_y": 2})
    assert isinstance(mention, Mention)
    assert mention.additional_properties == {"customKey": 1, "x_y": 2}
    assert wire(mention) == {"type": "mention", "text": "t", "customKey": 1, "x_y": 2}


def test_unknown_type_stays_entity_and_is_written_back_exactly() -> None:
    raw = {
        "type": "clientInfo",
        "locale": "en-US",
        "snake_key": {"inner_key": 1},
        "camelKey": [1, 2],
        "PascalKey": True,
        "@type": "Thing",
        "@context": "https://schema.org",
        "@id": "urn:x",
        "nullKey": None,
    }
    (entity,) = parse_entities(raw)
    assert type(entity) is Entity
    assert entity.type == "clientInfo"
    assert wire(entity) == raw
    activity = Activity.model_validate({"type": "message", "entities": [raw]})
    assert json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True))["entities"] == [
        raw
    ]


def test_unknown_entity_attribute_access() -> None:
    (entity,) = parse_entities(
        {"type": "x", "someKey": 1, "snake_key": 2, "@type": "T", "@context": "C", "@id": "I"}
    )
    assert entity.some_key == 1
    assert entity.someKey == 1
    assert entity.snake_key == 2
    assert (entity.at_type, entity.at_context, entity.at_id) == ("T", "C", "I")
    with pytest.raises(AttributeError):
        _ = entity.missing_key


def test_entity_keyword_extras_are_python_names_written_in_camel_case() -> None:
    entity = Entity(type="custom", someKey="a", other_key="b")
    assert entity.additional_properties == {"someKey": "a", "otherKey": "b"}
    assert entity.model_extra == entity.additional_properties
    assert entity.other_key == "b"
    assert entity.some_key == "a"
    assert wire(entity) == {"type": "custom", "someKey": "a", "otherKey": "b"}
    entity.new_key = 1
    entity.other_key = "c"
    assert wire(entity) == {"type": "custom", "someKey": "a", "otherKey": "c", "newKey": 1}


def test_data_extras_keep_their_keys_even_when_assigned() -> None:
    entity = Entity.model_validate({"type": "custom", "snake_key": 1})
    entity.snake_key = 2
    assert wire(entity) == {"type": "custom", "snake_key": 2}


def test_nested_entity_validation_does_not_go_through_keyword_init() -> None:
    # Keyword construction renames Python names; validating data must never do that.
    assert Entity.__pydantic_custom_init__ is False
    assert Mention.__pydantic_custom_init__ is False


def test_at_attributes_map_to_at_keys() -> None:
    entity = Entity(type="custom", at_type="Thing", at_context="https://schema.org", at_id="i")
    assert wire(entity) == {
        "type": "custom",
        "@type": "Thing",
        "@context": "https://schema.org",
        "@id": "i",
    }
    assert entity.at_type == "Thing"
    entity.at_type = "Other"
    assert wire(entity)["@type"] == "Other"
    validated = Entity.model_validate({"type": "custom", "at_id": "z"})
    assert wire(validated) == {"type": "custom", "@id": "z"}


def test_entity_type_is_required_and_always_written() -> None:
    with pytest.raises(ValidationError):
        Entity()  # type: ignore[call-arg]
    assert wire(Entity(type="custom")) == {"type": "custom"}
    # Known subclasses write their default type even when built without one.
    assert wire(Mention()) == {"type": "mention"}
    assert wire(StreamInfo()) == {"type": "streaminfo"}
    assert wire(ProductInfo(id="X")) == {"type": "ProductInfo", "id": "X"}


def test_subclass_type_is_canonical_even_when_given_differently() -> None:
    assert Mention(type="MENTION").type == "mention"
    assert ProductInfo.model_validate({"type": "productinfo"}).type == "ProductInfo"


# -- list handling on Activity ---------------------------------------------------------------


def test_explicit_none_entities_become_empty_list() -> None:
    activity = Activity.model_validate({"type": "message", "entities": None})
    assert activity.entities == []
    assert wire(activity) == {"type": "message", "entities": []}
    assert Activity(type="message", entities=None).entities == []


def test_missing_entities_stay_none_and_unset() -> None:
    activity = Activity(type="message")
    assert activity.entities is None
    assert "entities" not in activity.model_fields_set


@pytest.mark.parametrize("value", [{"type": "mention"}, "mention", 5])
def test_non_list_entities_raise_validation_error(value: Any) -> None:
    with pytest.raises(ValidationError):
        Activity.model_validate({"type": "message", "entities": value})


@pytest.mark.parametrize("item", [{"id": "x"}, {"type": ""}, {"type": None}, {"type": 3}, "x"])
def test_entity_without_a_type_raises_validation_error(item: Any) -> None:
    with pytest.raises(ValidationError):
        Activity.model_validate({"type": "message", "entities": [item]})
    with pytest.raises(ValueError):
        Activity.model_validate({"type": "message", "entities": [{"type": "mention"}, item]})


def test_entity_instances_are_kept_as_given() -> None:
    plain = Entity(type="mention", text="x")
    mention = Mention(text="y")
    activity = Activity(type="message", entities=[plain, mention])
    assert activity.entities is not None
    assert activity.entities[0] is plain
    assert activity.entities[1] is mention


def test_dicts_given_to_the_constructor_are_dispatched() -> None:
    activity = Activity(type="message", entities=[{"type": "mention", "text": "x"}])
    assert activity.entities is not None
    assert type(activity.entities[0]) is Mention


def test_user_defined_entity_subclass_keeps_its_fields() -> None:
    class Sentiment(Entity):
        type: str = "sentiment"
        score_value: float = 0.0
        label: str | None = None

    activity = Activity(type="message", entities=[Sentiment(score_value=0.9, label="pos")])
    expected = [{"type": "sentiment", "scoreValue": 0.9, "label": "pos"}]
    assert wire(activity)["entities"] == expected
    dumped = json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True))
    assert dumped["entities"] == expected


def test_user_defined_subclass_of_a_known_entity_keeps_its_fields() -> None:
    class RichMention(Mention):
        display_hint: str | None = None

    activity = Activity(type="message", entities=[RichMention(text="<at>a</at>", display_hint="h")])
    assert activity.entities is not None
    assert type(activity.entities[0]) is RichMention
    expected = [{"type": "mention", "text": "<at>a</at>", "displayHint": "h"}]
    assert wire(activity)["entities"] == expected
    dumped = json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True))
    assert dumped["entities"] == expected


# -- individual kinds ----------------------------------------------------------------------------


def test_mention_wire_form() -> None:
    mention = Mention(mentioned=ChannelAccount(id="u", name="U"), text="<at>U</at>")
    assert wire(mention) == {
        "type": "mention",
        "mentioned": {"id": "u", "name": "U"},
        "text": "<at>U</at>",
    }


def test_stream_info_defaults() -> None:
    info = StreamInfo()
    assert info.type == "streaminfo"
    assert info.stream_type == "streaming"
    assert info.stream_sequence is None
    assert info.stream_id == ""
    assert info.stream_result == ""
    assert info.feedback_loop_enabled is False
    assert info.feedback_loop is None


def test_stream_info_wire_form() -> None:
    info = StreamInfo(
        stream_type="final",
        stream_sequence=4,
        stream_id="s-1",
        stream_result="success",
        feedback_loop_enabled=True,
        feedback_loop={"type": "default"},
    )
    assert wire(info) == {
        "type": "streaminfo",
        "streamType": "final",
        "streamSequence": 4,
        "streamId": "s-1",
        "streamResult": "success",
        "feedbackLoopEnabled": True,
        "feedbackLoop": {"type": "default"},
    }


def test_activity_treatment() -> None:
    treatment = ActivityTreatment(treatment=ActivityTreatmentTypes.TARGETED)
    assert ActivityTreatmentTypes.TARGETED == "targeted"
    expected = {"type": "activityTreatment", "treatment": "targeted"}
    assert wire(treatment) == expected
    assert json.loads(treatment.model_dump_json(by_alias=True, exclude_unset=True)) == expected


def test_place_and_thing_and_geo() -> None:
    place = Place(address="1 Main St", geo={"latitude": 1}, has_map="https://map", name="Home")
    assert wire(place) == {
        "type": "Place",
        "address": "1 Main St",
        "geo": {"latitude": 1},
        "hasMap": "https://map",
        "name": "Home",
    }
    assert wire(Thing(name="t")) == {"type": "Thing", "name": "t"}
    geo = GeoCoordinates(latitude=1.5, longitude=2.5, elevation=3, name="g")
    assert wire(geo) == {
        "type": "GeoCoordinates",
        "latitude": 1.5,
        "longitude": 2.5,
        "elevation": 3.0,
        "name": "g",
    }


# -- AI entity and citations ---------------------------------------------------------------------


def test_ai_entity_defaults_and_always_emitted_at_fields() -> None:
    entity = AIEntity()
    assert entity.type == "https://schema.org/Message"
    assert entity.at_type == "Message"
    assert entity.at_context == "https://schema.org"
    assert entity.id == ""
    assert entity.additional_type == ["AIGeneratedContent"]
    assert entity.citation is None
    assert entity.usage_info is None
    assert entity.at_id is None
    out = wire(entity)
    assert out["type"] == "https://schema.org/Message"
    assert out["@type"] == "Message"
    assert out["@context"] == "https://schema.org"
    assert "@id" not in out


def test_ai_entity_at_id() -> None:
    entity = AIEntity(at_id="msg-1")
    assert wire(entity)["@id"] == "msg-1"
    parsed = AIEntity.model_validate({"@id": "msg-2"})
    assert parsed.at_id == "msg-2"


def test_citation_models_always_emit_at_type() -> None:
    assert wire(ClientCitation()) == {"@type": "Claim"}
    assert wire(ClientCitationAppearance()) == {"@type": "DigitalDocument"}
    assert wire(SensitivityUsageInfo()) == {"@type": "CreativeWork"}
    assert wire(SensitivityPattern()) == {"@type": "DefinedTerm"}


def test_citation_defaults() -> None:
    citation = ClientCitation()
    assert citation.at_type == "Claim"
    assert citation.position == 0
    assert isinstance(citation.appearance, ClientCitationAppearance)
    appearance = ClientCitationAppearance()
    assert (appearance.at_type, appearance.name, appearance.abstract) == (
        "DigitalDocument",
        "",
        "",
    )
    image = ClientCitationImage()
    assert (image.type, image.name) == ("ImageObject", "")
    usage = SensitivityUsageInfo()
    assert (usage.type, usage.at_type, usage.name) == (
        "https://schema.org/Message",
        "CreativeWork",
        "",
    )
    pattern = SensitivityPattern()
    assert pattern.at_type == "DefinedTerm"


def test_full_citation_wire_form() -> None:
    citation = ClientCitation(
        position=2,
        appearance=ClientCitationAppearance(
            name="Doc",
            text="body",
            url="https://doc",
            abstract="abs",
            encoding_format="text/html",
            image=ClientCitationImage(name="Microsoft Word"),
            keywords=["k"],
            usage_info=SensitivityUsageInfo(
                name="Confidential",
                description="d",
                position=1,
                pattern=SensitivityPattern(in_defined_term_set="set", name="n", term_code="c"),
            ),
        ),
    )
    assert wire(citation) == {
        "@type": "Claim",
        "position": 2,
        "appearance": {
            "@type": "DigitalDocument",
            "name": "Doc",
            "text": "body",
            "url": "https://doc",
            "abstract": "abs",
            "encodingFormat": "text/html",
            "image": {"name": "Microsoft Word"},
            "keywords": ["k"],
            "usageInfo": {
                "@type": "CreativeWork",
                "name": "Confidential",
                "description": "d",
                "position": 1,
                "pattern": {
                    "@type": "DefinedTerm",
                    "inDefinedTermSet": "set",
                    "name": "n",
                    "termCode": "c",
                },
            },
        },
    }


def test_citation_parses_at_keys() -> None:
    citation = ClientCitation.model_validate(
        {"@type": "Claim", "@id": "c1", "position": 3, "appearance": {"@type": "DigitalDocument"}}
    )
    assert citation.at_id == "c1"
    assert citation.position == 3


def test_sensitivity_usage_info_ignores_schema_type_like_the_seed() -> None:
    info = SensitivityUsageInfo(
        type="https://schema.org/Message",
        schema_type="CreativeWork",  # type: ignore[call-arg]
        name="Internal",
    )
    assert info.name == "Internal"
    assert info.at_type == "CreativeWork"
    assert not hasattr(info, "schema_type")
    assert wire(info) == {
        "type": "https://schema.org/Message",
        "@type": "CreativeWork",
        "name": "Internal",
    }


def test_client_citation_icon_names() -> None:
    expected = {
        "MICROSOFT_WORD": "Microsoft Word",
        "MICROSOFT_EXCEL": "Microsoft Excel",
        "MICROSOFT_POWERPOINT": "Microsoft PowerPoint",
        "MICROSOFT_ONENOTE": "Microsoft OneNote",
        "MICROSOFT_SHAREPOINT": "Microsoft SharePoint",
        "MICROSOFT_VISIO": "Microsoft Visio",
        "MICROSOFT_LOOP": "Microsoft Loop",
        "MICROSOFT_WHITEBOARD": "Microsoft Whiteboard",
        "SOURCE_CODE": "Source Code",
        "SKETCH": "Sketch",
        "ADOBE_ILLUSTRATOR": "Adobe Illustrator",
        "ADOBE_PHOTOSHOP": "Adobe Photoshop",
        "ADOBE_INDESIGN": "Adobe InDesign",
        "ADOBE_FLASH": "Adobe Flash",
        "IMAGE": "Image",
        "GIF": "GIF",
        "VIDEO": "Video",
        "SOUND": "Sound",
        "ZIP": "ZIP",
        "TEXT": "Text",
        "PDF": "PDF",
    }
    assert {m.name: m.value for m in ClientCitationIconName} == expected
    assert ClientCitationIconName.PDF == "PDF"


def test_entity_types_enum() -> None:
    assert {m.name: m.value for m in EntityTypes} == {
        "ACTIVITY_TREATMENT": "activityTreatment",
        "AI_CITATION": "https://schema.org/Message",
        "GEO_COORDINATES": "GeoCoordinates",
        "MENTION": "mention",
        "PLACE": "Place",
        "THING": "Thing",
        "PRODUCT_INFO": "ProductInfo",
        "STREAM_INFO": "streaminfo",
    }
    assert EntityTypes.MENTION == "mention"
    assert str(EntityTypes.STREAM_INFO) == "streaminfo"
