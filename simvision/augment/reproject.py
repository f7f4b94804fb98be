"""The camera a 3D sample's record carries, moved through the augmentation's image warps.

A rendered 3D sample's ``meta["camera"]`` (:meth:`~simvision.world.camera.PinholeCamera.to_json`) describes the
rendered canvas. Every projective warp of the image (the overscan crop, the virtual camera's pose, zoom and pan)
composes into one homography ``H`` (canvas pixels -> output pixels), and a pinhole camera seen through a homography
is again a pinhole camera: ``H K R = s K' R'`` with ``K'`` upper triangular (positive diagonal; it may have skew and
unequal focal lengths) and ``R' = Q R`` a rotation (RQ decomposition). The record then carries that camera for the
output image — ``K'``, ``R'`` and the yaw, pitch and roll that give ``R'`` — so every world point projects onto the
output pixel the warp moved it to (KITTI's ``P2``, depth back-projection); the depth map becomes planar depth along
the new optical axis. The rendered camera stays under ``camera["rendered"]`` with ``H``.

Lens distortion and paper bends are not homographies: no pinhole camera describes their output. The camera is then
the projective part alone and is flagged ``camera["projective"] = False`` with the effects named in
``camera["non_projective"]``; writers of metric 3D labels (KITTI) leave the 3D fields out for such samples.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from simvision.world.camera import camera_axes

HALF = np.array([[1.0, 0, 0.5], [0, 1.0, 0.5], [0, 0, 1.0]])  # pixel index -> pixel-edge coordinates


def edge_homography(h: np.ndarray) -> np.ndarray:
    """A homography between pixel-index coordinates (OpenCV warps: pixel centres at integers) in the coordinates
    the cameras use (pixel centres at integer + 0.5)."""
    return HALF @ h @ np.linalg.inv(HALF)


def rq(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``m = K @ Q``: K upper triangular with a positive diagonal and ``K[2,2] == 1``, Q orthonormal."""
    p = np.flipud(np.eye(3))
    q_, r_ = np.linalg.qr((p @ m).T)
    k, q = p @ r_.T @ p, p @ q_.T
    d = np.diag(np.sign(np.diag(k)))
    k, q = k @ d, d @ q
    return k / k[2, 2], q


def angles(r_world_to_cam: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) degrees whose :func:`camera_axes` is this camera rotation (pitch within +-90)."""
    right, _, fwd = r_world_to_cam
    pitch = -math.asin(float(np.clip(fwd[2], -1, 1)))
    yaw = math.atan2(-fwd[0], fwd[1])
    level_right = np.array([math.cos(yaw), math.sin(yaw), 0.0])
    level_down = np.cross(fwd, level_right)
    roll = math.atan2(float(right @ level_down), float(right @ level_right))
    return math.degrees(yaw), math.degrees(pitch), math.degrees(roll)


def warped_camera(
    camera: dict[str, Any], h: np.ndarray, size: tuple[int, int], bent: list[str]
) -> tuple[dict[str, Any], np.ndarray]:
    """The record's camera for an output image of ``size`` (w, h) that the canvas reached through homography ``h``
    (pixel-index coordinates) and the non-projective effects ``bent``; also Q (old camera -> new camera axes)."""
    he = edge_homography(h)
    k0 = np.array(camera["K"], np.float64)
    r0 = camera_axes(camera["yaw_deg"], camera["pitch_deg"], camera["roll_deg"]).T
    k, q = rq(he @ k0)
    if np.linalg.det(q) < 0:  # a mirrored image (no effect here makes one): no rotation describes it
        raise ValueError("augmentation mirrored the image: no camera describes it")
    yaw, pitch, roll = angles(q @ r0)
    rendered = {key: camera[key] for key in ("K", "R_world_to_cam", "yaw_deg", "pitch_deg", "roll_deg", "width",
                                              "height")}  # fmt: skip
    out = {
        **camera,
        "K": k.round(6).tolist(),
        "R_world_to_cam": camera_axes(yaw, pitch, roll).T.round(9).tolist(),
        "yaw_deg": yaw,
        "pitch_deg": pitch,
        "roll_deg": roll,
        "width": size[0],
        "height": size[1],
        "rendered": {**rendered, "image_homography": (he / he[2, 2]).round(9).tolist()},
        "projective": not bent,
        "non_projective": bent,
    }
    return out, q


def warped_depth(depth: np.ndarray, k0: np.ndarray, h: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Planar depth along the new camera's axis: each output pixel's ray (back through ``h`` into the rendered
    camera) at the rendered planar depth its pixel carries, turned by ``q``."""
    rows, cols = depth.shape
    ys, xs = np.mgrid[0:rows, 0:cols].astype(np.float64) + 0.5
    pix = np.stack([xs, ys, np.ones_like(xs)], axis=-1).reshape(-1, 3)
    ray = pix @ (np.linalg.inv(edge_homography(h)).T) @ np.linalg.inv(k0).T  # rendered camera frame
    ray /= ray[:, 2:3]
    z = depth.reshape(-1).astype(np.float64)
    with np.errstate(invalid="ignore"):
        new = (ray @ q[2]) * z
    return np.where(np.isfinite(z), new, z).reshape(rows, cols).astype(np.float32)


def warped_attrs(attrs: dict[str, np.ndarray], h: np.ndarray, q: np.ndarray, size: tuple[int, int]) -> dict:
    """A 3D sample's per-instance camera-frame attributes for the warped image: ``box3d_cam`` turned by ``q``;
    ``amodal_box`` the bounds of the rendered amodal box's corners through ``h`` (exact for crops, zoom and pan;
    under a perspective warp a box that contains the warped silhouette's bounds); ``truncation`` re-measured
    against the output frame from it."""
    out = dict(attrs)
    he = edge_homography(h)
    w, hgt = size
    if "box3d_cam" in attrs:
        col = np.empty(len(attrs["box3d_cam"]), object)
        for r, v in enumerate(attrs["box3d_cam"]):
            col[r] = None if v is None else [round(float(x), 4) for x in q @ np.asarray(v, np.float64)]
        out["box3d_cam"] = col
    if "amodal_box" in attrs:
        boxes, trunc = np.empty(len(attrs["amodal_box"]), object), np.empty(len(attrs["amodal_box"]), object)
        for r, b in enumerate(attrs["amodal_box"]):
            x0, y0, x1, y1 = b
            pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], np.float64) @ he.T
            if (pts[:, 2] <= 0).any():  # a corner went behind the warped view: no bounds
                boxes[r], trunc[r] = None, 1.0
                continue
            pts = pts[:, :2] / pts[:, 2:]
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            boxes[r] = [round(float(v), 2) for v in (*lo, *hi)]
            inter = np.maximum(0, np.minimum(hi, (w, hgt)) - np.maximum(lo, 0))
            full = max(float(np.prod(hi - lo)), 1e-9)
            trunc[r] = round(1.0 - float(np.prod(inter)) / full, 4)
        out["amodal_box"] = boxes
        if "truncation" in attrs:
            out["truncation"] = trunc
    return out
