"""The JSON Schema (`simvision schema`) and simvision's validator agree on fuzzed variants of the shipped scene files
(issue 19): the schema never refuses what simvision accepts, and simvision refuses beyond the schema only for the
rules a JSON Schema cannot state (a range's max >= its min, and overrides that are checked once merged)."""

from __future__ import annotations

import re

import jsonschema
import pytest

from simvision.errors import UserError
from simvision.scene import parse_scene, scene_schema
from tests.unit.scene_mutator import variants

# What JSON Schema cannot say: one field compared with another, or a partial override valid only once deep-merged
# over the scene's own params (balance strata and edge cases), or a receipt layout named by a sibling's keys (the
# layouts a scene's own templates add).
CROSS_FIELD = re.compile(r"^\S+: (balance|edge_cases)\.|max \(.*\) must be >= min|the names in templates")


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = scene_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_and_validator_agree_on_fuzzed_scene_files(validator):
    disagree, refused = [], 0
    for name, doc in variants(300, seed=19, json_only=True):
        schema_ok = validator.is_valid(doc)
        try:
            parse_scene(doc, name, name)
            ok, why = True, ""
        except UserError as e:
            ok, why = False, str(e).splitlines()[0]
        refused += not ok
        if ok and not schema_ok:
            disagree.append(
                f"schema refuses what simvision accepts: {next(validator.iter_errors(doc)).message}"
            )
        if schema_ok and not ok and not CROSS_FIELD.search(why):
            disagree.append(f"simvision refuses what the schema accepts: {why}")
    assert not disagree, "\n".join(disagree[:20])
    assert 100 < refused < 300, refused  # the variants exercise both sides


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (("street", "street", "sidewalk_width"), {"min": -1.0, "max": 2.0}),
        (("street", "traffic", "car"), {"min": 0, "max": 10**9}),
        (("receipt", "content", "items"), {"min": 1, "max": 10**6}),
        (("receipt", "look", "ink"), {"min": -0.5, "max": 1.0}),
        (("street", "weather", "kind"), {"choices": {"rain": -1}}),
        (("street", "weather", "kind"), {"choices": {"rain": 0, "fog": 0}}),
        (("street", "light", "time_of_day"), {"min": -1.0, "max": 5.0}),
        (("receipt", "content", "items"), {"min": 1, "max": 2**64}),
    ],
)
def test_schema_states_the_validators_bounds(validator, field, value):
    """Each bound the validator enforces is in the schema too (it was only in the validator's code before)."""
    kind, *path = field
    params: dict = {}
    node = params
    for p in path[:-1]:
        node = node.setdefault(p, {})
    node[path[-1]] = value
    doc = {"generator": kind, "params": params}
    assert not validator.is_valid(doc)
    with pytest.raises(UserError, match=re.escape(".".join(("params", *path)))):
        parse_scene(doc, kind, kind)
