"""Exact optical flow from geometry: each pixel's surface point carried to the other frame and projected.

Needs only what every renderer returns (planar depth, the instance-id map) plus the two camera poses and each
moving object's rigid transform between the frames; nothing of the rasterizer. A pixel centre of frame a is lifted
to its world point with its depth, moved with its object's rigid transform (identity for static objects), and
projected into frame b. Sky pixels (no depth) are points at infinity: only the camera's rotation moves them.

``status`` bits per pixel: :data:`OUT` (lands outside frame b or behind its camera), :data:`OCCLUDED` (lands in
frame b on another surface: no neighbouring pixel of b shows the same instance at the carried depth),
:data:`APPROX` (an articulated object: its root's rigid motion is used, limbs swing on top of it). A pixel with
status 0 is visible in both frames and its flow is exact to float rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import cv2
import numpy as np

from simvision.world.camera import PinholeCamera

OUT, OCCLUDED, APPROX = 1, 2, 4
DEPTH_TOL = (
    0.03  # relative depth agreement for "the same surface" at the landing pixel (slope within a pixel)
)
DEPTH_TOL_M = 0.05
FLO_TAG = 202021.25
FLO_UNKNOWN = 1e10  # Middlebury: |flow| > 1e9 is unknown


def surface_points(depth: np.ndarray, cam: PinholeCamera) -> np.ndarray:
    """(H,W,3) world point of every pixel centre (inf depth: the ray's direction scaled by inf)."""
    cam_pts = cam.pixel_rays() * depth[..., None].astype(np.float64)
    return cam_pts @ cam.rotation + np.asarray(cam.position)


def carried(
    depth: np.ndarray,
    ids: np.ndarray,
    cam_a: PinholeCamera,
    cam_b: PinholeCamera,
    motion: Mapping[int, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixel centres of frame a carried into frame b: ``(uv (H,W,2) float64, z_b (H,W) planar depth in b (inf
    for sky), in_front (H,W) bool)``. ``motion``: instance id -> (4,4) rigid transform a -> b (absent: static).

    Every static pixel goes through one affine map of its camera ray, ``p_b = A (ray x depth) + b`` with
    ``A = R_b R_a^T`` and ``b = R_b (c_a - c_b)``; a moving object's pixels through its own
    ``A_k = R_b R_k R_a^T``, ``b_k = R_b (R_k c_a + t_k - c_b)``. Points at infinity (sky) keep only ``A``."""
    h, w = depth.shape
    finite = np.isfinite(depth)
    d = np.where(finite, depth, 1.0).astype(np.float64)
    ra, rb = cam_a.rotation, cam_b.rotation
    ca, cb = np.asarray(cam_a.position, np.float64), np.asarray(cam_b.position, np.float64)
    u = (np.arange(w) + 0.5 - w / 2) / cam_a.fx
    v = (np.arange(h) + 0.5 - h / 2) / cam_a.fx
    a_static = rb @ ra.T
    b_static = rb @ (ca - cb)
    pb = np.empty((h, w, 3))
    for i in range(3):  # row i of A applied to (u, v, 1), separably: H x W work, no (H,W,3) temporaries
        q = a_static[i, 0] * u[None, :] + (a_static[i, 1] * v + a_static[i, 2])[:, None]
        pb[..., i] = np.where(finite, q * d + b_static[i], q)
    if motion:
        top = int(max(motion)) + 1
        moving = np.zeros(max(top, int(ids.max(initial=0)) + 1), bool)
        moving[[int(k) for k in motion]] = True
        sel = moving[ids] & finite
        if sel.any():
            lut_a = np.tile(np.eye(3), (len(moving), 1, 1))
            lut_b = np.zeros((len(moving), 3))
            for k, m in motion.items():
                lut_a[k] = rb @ m[:3, :3] @ ra.T
                lut_b[k] = rb @ (m[:3, :3] @ ca + m[:3, 3] - cb)
            ys, xs = np.nonzero(sel)
            k = ids[ys, xs]
            ray = np.stack([u[xs], v[ys], np.ones(len(xs))], axis=-1) * d[ys, xs][:, None]
            pb[ys, xs] = np.einsum("nij,nj->ni", lut_a[k], ray) + lut_b[k]
    z = pb[..., 2]
    front = z > 1e-9
    zs = np.where(front, z, 1.0)
    uv = np.empty((h, w, 2))
    uv[..., 0] = pb[..., 0] / zs * cam_b.fx + cam_b.width / 2
    uv[..., 1] = pb[..., 1] / zs * cam_b.fx + cam_b.height / 2
    return uv, np.where(finite, z, np.inf), front


def neighbours(uv: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """The 4 pixel centres around each landing point: (H,W,4) rows and columns, clipped to the image."""
    x0 = np.floor(uv[..., 0] - 0.5).astype(np.int64)
    y0 = np.floor(uv[..., 1] - 0.5).astype(np.int64)
    xs = np.stack([x0, x0 + 1, x0, x0 + 1], axis=-1)
    ys = np.stack([y0, y0, y0 + 1, y0 + 1], axis=-1)
    return np.clip(ys, 0, height - 1), np.clip(xs, 0, width - 1)


def _centres(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(w) + 0.5, np.arange(h) + 0.5


def flow_between(
    depth_a: np.ndarray,
    ids_a: np.ndarray,
    cam_a: PinholeCamera,
    depth_b: np.ndarray,
    ids_b: np.ndarray,
    cam_b: PinholeCamera,
    motion: Mapping[int, np.ndarray],
    articulated: Iterable[int] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Flow a -> b ``(H,W,2) float32`` (pixels, x right, y down) and its ``status`` ``(H,W) uint8`` bits."""
    h, w = depth_a.shape
    uv, z_b, front = carried(depth_a, ids_a, cam_a, cam_b, motion)
    cx, cy = _centres(h, w)
    flow = np.empty((h, w, 2), np.float32)
    flow[..., 0] = uv[..., 0] - cx[None, :]
    flow[..., 1] = uv[..., 1] - cy[:, None]
    inside = front & (uv[..., 0] >= 0) & (uv[..., 0] < w) & (uv[..., 1] >= 0) & (uv[..., 1] < h)
    status = np.where(inside, 0, OUT).astype(np.uint8)
    # visible in b: one of the 4 pixel centres around the landing point shows the same instance at the carried depth
    iy, ix = np.nonzero(inside)
    lx, ly = uv[iy, ix, 0], uv[iy, ix, 1]
    x0, y0 = np.floor(lx - 0.5).astype(np.int64), np.floor(ly - 0.5).astype(np.int64)
    own, zf = ids_a[iy, ix], z_b[iy, ix]
    sky = ~np.isfinite(zf)
    tol = np.where(sky, 0.0, DEPTH_TOL * np.where(sky, 0.0, zf) + DEPTH_TOL_M)
    flat_ids, flat_depth = ids_b.ravel(), depth_b.ravel()
    seen = np.zeros(len(iy), bool)
    for dy, dx in ((0, 0), (0, 1), (1, 0), (1, 1)):
        fi = np.clip(y0 + dy, 0, h - 1) * w + np.clip(x0 + dx, 0, w - 1)
        db = flat_depth[fi]
        with np.errstate(invalid="ignore"):  # sky: inf - inf
            near = np.where(sky, ~np.isfinite(db), np.abs(db - zf) <= tol)
        seen |= (flat_ids[fi] == own) & near
    status[iy[~seen], ix[~seen]] |= OCCLUDED
    arts = list(articulated)
    if arts:
        status[np.isin(ids_a, arts)] |= APPROX
    flow[~front] = np.float32(FLO_UNKNOWN)
    return flow, status


def lands_on_same(flow: np.ndarray, ids_a: np.ndarray, ids_b: np.ndarray) -> np.ndarray:
    """(H,W) bool: the flow's landing point has a pixel of the same instance among its 4 neighbours in b."""
    h, w = ids_a.shape
    centres = np.stack(np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5), axis=-1)
    ys, xs = neighbours(np.where(np.abs(flow) < 1e9, flow, 0) + centres, w, h)
    return (ids_b[ys, xs] == ids_a[..., None]).any(axis=-1)


# --- file formats --------------------------------------------------------------------------------------------------
def encode_flo(flow: np.ndarray) -> bytes:
    """Middlebury ``.flo``: 'PIEH' tag (float 202021.25), width, height (int32), then (u,v) float32 row-major."""
    h, w = flow.shape[:2]
    header = np.array([FLO_TAG], "<f4").tobytes() + np.array([w, h], "<i4").tobytes()
    return header + np.ascontiguousarray(flow, "<f4").tobytes()


def decode_flo(data: bytes) -> np.ndarray:
    if np.frombuffer(data[:4], "<f4")[0] != np.float32(FLO_TAG):
        raise ValueError("not a Middlebury .flo file (bad tag)")
    w, h = (int(v) for v in np.frombuffer(data[4:12], "<i4"))
    return np.frombuffer(data[12:], "<f4").reshape(h, w, 2).copy()


def encode_kitti_flow(flow: np.ndarray, valid: np.ndarray) -> bytes:
    """KITTI flow 16-bit PNG: R,G = flow * 64 + 2^15 (clipped to +-512 px), B = valid (1) or not (0)."""
    fu = np.clip(np.where(valid, flow[..., 0], 0) * 64.0 + 2**15, 0, 2**16 - 1)
    fv = np.clip(np.where(valid, flow[..., 1], 0) * 64.0 + 2**15, 0, 2**16 - 1)
    bgr = np.stack(
        [valid.astype(np.float64), fv, fu], axis=-1
    )  # OpenCV writes BGR: the file is R=u, G=v, B=valid
    ok, buf = cv2.imencode(".png", np.rint(bgr).astype(np.uint16))
    if not ok:
        raise RuntimeError("could not encode KITTI flow PNG")
    return buf.tobytes()


def decode_kitti_flow(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A KITTI flow PNG back as ``(flow (H,W,2) float32, valid (H,W) bool)``."""
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED).astype(np.float64)
    flow = (bgr[..., [2, 1]] - 2**15) / 64.0
    return flow.astype(np.float32), bgr[..., 0] > 0
