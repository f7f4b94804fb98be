"""The 2D renderer's per-pixel shading: labels untouched, deterministic images, texture, shadows, sensor noise."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simvision.render.world2d import render_world_2d
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.world.mesh import box
from simvision.world.raster import rasterize
from simvision.world.spec import CameraSpec, MaterialSpec, SunSpec, WeatherSpec
from simvision.world.world import World, WorldObject, oriented_box


@pytest.fixture(scope="module")
def worlds() -> list[World]:
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("320x240")
    specs = [sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene)) for i in (1, 2, 11)]
    return [compile_world(s) for s in specs]


def flat_share(image: np.ndarray) -> float:
    """Share of pixels whose 3x3 grey neighbourhood has zero variance (bench/realism_features' flat_3x3)."""
    grey = image.astype(np.float64) @ [0.299, 0.587, 0.114]
    win = np.lib.stride_tricks.sliding_window_view(grey, (3, 3))
    return float((win.reshape(*win.shape[:2], 9).std(axis=-1) == 0).mean())


def test_id_map_and_depth_are_the_rasterizer_s(worlds):
    for world in worlds:
        meshes = world.meshes
        tris = np.concatenate([m.triangles for m in meshes])
        obj_of = np.concatenate([np.full(len(m.faces), o, np.int32) for o, m in enumerate(meshes)])
        tri_map, depth = rasterize(tris, world.pinhole())
        ids = np.where(tri_map >= 0, obj_of[np.maximum(tri_map, 0)] + 1, len(world.objects) + 1)
        out = render_world_2d(world)
        assert np.array_equal(out.maps[0], ids)
        assert np.array_equal(out.depth, depth)


def test_image_is_deterministic_and_follows_the_render_seed(worlds):
    a, b = render_world_2d(worlds[1]), render_world_2d(worlds[1])
    assert np.array_equal(a.image, b.image)
    other = render_world_2d(dataclasses.replace(worlds[1], render_seed=worlds[1].render_seed + 1))
    assert not np.array_equal(a.image, other.image)  # the sensor noise
    # ... and nothing else: the seed's clouds move the camera's metering and white balance by a few per cent
    diff = np.abs(a.image.astype(int) - other.image)
    assert np.median(diff) <= 1 and diff.mean() < 3


def test_street_frames_are_not_flat(worlds):
    for world in worlds:
        assert flat_share(render_world_2d(world).image) < 0.15  # the per-triangle flat shader gave ~0.66


def _shadow_world(sun_up: bool) -> World:
    """Open ground, a 6 m tower at the origin, the sun 30 deg high in the south (heading 180: it shines to +Y)."""
    grey = (MaterialSpec(color=(0.4, 0.4, 0.4), roughness=0.9),)
    ground = box(-40, 40, -40, 60, -0.1, 0.0)
    tower = box(-1, 1, -1, 1, 0.0, 6.0)
    objects = (
        WorldObject(1, "road", ground, grey, np.full(7, np.nan), ground=True, texture="asphalt"),
        WorldObject(2, "building", tower, grey, oriented_box(tower, (0, 0, 0), 0.0), texture="metal"),
    )
    return World(
        width=320,
        height=240,
        camera=CameraSpec(
            position=(14.0, -2.0, 9.0), yaw_deg=60.0, pitch_deg=28.0, roll_deg=0.0, focal_mm=20.0
        ),
        objects=objects,
        lamps=(),
        sun=SunSpec(
            elevation_deg=30.0,
            heading_deg=180.0,
            sky="clear",
            strength=4.0 if sun_up else 0.0,
            sky_strength=1.0,
        ),
        weather=WeatherSpec(
            kind="clear",
            intensity=0,
            wetness=0,
            fog_density=0,
            fog_height=0,
            snow_cover=0,
            particles=0,
            particle_seed=0,
        ),
        exposure=0.0,
        render_seed=3,
        classes=("road", "building", "sky"),
        background_class="sky",
    )


def _pixel_of(world: World, point: tuple[float, float, float]) -> tuple[int, int]:
    cam = world.pinhole()
    u, v = cam.project(cam.to_camera(np.array(point)))
    return int(v), int(u)


def test_objects_cast_sun_shadows():
    world = _shadow_world(sun_up=True)
    img = render_world_2d(world).image.astype(float).mean(axis=-1)
    # the sun is south (towards -Y) and 30 deg up: the 6 m tower's shadow reaches ~10 m to +Y
    behind = img[_pixel_of(world, (0.0, 4.0, 0.0))]
    beside = img[_pixel_of(world, (6.0, 4.0, 0.0))]
    assert behind < 0.7 * beside
    overcast = render_world_2d(_shadow_world(sun_up=False)).image.astype(float).mean(axis=-1)
    a, b = overcast[_pixel_of(world, (0.0, 4.0, 0.0))], overcast[_pixel_of(world, (6.0, 4.0, 0.0))]
    assert abs(a - b) < 0.15 * max(
        a, b
    )  # the asphalt's texture alone (the meter exposes this frame brighter)


def test_the_camera_pipeline_changes_pixels_never_labels(worlds):
    from simvision.world.spec import ImagingSpec

    world = worlds[0]
    a = render_world_2d(world)
    other = ImagingSpec(contrast=1.0, white_ev=4.0, saturation=0.6, sharpen=0.0, jpeg_quality=80, awb=0.2)
    b = render_world_2d(dataclasses.replace(world, imaging=other, exposure=world.exposure - 1))
    assert np.array_equal(a.maps, b.maps) and np.array_equal(a.depth, b.depth)
    assert np.array_equal(a.instances.boxes, b.instances.boxes)
    assert np.abs(a.image.astype(int) - b.image).mean() > 5
    assert b.meta["renderer"]["camera"]["exposure_ev"] < a.meta["renderer"]["camera"]["exposure_ev"]


def test_a_darker_world_is_metered_brighter():
    world = _shadow_world(sun_up=True)
    dim = dataclasses.replace(world, sun=world.sun.model_copy(update={"strength": 1.0, "sky_strength": 0.25}))
    a, b = render_world_2d(world), render_world_2d(dim)
    ev = b.meta["renderer"]["camera"]["exposure_ev"] - a.meta["renderer"]["camera"]["exposure_ev"]
    assert ev > 0.6  # a quarter of the sunlight (the sky's glow changes less): more exposure
    assert b.image.mean() > 0.8 * a.image.mean()  # ... so the dim frame comes out nearly as bright
