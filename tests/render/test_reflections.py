"""Screen-space reflections (issue 15): the march kernel against its numpy reference, wet ground mirroring what
stands on it, labels untouched."""

from __future__ import annotations

import dataclasses

import numpy as np

from simvision.render import reflection_kernels as rk
from simvision.render import reflections, shading, world2d
from simvision.render.world2d import rasterize_world, render_world_2d
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.world.mesh import box
from simvision.world.spec import CameraSpec, MaterialSpec, SunSpec, WeatherSpec
from simvision.world.world import World, WorldObject, oriented_box


def _street(scene_file: str, i: int, size: str = "320x240") -> World:
    scene = load_scene(default_scene_dir() / scene_file).with_size(size)
    return compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene)))


def _rays(world: World) -> tuple[np.ndarray, ...]:
    """Every reflecting pixel's march inputs, as :func:`reflections.reflect_pass` builds them."""
    tris, obj_of, slot_of, tri_map, depth, _ = rasterize_world(world)
    g, idx = shading.gbuffer(world, tris, obj_of, slot_of, tri_map, depth)
    _, reflect = shading.shade(world, tris, g, idx)
    rows = np.flatnonzero(reflect > 0)
    n, v = g.normal[rows], g.view[rows]
    cosv = np.clip(np.einsum("ij,ij->i", n, v), 0, 1)
    dirs = shading.mat3((2 * cosv)[:, None] * n - v, np.asarray(world.pinhole().rotation, np.float32).T)
    return idx[rows], g.depth[rows], dirs, depth, idx, g.depth


def test_march_kernel_is_the_numpy_march_to_the_bit():
    flags = np.zeros(3, int)
    for scene_file, i in (("street.yaml", 1), ("street_night_rain.yaml", 0), ("street_night_rain.yaml", 2)):
        world = _street(scene_file, i)
        pix, z0, dirs, depth, idx, gdepth = _rays(world)
        fx = world.pinhole().fx
        new, ref = rk.march(pix, z0, dirs, depth, fx), rk.march_numpy(pix, z0, dirs, depth, fx)
        for a, b in zip(new, ref, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        flags += np.bincount(new[2], minlength=3)
        # every pixel with directions of every kind: towards the camera, level, straight up, into the frame
        rng = np.random.default_rng(7)
        d = rng.normal(size=(len(idx), 3)).astype(np.float32)
        d[::7, 2] = 0
        d[::11] = (0, 0, 1)
        d[::13, 2] = -1e-5
        d /= np.linalg.norm(d, axis=1, keepdims=True)
        new, ref = rk.march(idx, gdepth, d, depth, fx), rk.march_numpy(idx, gdepth, d, depth, fx)
        for a, b in zip(new, ref, strict=True):
            assert np.array_equal(a, b)
        flags += np.bincount(new[2], minlength=3)
    assert flags.min() > 500  # misses, hits and sky all exercised


def test_reflect_pass_kernels_are_the_numpy_pass():
    """The whole pass (mirror, march, mip sampling, environment, smoothing, Fresnel mix) against its numpy
    reference: the march to the bit (above); ``log2`` and the sky's cube differ by an ulp, so 1e-5."""
    for scene_file, i in (("street.yaml", 1), ("street_night_rain.yaml", 0)):
        world = _street(scene_file, i)
        tris, obj_of, slot_of, tri_map, depth, _ = rasterize_world(world)
        g, idx = shading.gbuffer(world, tris, obj_of, slot_of, tri_map, depth)
        shaded, reflect = shading.shade(world, tris, g, idx)
        radiance = world2d._background(world, tri_map)
        radiance.reshape(-1, 3)[idx] = shaded
        new, ref = radiance.copy(), radiance.copy()
        reflections.reflect_pass(world, new, depth, g, idx, reflect, shaded)
        reflections.reflect_pass_numpy(world, ref, depth, g, idx, reflect, shaded)
        changed = np.abs(ref - radiance).max(axis=-1) > 1e-4
        assert changed.sum() > 2000
        np.testing.assert_allclose(new, ref, rtol=1e-4, atol=1e-5)


def _wet_night_world(wet: float) -> World:
    """A flat asphalt road at night, an emissive white block standing on it 12 m ahead, the camera 1.4 m up."""
    road = box(-30, 30, -5, 80, -0.1, 0.0)
    block = box(-1, 1, 11, 13, 0.0, 3.0)
    objects = (
        WorldObject(
            1, "road", road, (MaterialSpec(color=(0.1, 0.1, 0.1), roughness=0.9),), np.full(7, np.nan),
            ground=True, texture="asphalt",
        ),
        WorldObject(
            2, "building", block, (MaterialSpec(color=(1.0, 1.0, 1.0), roughness=0.9, emission=60.0),),
            oriented_box(block, (0, 12, 0), 0.0),
        ),
    )  # fmt: skip
    return World(
        width=320,
        height=240,
        camera=CameraSpec(position=(0.0, 0.0, 1.4), yaw_deg=0.0, pitch_deg=4.0, roll_deg=0.0, focal_mm=24.0),
        objects=objects,
        lamps=(),
        sun=SunSpec(elevation_deg=-30.0, heading_deg=180.0, sky="clear", strength=0.0, sky_strength=1.0),
        weather=WeatherSpec(
            kind="rain" if wet else "clear",
            intensity=0,
            wetness=wet,
            fog_density=0,
            fog_height=0,
            snow_cover=0,
            particles=0,
            particle_seed=0,
        ),  # fmt: skip
        exposure=0.0,
        render_seed=3,
        classes=("road", "building", "sky"),
        background_class="sky",
    )


def _pixel(world: World, point: tuple[float, float, float]) -> tuple[int, int]:
    cam = world.pinhole()
    u, v = cam.project(cam.to_camera(np.array(point)))
    return int(v), int(u)


def test_wet_road_mirrors_the_bright_block_standing_on_it():
    wet, dry = _wet_night_world(1.0), _wet_night_world(0.0)
    img_wet = render_world_2d(wet).image.astype(float).mean(axis=-1)
    img_dry = render_world_2d(dry).image.astype(float).mean(axis=-1)
    # the block's mirror image lies on the road below its base; beside it the road mirrors the dark night sky
    below = _pixel(
        wet, (0.0, 11.0, -1.0)
    )  # where the ray to the block's mirror image (z = -1) meets the road
    row, col = below
    assert wet.pinhole().to_camera(np.array([0.0, 11.0, 0.0]))[2] > 0
    beside = (row, _pixel(wet, (8.0, 11.0, -1.0))[1])
    assert img_wet[below] > img_wet[beside] + 40
    assert img_wet[below] > img_dry[below] + 40  # dry asphalt mirrors nothing
    assert abs(img_dry[below] - img_dry[beside]) < 15


def test_reflections_change_pixels_but_not_labels(monkeypatch):
    world = _street("street_night_rain.yaml", 0)
    with_pass = render_world_2d(world)
    monkeypatch.setattr(world2d, "reflect_pass", lambda *a, **k: None)
    without = render_world_2d(world)
    assert np.array_equal(with_pass.maps, without.maps)
    assert np.array_equal(with_pass.depth, without.depth)
    for f in dataclasses.fields(with_pass.instances):
        a, b = getattr(with_pass.instances, f.name), getattr(without.instances, f.name)
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), f.name
    assert np.abs(with_pass.image.astype(int) - without.image).mean() > 0.5


def test_lamp_glints_on_a_subset_of_rows_are_those_rows_of_the_full_pass():
    """Dry frames compute lamp glints only for paint and glass rows: the same values as the whole frame's."""
    world = _street("street_night_rain.yaml", 1, "160x120")
    tris, obj_of, slot_of, tri_map, depth, _ = rasterize_world(world)
    g, idx = shading.gbuffer(world, tris, obj_of, slot_of, tri_map, depth)
    rows = np.flatnonzero(g.obj % 3 == 0)
    full = shading.lamp_rows(world, g, idx, True)
    assert (full[rows, 3:] > 0).any()
    assert np.array_equal(shading.lamp_rows(world, g, idx, True, rows), full[rows])
