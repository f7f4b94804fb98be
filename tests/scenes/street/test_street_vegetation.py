"""Street vegetation: trees of several species as recorded assets, grass verges along the kerb (terrain), hedges
against the building line (vegetation), all on the sidewalk where they belong; the knobs are validated."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from simvision.errors import UserError
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene, parse_scene
from simvision.scenes.street import road
from simvision.scenes.street.config import StreetParams
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world

NOBODY = {
    k: {"min": 0, "max": 0}
    for k in ("car", "parked_car", "truck", "bus", "bicycle", "motorcycle", "pedestrian")
}


@pytest.fixture(scope="module")
def specs():
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("160x120")
    raw = scene.params.model_dump()
    raw["layout"] = {"choices": {"straight": 1}}
    raw["street"].update(
        sidewalk_width={"min": 3.5, "max": 4.5}, tree_prob=1.0, verge_prob=1.0, hedge_prob=1.0
    )
    raw["traffic"].update(NOBODY)
    p = StreetParams.model_validate(raw)
    return [sample(rng_for(4, i, "scene"), p, scene_canvas(scene)) for i in range(4)]


def _t(o) -> float:  # noqa: ANN001 - lateral road coordinate of a straight layout (t points to -x)
    return -o.position[0]


def test_trees_are_assets_of_several_species(specs):
    species = Counter()
    for spec in specs:
        trees = [o for o in spec.objects if o.kind == "tree"]
        assert trees and all(o.cls == "vegetation" and o.asset["builder"] == "tree" for o in trees)
        species.update(o.asset["params"]["species"] for o in trees)
    assert len(species) >= 3


def test_verges_and_hedges_lie_on_the_sidewalk(specs):
    for spec in specs:
        h, sw = spec.layout.road_half, spec.layout.sidewalk_width
        verges = [o for o in spec.objects if o.kind == "verge"]
        hedges = [o for o in spec.objects if o.kind == "hedge"]
        assert verges and hedges
        for o in verges:
            assert o.cls == "terrain"
            near, far = abs(_t(o)) - o.size[1] / 2, abs(_t(o)) + o.size[1] / 2
            assert near >= h + road.KERB_STONE and far <= h + sw  # between kerb stones and the footway
        for o in hedges:
            assert o.cls == "vegetation" and o.asset["builder"] == "hedge"
            if spec.layout.district == "suburban":  # in the front garden, along the property line
                assert h + sw <= abs(_t(o)) - o.size[1] / 2 <= h + sw + 0.2
            else:  # on the sidewalk, at the building line
                assert abs(_t(o)) + o.size[1] / 2 <= h + sw + 1e-6 and abs(_t(o)) > h + sw / 2
        # street trees stand in the verge where their side has one (a suburban garden's trees beyond the sidewalk)
        for o in spec.objects:
            if o.kind == "tree" and abs(_t(o)) <= h + sw:
                side = [v for v in verges if np.sign(_t(v)) == np.sign(_t(o))]
                if side:
                    assert abs(_t(o) - _t(side[0])) < 1e-3


def test_verges_weather_like_ground_and_have_no_box(specs):
    world = compile_world(specs[0])
    kinds = {o.id: o.kind for o in specs[0].objects}
    for wo in world.objects:
        if kinds[wo.id] == "verge":
            assert wo.ground and wo.texture == "grass" and np.isnan(wo.box3d).all()
        if kinds[wo.id] in ("tree", "hedge"):
            assert wo.texture == "foliage"


@pytest.mark.parametrize("field", ["verge_prob", "hedge_prob"])
def test_bad_vegetation_knobs_name_the_field(field):
    with pytest.raises(UserError) as err:
        parse_scene({"generator": "street", "params": {"street": {field: 1.5}}}, "bad", "bad.yaml")
    assert f"params.street.{field}" in str(err.value)
