"""A pinhole camera in a Z-up world, in the OpenCV convention (x right, y down, z forward; pixels y down).

One camera model serves both renderers: the 2D projection uses :meth:`PinholeCamera.project`; Blender gets
:meth:`PinholeCamera.blender_matrix_world` and the same focal length and sensor width (``sensor_fit`` horizontal),
so a mesh vertex lands on the same pixel in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


def camera_axes(yaw_deg: float, pitch_deg: float, roll_deg: float) -> np.ndarray:
    """(3,3) camera-to-world rotation whose columns are the camera's right, down and forward axes in the world.

    ``yaw`` turns the heading counter-clockwise seen from above (0 = looking along +Y); ``pitch`` > 0 looks down;
    ``roll`` turns the image clockwise about the viewing axis.
    """
    y, p, r = np.deg2rad([yaw_deg, pitch_deg, roll_deg])
    fwd = np.array([-np.sin(y) * np.cos(p), np.cos(y) * np.cos(p), -np.sin(p)])
    right = np.array([np.cos(y), np.sin(y), 0.0])
    down = np.cross(fwd, right)
    right, down = np.cos(r) * right + np.sin(r) * down, -np.sin(r) * right + np.cos(r) * down
    return np.stack([right, down, fwd], axis=1)


@dataclass(frozen=True)
class PinholeCamera:
    """``position`` world metres; angles in degrees; ``focal_mm`` over a ``sensor_mm`` wide sensor; image pixels."""

    position: tuple[float, float, float]
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    focal_mm: float
    sensor_mm: float
    width: int
    height: int
    clip_start: float = 0.1
    clip_end: float = 250.0

    @cached_property
    def rotation(self) -> np.ndarray:
        """(3,3) world-to-camera rotation R: ``p_cam = R @ (p_world - position)``."""
        return camera_axes(self.yaw_deg, self.pitch_deg, self.roll_deg).T

    @property
    def fx(self) -> float:
        return self.focal_mm / self.sensor_mm * self.width

    @property
    def K(self) -> np.ndarray:
        """(3,3) intrinsics; the principal point is the image centre, pixel centres sit at integer + 0.5."""
        return np.array([[self.fx, 0, self.width / 2], [0, self.fx, self.height / 2], [0, 0, 1]], np.float64)

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """(...,3) world points to camera coordinates (metres, z = planar depth)."""
        return (np.asarray(points, np.float64) - np.asarray(self.position)) @ self.rotation.T

    def project(self, cam_points: np.ndarray) -> np.ndarray:
        """(...,3) camera-frame points with z > 0 to (...,2) pixel coordinates."""
        z = cam_points[..., 2:3]
        return cam_points[..., :2] / z * self.fx + np.array([self.width / 2, self.height / 2])

    def pixel_rays(self) -> np.ndarray:
        """(H,W,3) camera-frame ray directions through pixel centres, with z = 1 (planar depth -> point)."""
        u = (np.arange(self.width) + 0.5 - self.width / 2) / self.fx
        v = (np.arange(self.height) + 0.5 - self.height / 2) / self.fx
        uu, vv = np.meshgrid(u, v)
        return np.stack([uu, vv, np.ones_like(uu)], axis=-1)

    def blender_matrix_world(self) -> np.ndarray:
        """(4,4) Blender camera ``matrix_world`` (Blender cameras look down local -Z with +Y up)."""
        m = np.eye(4)
        m[:3, :3] = camera_axes(self.yaw_deg, self.pitch_deg, self.roll_deg) @ np.diag([1.0, -1.0, -1.0])
        m[:3, 3] = self.position
        return m

    def to_json(self) -> dict:
        """Intrinsics and pose as written into a sample's record."""
        return {
            "K": self.K.round(6).tolist(),
            "R_world_to_cam": self.rotation.round(9).tolist(),
            "position": [round(float(v), 6) for v in self.position],
            "yaw_deg": self.yaw_deg,
            "pitch_deg": self.pitch_deg,
            "roll_deg": self.roll_deg,
            "focal_mm": self.focal_mm,
            "sensor_mm": self.sensor_mm,
            "width": self.width,
            "height": self.height,
            "convention": "OpenCV: x right, y down, z forward; world Z up; depth is planar camera z in metres",
        }
