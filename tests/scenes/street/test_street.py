"""Street scenes without Blender: spec sampling rules, geometry, labels of the 2D projection, scene-file errors."""

from __future__ import annotations

import numpy as np
import pytest

from simvision.errors import UserError
from simvision.rng import rng_for
from simvision.sample import render_sample, scene_canvas
from simvision.scene import default_scene_dir, load_scene, parse_scene
from simvision.scenes.street.config import CLASSES
from simvision.scenes.street.generator import sample
from simvision.scenes.street.placement import footprint, overlap
from simvision.scenes.street.spec import MaterialSpec, ObjectSpec, StreetSpec
from simvision.world.camera import PinholeCamera
from simvision.world.mesh import box
from simvision.world.raster import rasterize

SCENE = default_scene_dir() / "street.yaml"


@pytest.fixture(scope="module")
def scene():
    return load_scene(SCENE).with_size("160x120")


def specs(scene, n: int) -> list[StreetSpec]:
    return [sample(rng_for(3, i, "scene"), scene.params, scene_canvas(scene)) for i in range(n)]


def test_objects_do_not_interpenetrate(scene):
    for spec in specs(scene, 20):
        rects = [
            footprint(o.position[0], o.position[1], o.yaw, o.size[0], o.size[1])
            for o in spec.objects
            if o.cls in ("car", "truck", "bus", "person", "animal", "bicycle", "motorcycle")
        ]
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                assert not overlap(rects[i], rects[j]), f"objects {i} and {j} overlap"


def test_rare_class_rate_follows_the_scene_file(scene):
    p = scene.params.model_copy(
        update={
            "traffic": scene.params.traffic.model_copy(
                update={"animal_prob": 0.5, "animal_on_road_prob": 1.0}
            )
        }
    )
    n = 200
    hits = 0
    for i in range(n):
        spec = sample(rng_for(1, i, "scene"), p, scene_canvas(scene))
        animals = [o for o in spec.objects if o.cls == "animal"]
        hits += bool(animals)
        assert all("animal_on_road" in o.tags and abs(o.position[2]) < 1e-9 for o in animals)
    assert 0.4 < hits / n < 0.6  # binomial(200, 0.5): 4 sigma is +-0.14; placements rarely fail


def test_rasterizer_is_exact_at_pixel_centres():
    cam = PinholeCamera((0, 0, 0), 0, 0, 0, 20, 36, 64, 48)
    tri, depth = rasterize(box(-1, 1, -1, 1, -1, 1).placed((3, 10, 1), 0).triangles, cam)
    ys, xs = np.nonzero(tri >= 0)
    # front face y=9: u = fx*x/9 + 32 with fx = 20/36*64; the left face reaches back to y=11
    fx = 20 / 36 * 64
    assert xs.min() == int(np.ceil(fx * 2 / 11 + 32 - 0.5)) and xs.max() == int(
        np.floor(fx * 4 / 9 + 32 - 0.5)
    )
    assert ys.min() == int(np.ceil(24 - fx * 2 / 9 - 0.5)) and ys.max() == int(np.floor(24 + 0 - 0.5))
    assert depth[20, 42] == pytest.approx(9.0, abs=1e-5)


def _plate_scene(scene, distance: float, fog: float = 0.0) -> StreetSpec:
    """One square plate facing the camera ``distance`` m ahead at eye height, on the sampled street."""
    spec = specs(scene, 1)[0]
    cx, cy, cz = spec.camera.position
    plate = ObjectSpec(
        id=len(spec.objects) + 1,
        cls="traffic sign",
        kind="sign",
        position=(cx, cy + distance + 0.02, cz - 0.5),
        yaw=-np.pi / 2,
        size=(0.04, 1.0, 1.0),
        variant=2,
        materials=(MaterialSpec(color=(0.8, 0.1, 0.1)),),
    )
    road = [o for o in spec.objects if o.kind in ("road", "sidewalk", "terrain")]
    cam = spec.camera.model_copy(update={"yaw_deg": 0.0, "pitch_deg": 0.0, "roll_deg": 0.0})
    weather = spec.weather.model_copy(
        update={"kind": "fog" if fog else "clear", "fog_density": fog, "fog_height": 30.0, "particles": 0}
    )
    return spec.model_copy(
        update={
            "objects": (*road, plate.model_copy(update={"id": len(road) + 1})),
            "camera": cam,
            "weather": weather,
        }
    )


def test_depth_of_a_known_object_is_its_distance(scene):
    from simvision.render.world2d import render_world_2d
    from simvision.scenes.street.geometry import compile_world

    def render_street_2d(spec):
        return render_world_2d(compile_world(spec))

    s = render_street_2d(_plate_scene(scene, 12.0))
    h, w = s.depth.shape
    assert s.depth[h // 2, w // 2] == pytest.approx(12.0, abs=1e-4)
    row = int(np.flatnonzero(s.instances.class_id == CLASSES.index("traffic sign"))[0])
    assert s.instances.attrs["box3d_cam"][row][2] == pytest.approx(12.02, abs=1e-3)


def test_fog_transmittance_follows_beer_lambert(scene):
    from simvision.render.world2d import render_world_2d
    from simvision.scenes.street.geometry import compile_world

    def render_street_2d(spec):
        return render_world_2d(compile_world(spec))

    s = render_street_2d(_plate_scene(scene, 20.0, fog=0.05))
    row = int(np.flatnonzero(s.instances.class_id == CLASSES.index("traffic sign"))[0])
    # every ray to the plate runs ~20 m (x the ray's slant) through fog: T = exp(-0.05 * 20) = 0.368
    assert s.instances.attrs["fog_transmittance"][row] == pytest.approx(np.exp(-1.0), rel=0.02)
    dense = render_street_2d(_plate_scene(scene, 20.0, fog=0.2))
    assert dense.instances.attrs["too_faint"][row]  # exp(-4) = 0.018 < min_transmittance 0.1


def test_street_labels_have_3d_boxes_and_visibility(scene):
    s = render_sample(scene, 7, 0)
    inst = s.instances
    things = [r for r in range(len(inst)) if CLASSES[inst.class_id[r]] in ("car", "person", "truck", "bus")]
    assert things
    for r in things:
        vis, trunc = inst.attrs["visible_fraction"][r], inst.attrs["truncation"][r]
        assert 0 < vis <= 1 and 0 <= trunc <= 1
        a = inst.attrs["amodal_box"][r]
        b = inst.boxes[r]
        # the visible box lies within the amodal box (up to the half pixel of centre sampling)
        assert a[0] - 1 <= b[0] and a[1] - 1 <= b[1] and b[2] <= a[2] + 1 and b[3] <= a[3] + 1
        assert len(inst.attrs["box3d"][r]) == 7 and inst.attrs["box3d_cam"][r][2] > 0
    assert s.meta["attributes"]["weather"] in ("clear", "overcast", "rainy", "foggy", "snowy")
    assert s.depth.shape == s.maps.shape[1:]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("weather", "kind"), {"choices": {"hail": 1}}, "params.weather.kind"),
        (("light", "sky"), {"choices": {"purple": 1}}, "params.light.sky"),
        (("light", "time_of_day"), {"min": 5, "max": 25}, "params.light.time_of_day"),
        (("weather", "intensity"), {"min": 0.9, "max": 0.1}, "params.weather.intensity"),
    ],
)
def test_bad_weather_or_light_values_name_the_field(path, value, field):
    data = {"generator": "street", "params": {path[0]: {path[1]: value}}}
    with pytest.raises(UserError) as err:
        parse_scene(data, "bad", "bad.yaml")
    assert field in str(err.value)


def test_receipts_refuse_the_blender_renderer():
    with pytest.raises(UserError, match="--renderer"):
        load_scene(default_scene_dir() / "receipt.yaml").with_renderer("blender")
