"""The street's surfaces and fixtures: markings and wear on the road, kerb stones, kerbside furniture, facades."""

from __future__ import annotations

import numpy as np
import pytest

from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street import models, road, road_surface
from simvision.scenes.street.config import CLASSES, STUFF
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.scenes.street.placement import footprint, overlap
from simvision.scenes.street.spec import LayoutSpec
from simvision.world.world import FACADE_GROUND, FACADE_STOREY
from simvision.writers.cityscapes import LABELS


def _layout(**kw) -> LayoutSpec:
    base = dict(kind="straight", lanes=4, lane_width=3.2, sidewalk_width=3.0, curvature=0.0, length=200.0)
    return LayoutSpec(**(base | kw))


@pytest.fixture(scope="module")
def specs():
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("160x120")
    return [sample(rng_for(5, i, "scene"), scene.params, scene_canvas(scene)) for i in range(16)]


def _slot_centres(mesh, slot: int) -> np.ndarray:
    return mesh.triangles[mesh.slots == slot].mean(axis=1)


def test_junction_has_zebras_stop_lines_and_arrows() -> None:
    lay = _layout(kind="junction", junction_at=40.0, cross_width=8.0)
    mesh = road_surface.road_mesh(lay)
    paint = _slot_centres(mesh, road_surface.PAINT)  # straight road along +y: s = y, t = -x
    (z0, z1, _), (w0, w1, _) = road_surface.crossings(lay)
    assert z1 <= 40 - 4 < 40 + 4 <= w0  # one crossing on each side of the crossing road
    on_zebra = paint[(paint[:, 1] > z0) & (paint[:, 1] < z1)]
    stripes = np.unique(np.floor((-on_zebra[:, 0] + lay.road_half - 0.4) / road_surface.ZEBRA_PITCH))
    assert len(stripes) >= int(2 * lay.road_half / road_surface.ZEBRA_PITCH) - 1
    stop = paint[np.abs(paint[:, 1] - (z0 - 1.5)) < 0.2]
    assert len(stop) and (-stop[:, 0] < 0).all(), "the stop line spans the lanes towards the junction"
    arrows = paint[(paint[:, 1] > z0 - 30) & (paint[:, 1] < z0 - 5) & (np.abs(-paint[:, 0] + 1.6) < 0.7)]
    assert len(arrows) >= 6  # shaft and head triangles of two arrows in the lane next to the centre line
    # no lane line runs through a crossing
    on_zebra_lines = paint[(paint[:, 1] > z0 - 1) & (paint[:, 1] < z1 + 1)]
    assert np.allclose(road_surface.Z_PAINT, on_zebra_lines[:, 2])


def test_wear_is_seeded_and_stays_on_the_road() -> None:
    a = road_surface.road_mesh(_layout(surface_seed=3))
    b = road_surface.road_mesh(_layout(surface_seed=3))
    c = road_surface.road_mesh(_layout(surface_seed=4))
    assert np.array_equal(a.vertices, b.vertices) and not np.array_equal(a.vertices[-50:], c.vertices[-50:])
    seen = set()
    for seed in range(8):
        lay = _layout(surface_seed=seed, edge_lines=True)
        m = road_surface.road_mesh(lay)
        seen |= set(np.unique(m.slots).tolist())
        assert np.abs(m.vertices[:, 0]).max() <= lay.road_half + 1e-6
        t = m.triangles
        area = 0.5 * np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1)
        assert area.min() > 1e-6
    assert seen == set(
        range(8)
    )  # asphalt, paint, metal, patch, sealant, wheel-track edge and core, lane centre


@pytest.mark.parametrize("lanes, lane_width", [(1, 2.0), (2, 3.2), (4, 3.5), (3, 6.0)])
def test_traffic_bands_cover_the_road_with_two_wheel_tracks_a_lane(lanes: int, lane_width: float) -> None:
    lay = _layout(lanes=lanes, lane_width=lane_width)
    bands = road_surface.bands(lay)
    h = lay.road_half
    assert bands[0][0] == pytest.approx(-h) and bands[-1][1] == pytest.approx(h)
    for (_, a1, _), (b0, _, _) in zip(bands[:-1], bands[1:], strict=True):
        assert a1 == pytest.approx(b0)  # contiguous, no overlaps
    assert all(t1 > t0 for t0, t1, _ in bands)
    for k in range(lanes):
        lo, hi = -h + k * lane_width, -h + (k + 1) * lane_width
        cores = [(t0 + t1) / 2 for t0, t1, slot in bands if slot == road_surface.TRACK and lo < t0 < hi]
        assert len(cores) == 2 and cores[1] - cores[0] == pytest.approx(2 * min(0.85, 0.26 * lane_width))
    mesh = road_surface.road_mesh(lay)  # one plane: the bands change slots, not the surface
    base = mesh.triangles[mesh.slots >= road_surface.TRACK_EDGE]
    assert np.all(base[..., 2] == 0)


def test_wheel_tracks_are_darker_than_the_asphalt(specs) -> None:
    from simvision.scenes.street import palette

    road_mats = palette.surfaces(np.random.default_rng(0))["road"]
    grey = [float(np.mean(road_mats[s].color)) for s in range(len(road_mats))]
    asphalt, edge, core, centre = grey[0], *grey[road_surface.TRACK_EDGE : road_surface.LANE_CENTRE + 1]
    assert core < edge < asphalt and centre < asphalt and core > 0.7 * asphalt


def test_kerb_stones_are_their_own_slot() -> None:
    lay = _layout()
    m = road.sidewalk_mesh(lay)
    kerb = _slot_centres(m, 1)
    assert len(kerb) and (np.abs(np.abs(kerb[:, 0]) - lay.road_half) <= road.KERB_STONE).all()


def test_every_world_slot_has_a_material(specs) -> None:
    for spec in specs[:6]:
        for o in compile_world(spec).objects:
            assert o.mesh.slots.max() < len(o.materials), (o.cls, o.texture)


def test_kerbside_furniture_is_placed_and_labeled_as_cityscapes_would(specs) -> None:
    kinds: dict[str, set[str]] = {}
    for spec in specs:
        rects = []
        for o in spec.objects:
            if o.asset is not None and o.asset["builder"] == "furniture":
                kinds.setdefault(o.kind, set()).add(o.cls)
                if o.kind in ("traffic_cone", "barrier"):
                    assert "road_works" in o.tags and o.position[2] == 0.0
                else:
                    assert o.position[2] == road.KERB
            if o.cls in ("static", "car", "truck", "bus", "person", "animal", "bicycle", "motorcycle"):
                rects.append(footprint(o.position[0], o.position[1], o.yaw, o.size[0], o.size[1]))
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                assert not overlap(rects[i], rects[j])
    assert {"bin", "bollard", "hydrant"} <= set(kinds)
    assert kinds.get("shelter", {"building"}) == {"building"}
    assert all(c == {"static"} for k, c in kinds.items() if k != "shelter")
    assert "static" in CLASSES and "static" in STUFF and LABELS["static"][:2] == (4, 255)


def test_shop_fronts_face_the_road(specs) -> None:
    """Shop glass (building slot 2) is on the side of each building nearer the road centreline, on both sides."""
    sides = set()
    for spec in specs:
        if spec.layout.curvature != 0:
            continue  # a straight road runs along +y: distance from its centreline is |x|
        for o in compile_world(spec).objects:
            if o.texture != "facade" or not (o.mesh.slots == 2).any():
                continue
            glass = _slot_centres(o.mesh, 2).mean(axis=0)
            assert abs(glass[0]) < abs(o.box3d[0]) - 2.0
            sides.add(float(np.sign(o.box3d[0])))
    assert sides == {-1.0, 1.0}


@pytest.mark.parametrize("variant", range(4))
def test_building_details(variant: int) -> None:
    size = (14.0, 12.0, 20.0)
    m = models.building(size, variant)
    slots = set(np.unique(m.slots).tolist())
    assert {0, 1, 3} <= slots  # walls, roof and cornice, doors
    assert (4 in slots) == (variant % 2 == 0) and (2 in slots) == (variant % 2 == 0)  # shops and their signs
    assert (5 in slots) == (variant // 2 == 1)
    if 5 in slots:  # balcony slabs sit on the facade texture's storey lines (the building stands on the kerb)
        t = m.triangles[m.slots == 5][:, :, 2]
        levels = np.unique(np.round(t[np.ptp(t, axis=1) < 1e-9][:, 0], 4)) + road.KERB  # horizontal faces
        frac = np.round((levels - FACADE_GROUND) / FACADE_STOREY % 1, 4)
        slab, railing = (
            0.2,
            1.0 / FACADE_STOREY,
        )  # slab tops on the line, railings 1 m above, slabs 15 cm thick
        assert set(frac) == {round(v, 4) for v in (slab, slab - 0.15 / FACADE_STOREY, slab + railing)}
    front = m.vertices[:, 1].min()
    assert front >= -size[1] / 2 - 0.95  # balconies and signs stand out less than a metre


def test_traffic_bands_change_no_label_and_no_depth(specs, monkeypatch) -> None:
    """The bands cut the road's own plane along its own stations: the id map and depth are those of one patch."""
    from simvision.render.world2d import rasterize_world

    curved = [s for s in specs if abs(s.layout.curvature) > 1e-9]
    assert curved
    for spec in [*curved[:3], *specs[:2]]:
        banded = rasterize_world(compile_world(spec))
        with monkeypatch.context() as m:
            m.setattr(
                road_surface,
                "pieces",
                lambda lay: ((lay.start, lay.length, -lay.road_half, lay.road_half, 0),),
            )
            plain = rasterize_world(compile_world(spec))
        assert len(banded[0]) > len(plain[0])
        assert np.array_equal(banded[5], plain[5]) and np.array_equal(banded[4], plain[4])
