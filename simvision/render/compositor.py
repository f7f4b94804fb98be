"""Compositing helpers shared by 2D renderers: place a layer stack on a background with one affine transform.

The same matrix moves the image (linear), the instance-id maps (nearest: ids are never blended or invented) and the
quads, so labels cannot drift from pixels. A layer that covers part of the canvas is warped only into the rectangle
it lands on (:func:`canvas_rect`, :func:`shifted`): the output pixels outside it would all be zero.
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


def canvas_rect(m: np.ndarray, w: int, h: int, size: tuple[int, int], grow: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the pixels of a ``size`` = (W, H) canvas within ``grow`` px of a w x h layer warped by m."""
    corners = transform_points(m, np.float32([[0, 0], [w, 0], [w, h], [0, h]]))
    x0, y0 = np.floor(corners.min(axis=0)).astype(int) - grow
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int) + grow
    return max(0, x0), max(0, y0), min(size[0], max(0, x1)), min(size[1], max(0, y1))


def shifted(m: np.ndarray, x0: int, y0: int) -> np.ndarray:
    """The affine ``m`` with its output moved so that canvas pixel (x0, y0) becomes (0, 0)."""
    out = m.copy()
    out[:, 2] -= (x0, y0)
    return out


def warp_ids(ids: np.ndarray, m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Warp an integer id map with nearest-neighbour sampling; outside pixels become 0. ``size`` is (W, H)."""
    # INTER_NEAREST copies source values only; the pixel centre convention matches the linear warp.
    # uint8 and uint16 maps warp several times faster than int32.
    return cv2.warpAffine(
        ids, m, size, flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )


def warp_image(img: np.ndarray, m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Warp a float32 or uint8 image with bilinear sampling; outside pixels become 0."""
    return cv2.warpAffine(img, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def drop_shadow(
    outline: np.ndarray,
    size: tuple[int, int],
    offset: tuple[int, int],
    sigma: float,
    depth: float,
    scale: int = 8,
) -> np.ndarray:
    """(H,W) uint8 light left by the soft drop shadow of a convex outline (points in pixels): 255 unshaded, down to
    255 x (1 - ``depth``) under its core. ``size`` is (W, H). The shadow is low-frequency, so it is drawn at
    1/``scale`` resolution (a scale up to about sigma is invisible) and upsampled."""
    w, h = size
    small = np.zeros((-(-h // scale), -(-w // scale)), np.uint8)
    corners = (np.asarray(outline, np.float64) + offset) / scale
    cv2.fillConvexPoly(small, np.round(corners * 16).astype(np.int32), 255, cv2.LINE_AA, shift=4)
    shade = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / scale))
    lit = cv2.convertScaleAbs(shade, alpha=-depth, beta=255)
    up = cv2.resize(lit, (lit.shape[1] * scale, lit.shape[0] * scale), interpolation=cv2.INTER_LINEAR)
    return up[:h, :w]


def over(fg: np.ndarray, bg: np.ndarray, lit: np.ndarray) -> np.ndarray:
    """Premultiplied RGBA ``fg`` over RGB ``bg`` (uint8, same size), the background dimmed by ``lit`` (uint8, 255 =
    unchanged): out = fg + bg x (1 - alpha) x lit."""
    bg_weight = cv2.multiply(cv2.bitwise_not(cv2.extractChannel(fg, 3)), lit, scale=1 / 255)
    shaded = cv2.multiply(bg, cv2.merge([bg_weight] * 3), scale=1 / 255)
    return cv2.add(cv2.cvtColor(fg, cv2.COLOR_RGBA2RGB), shaded)


def composite(bg: np.ndarray, fg: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``bg*(1-a) + fg*a`` for float32 (H,W,3) images and an (H,W) float32 alpha in [0,1]."""
    a = np.ascontiguousarray(alpha, dtype=np.float32)
    return cv2.blendLinear(
        np.ascontiguousarray(fg, np.float32), np.ascontiguousarray(bg, np.float32), a, 1.0 - a
    )


def to_uint8(img: np.ndarray) -> np.ndarray:
    """Round and saturate a non-negative float image to uint8."""
    return cv2.convertScaleAbs(img)
