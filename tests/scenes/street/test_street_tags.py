"""Street image tags single out a minority of images: ``tiny_objects`` and ``heavy_occlusion`` measured from the
labels are on some but at most 40% of 40 images of scenes/street.yaml, and on the edge cases that ask for them."""

from __future__ import annotations

from typing import Any

import pytest

from simvision.record import sample_to_record
from simvision.sample import render_sample
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.stats import tags

N = 40
MEASURED = ("tiny_objects", "heavy_occlusion")


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    scene = load_scene(default_scene_dir() / "street.yaml")
    return [sample_to_record(render_sample(scene, 0, i), f"{i:06d}", {}) for i in range(N)]


@pytest.mark.slow
@pytest.mark.parametrize("tag", MEASURED)
def test_tag_is_not_saturated(records, tag):
    # tags() alone: the record's tags also hold the edge cases the scene asked for, whatever the labels say
    tagged = sum(tag in tags(r) for r in records)
    assert 0 < tagged <= 0.4 * N, f"{tag} on {tagged} of {N} images"


@pytest.mark.slow
@pytest.mark.parametrize("tag", MEASURED)
def test_edge_cases_that_ask_for_a_tag_get_it(records, tag):
    asked = [r for r in records if tag in r["edge_cases"]]
    got = sum(tag in tags(r) for r in asked)
    # half at least: with the detailed assets (measured 2 of 4 tiny_objects frames) wide lenses still leave some
    # frames with a few large near objects, which the rule (>= 70% of >= 3 objects under 20 px) rightly skips
    assert asked and got >= 0.5 * len(asked), f"{tag}: {got} of {len(asked)} edge-case images"
