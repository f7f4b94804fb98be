"""The hand's per-pixel kernel equals its numpy reference to the bit (image and mask), on grids with the hand's
edge, the paper's edge and a shadow crossing the window, at several cell widths."""

from __future__ import annotations

import numpy as np
import pytest

from simvision.scenes.receipt import hands
from simvision.scenes.receipt.hand_kernels import cell_weights, composite_kernel, composite_numpy


@pytest.mark.parametrize("f", [1, 3, 4, 5])
def test_composite_kernel_equals_numpy(f):
    rng = np.random.default_rng(f)
    ny, nx = 23, 31
    yy, xx = np.mgrid[0:ny, 0:nx].astype(np.float32)
    grid = np.empty((ny, nx, 6), np.float32)
    grid[..., 0] = np.hypot(yy - 11.0, xx - 14.0) * 0.4 - 3.0  # a disc in front of the paper (mm)
    grid[..., 1] = (xx - 20.0) * 0.3 + rng.normal(0.0, 0.05, (ny, nx))  # a part behind it, to the right
    grid[..., 2] = 1.0 - 0.5 * rng.random((ny, nx))  # light left by a shadow
    grid[..., 3:] = rng.uniform(0.0, 255.0, (ny, nx, 3))
    ox, oy = -f, -f  # cell j centred on ox + (j + 0.5) f: the window starts one cell in
    h, w = (ny - 2) * f, (nx - 2) * f
    ci, ty = cell_weights(0, h, oy, f)
    cj, tx = cell_weights(0, w, ox, f)
    paper = np.zeros((h, w), bool)
    paper[:, : w // 2] = True
    image = rng.integers(0, 256, (h + 4, w + 6, 3), dtype=np.uint8)
    k = np.float32(f * 1.7)
    paper_all = np.zeros(image.shape[:2], bool)
    paper_all[2 : 2 + h, 3 : 3 + w] = paper
    ref = image.copy()
    ref_mask = composite_numpy(grid, ci, ty, cj, tx, paper_all, k, ref, 2, 3)
    out = image.copy()
    mask = np.empty((h, w), bool)
    composite_kernel(grid, ci, ty, cj, tx, paper_all, k, out, 2, 3, mask)
    assert ref_mask.any() and not ref_mask.all()
    assert np.array_equal(mask, ref_mask)
    assert np.array_equal(out, ref)
    assert not np.array_equal(out, image)
    assert np.array_equal(out[:2], image[:2]) and np.array_equal(out[:, :3], image[:, :3])


def test_cell_weights_centre_the_cells():
    j, t = cell_weights(10, 18, 6, 4)  # cells centred on 8, 12, 16, 20, ...
    centres = np.arange(10, 18) + 0.5
    assert np.allclose(6 + (j + 0.5 + t) * 4, centres)
    assert (t >= 0).all() and (t < 1).all()


@pytest.mark.parametrize("pose", hands.POSES)
def test_model_kernel_equals_numpy(pose):
    """The hand's fields at points over, around and inside every part (nails and wrinkles included)."""
    rng = np.random.default_rng(len(pose))
    for _ in range(3):
        h = hands.sample_hand(rng, pose)
        parts, _contact = hands._parts(h)
        lx = rng.uniform(-120.0, 110.0, 20_000)
        ly = rng.uniform(-80.0, 80.0, 20_000)
        ref = hands._model_numpy(lx, ly, parts)
        got = hands._model(lx, ly, parts)
        assert (
            ref[5].max() > 0.5 and ref[7].max() > 0.5 or pose != "fingers_press"
        )  # nails and wrinkles drawn
        for r, g in zip(ref, got, strict=True):
            assert r.dtype == g.dtype
            np.testing.assert_allclose(g, r, rtol=1e-12, atol=1e-12)
