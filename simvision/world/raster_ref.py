"""The vectorised-numpy rasterizer that :mod:`simvision.world.raster` replaced (issue 15), kept as its reference.

tests/world/test_raster.py checks that the compiled kernels give the same triangle map, depth and coverage bit for
bit, and bench/world2d.py times both. The coverage rule and arithmetic below are the definition.

Triangles are clipped at the camera's near plane, projected, and tested at pixel centres ``(i + 0.5, j + 0.5)``;
depth is interpolated perspective-correctly (1/z is linear in screen space), so it is the exact planar depth of the
triangle's plane at that pixel.
"""

from __future__ import annotations

import numpy as np

from simvision.world.camera import PinholeCamera


def clip_near(tris: np.ndarray, near: float) -> tuple[np.ndarray, np.ndarray]:
    """Clip (T,3,3) camera-frame triangles to z >= near. Returns the new triangles and, per row, its source index."""
    z = tris[:, :, 2]
    inside = z >= near
    full = inside.all(axis=1)
    out, src = [tris[full]], [np.flatnonzero(full)]
    for t in np.flatnonzero(inside.any(axis=1) & ~full):
        poly = []
        for k in range(3):
            a, b = tris[t, k], tris[t, (k + 1) % 3]
            if a[2] >= near:
                poly.append(a)
            if (a[2] >= near) != (b[2] >= near):
                s = (near - a[2]) / (b[2] - a[2])
                poly.append(a + s * (b - a))
        for k in range(1, len(poly) - 1):
            out.append(np.array([poly[0], poly[k], poly[k + 1]])[None])
            src.append(np.array([t]))
    return np.concatenate(out), np.concatenate(src)


def _setup(tris_world: np.ndarray, cam: PinholeCamera):  # noqa: ANN202
    """Near-clipped, projected triangles that cover some pixel centre's bounding box: (uv, 1/z, lo, hi, area, src)."""
    cam_tris, src = clip_near(cam.to_camera(tris_world), cam.clip_start)
    uv = cam.project(cam_tris)
    inv_z = 1.0 / cam_tris[:, :, 2]
    lo = np.maximum(np.ceil(uv.min(axis=1) - 0.5).astype(np.int64), 0)
    hi = np.minimum(np.floor(uv.max(axis=1) - 0.5).astype(np.int64), [cam.width - 1, cam.height - 1])
    (ax, ay), (bx, by), (cx, cy) = uv[:, 0].T, uv[:, 1].T, uv[:, 2].T
    area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    keep = (hi >= lo).all(axis=1) & (np.abs(area) > 1e-12)
    return uv[keep], inv_z[keep], lo[keep], hi[keep], area[keep], src[keep]


def _barycentric(uv: np.ndarray, area: np.ndarray, px: np.ndarray, py: np.ndarray):  # noqa: ANN202
    """Barycentric weights of pixel centres (px, py broadcast against (T,...) triangle arrays)."""
    x0, y0, x1, y1, x2, y2 = (
        uv[:, k, c].reshape(-1, *([1] * (px.ndim - 1))) for k in range(3) for c in range(2)
    )
    inv = (1.0 / area).reshape(x0.shape)
    b0 = ((x1 - px) * (y2 - py) - (y1 - py) * (x2 - px)) * inv
    b1 = ((x2 - px) * (y0 - py) - (y2 - py) * (x0 - px)) * inv
    return b0, b1, 1.0 - b0 - b1


def _one(uv, inv_z, lo, hi, area, t):  # noqa: ANN001, ANN202
    """One triangle over its bounding box: ``(j0, i0, inside mask, planar depth)``."""
    (i0, j0), (i1, j1) = lo[t], hi[t]
    px = (np.arange(i0, i1 + 1) + 0.5)[None, None, :]
    py = (np.arange(j0, j1 + 1) + 0.5)[None, :, None]
    b0, b1, b2 = (b[0] for b in _barycentric(uv[t : t + 1], area[t : t + 1], px, py))
    inside = (b0 >= 0) & (b1 >= 0) & (b2 >= 0)
    return int(j0), int(i0), inside, 1.0 / (b0 * inv_z[t, 0] + b1 * inv_z[t, 1] + b2 * inv_z[t, 2])


SMALL = (
    4,
    8,
    16,
    32,
    64,
)  # bbox sizes (px) of triangles rasterized together, in one array operation per size


def _small_fragments(uv, inv_z, lo, hi, area, src, rows, size, width):  # noqa: ANN001, ANN202
    """(pixel index, depth, source row) of every covered pixel centre of the triangles ``rows`` (bbox <= size)."""
    off = np.arange(size)
    px = (lo[rows, 0][:, None] + off)[:, None, :]  # (B,1,S) columns
    py = (lo[rows, 1][:, None] + off)[:, :, None]  # (B,S,1) rows
    b0, b1, b2 = _barycentric(uv[rows], area[rows], px + 0.5, py + 0.5)
    inside = (
        (b0 >= 0)
        & (b1 >= 0)
        & (b2 >= 0)
        & (px <= hi[rows, 0][:, None, None])
        & (py <= hi[rows, 1][:, None, None])
    )
    t, j, i = np.nonzero(inside)
    iz = inv_z[rows]
    z = 1.0 / (b0[t, j, i] * iz[t, 0] + b1[t, j, i] * iz[t, 1] + b2[t, j, i] * iz[t, 2])
    return py[t, j, 0] * width + px[t, 0, i], z, src[rows][t]


def rasterize(tris_world: np.ndarray, cam: PinholeCamera) -> tuple[np.ndarray, np.ndarray]:
    """Z-buffer (T,3,3) world triangles through ``cam``.

    Returns ``tri`` (H,W) int32, the index of the nearest triangle at each pixel centre (-1 where none), and
    ``depth`` (H,W) float32 planar depth in metres (inf where none). Large triangles are drawn one by one; small
    ones (most of a street's) in batches by bounding-box size, their depth test done with one ``minimum.at``.
    """
    h, w = cam.height, cam.width
    tri_map = np.full((h, w), -1, np.int32)
    zbuf = np.full((h, w), np.inf, np.float64)
    if len(tris_world) == 0:
        return tri_map, zbuf.astype(np.float32)
    uv, inv_z, lo, hi, area, src = _setup(tris_world, cam)
    extent = (hi - lo + 1).max(axis=1)
    big = np.flatnonzero(extent > SMALL[-1])
    for t in big.tolist():
        j0, i0, inside, z = _one(uv, inv_z, lo, hi, area, t)
        zb = zbuf[j0 : j0 + z.shape[0], i0 : i0 + z.shape[1]]
        win = inside & (z < zb)
        zb[win] = z[win]
        tri_map[j0 : j0 + z.shape[0], i0 : i0 + z.shape[1]][win] = src[t]
    parts = []
    prev = 0
    for size in SMALL:
        rows = np.flatnonzero((extent > prev) & (extent <= size))
        prev = size
        if len(rows):
            parts.append(_small_fragments(uv, inv_z, lo, hi, area, src, rows, size, w))
    if parts:
        pix, z, tri = (np.concatenate(p) for p in zip(*parts, strict=True))
        flat_z, flat_t = zbuf.ravel(), tri_map.ravel()
        near = np.full(h * w, np.inf)
        np.minimum.at(near, pix, z)
        win = (z == near[pix]) & (z < flat_z[pix])
        first = np.full(h * w, np.iinfo(np.int32).max, np.int64)
        np.minimum.at(first, pix[win], tri[win])  # equal depths: the earlier triangle, as one by one would
        hit = first < np.iinfo(np.int32).max
        flat_t[hit] = first[hit]
        flat_z[hit] = near[hit]
    return tri_map, zbuf.astype(np.float32)


def coverage(tris_world: np.ndarray, cam: PinholeCamera) -> int:
    """Number of pixel centres the (T,3,3) triangles cover, occlusion ignored (an object's in-frame silhouette)."""
    cov = np.zeros(cam.height * cam.width, bool)
    if len(tris_world) == 0:
        return 0
    uv, inv_z, lo, hi, area, src = _setup(tris_world, cam)
    extent = (hi - lo + 1).max(axis=1)
    prev = 0
    for size in SMALL:
        rows = np.flatnonzero((extent > prev) & (extent <= size))
        prev = size
        if len(rows):
            cov[_small_fragments(uv, inv_z, lo, hi, area, src, rows, size, cam.width)[0]] = True
    cov2 = cov.reshape(cam.height, cam.width)
    for t in np.flatnonzero(extent > SMALL[-1]).tolist():
        j0, i0, inside, _ = _one(uv, inv_z, lo, hi, area, t)
        cov2[j0 : j0 + inside.shape[0], i0 : i0 + inside.shape[1]] |= inside
    return int(cov.sum())


def projected_bounds(tris_world: np.ndarray, cam: PinholeCamera) -> np.ndarray:
    """XYXY float bounds of the near-clipped projection of (T,3,3) triangles (the amodal box; may leave the image).

    NaNs when nothing lies in front of the camera.
    """
    cam_tris, _ = clip_near(cam.to_camera(tris_world), cam.clip_start)
    if len(cam_tris) == 0:
        return np.full(4, np.nan)
    uv = cam.project(cam_tris).reshape(-1, 2)
    return np.concatenate([uv.min(axis=0), uv.max(axis=0)])
