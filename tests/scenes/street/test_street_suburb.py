"""Suburban plots: houses only (never an urban block with shop fronts), a path to every front door and a driveway
to every garage, crossing the sidewalk to a kerb kept clear of parked cars, cars standing on some driveways, and the
same plots from the same seed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simvision.registry import get_generator
from simvision.rng import rng_for
from simvision.sample import render_sample, render_spec, scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street import assets
from simvision.scenes.street.config import StreetParams
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import box3d, compile_world
from simvision.scenes.street.motion import sample_motion

SCENE = default_scene_dir() / "street.yaml"
QUIET = {
    "pedestrian": {"min": 0, "max": 0},
    "bicycle": {"min": 0, "max": 0},
    "motorcycle": {"min": 0, "max": 0},
}


@pytest.fixture(scope="module")
def scene():
    return load_scene(SCENE).with_size("160x120")


def _specs(scene, n: int, seed: int = 3, **traffic) -> list:
    raw = scene.params.model_dump(mode="json")
    raw["layout"] = {"choices": {"straight": 1, "junction": 1}}  # road coordinates: t = -x, s = y
    raw["street"] = {**raw["street"], "district": {"choices": {"suburban": 1}}}
    raw["traffic"] = {**raw["traffic"], **QUIET, **traffic}
    p = StreetParams.model_validate(raw)
    return [sample(rng_for(seed, i, "scene"), p, scene_canvas(scene)) for i in range(n)]


@pytest.fixture(scope="module")
def specs(scene) -> list:
    return _specs(scene, 4)


def test_suburbs_get_houses_never_shop_fronts(specs) -> None:
    forms = set()
    for spec in specs:
        buildings = [o for o in spec.objects if o.cls == "building"]
        assert buildings and all(o.kind in ("house", "shelter") for o in buildings), {
            o.kind for o in buildings
        }
        houses = [o for o in buildings if o.kind == "house"]
        forms |= {o.asset["params"]["form"] for o in houses}
        for o in houses:
            day = assets.materials(o.asset, False)  # at night the glass glows (lit rooms)
            assert [m.model_copy(update={"emission": 0.0}) for m in o.materials] == list(day)
            assert np.allclose(box3d(o)[3:6], assets.build(o.asset).size, atol=0.02)
        world = compile_world(spec)
        textures = {w.texture for w, o in zip(world.objects, spec.objects, strict=True) if o.kind == "house"}
        assert textures == {"house"}
    assert forms == {"detached", "semi", "terrace"}


def test_paths_and_driveways_cross_the_garden_to_the_sidewalk(specs) -> None:
    crossings = 0
    for spec in specs:
        lay = spec.layout
        line = lay.road_half + lay.sidewalk_width
        flats = [o for o in spec.objects if o.kind in ("driveway", "garden_path")]
        assert any(o.kind == "driveway" for o in flats) and any(o.kind == "garden_path" for o in flats)
        for o in flats:
            assert o.cls == "sidewalk" and np.isnan(box3d(o)).all()
            near = abs(o.position[0]) - o.size[1] / 2  # straight roads: the strip runs along x
            assert lay.road_half <= near + 1e-3 and near <= line + 1e-3
            crossings += o.kind == "driveway" and near < line - 0.5
        for car in (o for o in spec.objects if "driveway" in o.tags):
            assert car.cls == "car" and abs(car.position[0]) - car.size[0] / 2 >= line - 1e-3, (
                "on the sidewalk"
            )
    assert crossings >= 3, "no driveway crosses the sidewalk to the kerb"


def test_driveway_cars_stay_put_and_the_kerb_in_front_is_kept_clear(scene) -> None:
    n_drive = 0
    for spec in _specs(scene, 4, seed=5, parked_car={"min": 14, "max": 18}):
        drives = [o for o in spec.objects if o.kind == "driveway"]
        lay = spec.layout
        for car in (o for o in spec.objects if "parked" in o.tags):
            for d in drives:
                if abs(d.position[0]) - d.size[1] / 2 > lay.road_half + 0.5:
                    continue  # a driveway that stops at the sidewalk: no dropped kerb
                same_side = np.sign(d.position[0]) == np.sign(car.position[0])
                along = abs(car.position[1] - d.position[1]) < (car.size[0] + d.size[0]) / 2 - 0.05
                assert not (same_side and along), "a car parked across a driveway"
        drive_cars = [o.id for o in spec.objects if "driveway" in o.tags]
        n_drive += len(drive_cars)
        motion = sample_motion(rng_for(5, 0, "motion"), spec, 4, 10.0)
        moving = {m.id for m in motion.movers}
        assert not moving & set(drive_cars), "a car on a driveway drives off"
    assert n_drive >= 2


def test_same_seed_same_plots(scene) -> None:
    a, b = _specs(scene, 2, seed=9), _specs(scene, 2, seed=9)
    assert [s.model_dump() for s in a] == [s.model_dump() for s in b]


def test_a_suburban_frame_renders_the_same_again_and_from_its_record(scene) -> None:
    a = render_sample(scene, seed=2, index=19)
    assert a.meta["spec"]["layout"]["district"] == "suburban"
    b = render_sample(scene, seed=2, index=19)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.maps, b.maps)
    spec = get_generator(scene.generator).spec_model.model_validate(json.loads(json.dumps(a.meta["spec"])))
    c = render_spec(scene, spec, 2, 19, a.meta.get("augment"))
    assert np.array_equal(a.image, c.image) and np.array_equal(a.maps, c.maps)


def test_night_houses_light_a_share_of_their_rooms(scene) -> None:
    """At night a suburban house's glass marks it lit, and the renderer lights some of its windows warm: the
    frame against the same spec with the houses dark has brighter, warmer pixels, all of them on houses."""
    raw = scene.params.model_dump(mode="json")
    raw["light"] = {**raw["light"], "time_of_day": {"min": 23.0, "max": 23.5}}
    raw["street"] = {**raw["street"], "district": {"choices": {"suburban": 1}}}
    raw["traffic"] = {
        **raw["traffic"],
        **QUIET,
        "car": {"min": 0, "max": 0},
        "parked_car": {"min": 0, "max": 0},
    }
    big = scene.with_size("320x240")
    spec = sample(rng_for(5, 0, "scene"), StreetParams.model_validate(raw), scene_canvas(big))
    houses = [o for o in spec.objects if o.kind == "house"]
    assert houses
    for o in houses:
        day = assets.materials(o.asset, False)
        assert [m.emission for m in o.materials] != [m.emission for m in day]  # the glass glows: lit
    dark = spec.model_copy(
        update={
            "objects": tuple(
                o.model_copy(update={"materials": assets.materials(o.asset, False)})
                if o.kind == "house"
                else o
                for o in spec.objects
            )
        }
    )
    lit, off = render_spec(big, spec, 5, 0), render_spec(big, dark, 5, 0)
    d = lit.image.astype(int) - off.image.astype(int)
    brighter = d.sum(axis=2) > 60
    assert brighter.sum() > 20, brighter.sum()
    assert (d[brighter, 0] >= d[brighter, 2]).mean() > 0.9  # warm light
    ins = lit.instances
    building = ins.instance_id[ins.class_id == lit.classes.index("building")]
    # on the houses (their faint glow reaches the gardens and the wet road too)
    assert np.isin(lit.maps[0][brighter], building).mean() > 0.95
