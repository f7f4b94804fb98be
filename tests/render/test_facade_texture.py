"""The 2D renderer's facade texture on a wall seen head-on and at an angle: windows above the ground floor that
differ from the wall (dark glass, frames, reveals), the same bits from the numba kernel and the numpy reference,
the same texture every time for one building and a different one for another."""

from __future__ import annotations

import dataclasses

import numpy as np

from simvision.render import textures
from simvision.render.textures import F32, GBuffer
from simvision.world.world import FACADE_GROUND, FACADE_STOREY

WALL = (0.55, 0.5, 0.45)


def wall_gbuffer(
    view: tuple[float, float, float], obj: int = 0, footprint: float = 0.01, step: float = 0.02
) -> GBuffer:
    """A 14 m x 16 m wall in the x-z plane facing -y, sampled every ``step`` metres, seen from ``view`` (towards the
    camera), all of it slot 0 of object ``obj``."""
    x, z = np.meshgrid(np.arange(0, 14, step, dtype=F32), np.arange(0.01, 16, step, dtype=F32))
    n = x.size
    pos = np.column_stack([x.ravel(), np.zeros(n, F32), z.ravel()]).astype(F32)
    normal = np.tile(np.array([0, -1, 0], F32), (n, 1))
    v = np.asarray(view, np.float64)
    viewv = np.tile((v / np.linalg.norm(v)).astype(F32), (n, 1))
    return GBuffer(
        pos, normal, viewv, np.full(n, obj, np.int32), np.zeros(n, np.int64), np.full(n, 20, F32),
        np.full(n, footprint, F32), np.tile(np.array(WALL, F32), (n, 1)), np.full(n, 0.8, F32),
        np.zeros((n, 3), F32),
    )  # fmt: skip


def frame_tones(g: GBuffer) -> np.ndarray:
    """Pixels at one of the two frame colours (white, dark grey), as frames are when well resolved."""
    return np.isclose(g.albedo, 0.8, atol=1e-4).all(axis=1) | np.isclose(g.albedo, 0.12, atol=1e-4).all(
        axis=1
    )


def textured(g: GBuffer, kinds: list[str], night: float = 0.0, kernels_on: bool = True) -> tuple:
    g = dataclasses.replace(g, albedo=g.albedo.copy(), rough=g.rough.copy(), emit=g.emit.copy())
    reflect = textures.apply(g, kinds, night, kernels_on=kernels_on)
    return g, reflect


def test_daylight_facade_has_dark_framed_windows_above_the_ground_floor():
    g, reflect = textured(wall_gbuffer((0, -1, -0.2)), ["facade"] * 3)
    z = g.pos[:, 2]
    grey = g.albedo.mean(axis=1)
    glass = reflect > 0
    upper = (z > FACADE_GROUND) & (z < 15)
    assert not glass[z < FACADE_GROUND].any()  # the ground floor is the shops' and doors' (geometry)
    share = glass[upper].mean()
    assert 0.1 < share < 0.5, share
    # glass is darker than the wall (its brightness is mostly mirrored sky, added by the lighting)
    assert np.median(grey[glass]) < 0.5 * np.median(grey[upper & ~glass])
    # every storey has windows
    for k in range(3):
        lo = FACADE_GROUND + k * FACADE_STOREY
        assert glass[(z > lo) & (z < lo + FACADE_STOREY)].mean() > 0.05
    # frames: a large share of pixels inside the window rows at one of the two frame tones, grey
    tones = frame_tones(g)
    assert tones[upper].mean() > 0.02
    assert not tones[z < FACADE_GROUND].any()
    # glass is smooth and mirror-like, the wall is not
    assert (g.rough[glass] < 0.1).all() and (g.rough[upper & ~glass & ~tones] > 0.5).mean() > 0.9


def test_reveals_hide_glass_at_grazing_angles():
    front, r_front = textured(wall_gbuffer((0, -1, -0.2)), ["facade"])
    side, r_side = textured(wall_gbuffer((4, -1, -0.2)), ["facade"])
    up = front.pos[:, 2] > FACADE_GROUND
    assert (r_side[up] > 0).mean() < 0.8 * (r_front[up] > 0).mean()
    # the pixels that are glass head-on and not at an angle are the reveals: wall colour, shaded
    # (less the frames, which the ray now meets at the glass's edge or past the reveal)
    rev = up & (r_front > 0) & (r_side == 0) & ~frame_tones(side)
    assert rev.mean() > 0.005
    assert np.median(side.albedo[rev].mean(axis=1)) < np.mean(WALL)


def test_facade_is_deterministic_per_building_and_differs_between_buildings():
    a1, r1 = textured(wall_gbuffer((1, -1, -0.3)), ["facade"])
    a2, r2 = textured(wall_gbuffer((1, -1, -0.3)), ["facade"])
    assert np.array_equal(a1.albedo, a2.albedo) and np.array_equal(r1, r2)
    b, rb = textured(wall_gbuffer((1, -1, -0.3), obj=1), ["facade", "facade"])
    assert not np.array_equal(r1 > 0, rb > 0)  # another building: its own window grid


def test_facade_kernel_is_the_numpy_facade_to_the_bit_head_on_oblique_far_and_at_night():
    for view in ((0, -1, -0.2), (3, -1, -0.4), (-2, -1, 0.3)):
        for footprint in (0.01, 0.3):
            for obj in (0, 3):
                g = wall_gbuffer(view, obj, footprint, step=0.035)
                for night in (0.0, 1.0):
                    new, r_new = textured(g, ["facade"] * 4, night)
                    ref, r_ref = textured(g, ["facade"] * 4, night, kernels_on=False)
                    assert np.array_equal(r_new, r_ref)
                    for k in ("albedo", "rough", "emit"):
                        assert np.array_equal(getattr(new, k), getattr(ref, k)), (view, footprint, k)


def test_some_windows_glow_at_night_and_none_by_day():
    g = wall_gbuffer((0, -1, -0.2))
    day, _ = textured(g, ["facade"], 0.0)
    night, _ = textured(g, ["facade"], 1.0)
    assert not day.emit.any()
    lit = night.emit.sum(axis=1) > 0
    assert 0.01 < lit[g.pos[:, 2] > FACADE_GROUND].mean() < 0.4
