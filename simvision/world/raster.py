"""An exact z-buffer rasterizer sampling at pixel centres, as Cycles' first (hard-edged) sample does.

Triangles are clipped at the camera's near plane, projected, and tested at pixel centres ``(i + 0.5, j + 0.5)``;
depth is interpolated perspective-correctly (1/z is linear in screen space), so it is the exact planar depth of the
triangle's plane at that pixel.

The per-pixel loops are numba kernels (issue 15: the vectorised-numpy version, kept in
:mod:`simvision.world.raster_ref`, cost ~0.5 CPU-s per street frame). They do the reference's float64 arithmetic
in the same order, per pixel, so the triangle map, depth and coverage are bit-identical to it
(tests/world/test_raster.py): a pixel centre is inside when all three barycentric weights are >= 0 (shared edges
belong to both triangles; the depth test picks), and equal depths keep the reference's winner.
``cache=True``: a worker process loads the compiled kernels from ``__pycache__`` instead of compiling them
(~1 s) again.
"""

from __future__ import annotations

import numba
import numpy as np

from simvision.world.camera import PinholeCamera
from simvision.world.raster_ref import (  # projected_bounds: the same pure function, public here too
    SMALL,
    clip_near,
    projected_bounds,
)

__all__ = ["clip_near", "coverage", "projected_bounds", "rasterize"]


@numba.njit(cache=True, nogil=True)
def _clip_project(cam_tris, near, fx, cx, cy, w, h):  # noqa: ANN001, ANN202
    """The reference's ``clip_near`` + ``_setup`` after ``to_camera``, in one pass with the same arithmetic and the
    same row order (unclipped triangles first, then the clipped ones' fans): ``(uv, 1/z, lo, hi, area, src)`` of
    the triangles whose bounding box holds a pixel centre."""
    n = cam_tris.shape[0]
    full = np.empty(n, np.bool_)
    rows = 0
    for t in range(n):
        k = (cam_tris[t, 0, 2] >= near) + (cam_tris[t, 1, 2] >= near) + (cam_tris[t, 2, 2] >= near)
        full[t] = k == 3
        rows += 1 if k == 3 else k  # one corner in front leaves a triangle, two a quad (two fans)
    pts = np.empty((rows, 3, 3))
    src = np.empty(rows, np.int64)
    m = 0
    for t in range(n):
        if full[t]:
            pts[m] = cam_tris[t]
            src[m] = t
            m += 1
    poly = np.empty((4, 3))
    for t in range(n):
        if full[t]:
            continue
        p = 0
        for k in range(3):
            a, b = cam_tris[t, k], cam_tris[t, (k + 1) % 3]
            if a[2] >= near:
                poly[p] = a
                p += 1
            if (a[2] >= near) != (b[2] >= near):
                s = (near - a[2]) / (b[2] - a[2])
                for c in range(3):
                    poly[p, c] = a[c] + s * (b[c] - a[c])
                p += 1
        for k in range(1, p - 1):
            pts[m, 0], pts[m, 1], pts[m, 2] = poly[0], poly[k], poly[k + 1]
            src[m] = t
            m += 1
    uv = np.empty((m, 3, 2))
    inv_z = np.empty((m, 3))
    lo = np.empty((m, 2), np.int64)
    hi = np.empty((m, 2), np.int64)
    area = np.empty(m)
    keep = np.empty(m, np.bool_)
    for r in range(m):
        for k in range(3):
            z = pts[r, k, 2]
            uv[r, k, 0] = pts[r, k, 0] / z * fx + cx
            uv[r, k, 1] = pts[r, k, 1] / z * fx + cy
            inv_z[r, k] = 1.0 / z
        for c in range(2):
            lo_c = min(uv[r, 0, c], uv[r, 1, c], uv[r, 2, c])
            hi_c = max(uv[r, 0, c], uv[r, 1, c], uv[r, 2, c])
            lo[r, c] = max(np.int64(np.ceil(lo_c - 0.5)), 0)
            hi[r, c] = min(np.int64(np.floor(hi_c - 0.5)), (w if c == 0 else h) - 1)
        (ax, ay), (bx, by), (qx, qy) = uv[r, 0], uv[r, 1], uv[r, 2]
        area[r] = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax)
        keep[r] = hi[r, 0] >= lo[r, 0] and hi[r, 1] >= lo[r, 1] and abs(area[r]) > 1e-12
    return uv[keep], inv_z[keep], lo[keep], hi[keep], area[keep], src[keep]


def _setup(tris_world: np.ndarray, cam: PinholeCamera):  # noqa: ANN202
    """Near-clipped, projected triangles that cover some pixel centre's bounding box: (uv, 1/z, lo, hi, area, src)."""
    cam_tris = np.ascontiguousarray(cam.to_camera(tris_world))
    return _clip_project(
        cam_tris, cam.clip_start, cam.fx, cam.width / 2, cam.height / 2, cam.width, cam.height
    )


@numba.njit(cache=True, nogil=True)
def _inside_depth(uv, inv_z, inv, r, px, py):  # noqa: ANN001, ANN202
    """Depth of triangle ``r`` at pixel centre (px, py), or -1 when the centre is outside: the reference's
    ``_barycentric`` and depth expressions, evaluated in the same order."""
    x0, y0 = uv[r, 0, 0], uv[r, 0, 1]
    x1, y1 = uv[r, 1, 0], uv[r, 1, 1]
    x2, y2 = uv[r, 2, 0], uv[r, 2, 1]
    b0 = ((x1 - px) * (y2 - py) - (y1 - py) * (x2 - px)) * inv
    if not b0 >= 0:  # NaN is outside, as in numpy's comparison
        return -1.0
    b1 = ((x2 - px) * (y0 - py) - (y2 - py) * (x0 - px)) * inv
    if not b1 >= 0:
        return -1.0
    b2 = 1.0 - b0 - b1
    if not b2 >= 0:
        return -1.0
    return 1.0 / (b0 * inv_z[r, 0] + b1 * inv_z[r, 1] + b2 * inv_z[r, 2])


@numba.njit(cache=True, nogil=True)
def _draw(uv, inv_z, lo, hi, area, src, big, tri_map, zbuf):  # noqa: ANN001, ANN202
    """Z-buffer every triangle into ``tri_map``/``zbuf`` (H,W), with the reference's tie-breaking: big triangles
    (bbox > SMALL[-1]) one by one in row order, the first of equal depths kept; then the small ones, which win a
    pixel only when strictly nearer than the big ones there, the lowest source index among equal depths."""
    h, w = zbuf.shape
    near = np.full((h, w), np.inf)
    first = np.full((h, w), -1, np.int64)
    for r in range(uv.shape[0]):
        inv = 1.0 / area[r]
        s = src[r]
        for j in range(lo[r, 1], hi[r, 1] + 1):
            py = j + 0.5
            for i in range(lo[r, 0], hi[r, 0] + 1):
                z = _inside_depth(uv, inv_z, inv, r, i + 0.5, py)
                if z < 0:
                    continue
                if big[r]:
                    if z < zbuf[j, i]:
                        zbuf[j, i] = z
                        tri_map[j, i] = s
                elif z < near[j, i]:
                    near[j, i] = z
                    first[j, i] = s
                elif z == near[j, i] and s < first[j, i]:
                    first[j, i] = s
    for j in range(h):
        for i in range(w):
            if first[j, i] >= 0 and near[j, i] < zbuf[j, i]:
                zbuf[j, i] = near[j, i]
                tri_map[j, i] = first[j, i]


@numba.njit(cache=True, nogil=True)
def _cover(uv, inv_z, lo, hi, area, h, w):  # noqa: ANN001, ANN202
    """Number of pixel centres inside any of the triangles."""
    cov = np.zeros((h, w), np.bool_)
    count = 0
    for r in range(uv.shape[0]):
        inv = 1.0 / area[r]
        for j in range(lo[r, 1], hi[r, 1] + 1):
            py = j + 0.5
            for i in range(lo[r, 0], hi[r, 0] + 1):
                if not cov[j, i] and _inside_depth(uv, inv_z, inv, r, i + 0.5, py) >= 0:
                    cov[j, i] = True
                    count += 1
    return count


def rasterize(tris_world: np.ndarray, cam: PinholeCamera) -> tuple[np.ndarray, np.ndarray]:
    """Z-buffer (T,3,3) world triangles through ``cam``.

    Returns ``tri`` (H,W) int32, the index of the nearest triangle at each pixel centre (-1 where none), and
    ``depth`` (H,W) float32 planar depth in metres (inf where none).
    """
    h, w = cam.height, cam.width
    tri_map = np.full((h, w), -1, np.int32)
    zbuf = np.full((h, w), np.inf, np.float64)
    if len(tris_world) == 0:
        return tri_map, zbuf.astype(np.float32)
    uv, inv_z, lo, hi, area, src = _setup(tris_world, cam)
    big = (hi - lo + 1).max(axis=1) > SMALL[-1]
    _draw(uv, inv_z, lo, hi, area, src, big, tri_map, zbuf)
    return tri_map, zbuf.astype(np.float32)


def coverage(tris_world: np.ndarray, cam: PinholeCamera) -> int:
    """Number of pixel centres the (T,3,3) triangles cover, occlusion ignored (an object's in-frame silhouette)."""
    if len(tris_world) == 0:
        return 0
    uv, inv_z, lo, hi, area, _ = _setup(tris_world, cam)
    return int(_cover(uv, inv_z, lo, hi, area, cam.height, cam.width))
