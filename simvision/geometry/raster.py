"""An exact z-buffer rasterizer sampling at pixel centres, as Cycles' first (hard-edged) sample does.

Triangles are clipped at the camera's near plane, projected, and tested at pixel centres ``(i + 0.5, j + 0.5)``;
depth is interpolated perspective-correctly (1/z is linear in screen space), so it is the exact planar depth of the
triangle's plane at that pixel.
"""

from __future__ import annotations

import numpy as np

from simvision.geometry.camera import PinholeCamera


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


def _fragments(tris_world: np.ndarray, cam: PinholeCamera):  # noqa: ANN202 - a generator of tuples
    """Per triangle covering pixel centres: ``(source row, (j0, i0), inside mask, planar depth)`` over its bbox."""
    h, w = cam.height, cam.width
    if len(tris_world) == 0:
        return
    cam_tris, src = clip_near(cam.to_camera(tris_world), cam.clip_start)
    uv = cam.project(cam_tris)
    inv_z = 1.0 / cam_tris[:, :, 2]
    lo = np.maximum(np.ceil(uv.min(axis=1) - 0.5).astype(np.int64), 0)
    hi = np.minimum(np.floor(uv.max(axis=1) - 0.5).astype(np.int64), [w - 1, h - 1])
    (ax, ay), (bx, by), (cx, cy) = uv[:, 0].T, uv[:, 1].T, uv[:, 2].T
    area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    for t in np.flatnonzero((hi >= lo).all(axis=1) & (np.abs(area) > 1e-12)).tolist():
        (i0, j0), (i1, j1) = lo[t], hi[t]
        px = np.arange(i0, i1 + 1) + 0.5
        py = (np.arange(j0, j1 + 1) + 0.5)[:, None]
        (x0, y0), (x1, y1), (x2, y2) = uv[t]
        inv = 1.0 / area[t]
        b0 = ((x1 - px) * (y2 - py) - (y1 - py) * (x2 - px)) * inv
        b1 = ((x2 - px) * (y0 - py) - (y2 - py) * (x0 - px)) * inv
        b2 = 1.0 - b0 - b1
        inside = (b0 >= 0) & (b1 >= 0) & (b2 >= 0)
        if inside.any():
            yield int(src[t]), (int(j0), int(i0)), inside, (b0, b1, b2, inv_z[t])


def rasterize(tris_world: np.ndarray, cam: PinholeCamera) -> tuple[np.ndarray, np.ndarray]:
    """Z-buffer (T,3,3) world triangles through ``cam``.

    Returns ``tri`` (H,W) int32, the index of the nearest triangle at each pixel centre (-1 where none), and
    ``depth`` (H,W) float32 planar depth in metres (inf where none).
    """
    tri_map = np.full((cam.height, cam.width), -1, np.int32)
    zbuf = np.full((cam.height, cam.width), np.inf, np.float64)
    for src, (j0, i0), inside, (b0, b1, b2, iz) in _fragments(tris_world, cam):
        z = 1.0 / (b0 * iz[0] + b1 * iz[1] + b2 * iz[2])
        zb = zbuf[j0 : j0 + z.shape[0], i0 : i0 + z.shape[1]]
        win = inside & (z < zb)
        zb[win] = z[win]
        tri_map[j0 : j0 + z.shape[0], i0 : i0 + z.shape[1]][win] = src
    return tri_map, zbuf.astype(np.float32)


def coverage(tris_world: np.ndarray, cam: PinholeCamera) -> int:
    """Number of pixel centres the (T,3,3) triangles cover, occlusion ignored (an object's in-frame silhouette)."""
    cov = np.zeros((cam.height, cam.width), bool)
    for _, (j0, i0), inside, _ in _fragments(tris_world, cam):
        cov[j0 : j0 + inside.shape[0], i0 : i0 + inside.shape[1]] |= inside
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
