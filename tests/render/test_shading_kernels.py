"""The 2D shader's numba kernels (issue 15) against the numpy code they replaced: the same float32 bits."""

from __future__ import annotations

import dataclasses

import numpy as np

from simvision.render import shading
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
        pl = shading.planes(g, idx, tri_map.shape)
        for glint in (False, True):
            new, ref = shading._lamps(world, pl, glint), shading._lamps_numpy(world, pl, glint)
            assert new.dtype == ref.dtype and np.array_equal(new, ref)
            checked += int((ref > 0).sum())
        spotless = dataclasses.replace(world, lamps=tuple(lp for lp in world.lamps if lp.kind != "spot"))
        assert np.array_equal(shading._lamps(spotless, pl, True), shading._lamps_numpy(spotless, pl, True))
    assert checked > 1000
