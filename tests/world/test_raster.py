"""The compiled rasterizer (issue 15) against the vectorised-numpy reference it replaced: bit-identical triangle
maps, depth and coverage, including the ties (pixel centres on shared edges, coplanar overlaps at equal depth,
big and small triangles over each other)."""

from __future__ import annotations

import numpy as np
import pytest

from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.world import raster, raster_ref
from simvision.world.camera import PinholeCamera

# fx = 128 px and depths that are powers of two: grid corners project back onto pixel centres exactly
CAM = PinholeCamera((0.0, 0.0, 0.0), 0.0, 0.0, 0.0, 36.0, 36.0, 128, 96, 0.1, 1000.0)


def same(tris: np.ndarray, cam: PinholeCamera) -> None:
    t_new, d_new = raster.rasterize(tris, cam)
    t_ref, d_ref = raster_ref.rasterize(tris, cam)
    assert np.array_equal(t_new, t_ref)
    assert np.array_equal(d_new, d_ref)
    assert raster.coverage(tris, cam) == raster_ref.coverage(tris, cam)


def on_screen(uv: np.ndarray, z: np.ndarray, cam: PinholeCamera) -> np.ndarray:
    """(T,3,3) world triangles whose corners project to pixel coordinates ``uv`` (T,3,2) at depths ``z`` (T,3)."""
    x = (uv[..., 0] - cam.width / 2) / cam.fx * z
    y = (uv[..., 1] - cam.height / 2) / cam.fx * z
    cam_pts = np.stack([x, y, z], axis=-1)
    return cam_pts @ cam.rotation + np.asarray(cam.position)  # camera frame to world (R orthonormal)


def test_street_frames_match_the_reference():
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("320x240")
    for i in (0, 3):
        world = compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene)))
        same(np.concatenate([m.triangles for m in world.meshes]), world.pinhole())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_soups_with_ties_match_the_reference(seed):
    rng = np.random.default_rng(seed)
    # small and big triangles, some reaching behind the camera (near clipping), at random depths
    uv = rng.uniform(-40, 160, (300, 3, 2))
    uv[:150] = uv[:150, :1] + rng.uniform(-12, 12, (150, 3, 2))
    z = rng.uniform(-2, 30, (300, 3))
    # a grid of squares whose corners sit on pixel centres: every shared edge passes through pixel centres
    g = []
    for a in range(0, 112, 8):
        for b in range(0, 88, 8):
            q = np.array([[a, b], [a + 8, b], [a + 8, b + 8], [a, b + 8]], float) + 0.5
            g += [q[[0, 1, 2]], q[[0, 2, 3]]]
    g = np.array(g)
    flat = np.full(g.shape[:2], 4.0)
    # the same grid again at the same depth (every pixel a tie) and a big quad at that depth too
    big = np.array([[[0.5, 0.5], [120.5, 0.5], [120.5, 90.5]], [[0.5, 0.5], [120.5, 90.5], [0.5, 90.5]]])
    tris = np.concatenate(
        [
            on_screen(uv, np.abs(z) + 0.2, CAM),
            on_screen(g, flat, CAM),
            on_screen(g[::-1], flat[::-1], CAM),
            on_screen(big, np.full((2, 3), 4.0), CAM),
        ]
    )
    same(tris, CAM)
    clipped = tris.copy()
    clipped[:40, 0, 2] = -3.0  # some corners behind the camera
    same(clipped, CAM)
