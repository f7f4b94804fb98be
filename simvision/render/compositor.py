"""Compositing helpers shared by 2D renderers: place a layer stack on a background with one affine transform.

The same matrix moves the image (linear), the instance-id maps (nearest: ids are never blended or invented) and the
quads, so labels cannot drift from pixels.
"""

from __future__ import annotations

import cv2
import numpy as np


def rotation_about(cx: float, cy: float, deg: float, tx: float, ty: float) -> np.ndarray:
    """2x3 affine: rotate by ``deg`` (counter-clockwise on screen) about (cx, cy), then translate by (tx, ty)."""
    m = cv2.getRotationMatrix2D((cx, cy), deg, 1.0)
    m[:, 2] += (tx, ty)
    return m


def rotated_extent(w: float, h: float, deg: float) -> tuple[float, float]:
    """Width and height of the axis-aligned bounds of a w x h rectangle rotated by ``deg``."""
    c, s = abs(np.cos(np.radians(deg))), abs(np.sin(np.radians(deg)))
    return w * c + h * s, w * s + h * c


def transform_points(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Apply a 2x3 affine to points of shape (..., 2)."""
    pts = np.asarray(pts, np.float64)
    return (pts @ m[:, :2].T + m[:, 2]).astype(np.float32)


def warp_ids(ids: np.ndarray, m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Warp an int32 id map with nearest-neighbour sampling; outside pixels become 0. ``size`` is (W, H)."""
    # INTER_NEAREST on int32 copies source values only; the pixel centre convention matches the linear warp.
    return cv2.warpAffine(
        ids, m, size, flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )


def warp_image(img: np.ndarray, m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Warp a float32 or uint8 image with bilinear sampling; outside pixels become 0."""
    return cv2.warpAffine(img, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def soft_shadow(alpha: np.ndarray, offset: tuple[int, int], sigma: float) -> np.ndarray:
    """A blurred, offset copy of a coverage map in [0,1], computed at quarter resolution (it is low-frequency)."""
    h, w = alpha.shape
    small = cv2.resize(alpha, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / 4))
    m = np.float32([[1, 0, offset[0] / 4], [0, 1, offset[1] / 4]])
    small = cv2.warpAffine(small, m, (small.shape[1], small.shape[0]))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def composite(bg: np.ndarray, fg: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``bg*(1-a) + fg*a`` for float32 (H,W,3) images and an (H,W) float32 alpha in [0,1]."""
    a = np.ascontiguousarray(alpha, dtype=np.float32)
    return cv2.blendLinear(
        np.ascontiguousarray(fg, np.float32), np.ascontiguousarray(bg, np.float32), a, 1.0 - a
    )


def to_uint8(img: np.ndarray) -> np.ndarray:
    """Round and saturate a non-negative float image to uint8."""
    return cv2.convertScaleAbs(img)
