"""Street road users are the detailed procedural assets: params in the spec, footprints, materials, replay."""

from __future__ import annotations

import json
import re
from collections import Counter

import numpy as np
import pytest
from pydantic import ValidationError

from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street import assets
from simvision.scenes.street.config import TrafficParams
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world, local_mesh
from simvision.scenes.street.spec import StreetSpec
from simvision.scenes.street.stats import expected

ROAD_USERS = ("car", "truck", "bus", "person", "rider", "bicycle", "motorcycle", "animal")


@pytest.fixture(scope="module")
def scene():
    return load_scene(default_scene_dir() / "street.yaml").with_size("160x120")


def _spec(scene, seed: int, index: int = 0, params=None) -> StreetSpec:
    return sample(rng_for(seed, index, "scene"), params or scene.params, scene_canvas(scene))


def _with_traffic(scene, **traffic):  # noqa: ANN001, ANN202
    t = TrafficParams.model_validate({**scene.params.traffic.model_dump(), **traffic})
    return scene.params.model_copy(update={"traffic": t})


@pytest.fixture(scope="module")
def few(scene) -> list[StreetSpec]:
    return [_spec(scene, 5, i) for i in range(4)]


def test_every_road_user_is_an_asset_inside_its_footprint(few):
    seen = Counter()
    for spec in few:
        for o in spec.objects:
            # kerbside furniture, trees and hedges, suburban houses, garden walls and paths
            furniture = o.asset is not None and o.asset["builder"] in (
                "furniture",
                "tree",
                "hedge",
                "house",
                "garden_wall",
                "garden_paths",
            )
            if (
                o.cls == "ego_vehicle"
            ):  # the camera car's bonnet: built in the camera's frame, not on the ground
                assert o.asset["builder"] == "bonnet" and o.position == spec.camera.position
                continue
            if o.cls not in ROAD_USERS and not furniture:
                assert o.asset is None
                continue
            seen[o.cls] += 1
            assert o.asset is not None and set(o.asset) >= {"builder", "params"}
            mesh = local_mesh(o)
            v = mesh.vertices
            length, width, height = o.size
            # placement reserved size[:2] centred on the position: the mesh stays inside it, and fills it
            assert np.abs(v[:, 0]).max() <= length / 2 + 1e-6 and np.abs(v[:, 1]).max() <= width / 2 + 1e-6
            assert v[:, 2].max() <= height + 1e-6
            assert abs(v[:, 2].min()) < 1e-3 or o.cls == "rider"  # stands on the ground (a rider on a saddle)
            assert np.ptp(v[:, 0]) > 0.5 * length
            # one material per asset slot, in the order the mesh's slots index them
            assert len(o.materials) == len(assets.BUILDERS[o.asset["builder"]][3]) > mesh.slots.max()
    assert seen["car"] and seen["person"]


def test_two_wheeler_and_rider_are_two_objects_of_one_group(scene):
    p = _with_traffic(scene, bicycle={"min": 2, "max": 2}, motorcycle={"min": 1, "max": 1})
    spec = _spec(scene, 2, params=p)
    cycles = [o for o in spec.objects if o.cls in ("bicycle", "motorcycle")]
    riders = {o.group: o for o in spec.objects if o.cls == "rider"}
    assert cycles and len(riders) == len(cycles)
    for c in cycles:
        r = riders[c.group]
        assert c.asset["builder"] == "cycle" and r.asset["builder"] == "rider"
        assert c.asset["params"] == r.asset["params"] and c.asset["params"]["kind"] == c.cls
        assert r.position == c.position and r.yaw == c.yaw


def test_two_seeds_give_different_people_and_cars(scene):
    a, b = _spec(scene, 0), _spec(scene, 1)

    def users(s: StreetSpec, cls: str) -> list[str]:
        return [json.dumps(o.asset, sort_keys=True) for o in s.objects if o.cls == cls]

    for cls in ("car", "person"):
        assert users(a, cls) and users(b, cls) and not set(users(a, cls)) & set(users(b, cls))
    assert _spec(scene, 0) == a  # and the same seed gives the same spec


def test_record_round_trip_rebuilds_the_same_meshes(few):
    spec = few[0]
    before = compile_world(spec)
    plates = [o.asset["plate"] for o in spec.objects if o.asset and o.asset["builder"] == "vehicle"]
    assert plates and all(
        re.fullmatch(r"[A-Z]{2} \d{3} [A-Z]{2}|[A-Z]{1,3}-[A-Z]{1,2} [1-9]\d{0,3}|[1-9][A-Z]{3}\d{3}", t)
        for t in plates
    )
    record = json.loads(json.dumps(spec.model_dump(mode="json")))  # what the record holds
    assets._build.cache_clear()  # rebuilt from the record's params alone
    after = compile_world(StreetSpec.model_validate(record))
    for x, y in zip(before.objects, after.objects, strict=True):
        assert np.array_equal(x.mesh.vertices, y.mesh.vertices) and np.array_equal(x.mesh.slots, y.mesh.slots)
        assert np.array_equal(x.box3d, y.box3d, equal_nan=True) and x.materials == y.materials


def test_people_poses_children_and_umbrellas(scene):
    rng = np.random.default_rng(0)
    from simvision.scenes.street import traffic
    from simvision.scenes.street.builder import SceneBuilder
    from simvision.scenes.street.generator import sample_layout

    layout = sample_layout(rng, scene.params)
    t = _with_traffic(scene, pedestrian={"min": 40, "max": 40}, crossing_pedestrian_prob=0.3).traffic
    b = SceneBuilder()
    traffic.pedestrians(rng, b, layout, t, rain=True)
    people = [o.asset["params"] for o in b.objects]
    crossing = [o for o in b.objects if "on_road" in o.tags]
    assert crossing and all(o.asset["params"]["pose"] == "cross" for o in crossing)
    assert {p["pose"] for p in people} == {"stand", "walk", "cross"}
    assert any(p["umbrella"] for p in people) and any(p["child"] for p in people)


def test_car_bodies_follow_their_shares():
    rng = np.random.default_rng(1)
    n = 4000
    got = Counter(assets.body(rng, "car") for _ in range(n))
    for body, share in assets.BODY_SHARES["car"].items():
        assert abs(got[body] / n - share) < 0.03, body


def test_animal_count_and_species(scene):
    p = _with_traffic(scene, animal_prob=1.0, animal={"min": 2, "max": 3}, animal_on_road_prob=0.0)
    species = set()
    for i in range(4):
        animals = [o for o in _spec(scene, 3, i, p).objects if o.cls == "animal"]
        assert 2 <= len(animals) <= 3  # the verge has room for a few
        species |= {o.kind for o in animals}
        assert all(o.kind == o.asset["params"]["species"] == o.tags[0] for o in animals)
    assert len(species) >= 3


def test_animal_params_validate_and_old_files_migrate():
    with pytest.raises(ValidationError):
        TrafficParams.model_validate({"animal": {"min": -1, "max": 2}})
    with pytest.raises(ValidationError):
        TrafficParams.model_validate({"animal": {"min": 3, "max": 2}})
    with pytest.raises(ValidationError):
        TrafficParams.model_validate({"animal_species": {"choices": {"unicorn": 1}}})
    old = TrafficParams.model_validate({"animal": {"choices": {"dog": 3, "deer": 1}}})
    assert old.animal.min == old.animal.max == 1
    assert old.animal_species.choices == {"dog_small": 1, "dog_medium": 1, "dog_large": 1, "deer": 1}


def test_expected_animal_shares_count_several_animals(scene):
    p = _with_traffic(scene, animal_prob=0.5, animal={"min": 0, "max": 2}, animal_on_road_prob=0.5)
    shares = expected(p)["animal"]
    # counts 0, 1, 2 a third each: on_road 0.5 * (0 + 0.5 + 0.75) / 3, verge 0.5 * (0.5 + 0.25) / 3
    assert shares["on_road"] == pytest.approx(0.5 * 1.25 / 3)
    assert shares["verge"] == pytest.approx(0.5 * 0.75 / 3)
    assert sum(shares.values()) == pytest.approx(1.0)
