"""The coarse-field machinery behind wrinkle and fold (:mod:`simvision.augment.paper_fields`): grid geometry, the
forward solve for polygon points, and the warp where the paper runs off the canvas."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from scipy.ndimage import map_coordinates

import simvision
from simvision.augment import paper, paper_fields
from simvision.augment.paper_fields import Grid, deform
from simvision.augment.target import Target

SHAPE_EFFECTS = {e.name: e for e in paper.EFFECTS if e.name in ("wrinkle", "fold")}


@pytest.mark.parametrize("step", [2, 4])
def test_grid_upsample_reproduces_a_linear_field(step: int) -> None:
    """Cell centres sit where :meth:`Grid.centres` says: a linear field on them upsamples to itself at every pixel of
    a block, including a box that ends mid-cell."""
    grid = Grid(37, 21, 250, 190, step)
    xs, ys = grid.centres()
    field = (0.3 * xs - 0.7 * ys + 5).astype(np.float32)
    rows, cols = grid.shape
    for block in [(1, rows - 1, 1, cols - 1), (3, 9, 2, 7)]:
        x0, y0, x1, y1 = grid.pixels(block)
        px, py = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
        np.testing.assert_allclose(grid.upsample(field, block), 0.3 * px - 0.7 * py + 5, atol=2e-3)


def test_grid_sample_and_block() -> None:
    image = np.arange(100 * 120, dtype=np.float32).reshape(100, 120)
    grid = Grid(-6, 10, 118, 100, 4)  # reaches off the canvas on three sides
    got = grid.sample(image)
    (ox, oy), rows, cols = grid.origin, *grid.shape
    for r in range(rows):
        for c in range(cols):
            y, x = oy + 2 + 4 * r, ox + 2 + 4 * c
            assert got[r, c] == (image[y, x] if 0 <= y < 100 and 0 <= x < 120 else 0)
    active = np.zeros(grid.shape, bool)
    active[5, 7] = True
    assert grid.block(active) == (4, 7, 6, 9)
    assert grid.block(active, grow=0) == (5, 6, 7, 8)
    assert grid.block(np.zeros(grid.shape, bool)) is None


# 60,000 points (~40,000 moving): more than one OpenCV map row can hold
@pytest.mark.parametrize("points", [500, 60_000])
def test_forward_polygons_invert_the_backward_map(points: int) -> None:
    """Each moved point p satisfies p + d(p) = q (d bilinear on the grid, 0 beyond it), to 0.01 px."""
    grid = Grid(100, 50, 420, 330, 4)
    rows, cols = grid.shape
    rng = np.random.default_rng(0)
    ramp = np.minimum(
        np.minimum(np.arange(rows), np.arange(rows)[::-1])[:, None],
        np.minimum(np.arange(cols), np.arange(cols)[::-1])[None, :],
    )
    window = np.clip(ramp / 12, 0, 1).astype(np.float32)  # 0 on the outer ring, rising over 12 cells
    smooth = [
        window * cv2.GaussianBlur(rng.standard_normal((rows, cols)).astype(np.float32), (0, 0), 4)
        for _ in "xy"
    ]
    scale = 0.4 * grid.step / max(float(np.abs(np.diff(f, axis=a)).max()) for f in smooth for a in (0, 1))
    dx, dy = smooth[0] * scale, smooth[1] * scale  # stretch 0.4 per px: near the limit
    src = rng.uniform((60, 20), (460, 360), (points, 2)).astype(np.float32)
    polygons = (src[:200], None, src[200:])
    moved = paper_fields._forward_polygons(polygons, grid, dx, dy)
    assert moved[1] is None and [len(q) for q in moved if q is not None] == [200, points - 200]
    p = np.concatenate([moved[0], moved[2]]).astype(np.float64)
    ox, oy = grid.origin
    half = (grid.step - 1) / 2
    u, v = (p[:, 0] - 0.5 - ox - half) / grid.step, (p[:, 1] - 0.5 - oy - half) / grid.step
    d = [map_coordinates(f.astype(np.float64), [v, u], order=1, mode="constant") for f in (dx, dy)]
    residual = np.hypot(p[:, 0] + d[0] - src[:, 0], p[:, 1] + d[1] - src[:, 1])
    assert residual.max() < 0.01
    assert np.abs(p - src).max() > 0.5  # the field really moved them


def test_identity_fields_return_the_target_itself(receipt) -> None:
    t, _ = receipt
    grid = paper_fields.paper_grid(t, 32, 4)
    zero = np.zeros(grid.shape, np.float32)
    assert deform(t, grid, zero, zero, zero + 1) is t


@pytest.mark.parametrize("name", sorted(SHAPE_EFFECTS))
def test_paper_running_off_the_canvas(name: str, receipt) -> None:
    """Paper cut by the canvas edge on every side (a close-up): the warp samples off the canvas, where there is no
    paper, and still keeps ids, word outlines and replay exact."""
    t, words = receipt
    x0, y0, x1, y1 = (int(v) for v in simvision.augment.light.paper_box(t.surface))
    box = (slice(y0 + 60, y1 - 60), slice(x0 + 60, x1 - 60))
    inner = Target(
        t.image[box].copy(), t.maps[:, box[0], box[1]].copy(), (), t.surface[box].copy(), (0, 0, 0, 0)
    )
    h, w = inner.shape
    inner = inner.with_(
        frame=(0, 0, w, h),
        polygons=tuple(None if q is None else q - np.float32([x0 + 60, y0 + 60]) for q in t.polygons),
    )
    assert inner.surface[:, 0].all() and inner.surface[0].all()
    effect = SHAPE_EFFECTS[name]
    ids0 = [set(np.unique(m).tolist()) for m in inner.maps]
    for k in range(3):
        params = effect.sample(np.random.default_rng(k), effect.config(), inner.shape)
        out = effect.apply(inner, params)
        again = effect.apply(inner, params)
        assert out.image.tobytes() == again.image.tobytes() and out.maps.tobytes() == again.maps.tobytes()
        assert out.surface.dtype == np.float32 and 0 <= out.surface.min() and out.surface.max() <= 1
        assert not np.array_equal(out.image, inner.image)
        for ids, before in zip((set(np.unique(m).tolist()) for m in out.maps), ids0, strict=True):
            assert ids <= before | {0}  # 0: sampled off the canvas, where nothing is known
        for r, layer, iid in words:
            mask = out.maps[layer] == iid
            poly = out.polygons[r]
            if poly is None or not mask.any():
                continue
            ys, xs = np.nonzero(mask)
            contour = poly.reshape(-1, 1, 2).astype(np.float32)
            dist = [
                cv2.pointPolygonTest(contour, (x + 0.5, y + 0.5), True) for x, y in zip(xs, ys, strict=True)
            ]
            assert np.mean(np.array(dist) < -1.0) <= 0.01, f"{name} seed {k}: word row {r} leaves its polygon"


def test_two_distant_creases_keep_every_id_between_them(receipt) -> None:
    """A fold moves ids only near its crease lines: with two creases far apart, every id pixel farther than
    2 * PINCH_PX + 2 grid cells from both lines is unchanged (the rows between them were once left unwritten)."""
    t, _ = receipt
    folds = [
        {"angle": 90.0, "offset": 0.25, "bend": [10, 6], "width": [160, 160], "mountain": -1, "crease": 0.2},
        {"angle": 96.0, "offset": 0.75, "bend": [8, 10], "width": [65, 157], "mountain": 1, "crease": 0.2},
    ]
    out = SHAPE_EFFECTS["fold"].apply(t, {"folds": folds, "light": [289.0, 45.0]})
    ys, xs = np.mgrid[0 : t.shape[0], 0 : t.shape[1]]
    far = np.ones(t.shape, bool)
    for f in folds:
        n = paper_fields.unit(f["angle"])
        e = paper_fields.extent(t.surface, n)
        at = e[0] + f["offset"] * (e[1] - e[0])
        far &= np.abs(xs * n[0] + ys * n[1] - at) > 2 * paper.PINCH_PX + 8
    assert far.sum() > 0.5 * far.size
    changed = (out.maps != t.maps).any(0)
    assert not (changed & far).any(), f"{int((changed & far).sum())} id pixels changed far from the creases"
    assert (changed & ~far).any()  # the creases themselves do move ids
