"""Procedural clouds in the 2D renderer's sky (issue 15), in step with the Blender sky's
(:func:`simvision.render.blender.environment._clouds`): noise on a flat cloud deck, seen along each view ray.

A ray with world direction (dx, dy, dz) meets the deck at (dx, dy) / dz, so clouds crowd and shrink towards the
horizon; below a little elevation they thin into the horizon haze. The deck carries a value-noise fBm of five
octaves, each faded out once it is smaller than about 1.5 pixels there (no shimmer in the crowded band near the
horizon). :func:`cloud_cover` says how much of the sky is cloud: a clear sky ranges from a few cumulus to a broken
one by the frame's render seed; overcast is a closed, textured grey layer. Clear-sky cumulus are a grey brighter
than the sky at their thin edges and darker in their thick cores. Only the sky's colour changes: sky stays sky.

:func:`clouds` runs the numba kernel; :func:`clouds_numpy` is its reference, the same float32 bits
(tests/render/test_clouds.py).
"""

from __future__ import annotations

import numba
import numpy as np

from simvision.render import shading_kernels as kernels
from simvision.render import textures
from simvision.render.shading_kernels import noise1

F32 = np.float32
SCALES = (
    1.2,
    0.6,
    0.3,
    0.15,
    0.075,
)  # octave lattice spacings on the deck (deck units: distance over height)
WEIGHTS = (0.5, 0.25, 0.13, 0.07, 0.05)
LOW = 0.03  # the deck's height floor (view rays nearer the horizon all meet it this far out)
HAZE = 0.15  # elevation (sine) below which clouds thin into the haze
EDGE = 0.08  # fBm range over which a cloud's edge goes from clear to opaque
CLEAR_COVER = (0.05, 0.6)  # range of cloud cover of a "clear" sky: a few cumulus to broken
CLOUD_STREAM = 7919  # the cover's random stream, beside the render seed


def cloud_cover(world: object) -> float:
    """Fraction of the sky under cloud, 0..1: 1 when overcast; a clear sky's from its frame's render seed."""
    if world.sun.sky == "overcast":
        return 1.0
    lo, hi = CLEAR_COVER
    return float(lo + (hi - lo) * np.random.default_rng([world.render_seed, CLOUD_STREAM]).random())


def threshold(cover: float) -> np.float32:
    """The fBm level above which the deck is cloud, for a cover fraction (the fBm's spread is about 0.13)."""
    return F32(0.72 - 0.42 * float(np.clip(cover, 0, 1)))


def clouds_numpy(
    sky: np.ndarray, d: np.ndarray, cover: float, overcast: bool, pix: float, seed: int
) -> np.ndarray:
    """(N,3) sky radiance ``sky`` with clouds, for (N,3) float32 unit view directions ``d`` (world, z up);
    ``pix``: radians per pixel. The reference of :func:`clouds`."""
    dx, dy, dz = d[:, 0], d[:, 1], d[:, 2]
    h = np.maximum(dz, F32(LOW))
    x, y = dx / h, dy / h
    fp = F32(pix) / (h * h)  # deck units per pixel
    fbm = np.full(len(d), F32(0.5))
    for k, (s, w) in enumerate(zip(SCALES, WEIGHTS, strict=True)):
        fbm = fbm + (textures.noise_numpy(x, y, s, seed + k) - F32(0.5)) * textures.fade(s, fp) * F32(w)
    above = np.clip(dz / F32(HAZE), 0, 1)
    if overcast:  # a closed layer: lighter and darker patches of grey
        return sky * (F32(1) + F32(0.7) * (fbm - F32(0.5)) * above)[:, None]
    lo = threshold(cover)
    amount = np.clip((fbm - lo) / F32(EDGE), 0, 1) * above
    thick = np.clip((fbm - lo - F32(0.05)) / F32(0.2), 0, 1)
    grey = (sky[:, 0] + sky[:, 1] + sky[:, 2]) * F32(1 / 3)
    cloud = grey * (F32(1.7) - F32(0.9) * thick)
    return sky + (cloud[:, None] - sky) * amount[:, None]


@numba.njit(cache=True, nogil=True)
def clouds_kernel(sky, d, lo, overcast, pix, inv, size, weight, mix, out):  # noqa: ANN001, ANN201, PLR0913
    """:func:`clouds_numpy` per ray: ``inv``, ``size``, ``weight`` the octaves' float32 1/scale, scale and weight,
    ``mix`` their hash constants; ``out`` (N,3) float32."""
    f = np.float32
    zero, one, half = f(0), f(1), f(0.5)
    for k in range(d.shape[0]):
        dz = d[k, 2]
        h = max(dz, f(LOW))
        x, y = d[k, 0] / h, d[k, 1] / h
        fp = pix / (h * h)
        fbm = half
        for o in range(inv.shape[0]):
            fade = min(max(size[o] / fp - half, zero), one)
            if fade > zero:  # (numpy adds +-0 there: the same sum)
                fbm = fbm + (noise1(x, y, inv[o], mix[o]) - half) * fade * weight[o]
        above = min(max(dz / f(HAZE), zero), one)
        if overcast:
            m = one + f(0.7) * (fbm - half) * above
            for c in range(3):
                out[k, c] = sky[k, c] * m
            continue
        amount = min(max((fbm - lo) / f(EDGE), zero), one) * above
        thick = min(max((fbm - lo - f(0.05)) / f(0.2), zero), one)
        grey = (sky[k, 0] + sky[k, 1] + sky[k, 2]) * f(1 / 3)
        cloud = grey * (f(1.7) - f(0.9) * thick)
        for c in range(3):
            out[k, c] = sky[k, c] + (cloud - sky[k, c]) * amount


def clouds(sky: np.ndarray, d: np.ndarray, cover: float, overcast: bool, pix: float, seed: int) -> np.ndarray:
    """:func:`clouds_numpy` by the numba kernel (the same bits)."""
    sky, d = np.ascontiguousarray(sky, F32), np.ascontiguousarray(d, F32)
    out = np.empty_like(sky)
    inv = np.array([1.0 / s for s in SCALES], F32)
    mix = np.array([kernels.seed_mix(seed + k) for k in range(len(SCALES))], np.uint64)
    clouds_kernel(
        sky,
        d,
        threshold(cover),
        bool(overcast),
        F32(pix),
        inv,
        np.array(SCALES, F32),
        np.array(WEIGHTS, F32),
        mix,
        out,
    )
    return out
