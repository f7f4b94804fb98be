"""The hand's per-pixel pass (``hands.draw_hand``): its grid of cells interpolated to the pixels and blended over
the paper, as a numba kernel next to the numpy reference it must equal to the bit (tests/scenes/receipt/
test_hand_kernels.py).

The grid holds six float32 channels per cell: the distance (mm) to the parts in front of the paper, to those behind
it, the light left by the hand's shadow (0..1) and the hand's colour (RGB, 0..255). A pixel interpolates its four
cells bilinearly (between its two rows of cells, then between the two columns); where the paper lies, the parts behind it are hidden; the hand
covers the pixel where the distance is below zero (the mask) and its anti-aliased edge is ``0.5 - distance * k``
(``k`` pixels per mm) clipped to 0..1; the image is ``paper * light * (1 - alpha) + colour * alpha``, rounded.
Every constant is a float32 and nothing is reassociated (no ``fastmath``), so the kernel does numpy's float32
operations in numpy's order.
"""

from __future__ import annotations

import numba
import numpy as np

F32 = np.float32
_HALF, _ONE, _ZERO, _TOP = F32(0.5), F32(1.0), F32(0.0), F32(255.0)


def cell_weights(start: int, stop: int, origin: int, f: int) -> tuple[np.ndarray, np.ndarray]:
    """For canvas pixels ``start..stop-1`` along one axis, a grid of cells ``f`` pixels wide whose cell j is
    centred on ``origin + (j + 0.5) f``: the cell at or before each pixel centre (int64) and the pixel's float32
    share of the next cell."""
    g = (np.arange(start, stop) + 0.5 - origin) / f - 0.5
    j = np.floor(g)
    return j.astype(np.int64), (g - j).astype(np.float32)


def composite_numpy(grid, ci, ty, cj, tx, paper, k, image, y0, x0):  # noqa: ANN001, ANN201
    """The reference: blend ``grid`` (ny, nx, 6) float32 into the window of ``image`` (H, W, 3) uint8 (in place)
    whose top-left pixel is (``y0``, ``x0``) and size (len(ci), len(cj)): its pixel (y, x) lies between cells
    ``ci[y]``, ``ci[y] + 1`` (share ``ty[y]`` of the second) and ``cj[x]``, ``cj[x] + 1`` (``tx``); ``paper``
    (H, W) bool. Returns the window's bool mask of the hand."""
    h, w = len(ci), len(cj)
    tyb, txb = ty[:, None, None], tx[None, :, None]
    rows = (_ONE - tyb) * grid[ci] + tyb * grid[ci + 1]  # (h, nx, 6): each pixel row between its cell rows
    v = (_ONE - txb) * rows[:, cj] + txb * rows[:, cj + 1]
    front, back, light, colour = v[..., 0], v[..., 1], v[..., 2], v[..., 3:]
    near = np.where(paper[y0 : y0 + h, x0 : x0 + w], front, np.minimum(front, back))
    alpha = np.clip(_HALF - near * k, _ZERO, _ONE)
    keep = light * (_ONE - alpha)
    roi = image[y0 : y0 + h, x0 : x0 + w]
    out = roi.astype(F32) * keep[..., None] + colour * alpha[..., None]
    roi[...] = np.clip(out + _HALF, _ZERO, _TOP).astype(np.uint8)
    return near < _ZERO


@numba.njit(cache=True, nogil=True)
def composite_kernel(grid, ci, ty, cj, tx, paper, k, image, y0, x0, mask):  # noqa: ANN001, ANN201
    """:func:`composite_numpy` per pixel, the mask written into ``mask`` (the whole canvas is passed, with the
    window's corner, so that every call has the same array types: one compiled version)."""
    v = np.empty(6, np.float32)
    row = np.empty((grid.shape[1], 6), np.float32)
    lo, hi = cj[0], cj[mask.shape[1] - 1] + 2  # the columns of cells the pixels use
    for y in range(mask.shape[0]):
        i, sy = ci[y], ty[y]
        for j in range(lo, hi):
            for ch in range(6):
                row[j, ch] = (_ONE - sy) * grid[i, j, ch] + sy * grid[i + 1, j, ch]
        for x in range(mask.shape[1]):
            j, sx = cj[x], tx[x]
            for ch in range(6):
                v[ch] = (_ONE - sx) * row[j, ch] + sx * row[j + 1, ch]
            near = v[0]
            if not paper[y0 + y, x0 + x] and v[1] < near:
                near = v[1]
            mask[y, x] = near < _ZERO
            alpha = min(max(_HALF - near * k, _ZERO), _ONE)
            keep = v[2] * (_ONE - alpha)
            for ch in range(3):
                out = F32(image[y0 + y, x0 + x, ch]) * keep + v[3 + ch] * alpha
                image[y0 + y, x0 + x, ch] = np.uint8(min(max(out + _HALF, _ZERO), _TOP))


@numba.njit(cache=True, nogil=True)
def _smin(a, b, k):  # noqa: ANN001, ANN201
    hh = min(max(0.5 + 0.5 * (b - a) / k, 0.0), 1.0)
    return b * (1 - hh) + a * hh - k * hh * (1 - hh)


@numba.njit(cache=True, nogil=True)
def model_kernel(lx, ly, ends, radii, flags, out):  # noqa: ANN001, ANN201
    """``hands._model_numpy`` point by point (float64; equal to it up to the last bits of ``exp`` and of its ``hypot``, here a square root):
    points (``lx``, ``ly``) in mm, parts as ``ends`` (P, 4) (ax, ay, bx, by), ``radii`` (P, 2) and ``flags``
    (P, 2) (in front of the paper, has a nail); ``out`` (8, N) receives front, back, first, second, radius, nail,
    nail tip and wrinkle."""
    for c in range(lx.shape[0]):
        x, y = lx[c], ly[c]
        front = back = first = second = 1e3
        radius, nail, tip, wrinkle = 8.0, 0.0, 0.0, 0.0
        for p in range(ends.shape[0]):
            ax, ay, dx, dy = ends[p, 0], ends[p, 1], ends[p, 2] - ends[p, 0], ends[p, 3] - ends[p, 1]
            ll = dx * dx + dy * dy
            t = min(max(((x - ax) * dx + (y - ay) * dy) / ll, 0.0), 1.0)
            qx, qy = x - (ax + t * dx), y - (ay + t * dy)
            across = (qx * -dy + qy * dx) / np.sqrt(ll)
            ra, rb = radii[p, 0], radii[p, 1]
            d = np.sqrt(qx * qx + qy * qy) - (ra + t * (rb - ra))
            if flags[p, 0]:
                front = _smin(front, d, 3.0)
            else:
                back = _smin(back, d, 3.0)
            if d < first:
                second, first, radius = first, d, ra + t * (rb - ra)
            else:
                second = min(second, d)
            if flags[p, 1] and d < -0.8:
                length = np.sqrt(ll)
                nl = 1.05 * rb + 2.0
                u = t * length - (length - 0.55 * nl)
                e = (u / (0.6 * nl)) ** 2 + (across / (0.66 * rb)) ** 2
                if e < 1.0:
                    side = min(max((-0.8 - d) / 0.6, 0.0), 1.0)
                    nail = max(nail, min(max((1.0 - e) * 4.0, 0.0), 1.0) * side)
                    tip = max(tip, min(max((u - 0.35 * nl) / 0.5 + 0.5, 0.0), 1.0))
                back_from_tip = (1.0 - t) * length
                for joint in (nl + 7.0, nl + 24.0):
                    band = np.exp(-(((back_from_tip - joint) / 1.6) ** 2)) * min(
                        max((-1.0 - d) / 0.6, 0.0), 1.0
                    )
                    wrinkle = max(wrinkle, band * min(max(1.0 - (across / rb) ** 2, 0.0), 1.0))
        out[0, c], out[1, c], out[2, c], out[3, c] = front, back, first, second
        out[4, c], out[5, c], out[6, c], out[7, c] = radius, nail, tip, wrinkle
