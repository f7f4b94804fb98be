"""The screen-space reflection march of :mod:`simvision.render.reflections` as a numba kernel, with its numpy
reference (:func:`march_numpy`, the same float32 operations in the same order: the same bits; tested in
tests/render/test_reflections.py).

A reflected ray starts at its pixel's centre at the pixel's planar depth and runs, in screen space, to its vanishing
point (a ray going away from the camera: inverse depth falls linearly to 0 there) or to where it comes within
``NEAR_FRACTION`` of the start's depth of the camera (a ray coming back towards it), clipped to the frame. Inverse
depth is linear along the screen line (perspective-correct), so each step knows the ray's planar depth exactly. It
takes at most ``MAX_STEPS`` steps of at least ``MIN_STRIDE`` pixels, offset per pixel by a 4x4 ordered dither
(deterministic; breaks the steps' banding into a fine pattern the blur hides), and hits the first pixel whose depth
the ray has passed behind while the step before was within ``thickness`` of it (``THICK`` + ``THICK_REL`` x depth:
streets hold boxes and walls, not sheets); four bisections then refine the hit. A ray that leaves the frame or
meets nothing misses; one that runs to its vanishing point on the frame over nothing but sky hits the sky there.
"""

from __future__ import annotations

import numba
import numpy as np

F32 = np.float32
MAX_STEPS = 40
MIN_STRIDE = F32(2.0)  # pixels
THICK, THICK_REL = F32(0.5), F32(0.2)
NEAR_FRACTION = F32(0.05)
REFINE = 4
BAYER = (
    np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) + F32(0.5)
) / F32(16)
MISS, HIT, SKY = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def _depth_at(depth, x, y, width, height):  # noqa: ANN001, ANN202
    ix = min(max(int(x), 0), width - 1)
    iy = min(max(int(y), 0), height - 1)
    return depth[iy, ix]


@numba.njit(cache=True, nogil=True)
def march_kernel(pix, z0s, dirs, depth, fx, bayer, out_xy, out_len, out_flag):  # noqa: ANN001, ANN201
    """For each row ``k``: the reflected ray of the pixel ``pix[k]`` (flat, row-major in ``depth``'s (H,W) frame of
    float32 planar depths, inf where nothing was hit) at planar depth ``z0s[k]``, camera-frame direction
    ``dirs[k]``; writes the screen point it hits (``out_xy``, pixels), the screen distance to it (``out_len``)
    and :data:`MISS`, :data:`HIT` or :data:`SKY` (``out_flag``)."""
    f = np.float32
    zero, one, half = f(0), f(1), f(0.5)
    height, width = depth.shape
    hw, hh = f(width) * half, f(height) * half
    wf, hf = f(width), f(height)
    for k in range(pix.shape[0]):
        out_flag[k] = MISS
        out_xy[k, 0], out_xy[k, 1], out_len[k] = zero, zero, zero
        p = pix[k]
        row, col = p // width, p % width
        x0, y0, z0 = f(col) + half, f(row) + half, z0s[k]
        dx, dy, dz = dirs[k, 0], dirs[k, 1], dirs[k, 2]
        k0 = one / z0
        far = dz > f(1e-4)
        if far:  # to the vanishing point, inverse depth 0
            x1, y1, k1 = dx / dz * fx + hw, dy / dz * fx + hh, zero
        else:  # back towards the camera: stop near it (or 200 m on, level)
            zmin = z0 * NEAR_FRACTION
            length = f(200) if dz > f(-1e-4) else (z0 - zmin) / -dz
            cx, cy = (x0 - hw) / fx * z0 + dx * length, (y0 - hh) / fx * z0 + dy * length
            cz = max(z0 + dz * length, zmin)
            x1, y1, k1 = cx / cz * fx + hw, cy / cz * fx + hh, one / cz
        sx, sy = x1 - x0, y1 - y0
        smax = one
        if sx > zero:
            smax = min(smax, (wf - x0) / sx)
        elif sx < zero:
            smax = min(smax, -x0 / sx)
        if sy > zero:
            smax = min(smax, (hf - y0) / sy)
        elif sy < zero:
            smax = min(smax, -y0 / sy)
        span = np.sqrt(sx * sx + sy * sy)
        seen = span * smax
        if seen < one:
            continue
        n = min(MAX_STEPS, max(int(seen / MIN_STRIDE), 1))
        ds = smax / f(n)
        dither = bayer[row % 4, col % 4]
        prev_s, prev_z = zero, z0
        hit = False
        for i in range(n):
            s = ds * (f(i) + dither)
            if s <= zero:
                continue
            inv = k0 + (k1 - k0) * s
            rz = one / inv
            sz = _depth_at(depth, x0 + sx * s, y0 + sy * s, width, height)
            if rz >= sz and prev_z <= sz + (THICK + THICK_REL * sz):
                hit = True
                break
            prev_s, prev_z = s, rz
        if hit:
            lo, hi = prev_s, s
            for _ in range(REFINE):
                mid = (lo + hi) * half
                rz = one / (k0 + (k1 - k0) * mid)
                if rz >= _depth_at(depth, x0 + sx * mid, y0 + sy * mid, width, height):
                    hi = mid
                else:
                    lo = mid
            out_xy[k, 0], out_xy[k, 1] = x0 + sx * hi, y0 + sy * hi
            out_len[k] = span * hi
            out_flag[k] = HIT
        elif far and smax >= one and _depth_at(depth, x1, y1, width, height) == np.inf:
            out_xy[k, 0], out_xy[k, 1] = x1, y1
            out_len[k] = span
            out_flag[k] = SKY


def march(
    pix: np.ndarray, z0: np.ndarray, dirs: np.ndarray, depth: np.ndarray, fx: float
) -> tuple[np.ndarray, ...]:
    """The kernel over all rows: ``(xy (N,2), screen length (N,), flag (N,) int8)``."""
    n = len(pix)
    xy, length, flag = np.empty((n, 2), F32), np.empty(n, F32), np.empty(n, np.int8)
    march_kernel(
        np.ascontiguousarray(pix, np.int64), np.ascontiguousarray(z0, F32), np.ascontiguousarray(dirs, F32),
        np.ascontiguousarray(depth, F32), F32(fx), BAYER, xy, length, flag,
    )  # fmt: skip
    return xy, length, flag


def _depth_at_numpy(depth: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    h, w = depth.shape
    # int() truncates towards 0 as astype does; far-off values clip the same way
    ix = np.clip(np.clip(x, -1e9, 1e9).astype(np.int64), 0, w - 1)
    iy = np.clip(np.clip(y, -1e9, 1e9).astype(np.int64), 0, h - 1)
    return depth[iy, ix]


def march_numpy(
    pix: np.ndarray, z0: np.ndarray, dirs: np.ndarray, depth: np.ndarray, fx: float
) -> tuple[np.ndarray, ...]:
    """:func:`march` vectorised in numpy (a loop over steps, all rays at once): the kernel's reference."""
    f = F32
    depth = np.asarray(depth, F32)
    fx = f(fx)
    height, width = depth.shape
    hw, hh = f(width) * f(0.5), f(height) * f(0.5)
    n_rows = len(pix)
    row, col = pix // width, pix % width
    x0, y0, z0 = col.astype(F32) + f(0.5), row.astype(F32) + f(0.5), np.asarray(z0, F32)
    dx, dy, dz = (np.asarray(dirs[:, c], F32) for c in range(3))
    k0 = f(1) / z0
    far = dz > f(1e-4)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zmin = z0 * NEAR_FRACTION
        length = np.where(dz > f(-1e-4), f(200), (z0 - zmin) / -dz)
        cx = (x0 - hw) / fx * z0 + dx * length
        cy = (y0 - hh) / fx * z0 + dy * length
        cz = np.maximum(z0 + dz * length, zmin)
        x1 = np.where(far, dx / dz * fx + hw, cx / cz * fx + hw)
        y1 = np.where(far, dy / dz * fx + hh, cy / cz * fx + hh)
        k1 = np.where(far, f(0), f(1) / cz)
        sx, sy = x1 - x0, y1 - y0
        smax = np.ones(n_rows, F32)
        smax = np.where(sx > 0, np.minimum(smax, (f(width) - x0) / sx), smax)
        smax = np.where(sx < 0, np.minimum(smax, -x0 / sx), smax)
        smax = np.where(sy > 0, np.minimum(smax, (f(height) - y0) / sy), smax)
        smax = np.where(sy < 0, np.minimum(smax, -y0 / sy), smax)
        span = np.sqrt(sx * sx + sy * sy)
        seen = span * smax
        live = seen >= f(1)
        steps = np.where(live, np.minimum(MAX_STEPS, np.maximum((seen / MIN_STRIDE).astype(np.int64), 1)), 0)
        ds = smax / np.maximum(steps, 1).astype(F32)
        dither = BAYER[row % 4, col % 4]
        prev_s, prev_z = np.zeros(n_rows, F32), z0.copy()
        hit_s = np.zeros(n_rows, F32)
        hit = np.zeros(n_rows, bool)
        active = live.copy()
        for i in range(MAX_STEPS):
            active &= i < steps
            if not active.any():
                break
            s = ds * (f(i) + dither)
            ok = active & (s > 0)
            rz = f(1) / (k0 + (k1 - k0) * s)
            sz = _depth_at_numpy(depth, x0 + sx * s, y0 + sy * s)
            now = ok & (rz >= sz) & (prev_z <= sz + (THICK + THICK_REL * sz))
            hit |= now
            hit_s = np.where(now, s, hit_s)
            active &= ~now
            prev_s, prev_z = np.where(ok & ~now, s, prev_s), np.where(ok & ~now, rz, prev_z)
        lo, hi = prev_s, hit_s
        for _ in range(REFINE):
            mid = (lo + hi) * f(0.5)
            rz = f(1) / (k0 + (k1 - k0) * mid)
            behind = rz >= _depth_at_numpy(depth, x0 + sx * mid, y0 + sy * mid)
            hi, lo = np.where(behind, mid, hi), np.where(behind, lo, mid)
        sky = ~hit & live & far & (smax >= f(1)) & (_depth_at_numpy(depth, x1, y1) == np.inf)
        xy = np.zeros((n_rows, 2), F32)
        xy[:, 0] = np.where(hit, x0 + sx * hi, np.where(sky, x1, f(0)))
        xy[:, 1] = np.where(hit, y0 + sy * hi, np.where(sky, y1, f(0)))
        out_len = np.where(hit, span * hi, np.where(sky, span, f(0))).astype(F32)
    flag = np.where(hit, HIT, np.where(sky, SKY, MISS)).astype(np.int8)
    return xy, out_len, flag
