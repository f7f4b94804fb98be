"""KITTI object ``label_2`` and ``calib`` files from street records (pure converters).

One line per object, 15 space-separated columns as the KITTI devkit reads them: type, truncated (0..1), occluded
(0 fully visible, 1 partly, 2 largely occluded, 3 unknown), alpha, bbox (left top right bottom, pixel edges), 3D
dimensions (height width length, m), location (bottom centre of the 3D box in rectified camera coordinates, m),
rotation_y.

KITTI boxes turn about the rectified camera's y axis only, so that frame must be level (KITTI's cameras are
rectified to the ground). Ours is pitched and rolled; the labels are therefore written in the *level* camera frame
(same centre and heading, pitch and roll 0: x right and y down, parallel to the road; z forward, horizontal), where
every object's true oriented box is a KITTI box, and the tilt goes into ``P2``: ``P2 = K [R_tilt | 0]`` with
``R_tilt`` the level-to-camera rotation. ``R0_rect`` stays the identity, so the devkit's box projection
``P2 · [x y z 1]`` and the full chain ``P2 · R0_rect · [x y z 1]`` are the same and land on the rendered pixels.
(Tools that read the intrinsics straight from ``P2[:, :3]`` get ``K R_tilt``; ``cv2.decomposeProjectionMatrix``
recovers ``K`` and the tilt.) Metric columns carry 6 decimals (micrometres) so reprojection stays exact; the
devkit reads them as floats, any number of decimals.

Occlusion levels come from the visible fraction (visible pixels / unoccluded silhouette): >= 0.9 -> 0,
>= 0.5 -> 1, else 2. Types: car Car, truck Truck, person Pedestrian, rider Cyclist (KITTI boxes the person on the
bike; the bicycle itself is not a KITTI object and is left out), bus / motorcycle / animal Misc. Objects marked
``ignore`` (``too_faint`` in fog) are written as DontCare with the devkit's placeholder values. The bbox columns are the visible
box (from the instance map), as in KITTI.

Augmented samples: the record's camera is the one that sees the *output* image (:mod:`simvision.augment.reproject`:
crops, zoom, pan and the virtual camera pose are homographies, folded into ``K`` and the camera's angles), so
``P2`` and the 3D columns project onto the warped pixels. After a non-projective warp (lens distortion, paper bends)
no pinhole camera does: the record flags its camera ``projective: false`` and every object's 3D columns hold the
devkit's placeholders (alpha -10, dimensions -1, location -1000, rotation_y -10; the 2D columns stay), so no
tool reads a wrong 3D box; ``P2`` is then the warps' projective part only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from simvision.world.camera import camera_axes

TYPES = {"car": "Car", "truck": "Truck", "person": "Pedestrian", "rider": "Cyclist", "bus": "Misc",
         "motorcycle": "Misc", "animal": "Misc"}  # fmt: skip
OCCLUSION_THRESHOLDS = (0.9, 0.5)  # visible fraction at or above: level 0, level 1; below the second: 2


def occlusion_level(visible_fraction: float) -> int:
    full, partly = OCCLUSION_THRESHOLDS
    return 0 if visible_fraction >= full else 1 if visible_fraction >= partly else 2


def _wrap(a: float) -> float:
    return (a + math.pi) % (2 * math.pi) - math.pi


def level_rotation(cam: Mapping[str, Any]) -> np.ndarray:
    """(3,3) world-to-rectified rotation: the camera's axes with its pitch and roll taken out (yaw kept)."""
    return camera_axes(cam["yaw_deg"], 0.0, 0.0).T


def tilt_rotation(cam: Mapping[str, Any]) -> np.ndarray:
    """(3,3) rectified-to-camera rotation (``p_cam = R_tilt @ p_rect``), from the same angles the renderers use."""
    actual = camera_axes(cam["yaw_deg"], cam["pitch_deg"], cam["roll_deg"]).T
    return actual @ level_rotation(cam).T


def kitti_object(inst: Mapping[str, Any], R: np.ndarray, C: np.ndarray, metric: bool = True) -> str:
    """One label_2 line for a street instance (``R``: world-to-rectified rotation, ``C``: camera position); with
    ``metric`` False only the 2D columns (the 3D ones hold the devkit's placeholders)."""
    x0, y0, x1, y1 = inst["bbox"]
    if inst.get("ignore"):
        return f"DontCare -1 -1 -10 {x0:.2f} {y0:.2f} {x1:.2f} {y1:.2f} -1 -1 -1 -1000 -1000 -1000 -10"
    if not metric:
        occ = occlusion_level(inst["visible_fraction"])
        box = " ".join(f"{v:.2f}" for v in (x0, y0, x1, y1))
        return (
            f"{TYPES[inst['class']]} {inst['truncation']:.2f} {occ} -10 {box} -1 -1 -1 -1000 -1000 -1000 -10"
        )
    cx, cy, cz, length, width, height, yaw = inst["box3d"]
    bottom = R @ (np.array([cx, cy, cz - height / 2]) - C)
    d = R @ np.array([math.cos(yaw), math.sin(yaw), 0.0])  # heading in the level frame (d[1] == 0)
    rot_y = _wrap(math.atan2(-d[2], d[0]))  # KITTI: heading (cos ry, 0, -sin ry) about the camera's y axis
    alpha = _wrap(rot_y - math.atan2(bottom[0], bottom[2]))
    occ = occlusion_level(inst["visible_fraction"])
    cols = [TYPES[inst["class"]], f"{inst['truncation']:.2f}", str(occ), f"{alpha:.6f}"]
    cols += [f"{v:.2f}" for v in (x0, y0, x1, y1)]
    cols += [f"{v:.6f}" for v in (height, width, length)]
    cols += [f"{v + 0.0:.6f}" for v in bottom] + [f"{rot_y:.6f}"]  # + 0.0: no "-0.000000"
    return " ".join(cols)


def label_2(record: Mapping[str, Any]) -> str:
    cam = record["render"]["camera"]
    R, C = level_rotation(cam), np.array(cam["position"])
    metric = cam.get("projective", True)
    lines = [kitti_object(i, R, C, metric) for i in record["instances"] if i["class"] in TYPES]
    return "".join(line + "\n" for line in lines)


def calib(record: Mapping[str, Any]) -> str:
    """P0..P3 (all the one camera, tilt included), R0_rect identity, Tr_velo_to_cam / Tr_imu_to_velo identity
    (no lidar)."""
    cam = record["render"]["camera"]
    P = (np.array(cam["K"]) @ np.hstack([tilt_rotation(cam), np.zeros((3, 1))])).ravel()
    eye34 = np.hstack([np.eye(3), np.zeros((3, 1))]).ravel()
    row = " ".join(f"{v:.12e}" for v in P)
    lines = [f"P{k}: {row}" for k in range(4)]
    lines.append("R0_rect: " + " ".join(f"{v:.12e}" for v in np.eye(3).ravel()))
    lines += [f"{k}: " + " ".join(f"{v:.12e}" for v in eye34) for k in ("Tr_velo_to_cam", "Tr_imu_to_velo")]
    return "".join(line + "\n" for line in lines)


def entry_files(record: Mapping[str, Any]) -> dict[str, bytes]:
    name = record["name"]
    return {
        f"kitti/label_2/{name}.txt": label_2(record).encode("ascii"),
        f"kitti/calib/{name}.txt": calib(record).encode("ascii"),
    }
