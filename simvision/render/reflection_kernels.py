"""The screen-space reflection march of :mod:`simvision.render.reflections` as a numba kernel, with its numpy
reference (:func:`march_numpy`, the same float32 operations in the same order: the same bits; tested in
tests/render/test_reflections.py).

A reflected ray starts at its pixel's centre at the pixel's planar depth and runs, in screen space, to its vanishing
point (a ray going away from the camera: inverse depth falls linearly to 0 there) or to where it comes within
``NEAR_FRACTION`` of the start's depth of the camera (a ray coming back towards it), clipped to the frame. Inverse
depth is linear along the screen line (perspective-correct), so each step knows the ray's planar depth exactly. It
takes at most ``MAX_STEPS`` steps of at least ``MIN_STRIDE`` pixels, offset per traced pixel by an ordered dither
(:data:`DITHER`, deterministic; breaks the steps' banding into a fine pattern the smoothing box averages out), and hits the first pixel whose depth
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
# the step offset of the traced pixels (even rows and columns) by (row / 2 mod 4, column / 2 mod 2): the smoothing
# box (4 x 8 pixels, 2 traced columns x 4 traced rows) always holds all eight offsets once
DITHER = (np.array([[0, 4], [6, 2], [1, 5], [7, 3]], np.float32) + F32(0.5)) / F32(8)
MISS, HIT, SKY = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def _depth_at(depth, x, y, width, height):  # noqa: ANN001, ANN202
    ix = min(max(int(x), 0), width - 1)
    iy = min(max(int(y), 0), height - 1)
    return depth[iy, ix]


@numba.njit(cache=True, nogil=True)
def march1(p, z0, dx, dy, dz, depth, fx, bayer):  # noqa: ANN001, ANN201, PLR0912, PLR0915
    """One reflected ray: the pixel ``p`` (flat, row-major in ``depth``'s (H,W) frame of float32 planar depths, inf
    where nothing was hit) at planar depth ``z0``, camera-frame direction (dx, dy, dz). Returns (flag, x, y,
    screen distance): :data:`MISS`, :data:`HIT` or :data:`SKY` and the screen point it hits (pixels)."""
    f = np.float32
    zero, one, half = f(0), f(1), f(0.5)
    height, width = depth.shape
    hw, hh = f(width) * half, f(height) * half
    wf, hf = f(width), f(height)
    row, col = p // width, p % width
    x0, y0 = f(col) + half, f(row) + half
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
        return MISS, zero, zero, zero
    n = min(MAX_STEPS, max(int(seen / MIN_STRIDE), 1))
    ds = smax / f(n)
    dither = bayer[(row // 2) % 4, (col // 2) % 2]  # :data:`DITHER`
    prev_s, prev_z = zero, z0
    for i in range(n):
        s = ds * (f(i) + dither)
        rz = one / (k0 + (k1 - k0) * s)
        sz = _depth_at(depth, x0 + sx * s, y0 + sy * s, width, height)
        if rz >= sz and prev_z <= sz + (THICK + THICK_REL * sz):
            lo, hi = prev_s, s
            for _ in range(REFINE):
                mid = (lo + hi) * half
                rz = one / (k0 + (k1 - k0) * mid)
                if rz >= _depth_at(depth, x0 + sx * mid, y0 + sy * mid, width, height):
                    hi = mid
                else:
                    lo = mid
            return HIT, x0 + sx * hi, y0 + sy * hi, span * hi
        prev_s, prev_z = s, rz
    if far and smax >= one and _depth_at(depth, x1, y1, width, height) == np.inf:
        return SKY, x1, y1, span
    return MISS, zero, zero, zero


@numba.njit(cache=True, nogil=True)
def march_kernel(pix, z0s, dirs, depth, fx, bayer, out_xy, out_len, out_flag):  # noqa: ANN001, ANN201
    """:func:`march1` for each row ``k`` (pixel ``pix[k]``, planar depth ``z0s[k]``, camera-frame direction
    ``dirs[k]``) into ``out_flag``, ``out_xy``, ``out_len``."""
    for k in range(pix.shape[0]):
        flag, x, y, ln = march1(pix[k], z0s[k], dirs[k, 0], dirs[k, 1], dirs[k, 2], depth, fx, bayer)
        out_flag[k], out_xy[k, 0], out_xy[k, 1], out_len[k] = flag, x, y, ln


@numba.njit(cache=True, nogil=True)
def mirror_dir1(n0, n1, n2, v0, v1, v2, rot):  # noqa: ANN001, ANN201
    """cos(normal, view) clipped to [0, 1], the mirrored view ray's world up-component and its camera-frame
    direction (``rot``: the camera's float32 world-to-camera rotation), in the order of the numpy reference."""
    f = np.float32
    cosv = min(max(n0 * v0 + n1 * v1 + n2 * v2, f(0)), f(1))
    c2 = f(2) * cosv
    r0, r1, r2 = c2 * n0 - v0, c2 * n1 - v1, c2 * n2 - v2
    d0 = r0 * rot[0, 0] + r1 * rot[0, 1] + r2 * rot[0, 2]
    d1 = r0 * rot[1, 0] + r1 * rot[1, 1] + r2 * rot[1, 2]
    d2 = r0 * rot[2, 0] + r1 * rot[2, 1] + r2 * rot[2, 2]
    return cosv, r2, d0, d1, d2


@numba.njit(cache=True, nogil=True)
def environment1(rz, rough, sky, ground, seen_a, seen_b):  # noqa: ANN001, ANN201
    """``reflections.environment`` for one ray: (r, g, b)."""
    f = np.float32
    z = max(rz, f(0))
    h = min(max(f(1) - abs(z), f(0)), f(1))
    h = h * h * h
    mean = (sky[0] + sky[1] + sky[2]) / f(3)
    s0 = sky[0] * (f(0.85) + f(0.45) * h) + h * f(0.25) * mean
    s1 = sky[1] * (f(0.85) + f(0.45) * h) + h * f(0.25) * mean
    s2 = sky[2] * (f(0.85) + f(0.45) * h) + h * f(0.25) * mean
    sm = (s0 + s1 + s2) / f(3) * seen_b
    s0, s1, s2 = s0 * seen_a + sm, s1 * seen_a + sm, s2 * seen_a + sm
    soft = f(0.01) + f(0.2) * rough
    t = min(max(f(0.5) - rz / (f(2) * soft), f(0)), f(1))
    return s0 * (f(1) - t) + ground[0] * t, s1 * (f(1) - t) + ground[1] * t, s2 * (f(1) - t) + ground[2] * t


@numba.njit(cache=True, nogil=True)
def _bilinear1(tex, x, y, c):  # noqa: ANN001, ANN202
    f = np.float32
    h, w = tex.shape[0], tex.shape[1]
    x = min(max(x - f(0.5), f(0)), f(w - 1))
    y = min(max(y - f(0.5), f(0)), f(h - 1))
    x0, y0 = min(int(x), max(w - 2, 0)), min(int(y), max(h - 2, 0))
    fx, fy = x - f(x0), y - f(y0)
    x1, y1 = min(x0 + 1, w - 1), min(y0 + 1, h - 1)
    top = tex[y0, x0, c] * (f(1) - fx) + tex[y0, x1, c] * fx
    bottom = tex[y1, x0, c] * (f(1) - fx) + tex[y1, x1, c] * fx
    return top * (f(1) - fy) + bottom * fy


@numba.njit(cache=True, nogil=True)
def traced1(p, width):  # noqa: ANN001, ANN201
    """Whether the pixel ``p`` marches: one in each 2x2 block (the smoothing box fills the others)."""
    return ((p // width) & 1) == 0 and ((p % width) & 1) == 0


@numba.njit(cache=True, nogil=True)
def trace_kernel(reflect, pix, normal, view, z0s, rough, rot, depth, fx, bayer, mips, sky, ground, prm, full):  # noqa: ANN001, ANN201, PLR0913
    """The mirror image every traced (:func:`traced1`) G-buffer row with ``reflect`` > 0 sees, written with
    weight 1 into ``full`` (H*W,4) at its pixel ``pix[k]``: its view ray mirrored (:func:`mirror_dir1`), marched
    (:func:`march1`), the frame's mip chain ``mips`` (a tuple of (h,w,3) float32 levels) sampled where it hits at
    the level its blur asks for, faded at the frame's edges and for rays turning back towards the camera into the
    environment (:func:`environment1`). ``prm``: float32 (blur, edge margin, seen-sky gain, seen-sky pale
    gain)."""
    f = np.float32
    height, width = depth.shape
    n_levels = len(mips)
    blur, margin, seen_a, seen_b = prm[0], prm[1], prm[2], prm[3]
    for k in range(pix.shape[0]):
        p = pix[k]
        if reflect[k] <= f(0) or not traced1(p, width):
            continue
        cosv, rz, d0, d1, d2 = mirror_dir1(
            normal[k, 0], normal[k, 1], normal[k, 2], view[k, 0], view[k, 1], view[k, 2], rot
        )
        e0, e1, e2 = environment1(rz, rough[k], sky, ground, seen_a, seen_b)
        flag, x, y, ln = march1(p, z0s[k], d0, d1, d2, depth, fx, bayer)
        full[p, 3] = f(1)
        if flag == MISS:
            full[p, 0], full[p, 1], full[p, 2] = e0, e1, e2
            continue
        level = np.log2(max(ln * rough[k] * blur, f(1)))
        level = min(max(level, f(0)), f(n_levels - 1))
        lo = min(int(level), n_levels - 1)
        frac = level - f(lo)
        if flag == SKY:
            fade = f(1)
        else:
            edge = min(min(x, f(width) - x), min(y, f(height) - y))
            fade = min(max(edge / margin, f(0)), f(1))
        fade *= min(max(f(1) + d2 * f(4), f(0)), f(1))
        scale = f(1)
        for _ in range(lo):
            scale *= f(0.5)
        for c in range(3):
            a = _bilinear1(mips[lo], x * scale, y * scale, c)
            if lo + 1 < n_levels:
                b = _bilinear1(mips[lo + 1], x * (scale * f(0.5)), y * (scale * f(0.5)), c)
                a = a + (b - a) * frac
            e = e0 if c == 0 else (e1 if c == 1 else e2)
            full[p, c] = a * fade + e * (f(1) - fade)


@numba.njit(cache=True, nogil=True)
def mix_kernel(flat, reflect, pix, normal, view, rough, smooth, sky, ground, prm):  # noqa: ANN001, ANN201
    """Mix each G-buffer row's smoothed mirror image (``smooth`` (H*W,4): summed colour and weight; its own
    :func:`environment1` where the weight is 0) into ``flat`` (H*W,3) radiance by Schlick's Fresnel times
    ``reflect`` (at least 8 % of it; rows with ``reflect`` 0 are left alone)."""
    f = np.float32
    seen_a, seen_b = prm[2], prm[3]
    for k in range(pix.shape[0]):
        if reflect[k] <= f(0):
            continue
        p = pix[k]
        n0, n1, n2, v0, v1, v2 = normal[k, 0], normal[k, 1], normal[k, 2], view[k, 0], view[k, 1], view[k, 2]
        cosv = min(max(n0 * v0 + n1 * v1 + n2 * v2, f(0)), f(1))
        wsum = smooth[p, 3]
        if wsum > f(0):
            m0, m1, m2 = smooth[p, 0] / wsum, smooth[p, 1] / wsum, smooth[p, 2] / wsum
        else:
            rz = f(2) * cosv * n2 - v2
            m0, m1, m2 = environment1(rz, rough[k], sky, ground, seen_a, seen_b)
        q = f(1) - cosv
        q5 = q * q * q * q * q
        fres = max(reflect[k] * (f(0.04) + f(0.96) * q5), reflect[k] * f(0.08))
        flat[p, 0] = flat[p, 0] * (f(1) - fres) + m0 * fres
        flat[p, 1] = flat[p, 1] * (f(1) - fres) + m1 * fres
        flat[p, 2] = flat[p, 2] * (f(1) - fres) + m2 * fres


def march(
    pix: np.ndarray, z0: np.ndarray, dirs: np.ndarray, depth: np.ndarray, fx: float
) -> tuple[np.ndarray, ...]:
    """The kernel over all rows: ``(xy (N,2), screen length (N,), flag (N,) int8)``."""
    n = len(pix)
    xy, length, flag = np.empty((n, 2), F32), np.empty(n, F32), np.empty(n, np.int8)
    march_kernel(
        np.ascontiguousarray(pix, np.int64), np.ascontiguousarray(z0, F32), np.ascontiguousarray(dirs, F32),
        np.ascontiguousarray(depth, F32), F32(fx), DITHER, xy, length, flag,
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
        dither = DITHER[(row // 2) % 4, (col // 2) % 2]
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
