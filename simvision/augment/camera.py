"""Camera effects: a virtual camera pose looking at the scene plane (true perspective), and lens distortion.

The pose (tilt, yaw, roll, focal length) gives a homography of the plane the receipt lies on. The view is then
zoomed so the frame never sees past the rendered canvas (nothing unlabeled is invented at the borders), zoomed
further by ``zoom`` and panned by ``pan`` so objects can be cut by the frame edge (truncation is recorded).
"""

from __future__ import annotations

from typing import Annotated, Literal

import cv2
import numpy as np
from albumentations.augmentations.geometric import functional as fgeo

from simvision.augment.base import Effect, EffectConfig, Params, range_field
from simvision.augment.target import Target
from simvision.augment.warp import warp_homography, warp_remap
from simvision.distributions import FloatRange, within


class CameraConfig(EffectConfig):
    name: Literal["camera"] = "camera"
    tilt_deg: Annotated[FloatRange, within(-60, 60)] = range_field(-15, 15, "pitch")
    yaw_deg: Annotated[FloatRange, within(-60, 60)] = range_field(-10, 10)
    roll_deg: Annotated[FloatRange, within(-180, 180)] = range_field(-5, 5)
    focal: Annotated[FloatRange, within(0.2, 10)] = range_field(
        0.8, 1.6, "focal length in units of the frame's longer side"
    )
    zoom: Annotated[FloatRange, within(1, 4)] = range_field(1.0, 1.15, ">= 1: closer")


class LensConfig(EffectConfig):
    name: Literal["lens"] = "lens"
    k: Annotated[FloatRange, within(-1, 1)] = range_field(-0.25, 0.25, "radial k (<0 barrel, >0 pincushion)")


def _rotation(tilt: float, yaw: float, roll: float) -> np.ndarray:
    rx, _ = cv2.Rodrigues(np.array([np.radians(tilt), 0.0, 0.0]))
    ry, _ = cv2.Rodrigues(np.array([0.0, np.radians(yaw), 0.0]))
    rz, _ = cv2.Rodrigues(np.array([0.0, 0.0, np.radians(roll)]))
    return rz @ ry @ rx


def pose_homography(shape: tuple[int, int], frame: tuple[int, int, int, int], p: Params) -> np.ndarray:
    """3x3 homography (canvas pixels -> output pixels) of a camera with the given pose viewing the canvas plane.

    The plane point at the frame's centre is viewed at distance ``focal`` (in frame lengths), so at zero angles the
    frame maps onto the output exactly. The view is then zoomed about the centre until the output's back-projection
    lies inside the rendered canvas (no content is invented), zoomed by ``zoom`` and panned by ``pan`` (fractions
    of the remaining slack).
    """
    ch, cw = shape
    fx, fy, w, h = frame
    f = p["focal"] * max(w, h)
    k = np.array([[f, 0, w / 2], [0, f, h / 2], [0, 0, 1]])
    r = _rotation(p["tilt"], p["yaw"], p["roll"])
    # canvas pixel -> plane point (frame centre at the origin) at depth f; camera at distance f along its axis
    plane = np.array([[1, 0, -(fx + w / 2)], [0, 1, -(fy + h / 2)], [0, 0, f]], np.float64)
    hom = k @ np.column_stack([r[:, 0], r[:, 1], [0.0, 0.0, 1.0]]) @ plane
    hom /= hom[2, 2]
    canvas = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float64).reshape(-1, 1, 2)
    poly = cv2.perspectiveTransform(canvas, hom).astype(np.float32)
    out = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    # Smallest zoom s about the output centre at which the whole output shows rendered canvas.
    lo, hi = 0.05, 20.0
    for _ in range(40):
        s = (lo + hi) / 2
        pts = (out - (w / 2, h / 2)) / s + (w / 2, h / 2)
        inside = all(cv2.pointPolygonTest(poly, (float(x), float(y)), False) >= 0 for x, y in pts)
        lo, hi = (lo, s) if inside else (s, hi)
    s = max(hi, 1.0) * p["zoom"]  # never smaller than rendered: the paper was sized to fit the frame
    # Pan within what the extra zoom leaves free (the view may then cut objects at the frame edge).
    slack = (1 - 1 / p["zoom"]) / 2
    tx, ty = p["pan"][0] * slack * w * s, p["pan"][1] * slack * h * s
    zoom = np.array([[s, 0, (1 - s) * w / 2 + tx], [0, s, (1 - s) * h / 2 + ty], [0, 0, 1]])
    result = zoom @ hom
    return result / result[2, 2]


def _sample_camera(rng: np.random.Generator, c: CameraConfig, shape: tuple[int, int]) -> Params:
    return {
        "tilt": c.tilt_deg.sample(rng),
        "yaw": c.yaw_deg.sample(rng),
        "roll": c.roll_deg.sample(rng),
        "focal": c.focal.sample(rng),
        "zoom": c.zoom.sample(rng),
        "pan": [float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1))],
    }


def _apply_camera(t: Target, p: Params) -> Target:
    return warp_homography(t, pose_homography(t.shape, t.frame, p), (t.frame[2], t.frame[3]))


def _apply_lens(t: Target, p: Params) -> Target:
    map_x, map_y = fgeo.get_camera_matrix_distortion_maps(t.shape, p["k"])
    return warp_remap(t, map_x.astype(np.float32), map_y.astype(np.float32))


EFFECTS = (
    Effect("camera", "camera", True, CameraConfig, _sample_camera, _apply_camera,
           "Virtual camera pose: perspective view of the scene plane, zoom and pan (truncation)"),
    Effect("lens", "camera", True, LensConfig, lambda rng, c, shape: {"k": c.k.sample(rng)}, _apply_lens,
           "Radial lens distortion (barrel / pincushion)"),
)  # fmt: skip
