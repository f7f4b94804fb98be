"""The 2D shader's numba kernels (issue 15) against the numpy code they replaced: the same float32 bits."""

from __future__ import annotations

import dataclasses

import numpy as np

from simvision.render import shading, texture_kernels, textures
from simvision.render.shading_kernels import GLINT_ZERO, pow60
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.world.raster import rasterize


def test_lamps_kernel_is_the_numpy_lamps_to_the_bit():
    scene = load_scene(default_scene_dir() / "street_night_rain.yaml").with_size("160x120")
    checked = 0
    for i in range(3):
        world = compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene)))
        assert world.lamps
        tris = np.concatenate([m.triangles for m in world.meshes])
        obj_of = np.concatenate([np.full(len(m.faces), o, np.int32) for o, m in enumerate(world.meshes)])
        slot_of = np.concatenate([m.slots for m in world.meshes]).astype(np.int64)
        tri_map, depth = rasterize(tris, world.pinhole())
        g, idx = shading.gbuffer(world, tris, obj_of, slot_of, tri_map, depth)
        for glint in (False, True):
            new, ref = shading.lamp_rows(world, g, idx, glint), shading.lamp_rows_numpy(world, g, idx, glint)
            assert new.dtype == ref.dtype and np.array_equal(new, ref)
            checked += int((ref > 0).sum())
        spotless = dataclasses.replace(world, lamps=tuple(lp for lp in world.lamps if lp.kind != "spot"))
        new, ref = shading.lamp_rows(spotless, g, idx, True), shading.lamp_rows_numpy(spotless, g, idx, True)
        assert np.array_equal(new, ref)
    assert checked > 1000


def test_noise_and_hash_kernels_are_the_numpy_ones_to_the_bit():
    rng = np.random.default_rng(5)
    # street coordinates (metres, either sign), lattice edges, and the scales and seeds textures use
    u = np.concatenate([rng.uniform(-300, 300, 20000), np.arange(-40, 40) * 0.03, [0.0, -0.0]]).astype(
        np.float32
    )
    v = np.concatenate([rng.uniform(-50, 50, 20000), np.arange(-40, 40) * 0.12, [1e-7, -1e-7]]).astype(
        np.float32
    )
    for scale in (0.01, 0.03, 0.075, 0.5, 2.5, 7.0):
        for seed in (0, 5, 303, 901):
            assert np.array_equal(textures.noise(u, v, scale, seed), textures.noise_numpy(u, v, scale, seed))
    ix = np.concatenate([rng.integers(-(2**40), 2**40, 5000), [-1, 0, 2**31 - 1, -(2**31), 2**33 + 7]])
    iy = rng.integers(-(2**31), 2**31, len(ix)).astype(np.int32)
    for seed in (0, 11, 806):
        assert np.array_equal(textures.hash01(ix, iy, seed), textures.hash01_numpy(ix, iy, seed))
        assert np.array_equal(
            textures.hash01(ix, 0, seed), textures.hash01_numpy(ix, np.zeros_like(ix), seed)
        )


def test_glint_power_is_zero_below_its_cut_and_close_to_the_power():
    assert pow60(np.float32(GLINT_ZERO)) == 0
    x = np.linspace(0, 1, 100001, dtype=np.float32)
    exact = x.astype(np.float64) ** 60
    assert np.all(np.abs(pow60(x) - exact) <= 4e-6 * exact + 1e-44)


def _street_gbuffers(scene_file: str, size: str, frames: range, with_idx: bool = False):  # noqa: ANN202
    scene = load_scene(default_scene_dir() / scene_file).with_size(size)
    for i in frames:
        world = compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene)))
        tris = np.concatenate([m.triangles for m in world.meshes])
        obj_of = np.concatenate([np.full(len(m.faces), o, np.int32) for o, m in enumerate(world.meshes)])
        slot_of = np.concatenate([m.slots for m in world.meshes]).astype(np.int64)
        tri_map, depth = rasterize(tris, world.pinhole())
        g, idx = shading.gbuffer(world, tris, obj_of, slot_of, tri_map, depth)
        yield (world, g, idx) if with_idx else (world, g)


def test_texture_kernels_are_the_numpy_textures_to_the_bit():
    """Every material with a kernel (and the per-object tint) against its numpy function, on street frames by day
    and by night (lit windows), over every G-buffer field the textures write."""
    seen = set()
    for scene_file in ("street.yaml", "street_night_rain.yaml"):
        for world, g in _street_gbuffers(scene_file, "320x240", range(2)):
            kinds = [o.texture for o in world.objects]
            seen |= set(kinds) & set(texture_kernels.KERNELS)
            for night in (0.0, 1.0):
                ref, new = dataclasses.replace(g), dataclasses.replace(g)
                for k in ("albedo", "rough", "emit", "normal"):  # (foliage and grass tilt the normals)
                    setattr(ref, k, getattr(g, k).copy())
                    setattr(new, k, getattr(g, k).copy())
                r_ref = textures.apply(ref, kinds, night, kernels_on=False)
                r_new = textures.apply(new, kinds, night)
                assert r_new.dtype == r_ref.dtype and np.array_equal(r_new, r_ref)
                for k in ("albedo", "rough", "emit", "normal"):
                    a, b = getattr(new, k), getattr(ref, k)
                    assert a.dtype == b.dtype and np.array_equal(a, b), k
    assert seen == set(texture_kernels.KERNELS)


def test_ao_kernel_is_the_numpy_ao_to_a_millionth():
    """Same float32 operations; only ``exp`` differs (libm's expf against numpy's SIMD exp: an ulp here and
    there), so 1e-6 on values in (0, 1], and most pixels to the bit."""
    darkened = 0
    for world, g, idx in _street_gbuffers("street.yaml", "320x240", range(3), with_idx=True):
        ref = shading.ao_rows_numpy(world, g, idx)
        new = shading.ao_rows(world, g, idx)
        assert new.dtype == ref.dtype == np.float32
        np.testing.assert_allclose(new, ref, rtol=0, atol=1e-6)
        assert (new == ref).mean() > 0.95
        darkened += int(((ref < 1) & (g.normal[:, 2] > 0.8)).sum())
    assert darkened > 1000


def test_gbuffer_kernel_is_the_numpy_gbuffer_to_the_bit():
    for scene_file, size in (("street.yaml", "320x240"), ("street_fog_dusk.yaml", "161x97")):
        scene = load_scene(default_scene_dir() / scene_file).with_size(size)
        for i in range(2):
            world = compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene)))
            tris = np.concatenate([m.triangles for m in world.meshes])
            obj_of = np.concatenate([np.full(len(m.faces), o, np.int32) for o, m in enumerate(world.meshes)])
            slot_of = np.concatenate([m.slots for m in world.meshes]).astype(np.int64)
            tri_map, depth = rasterize(tris, world.pinhole())
            new, idx = shading.gbuffer(world, tris, obj_of, slot_of, tri_map, depth)
            ref, idx_ref = shading.gbuffer_numpy(world, tris, obj_of, slot_of, tri_map, depth)
            assert np.array_equal(idx, idx_ref) and len(idx) > 1000
            for field in dataclasses.fields(ref):
                a, b = getattr(new, field.name), getattr(ref, field.name)
                assert a.dtype == b.dtype and np.array_equal(a, b), field.name
