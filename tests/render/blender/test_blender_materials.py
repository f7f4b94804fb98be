"""Blender's procedural materials and headlight beams, with real bpy at tiny resolution."""

from __future__ import annotations

import os

import numpy as np
import pytest

from simvision.render.blender import available
from simvision.sample import sample_spec
from simvision.scene import default_scene_dir, load_scene

if not available():
    if os.environ.get("CI"):
        pytest.fail("bpy/OpenEXR missing: `make test` installs the blender extra", pytrace=False)
    pytest.skip("the blender extra is not installed", allow_module_level=True)

from simvision.render.blender import frame, render_world  # noqa: E402
from simvision.render.blender.session import bpy  # noqa: E402
from simvision.scenes.street import traffic  # noqa: E402
from simvision.scenes.street.builder import SceneBuilder  # noqa: E402
from simvision.scenes.street.geometry import compile_world  # noqa: E402

LUMA = np.array([0.2126, 0.7152, 0.0722])


@pytest.fixture(scope="module")
def scene():
    s = load_scene(default_scene_dir() / "street.yaml").with_renderer("blender").with_size("96x64")
    return s.__class__(**{**s.__dict__, "render": s.render.model_copy(update={"samples": 4})})


def test_every_surface_kind_gets_a_procedural_node_material(scene):
    """Textures are nodes (no image files); car paint has a clear coat, windscreens are smooth, tyres rough."""
    spec = sample_spec(scene, 2, 0)
    dry = spec.weather.model_copy(update={"kind": "clear", "wetness": 0.0, "snow_cover": 0.0, "particles": 0})
    world = compile_world(spec.model_copy(update={"weather": dry}))  # weathering links the roughness sockets
    frame.build_scene(world, scene.render)
    b = bpy()
    # the only images are number plates: packed in memory from the same raster the 2D renderer draws, no files
    images = [
        n.image for m in b.data.materials if m.node_tree for n in m.node_tree.nodes if n.type == "TEX_IMAGE"
    ]
    assert all(i is not None and i.packed_file is not None and not i.filepath for i in images), [
        i.name for i in images if i is not None
    ]
    kinds = {o.cls: o for o in world.objects}

    def node_types(obj, slot: int) -> set[str]:
        return {n.type for n in b.data.materials[f"{obj.id}.{slot}"].node_tree.nodes}

    assert {"TEX_NOISE", "TEX_VORONOI"} <= node_types(kinds["road"], 0)
    assert "TEX_BRICK" in node_types(kinds["sidewalk"], 0)  # paving joints
    assert "TEX_BRICK" in node_types(kinds["building"], 0)  # the window grid (and brick walls)
    car = kinds["car"]
    slot = {name: k for k, name in enumerate(car.slot_names)}
    bsdf = b.data.materials[f"{car.id}.{slot['paint']}"].node_tree.nodes["Principled BSDF"]
    assert bsdf.inputs["Coat Weight"].default_value == 1.0
    assert bsdf.inputs["Coat Roughness"].default_value < 0.1
    glass = b.data.materials[f"{car.id}.{slot['glass']}"].node_tree.nodes["Principled BSDF"]
    assert glass.inputs["Roughness"].default_value < 0.05
    tyre = b.data.materials[f"{car.id}.{slot['tyre']}"].node_tree.nodes["Principled BSDF"]
    assert tyre.inputs["Roughness"].default_value > 0.7


def night_car_facing_camera(scene, lamps: bool):
    """A straight road at night with one car 14 m ahead facing the camera; its headlights on or off."""
    spec = sample_spec(scene, 2, 0)
    layout = spec.layout.model_copy(
        update={"kind": "straight", "curvature": 0.0, "junction_at": None, "crossing_at": None}
    )
    road = next(o for o in spec.objects if o.cls == "road")
    car = next(o for o in spec.objects if o.cls == "car" and o.asset)
    cam = np.asarray(spec.camera.position)
    pos = np.array([cam[0], cam[1] + 14.0, 0.0])
    car = car.model_copy(update={"id": 2, "position": tuple(pos), "yaw": -np.pi / 2})
    b = SceneBuilder()
    traffic._lights(b, pos, -np.pi / 2, car.size, car.id)
    heads = tuple(lamp for lamp in b.lamps if lamp.kind == "spot")
    sun = spec.sun.model_copy(update={"elevation_deg": -30.0, "sky": "overcast", "strength": 0.0})
    weather = spec.weather.model_copy(
        update={"kind": "clear", "wetness": 0.0, "fog_density": 0.0, "snow_cover": 0.0, "particles": 0}
    )
    camera = spec.camera.model_copy(update={"yaw_deg": 0.0, "pitch_deg": -6.0})
    return spec.model_copy(
        update={
            "layout": layout,
            "objects": (road.model_copy(update={"id": 1}), car),
            "lamps": heads if lamps else (),
            "sun": sun,
            "weather": weather,
            "camera": camera,
        }
    )


def test_headlights_light_a_pool_on_the_road_in_front_of_the_car(scene):
    on = render_world(compile_world(night_car_facing_camera(scene, True)), scene.render)
    off = render_world(compile_world(night_car_facing_camera(scene, False)), scene.render)
    assert np.array_equal(on.maps, off.maps)  # light changes pixels, never labels
    ids = on.maps[0]
    car_rows = np.nonzero((ids == 2).any(axis=1))[0]
    assert len(car_rows), "the car is in view"
    ahead = (ids == 1) & (np.arange(ids.shape[0])[:, None] > car_rows.max())  # road between camera and car
    assert ahead.sum() > 200
    lum_on, lum_off = (x.image.astype(np.float64) @ LUMA for x in (on, off))
    assert lum_on[ahead].mean() > lum_off[ahead].mean() + 20, (lum_on[ahead].mean(), lum_off[ahead].mean())
    # a pool, not a uniform glow: the road just in front of the car is brighter than the road far beside it
    near = ahead & (np.abs(np.arange(ids.shape[1]) - ids.shape[1] / 2) < ids.shape[1] / 8)[None, :]
    side = ahead & (np.abs(np.arange(ids.shape[1]) - ids.shape[1] / 2) > ids.shape[1] * 0.4)[None, :]
    if side.sum() > 10:
        assert lum_on[near].mean() > lum_on[side].mean()


def test_snow_settles_on_the_road_and_rain_makes_it_glossy(scene):
    spec = sample_spec(scene, 2, 0)
    sun = spec.sun.model_copy(
        update={"elevation_deg": 30.0, "sky": "overcast", "strength": 0.0, "sky_strength": 1.0}
    )
    base = spec.model_copy(update={"sun": sun, "lamps": ()})

    def road_lum(**weather):
        w = base.weather.model_copy(update={"fog_density": 0.0, "particles": 0, **weather})
        s = render_world(compile_world(base.model_copy(update={"weather": w})), scene.render)
        road = next(o.id for o in base.objects if o.cls == "road")
        lum = (s.image.astype(np.float64) @ LUMA)[s.maps[0] == road]
        return float(lum.mean()), float(lum.std())

    dry, dry_spread = road_lum(kind="clear", wetness=0.0, snow_cover=0.0)
    assert road_lum(kind="snow", wetness=0.0, snow_cover=0.9)[0] > dry + 30
    # a wet road is darker but glossy: the sky and the street mirrored in it and its puddles make it patchy (over
    # four street samples the spread of its luminance grew 1.5-2.3x; its mean went either way)
    assert road_lum(kind="rain", wetness=0.9, snow_cover=0.0)[1] > 1.5 * dry_spread


def test_houses_get_their_cladding_and_roofing_materials(scene):
    """A suburban street's houses: brick courses, tile or slate rows and siding laps as nodes, glass as glass."""
    spec = sample_spec(scene, 2, 19)
    assert spec.layout.district == "suburban"
    world = compile_world(spec)
    frame.build_scene(world, scene.render)
    b = bpy()
    seen = set()
    for obj in (o for o in world.objects if o.texture == "house" and o.cls == "building"):
        used = {obj.slot_names[k] for k in np.unique(obj.mesh.slots)}
        for k, name in enumerate(obj.slot_names):
            if name not in used:
                continue
            tree = b.data.materials[f"{obj.id}.{k}"].node_tree
            types = {n.type for n in tree.nodes}
            if name in ("brick", "tiles", "slates"):
                assert "TEX_BRICK" in types, (name, types)
            if name == "glass":
                assert tree.nodes["Principled BSDF"].inputs["IOR"].default_value == 1.5
            seen.add(name)
    assert {"brick", "glass", "trim", "door"} <= seen and seen & {"tiles", "slates"}


def test_night_houses_light_some_rooms_behind_their_glass(scene):
    """At night (the house's glass glowing: suburb.plots) the glass and curtains get the 2D texture's lit rooms: a
    white noise of (storey, wall) switching a warm emission, not the glass colour glowing everywhere."""
    from simvision.scenes.street.suburb import NIGHT_GLASS
    from simvision.world.assets.houses import S

    spec = sample_spec(scene, 2, 19)
    objects = []
    for o in spec.objects:
        if o.kind == "house":
            mats = list(o.materials)
            mats[S["glass"]] = mats[S["glass"]].model_copy(update={"emission": NIGHT_GLASS})
            o = o.model_copy(update={"materials": tuple(mats)})
        objects.append(o)
    world = compile_world(spec.model_copy(update={"objects": tuple(objects)}))
    frame.build_scene(world, scene.render)
    b = bpy()
    houses = [o for o in world.objects if o.texture == "house" and o.cls == "building"]
    assert houses
    for obj in houses:
        for name in ("glass", "curtain"):
            tree = b.data.materials[f"{obj.id}.{S[name]}"].node_tree
            assert "TEX_WHITE_NOISE" in {n.type for n in tree.nodes}, name
            assert tree.nodes["Principled BSDF"].inputs["Emission Color"].is_linked, name
