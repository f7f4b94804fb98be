"""Placement like real streets: queues at junctions, parked rows along kerbs, groups of people, people at car
doors, distractors, no interpenetrating 3D boxes, determinism; and every camera mount renders verified labels."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest

from simvision.errors import UserError
from simvision.pipeline import generate
from simvision.quality.verify import verify
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene, parse_scene
from simvision.scenes.street.config import StreetParams
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import box3d
from simvision.scenes.street.placement import footprint, overlap
from simvision.scenes.street.report_sections import sections
from simvision.scenes.street.spec import StreetSpec
from simvision.scenes.street.traffic import junction_zone

SCENE = default_scene_dir() / "street.yaml"
# no people, moving cars or two-wheelers where a test looks at something else (building their assets is the cost)
QUIET = {
    "pedestrian": {"min": 0, "max": 0},
    "bicycle": {"min": 0, "max": 0},
    "motorcycle": {"min": 0, "max": 0},
}
NO_CARS = {"car": {"min": 0, "max": 0}, "truck": {"min": 0, "max": 0}, "bus": {"min": 0, "max": 0}}
ROAD_USERS = ("car", "truck", "bus", "person", "animal", "bicycle", "motorcycle", "dynamic")


@pytest.fixture(scope="module")
def scene():
    return load_scene(SCENE).with_size("160x120")


def _params(scene, **sections: dict) -> StreetParams:
    """The scene's params with sections overridden, on straight roads (road coordinates: t = -x, s = y)."""
    raw = scene.params.model_dump(mode="json")
    raw["layout"] = {"choices": {"straight": 1, "junction": 1}}
    for key, value in sections.items():
        raw[key] = {**raw[key], **value}
    return StreetParams.model_validate(raw)


def _specs(scene, p: StreetParams, n: int, seed: int = 2) -> list[StreetSpec]:
    return [sample(rng_for(seed, i, "scene"), p, scene_canvas(scene)) for i in range(n)]


def _by_group(spec: StreetSpec, tag: str) -> list[list]:
    groups = defaultdict(list)
    for o in spec.objects:
        if tag in o.tags:
            groups[o.group].append(o)
    return [sorted(g, key=lambda o: o.id) for g in groups.values()]


def test_queues_keep_one_lane_and_bumper_gaps(scene):
    # no parked rows: they take the kerb lanes (the layout has no parking strip), where a queue would stop short
    traffic = {"queue_prob": 1.0, "car": {"min": 6, "max": 8}, "parked_car": {"min": 0, "max": 0}, **QUIET}
    p = _params(scene, traffic=traffic)
    specs = _specs(scene, p, 10)
    assert sum(len(q) > 1 for spec in specs for q in _by_group(spec, "queued")) >= 5
    for spec in specs:
        lay = spec.layout
        for q in _by_group(spec, "queued"):
            lanes = {int((-o.position[0] + lay.road_half) // lay.lane_width) for o in q}
            assert len(lanes) == 1, "a queue changed lanes"
            assert (
                len({round(np.cos(o.yaw)) for o in q}) == 1 and len({np.sign(np.sin(o.yaw)) for o in q}) == 1
            )
            for a, b in itertools.pairwise(q):
                gap = abs(b.position[1] - a.position[1]) - (a.size[0] + b.size[0]) / 2
                assert 1.5 - 0.02 <= gap <= 4.0 + 0.02, gap
            if lay.junction_at is not None:  # it waits before the crossing road, not in it
                lo, hi = junction_zone(lay, clear=0.0)
                head = q[0]
                fronts = (head.position[1] - head.size[0] / 2, head.position[1] + head.size[0] / 2)
                assert fronts[1] <= lo or fronts[0] >= hi


def test_parked_cars_stand_in_rows_along_the_kerb(scene):
    p = _params(scene, traffic={"parked_car": {"min": 8, "max": 12}, **QUIET})
    rows, gaps, bodies = 0, [], set()
    for spec in _specs(scene, p, 8):
        lay = spec.layout
        for row in _by_group(spec, "parked"):
            rows += len(row) > 1
            assert len({np.sign(o.position[0]) for o in row}) == 1, "a row changed sides"
            for o in row:
                bodies.add(o.kind)
                kerb_gap = lay.road_half - (abs(o.position[0]) + o.size[1] / 2)
                assert 0.1 <= kerb_gap <= 0.4, "a parked car off the kerb"
                zone = junction_zone(lay)
                assert zone is None or not zone[0] < o.position[1] < zone[1]
            for a, b in itertools.pairwise(row):
                gaps.append(abs(b.position[1] - a.position[1]) - (a.size[0] + b.size[0]) / 2)
    gaps_a = np.array(gaps)
    assert rows >= 8 and (gaps_a >= 0.6 - 0.02).all()
    assert np.mean(gaps_a <= 2.5 + 0.02) > 0.6  # the rest: driveways and cars that did not fit
    assert len(bodies) >= 4, f"parked bodies not mixed: {bodies}"


def test_parked_rows_line_both_kerbs_without_overlap(scene):
    """Dense defaults: parked cars along both kerbs, nose to tail (most gaps short, within parked_gap), none
    overlapping another or anything else on the ground, mixed bodies."""
    p = _params(scene, traffic={"parked_car": {"min": 12, "max": 16}, "parked_hole_prob": 0.0, **QUIET})
    both, gaps, bodies = 0, [], set()
    for spec in _specs(scene, p, 6, seed=7):
        parked = [o for o in spec.objects if "parked" in o.tags]
        sides = {int(np.sign(o.position[0])) for o in parked}
        both += sides == {-1, 1}
        rects = [footprint(o.position[0], o.position[1], o.yaw, o.size[0], o.size[1]) for o in parked]
        for i, j in itertools.combinations(range(len(parked)), 2):
            assert not overlap(rects[i], rects[j]), "two parked cars overlap"
        for row in _by_group(spec, "parked"):
            row.sort(key=lambda o: o.position[1])
            for a, b in itertools.pairwise(row):
                gaps.append(b.position[1] - a.position[1] - (a.size[0] + b.size[0]) / 2)
            bodies.update(o.kind for o in row)
    gaps_a = np.array(gaps)
    assert both >= 5, "parked cars along one kerb only"
    assert len(gaps_a) > 30 and (gaps_a >= 0.6 - 0.02).all()
    # skewed to the short end: most within 1.5 m; the longer ones are cars that did not fit (camera, a lamp)
    assert np.median(gaps_a) < 1.5 and np.mean(gaps_a <= 2.5 + 0.02) > 0.8
    assert len(bodies) >= 4


def test_suburban_houses_stand_back_behind_front_gardens(scene):
    """The district option: urban buildings at the back of the sidewalk, suburban houses front_garden metres
    behind it with hedges, fences and low walls along the property line, nothing overlapping on the ground."""
    street = {"district": {"choices": {"suburban": 1}}, "front_garden": {"min": 4.0, "max": 8.0}}
    p = _params(scene, street=street, traffic={**QUIET, **NO_CARS, "parked_car": {"min": 0, "max": 0}})
    urban = _params(scene, street={"district": {"choices": {"urban": 1}}}, traffic=p.traffic.model_dump())
    edges = set()
    for spec in _specs(scene, p, 3):
        lay = spec.layout
        line = lay.road_half + lay.sidewalk_width
        assert lay.district == "suburban"
        houses = [o for o in spec.objects if o.kind == "house"]
        assert not any(o.kind == "building" for o in spec.objects), "an urban block (shop fronts) in a suburb"
        assert houses
        for o in houses:
            front = abs(o.position[0]) - o.size[1] / 2
            assert line + 4.0 - 0.01 <= front <= line + 8.0 + 0.01
            assert o.size[2] <= 11.0 + 1e-6  # house_height
        for o in spec.objects:
            if o.kind in ("hedge", "fence", "garden_wall"):
                edges.add(o.kind)
                assert line <= abs(o.position[0]) - o.size[1] / 2 <= line + 0.2, "off the property line"
        kinds = {o.kind for o in spec.objects}
        solid = [o for o in spec.objects if o.kind in ("house", "hedge", "fence", "garden_wall")]
        rects = [footprint(o.position[0], o.position[1], o.yaw, o.size[0], o.size[1]) for o in solid]
        for i, j in itertools.combinations(range(len(solid)), 2):
            assert not overlap(rects[i], rects[j]), (solid[i].kind, solid[j].kind)
        assert kinds & {"fence", "hedge", "garden_wall"}
    assert edges == {"hedge", "fence", "garden_wall"}
    for spec in _specs(scene, urban, 2):
        lay = spec.layout
        assert lay.district == "urban" and not any(o.kind == "fence" for o in spec.objects)
        for o in spec.objects:
            if o.kind == "building":
                front = abs(o.position[0]) - o.size[1] / 2
                assert front <= lay.road_half + lay.sidewalk_width + 1.5 + 0.01


def test_groups_walk_together(scene):
    traffic = {"pedestrian": {"min": 10, "max": 14}, "parked_car": {"min": 0, "max": 0}, **NO_CARS}
    p = _params(scene, traffic=traffic, people={"group_prob": 0.8})
    n_groups = 0
    for spec in _specs(scene, p, 8):
        for g in _by_group(spec, "group"):
            if len(g) < 2:
                continue
            n_groups += 1
            xy = np.array([o.position[:2] for o in g])
            d = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))
            np.fill_diagonal(d, np.inf)
            assert (d.min(axis=1) >= 0.6 - 1e-3).all() and (d.min(axis=1) <= 1.5 + 1e-3).all(), d
            assert len({np.sign(o.position[0]) for o in g}) == 1, "a group spans the road"
            if "walking" in g[0].tags:
                rel = np.angle(np.exp(1j * (np.array([o.yaw for o in g]) - g[0].yaw)))
                assert np.abs(rel).max() < 0.5, "a walking group with diverging headings"
    assert n_groups >= 8


def test_people_stand_at_parked_car_doors(scene):
    traffic = {"parked_car": {"min": 6, "max": 8}, "pedestrian": {"min": 4, "max": 4}, **NO_CARS}
    p = _params(scene, traffic=traffic, people={"at_car_prob": 0.6})
    n = 0
    for spec in _specs(scene, p, 5):
        for person in (o for o in spec.objects if "at_car" in o.tags):
            n += 1
            row = [o for o in spec.objects if "parked" in o.tags and o.group == person.group]
            car = min(row, key=lambda c: float(np.hypot(*_local(c, person))))
            assert abs(_local(car, person)[0]) < car.size[0] / 2, "not beside the car"
            assert 0.2 < _door_distance(car, person) < 1.0, "not at a door"
    assert n >= 5


def _local(car, obj) -> np.ndarray:
    c, s = np.cos(car.yaw), np.sin(car.yaw)
    d = np.array(obj.position[:2]) - car.position[:2]
    return np.array([c * d[0] + s * d[1], -s * d[0] + c * d[1]])


def _door_distance(car, obj) -> float:
    return abs(_local(car, obj)[1]) - car.size[1] / 2


def test_no_two_objects_interpenetrate_in_3d(scene):
    p = _params(
        scene,
        traffic={"queue_prob": 1.0, "parked_car": {"min": 6, "max": 10}, "pedestrian": {"min": 8, "max": 12}},
        people={"group_prob": 0.6, "at_car_prob": 0.5},
        distractors={"count": {"min": 3, "max": 5}},
    )
    for spec in _specs(scene, p, 4, seed=5):
        objs = [o for o in spec.objects if o.cls in ROAD_USERS]
        assert any(o.cls == "dynamic" for o in objs)
        boxes = [box3d(o) for o in objs]
        rects = [footprint(b[0], b[1], b[6], b[3], b[4]) for b in boxes]
        for i in range(len(objs)):
            for j in range(i + 1, len(objs)):
                bi, bj = boxes[i], boxes[j]
                vertical = min(bi[2] + bi[5] / 2, bj[2] + bj[5] / 2) > max(
                    bi[2] - bi[5] / 2, bj[2] - bj[5] / 2
                )
                assert not (vertical and overlap(rects[i], rects[j])), (objs[i].kind, objs[j].kind)


def test_same_seed_same_scene(scene):
    a = _specs(scene, scene.params, 3, seed=9)
    b = _specs(scene, scene.params, 3, seed=9)
    assert [s.model_dump() for s in a] == [s.model_dump() for s in b]
    assert a[0].model_dump() != a[1].model_dump()


def test_report_shows_counts_and_spacing(scene):
    spec = _specs(scene, scene.params, 1)[0].model_dump(mode="json")
    users = [o for o in spec["objects"] if o["cls"] in ("car", "person")]
    inst = [
        {"id": o["id"], "class": o["cls"], "distance": 10.0, "bbox": [0, 0, 4, 8], "area": 9} for o in users
    ]
    out = sections([{"spec": spec, "instances": inst}])
    assert out["objects per image"]["car"]["median"] == sum(o["cls"] == "car" for o in users)
    assert 0 < out["nearest neighbour (m)"]["person"]["p10"] < 30


@pytest.mark.parametrize(
    ("section", "value", "field"),
    [
        ("traffic", {"queue_gap": {"min": 0.1, "max": 2}}, "params.traffic.queue_gap"),
        ("traffic", {"queue_prob": 1.5}, "params.traffic.queue_prob"),
        ("people", {"group_size": {"min": 1, "max": 3}}, "params.people.group_size"),
        ("people", {"group_spacing": {"min": 0.2, "max": 1}}, "params.people.group_spacing"),
        ("distractors", {"kind": {"choices": {"piano": 1}}}, "params.distractors.kind"),
        ("camera", {"mount": "drone"}, "params.camera.mount"),
    ],
)
def test_bad_placement_values_name_the_field(section, value, field):
    with pytest.raises(UserError) as err:
        parse_scene({"generator": "street", "params": {section: value}}, "bad", "bad.yaml")
    assert field in str(err.value)


def _mount_scene(mount: str):
    data = {
        "generator": "street",
        "image": {"width": 96, "height": 72},
        "render": {"engine": "2d"},
        "params": {"camera": {"mount": mount}},
    }
    return parse_scene(data, f"street_{mount}", "mount.yaml")


@pytest.mark.parametrize("mount", ["dashcam", "roof", "cctv", "eye_level"])
def test_every_mount_renders_verified_labels(tmp_path, mount):
    scene = _mount_scene(mount)
    summary = generate(
        scene, tmp_path, n=1, seed=4, workers=1, formats=("coco", "record", "kitti", "cityscapes")
    )
    assert not summary.failures, summary.failures
    report = verify(tmp_path)
    assert report.ok, report.problems[:5]
    spec = sample(rng_for(4, 0, "scene"), scene.params, scene_canvas(scene))
    cam, lay = spec.camera, spec.layout
    h = scene.params.camera.height
    assert spec.mount == mount and h.min <= cam.position[2] <= h.max
    on_kerb = abs(cam.position[0]) > lay.road_half
    assert on_kerb == (mount in ("cctv", "eye_level"))
    if mount == "cctv":
        assert 4 <= cam.position[2] <= 8 and 15 <= cam.pitch_deg <= 35
        assert np.sign(cam.yaw_deg) == np.sign(cam.position[0])  # turned towards the road
