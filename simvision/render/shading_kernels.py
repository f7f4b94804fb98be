"""numba kernels of the 2D shader's per-pixel work (issue 15), each next to a numpy reference it must equal.

The numpy formulas stay where they were (:func:`simvision.render.textures.noise_numpy`, ``hash01_numpy``,
:func:`simvision.render.shading._lamps_numpy`); a kernel here does the same float32 operations in the same order
per pixel, so its output is the same to the bit (tests/render/test_shading_kernels.py). Rules that keep it so:
every constant is a ``np.float32`` (a Python float literal would promote numba's arithmetic to float64, where
numpy's weak scalars keep float32), no reassociation (no ``fastmath``), and integer hashing in uint64 masked to
32 bits (numpy's uint32 wrap-around).

``cache=True``: worker processes load the compiled kernels from ``__pycache__``; ``parallel=False``: workers
parallelise over samples.
"""

from __future__ import annotations

import numba
import numpy as np

F32 = np.float32
_M32 = np.uint64(0xFFFFFFFF)
_TO_UNIT = np.float32(1.0 / (1 << 24))


def seed_mix(seed: int) -> np.uint64:
    """The hash's per-seed constant (``hash01_numpy``'s ``seed * 0x9E3779B1`` in uint32)."""
    return np.uint64((seed * 0x9E3779B1) & 0xFFFFFFFF)


@numba.njit(cache=True, nogil=True)
def hash1(ix, iy, mix):  # noqa: ANN001, ANN201
    """One lattice point's uniform [0,1) float32: ``hash01_numpy`` for int64 ``ix``, ``iy`` (only their low 32
    bits count, as numpy's cast to int32 and view as uint32)."""
    h = (np.uint64(ix & 0xFFFFFFFF) * np.uint64(0x8DA6B343)) & _M32
    h ^= (np.uint64(iy & 0xFFFFFFFF) * np.uint64(0xD8163841)) & _M32
    h ^= mix
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0x5BD1E995)) & _M32
    h ^= h >> np.uint64(15)
    return np.float32(h >> np.uint64(8)) * _TO_UNIT


@numba.njit(cache=True, nogil=True)
def noise1(u, v, inv_scale, mix):  # noqa: ANN001, ANN201
    """Value noise at one float32 point (``noise_numpy``; ``inv_scale`` = float32(1 / scale))."""
    x, y = u * inv_scale, v * inv_scale
    fx, fy = np.floor(x), np.floor(y)
    tx, ty = x - fx, y - fy
    tx = tx * tx * (np.float32(3) - np.float32(2) * tx)
    ty = ty * ty * (np.float32(3) - np.float32(2) * ty)
    ix, iy = np.int64(np.int32(fx)), np.int64(np.int32(fy))
    a, b = hash1(ix, iy, mix), hash1(ix + 1, iy, mix)
    c, d = hash1(ix, iy + 1, mix), hash1(ix + 1, iy + 1, mix)
    top = a + (b - a) * tx
    return top + ((c + (d - c) * tx) - top) * ty


@numba.njit(cache=True, nogil=True)
def noise_kernel(u, v, inv_scale, mix, out):  # noqa: ANN001, ANN201
    """``out[k] = noise1(u[k], v[k])`` over 1-D float32 arrays."""
    for k in range(out.shape[0]):
        out[k] = noise1(u[k], v[k], inv_scale, mix)


@numba.njit(cache=True, nogil=True)
def hash_kernel(ix, iy, mix, out):  # noqa: ANN001, ANN201
    """``out[k] = hash1(ix[k], iy[k])`` over 1-D int64 arrays."""
    for k in range(out.shape[0]):
        out[k] = hash1(ix[k], iy[k], mix)


def pow60(x):  # noqa: ANN001, ANN201
    """``x ** 60`` as a fixed chain of float32 products (x^32 x^16 x^8 x^4), for arrays (numpy) and scalars (the
    kernels, :func:`pow60_1`): the same bits on every machine. ``x ** 60`` itself is not: numpy's float32 power
    runs SVML on AVX-512 CPUs and differs from libm's ``powf`` (what numba calls) in ~16% of values by an ulp or
    two, so a kernel could not match it. Relative error against the exact power < 4e-6."""
    x2 = x * x
    x4 = x2 * x2
    x8 = x4 * x4
    x16 = x8 * x8
    x32 = x16 * x16
    return x32 * x16 * x8 * x4


pow60_1 = numba.njit(cache=True, nogil=True)(pow60)
GLINT_ZERO = np.float32(0.17)  # pow60(x) is exactly 0 for 0 <= x <= 0.17 (underflow; the chain is monotonic)


@numba.njit(cache=True, nogil=True)
def lamp_rows_kernel(pos, normal, view, pix, width, rects, lamps, spots, out):  # noqa: ANN001, ANN201
    """Every lamp's irradiance (and highlight, when ``out`` has 6 columns) at every G-buffer row: ``out[k]`` of the
    pixel ``pix[k]`` (flat index, row-major, ``width`` columns) sums the lamps whose screen rectangle
    ``rects[l]`` (row start, row stop, column start, column stop) holds it, in lamp order.

    ``lamps``: float32 (x, y, z, power constant, r, g, b, highlight constant, highlight exponent: 60, the
    :func:`pow60` chain); ``spots``: float32 (is spot, axis x, y, z, cos outer, 1 / (cos inner - cos outer)).

    Float32 throughout, each expression in the order the numpy version (``shading._lamps_numpy``) evaluates it,
    and per pixel the lamps in its order, so the result is the same to the bit. Pixel-major: a pixel's G-buffer is
    read once for all lamps (the lamp-major kernel before swept each lamp's rectangle over nine full-frame planes
    and six output planes: memory-bound). Work is skipped where numpy adds an exact +0: faces turned away from the
    lamp by a margin far above float32 rounding (its cosine clips to 0), points outside a spot's cone, and highlights whose ``pow60(nh)``
    underflows to 0 (nh <= ``GLINT_ZERO``)."""
    zero, one = np.float32(0), np.float32(1)
    margin = np.float32(-1e-3)
    glint = out.shape[1] > 3
    active, n_active, row = np.empty(lamps.shape[0], np.int64), 0, -1
    for k in range(pos.shape[0]):
        j, i = pix[k] // width, pix[k] % width
        if j != row:  # the lamps whose rectangle spans this image row, in lamp order
            row, n_active = j, 0
            for m in range(lamps.shape[0]):
                if rects[m, 0] <= j < rects[m, 1]:
                    active[n_active] = m
                    n_active += 1
        px, py, pz = pos[k, 0], pos[k, 1], pos[k, 2]
        nx, ny, nz = normal[k, 0], normal[k, 1], normal[k, 2]
        # the sums from 0, in lamp order, as numpy's
        r, gr, bl = zero, zero, zero
        sr, sg, sb = zero, zero, zero
        for a_m in range(n_active):
            m = active[a_m]
            if i < rects[m, 2] or i >= rects[m, 3]:
                continue
            dx, dy, dz = lamps[m, 0] - px, lamps[m, 1] - py, lamps[m, 2] - pz
            a, b, c = nx * dx, ny * dy, nz * dz
            if a + b + c < margin * (abs(a) + abs(b) + abs(c)):
                continue  # cos < 0 for sure: clipped to 0, adds +0
            d2 = dx * dx + dy * dy + dz * dz
            if spots[m, 0] > 0:  # outside the cone for sure (1e-3 in the cosine, far above rounding): adds +0
                ar = -(dx * spots[m, 1] + dy * spots[m, 2] + dz * spots[m, 3])
                lim = spots[m, 4] - np.float32(1e-3)
                if lim > zero and (ar <= zero or ar * ar < lim * lim * d2):
                    continue
            r2 = max(d2, np.float32(0.25))
            inv = one / np.sqrt(r2)
            dx, dy, dz = dx * inv, dy * inv, dz * inv
            cos = min(max(nx * dx + ny * dy + nz * dz, zero), one)
            if cos <= zero:
                continue
            e = cos * (lamps[m, 3] / r2)
            if spots[m, 0] > 0:
                along = -(dx * spots[m, 1] + dy * spots[m, 2] + dz * spots[m, 3])
                cone = min(max((along - spots[m, 4]) * spots[m, 5], zero), one)
                if cone <= zero:
                    continue  # outside the cone: e = 0, the sums get +0
                e *= cone * cone
            r += e * lamps[m, 4]
            gr += e * lamps[m, 5]
            bl += e * lamps[m, 6]
            if glint:
                hx, hy, hz = dx + view[k, 0], dy + view[k, 1], dz + view[k, 2]
                nh = (nx * hx + ny * hy + nz * hz) / np.sqrt(
                    max(hx * hx + hy * hy + hz * hz, np.float32(1e-8))
                )
                if nh <= GLINT_ZERO:
                    continue
                spec = e * pow60_1(min(nh, one)) * lamps[m, 7]
                sr += spec * lamps[m, 4]
                sg += spec * lamps[m, 5]
                sb += spec * lamps[m, 6]
        out[k, 0], out[k, 1], out[k, 2] = r, gr, bl
        if glint:
            out[k, 3], out[k, 4], out[k, 5] = sr, sg, sb


@numba.njit(cache=True, nogil=True)
def ao_rows_kernel(pos, normal, pix, width, rects, boxes, out):  # noqa: ANN001, ANN201
    """Crude sky visibility of every G-buffer row (``shading.ambient_occlusion_numpy`` at the pixels ``pix``):
    walls darken near the ground; ground (normal z > 0.8, z < 0.4) under and around each box of ``boxes``
    (float32 rows: centre x, y, cos yaw, sin yaw, half length, half width, -1 / reach) whose screen rectangle
    ``rects`` (row start, stop, column start, stop) holds the pixel, multiplied in box order as numpy does.

    The same float32 operations as numpy, but ``exp`` is libm's ``expf`` where numpy's float32 ``exp`` is its own
    SIMD code (AVX-512): they differ by an ulp at some points, so this equals numpy to 1e-6, not to the bit."""
    f = np.float32
    zero, one = f(0), f(1)
    active, n_active, row = np.empty(boxes.shape[0], np.int64), 0, -1
    for k in range(pos.shape[0]):
        pz, nz = pos[k, 2], normal[k, 2]
        ao = f(0.72) + f(0.28) * min(max(pz / f(1.2), zero), one) if abs(nz) < f(0.5) else one
        if nz > f(0.8) and pz < f(0.4):
            j, i = pix[k] // width, pix[k] % width
            if j != row:  # the boxes whose rectangle spans this image row, in their order
                row, n_active = j, 0
                for m in range(boxes.shape[0]):
                    if rects[m, 0] <= j < rects[m, 1]:
                        active[n_active] = m
                        n_active += 1
            px, py = pos[k, 0], pos[k, 1]
            for a_m in range(n_active):
                m = active[a_m]
                if i < rects[m, 2] or i >= rects[m, 3]:
                    continue
                dx, dy = px - boxes[m, 0], py - boxes[m, 1]
                c, s = boxes[m, 2], boxes[m, 3]
                lx, ly = abs(c * dx + s * dy) - boxes[m, 4], abs(c * dy - s * dx) - boxes[m, 5]
                if lx < zero and ly < zero:
                    occ = f(0.55)
                else:
                    ox, oy = max(lx, zero), max(ly, zero)
                    occ = f(0.45) * np.exp(np.sqrt(ox * ox + oy * oy) * boxes[m, 6])
                ao *= one - occ
        out[k] = ao


@numba.njit(cache=True, nogil=True)
def gbuffer_kernel(
    pix,
    tri_flat,
    depth_flat,
    width,
    half_w,
    half_h,
    fx,
    rot,
    cam_pos,
    tri_normal,
    out_t,
    pos,
    normal,
    view,
    depth,
    footprint,
):  # noqa: ANN001, ANN201, E501, PLR0913
    """The per-pixel G-buffer of ``shading.gbuffer_numpy`` in one pass over the hit pixels ``pix``: triangle,
    world position (planar depth along the camera ray; ``rot``, ``cam_pos`` float32), the triangle's normal turned
    to the camera, unit view direction, depth, footprint. numpy's float64/float32 steps in its order (the ray in
    float64 rounded to float32, the 3-term sums left to right as its broadcast products and ``einsum``), so the
    same bits."""
    f = np.float32
    for k in range(pix.shape[0]):
        p = pix[k]
        t = tri_flat[p]
        out_t[k] = t
        d = np.float64(depth_flat[p])
        row, col = p // width, p % width
        rx, ry = f((col + 0.5 - half_w) / fx), f((row + 0.5 - half_h) / fx)
        df = f(d)
        ax, ay, az = rx * df, ry * df, f(1) * df
        for c in range(3):
            pos[k, c] = ax * rot[0, c] + ay * rot[1, c] + az * rot[2, c] + cam_pos[c]
        vx, vy, vz = cam_pos[0] - pos[k, 0], cam_pos[1] - pos[k, 1], cam_pos[2] - pos[k, 2]
        norm = np.sqrt(max(vx * vx + vy * vy + vz * vz, f(1e-12)))
        vx, vy, vz = vx / norm, vy / norm, vz / norm
        view[k, 0], view[k, 1], view[k, 2] = vx, vy, vz
        nx, ny, nz = tri_normal[t, 0], tri_normal[t, 1], tri_normal[t, 2]
        cos = nx * vx + ny * vy + nz * vz
        sign = f(-1) if cos < f(0) else f(1)
        normal[k, 0], normal[k, 1], normal[k, 2] = nx * sign, ny * sign, nz * sign
        depth[k] = df
        footprint[k] = f(d / fx) / max(abs(cos), f(0.15))


@numba.njit(cache=True, nogil=True)
def material_rows_kernel(t, base, rough, emit, obj_of, slot_of, o_base, o_rough, o_emit, o_obj, o_slot):  # noqa: ANN001, ANN201, PLR0913
    """The per-triangle albedo, roughness, emission, object and slot at each G-buffer row's triangle ``t[k]`` (one
    pass instead of five numpy gathers)."""
    for k in range(t.shape[0]):
        q = t[k]
        for c in range(3):
            o_base[k, c] = base[q, c]
            o_emit[k, c] = emit[q, c]
        o_rough[k] = rough[q]
        o_obj[k] = obj_of[q]
        o_slot[k] = slot_of[q]
