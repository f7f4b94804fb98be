"""Contract tests over every procedural asset family x several seeds (one table drives them all)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from simvision.world.assets.catalog import FAMILIES
from simvision.world.assets.people import JOINT_LIMITS, PersonParams, build_person, pose_angles, sample_person
from simvision.world.assets.primitives import signed_volume

SEEDS = (0, 1, 7)
CASES = [(name, seed) for name in FAMILIES for seed in SEEDS]
IDS = [f"{n}-{s}" for n, s in CASES]
BUDGET = {"car": 3000, "person": 2000}  # triangles, for the numpy rasterizer
CARS = ("sedan", "hatchback", "estate", "suv", "van", "pickup", "taxi")


def _build(name: str, seed: int):  # noqa: ANN202
    fam = FAMILIES[name]
    params = fam.sample(np.random.default_rng(seed))
    return params, fam.build(params)


@pytest.fixture(scope="module")
def built() -> dict:
    return {case: _build(*case) for case in CASES}


def _components(faces: np.ndarray, n_vertices: int) -> np.ndarray:
    rows = np.repeat(faces[:, 0], 2)
    cols = faces[:, 1:].reshape(-1)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_vertices, n_vertices))
    return connected_components(graph, directed=False)[1]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_geometry_is_clean(built: dict, case: tuple) -> None:
    _, asset = built[case]
    m = asset.mesh
    assert m.vertices.dtype == np.float64 and m.faces.dtype == np.int32 and m.slots.dtype == np.int8
    assert np.isfinite(m.vertices).all()
    assert m.faces.min() >= 0 and m.faces.max() < len(m.vertices)
    assert 0 <= m.slots.min() and m.slots.max() < len(asset.slots)
    t = m.triangles
    area = 0.5 * np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1)
    assert area.min() > 1e-8, f"degenerate triangles: {np.sum(area <= 1e-8)}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_inside_footprint_on_ground(built: dict, case: tuple) -> None:
    _, asset = built[case]
    v = asset.mesh.vertices
    length, width, height = asset.size
    tol = 0.01
    assert np.abs(v[:, 0]).max() <= length / 2 + tol
    assert np.abs(v[:, 1]).max() <= width / 2 + tol
    assert v[:, 2].max() <= height + tol
    assert abs(v[:, 2].min()) < 1e-3, "touches the ground, does not sink into it"
    # and fills it: a footprint far larger than the mesh would mislead placement (a walker's spans the cycle)
    assert np.ptp(v[:, 0]) > 0.5 * length and np.ptp(v[:, 2]) > 0.9 * height


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_closed_parts_wind_outward(built: dict, case: tuple) -> None:
    """Every closed connected part has positive signed volume (faces wind counter-clockwise seen from outside)."""
    _, asset = built[case]
    m = asset.mesh
    comp = _components(m.faces, len(m.vertices))[m.faces[:, 0]]
    closed = 0
    for c in np.unique(comp):
        f = m.faces[comp == c]
        edges = np.sort(np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]), axis=1)
        _, counts = np.unique(edges, axis=0, return_counts=True)
        if (counts == 2).all():
            closed += 1
            assert signed_volume(m.vertices, f) > 0
    assert closed >= 0.8 * len(np.unique(comp))


@pytest.mark.parametrize("name", list(FAMILIES))
def test_seeds_give_different_meshes(name: str) -> None:
    _, a = _build(name, 0)
    _, b = _build(name, 1)
    assert a.mesh.vertices.shape != b.mesh.vertices.shape or not np.allclose(a.mesh.vertices, b.mesh.vertices)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_params_json_round_trip_rebuilds_the_same_mesh(built: dict, case: tuple) -> None:
    params, asset = built[case]
    fam = FAMILIES[case[0]]
    again = fam.params.model_validate_json(params.model_dump_json())
    assert again == params
    rebuilt = fam.build(again)
    assert np.array_equal(rebuilt.mesh.vertices, asset.mesh.vertices)
    assert np.array_equal(rebuilt.mesh.faces, asset.mesh.faces)
    assert np.array_equal(rebuilt.mesh.slots, asset.mesh.slots)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_triangle_budget_and_colours(built: dict, case: tuple) -> None:
    params, asset = built[case]
    name = case[0]
    if name in CARS:
        assert asset.triangle_count <= BUDGET["car"]
    if name.startswith(("person", "child")):
        assert asset.triangle_count <= BUDGET["person"]
    colours = FAMILIES[name].colours(params)
    used = {asset.slots[s] for s in np.unique(asset.mesh.slots)}
    assert used <= set(colours), used - set(colours)


@pytest.mark.parametrize("name", [n for n in FAMILIES if n in CARS or n.startswith(("bus", "truck"))])
def test_vehicle_slots_and_plates(name: str) -> None:
    params, asset = _build(name, 3)
    used = {asset.slots[s] for s in np.unique(asset.mesh.slots)}
    assert {"paint", "glass", "tyre", "rim", "headlight", "taillight", "plate", "trim"} <= used
    for key in ("plate_front", "plate_rear"):
        corners = asset.anchors[key]
        assert corners.shape == (4, 3)
        plate_tris = asset.mesh.triangles[asset.mesh.slots == asset.slots.index("plate")]
        # the anchor corners are vertices of a plate quad in the mesh
        pts = plate_tris.reshape(-1, 3)
        assert all(np.isclose(pts, c).all(axis=1).any() for c in corners)
        width = np.linalg.norm(corners[1] - corners[0])
        assert 0.3 <= width <= 0.53
        # the plate faces outward: its normal points forward at the front, back at the rear (corners TL, TR, BR,
        # BL as seen from outside, so right x down points into the car)
        n = -np.cross(corners[1] - corners[0], corners[3] - corners[0])
        assert np.sign(n[0]) == (1 if key == "plate_front" else -1)


@pytest.mark.parametrize("pose", ["stand", "walk", "cross"])
@pytest.mark.parametrize("seed", SEEDS)
def test_joint_angles_within_limits_over_the_cycle(pose: str, seed: int) -> None:
    p = sample_person(np.random.default_rng(seed), pose=pose)
    for extra in ({}, {"umbrella": True}, {"bag": "hand"}, {"stride": 1.1, "arm_swing": 28.0}):
        q = p.model_copy(update=extra)
        for phase in np.linspace(0, 1, 41):
            for joint, value in pose_angles(q, float(phase)).items():
                lo, hi = JOINT_LIMITS[joint[2:] if joint[:2] in ("l_", "r_") else joint]
                assert lo <= value <= hi, (joint, phase, value)


@pytest.mark.parametrize("seed", SEEDS)
def test_walk_cycle_moves_the_legs_and_keeps_a_foot_down(seed: int) -> None:
    p = sample_person(np.random.default_rng(seed), pose="walk", rain=True)
    xs = []
    for phase in np.linspace(0, 1, 24, endpoint=False):
        a = build_person(p, float(phase))
        v = a.mesh.vertices
        assert abs(v[:, 2].min()) < 1e-3
        assert (np.abs(v[:, :2]).max(axis=0) <= np.array(a.size[:2]) / 2 + 0.01).all()  # footprint holds
        feet = a.mesh.triangles[a.mesh.slots == a.slots.index("shoes")].reshape(-1, 3)
        xs.append(np.ptp(feet[:, 0]))
    assert max(xs) - min(xs) > 0.2  # the stride opens and closes


def test_children_are_smaller_with_bigger_heads() -> None:
    adult = sample_person(np.random.default_rng(0), child=False)
    child = sample_person(np.random.default_rng(0), child=True)
    assert child.height < adult.height
    ha, hc = build_person(adult).anchors["head"][0, 2], build_person(child).anchors["head"][0, 2]
    assert (child.height - hc) / child.height > (adult.height - ha) / adult.height


def test_catalog_covers_the_families_asked_for() -> None:
    assert set(CARS) <= set(FAMILIES)
    assert (
        sum(n.startswith("bus_") for n in FAMILIES) >= 2
        and sum(n.startswith("truck_") for n in FAMILIES) >= 2
    )
    assert {"bicycle", "motorcycle", "person_stand", "person_cross", "child", "horse", "dog_small"} <= set(
        FAMILIES
    )
    assert FAMILIES["person_walk"].params is PersonParams
    furniture = {"bin", "bollard", "bench", "hydrant", "shelter", "traffic_cone", "barrier"}
    assert furniture <= set(FAMILIES)


@pytest.mark.parametrize("kind", ["bicycle", "motorcycle"])
@pytest.mark.parametrize("seed", SEEDS)
def test_rider_sits_on_the_saddle_with_hands_on_the_grips(kind: str, seed: int) -> None:
    from simvision.world.assets.cyclists import build_rider, contact_points, rider_angles, sample_cycle

    p = sample_cycle(np.random.default_rng(seed), kind)
    c = contact_points(p)
    rider = build_rider(p)
    for side in ("l", "r"):
        grip = c[f"{side}_grip"]
        assert (
            np.linalg.norm(rider.anchors[f"{side}_wrist"][0] - grip) < 0.12
        )  # wrist a half hand from the grip
        assert (
            rider.anchors[f"{side}_ankle"][0, 2] > c[f"{side}_pedal"][2]
        )  # foot above its pedal, not through it
        assert np.linalg.norm(rider.anchors[f"{side}_ankle"][0] - c[f"{side}_pedal"]) < 0.2
    angles, pelvis = rider_angles(p)
    for joint, value in angles.items():
        lo, hi = JOINT_LIMITS[joint[2:] if joint[:2] in ("l_", "r_") else joint]
        assert lo - 1e-6 <= value <= hi + 1e-6, (joint, value)
    assert pelvis[2] > c["saddle"][2]


@pytest.mark.parametrize("species", ["dog_medium", "horse", "cat"])
def test_animal_gait_within_leg_limits(species: str) -> None:
    from simvision.world.assets.animals import LEG_LIMITS, leg_pose, sample_animal

    p = sample_animal(np.random.default_rng(0), species).model_copy(update={"walking": True, "stride": 24.0})
    for phase in np.linspace(0, 1, 33):
        for swing, fold in leg_pose(p, float(phase)).values():
            assert LEG_LIMITS["swing"][0] <= swing <= LEG_LIMITS["swing"][1]
            assert LEG_LIMITS["fold"][0] <= fold <= LEG_LIMITS["fold"][1]


@pytest.mark.parametrize("seed", SEEDS)
def test_cyclist_feet_follow_the_pedals_all_the_way_round(seed: int) -> None:
    """The saddle is fitted to the rider's leg, so the IK reaches the pedal at every crank angle (no clipping)."""
    from simvision.world.assets.cyclists import build_rider, contact_points, sample_cycle
    from simvision.world.assets.people import proportions

    p0 = sample_cycle(np.random.default_rng(seed), "bicycle")
    q = proportions(p0.rider)
    for crank in np.linspace(0, 1, 12, endpoint=False):
        p = p0.model_copy(update={"crank": float(crank)})
        c, rider = contact_points(p), build_rider(p)
        for side in ("l", "r"):
            target = c[f"{side}_pedal"] + [-0.35 * q["foot"], 0.0, 0.027 * p.rider.height + q["drop"] + 0.005]
            assert np.linalg.norm(rider.anchors[f"{side}_ankle"][0] - target) < 0.01


@pytest.mark.parametrize("body", ["sedan", "van", "bus_city", "truck_box"])
def test_vehicle_built_to_a_given_size(body: str) -> None:
    """Scene generators draw sizes themselves; the builder honours an explicit size."""
    from simvision.world.assets.vehicles import build_vehicle, sample_vehicle

    p = sample_vehicle(np.random.default_rng(0), body)
    size = tuple(v * f for v, f in zip(p.size, (1.06, 0.97, 1.03), strict=True))
    a = build_vehicle(p, size)
    v = a.mesh.vertices
    assert a.size == pytest.approx(size)
    assert np.abs(v[:, 0]).max() <= size[0] / 2 + 0.01 and np.ptp(v[:, 0]) > 0.98 * size[0]
    assert np.abs(v[:, 1]).max() <= size[1] / 2 + 0.01 and v[:, 2].max() <= size[2] + 0.01
