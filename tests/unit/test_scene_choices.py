"""Every choice value of a scene file is checked when it loads (issue 20.10): exit 2 before anything runs, and
the allowed values are enums in ``simvision schema``."""

from __future__ import annotations

import jsonschema
import pytest

from simvision.errors import UserError
from simvision.scene import parse_scene, scene_schema

BAD_CHOICES = [
    ("receipt", {"content": {"locale": {"choices": {"fr": 1}}}}, "params.content.locale", "fr", "fr_FR"),
    (
        "receipt",
        {"content": {"layout": {"choices": {"till": 1}}}},
        "params.content.layout",
        "till",
        "till_slip",
    ),
    ("receipt", {"content": {"code": {"choices": {"qr": 1}}}}, "params.content.code", "qr", "qrcode"),
    ("receipt", {"look": {"background": {"choices": {"wod": 1}}}}, "params.look.background", "wod", "wood"),
    ("receipt", {"look": {"font": {"choices": {"arial": 1}}}}, "params.look.font", "arial", "courier_prime"),
    ("street", {"layout": {"choices": {"roundabout": 1}}}, "params.layout", "roundabout", "junction"),
    ("street", {"weather": {"kind": {"choices": {"hail": 1}}}}, "params.weather.kind", "hail", "fog"),
    ("street", {"light": {"sky": {"choices": {"cloudy": 1}}}}, "params.light.sky", "cloudy", "overcast"),
    (
        "street",
        {"traffic": {"animal_species": {"choices": {"unicorn": 1}}}},
        "params.traffic.animal_species",
        "unicorn",
        "deer",
    ),
]


@pytest.mark.parametrize(
    ("gen", "params", "field", "value", "allowed"), BAD_CHOICES, ids=[b[2] for b in BAD_CHOICES]
)
def test_an_unknown_choice_is_refused_at_load_naming_field_value_and_allowed(
    gen, params, field, value, allowed
):
    with pytest.raises(UserError) as err:
        parse_scene({"generator": gen, "params": params}, "bad", "bad.yaml")
    msg = str(err.value)
    assert field in msg and repr(value) in msg and allowed in msg


@pytest.mark.parametrize(
    ("gen", "params", "field", "value", "allowed"), BAD_CHOICES, ids=[b[2] for b in BAD_CHOICES]
)
def test_the_schema_lists_the_allowed_choices(gen, params, field, value, allowed):
    schema = scene_schema()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"generator": gen, "params": params}, schema)
    good = {"generator": gen, "params": _replace_key(params, value, allowed)}
    jsonschema.validate(good, schema)
    parse_scene(good, "good", "good.yaml")


def _replace_key(d: dict, old: str, new: str) -> dict:
    return {
        (new if k == old else k): (_replace_key(v, old, new) if isinstance(v, dict) else v)
        for k, v in d.items()
    }
