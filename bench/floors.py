"""Lower bounds ("floors") for the paper shape effects on the bench page: the few OpenCV kernels that any
implementation of the effect must run on this page, timed alone, with everything else (building the field, the
shading, the polygons) precomputed outside the timed call.

- ``warp``: an exact displacement warp with labels. The backward maps come from a coarse 4-px field (as ours);
  the timed call upsamples the two maps to every pixel of the paper's box, remaps the RGB image (linear) and each
  id layer (nearest) into fresh arrays, and multiplies the image by an upsampled uint8 shading gain. A crumpled
  page moves every paper pixel, so nothing less will do for ``wrinkle``.
- ``shade``: shading the whole sheet, which a fold does to both of its tilted sides (the geometry moves pixels only
  near the crease): a fresh image that is the old one times an upsampled uint8 gain over the paper's box, and fresh
  id maps (ids move along the crease, and an effect returns new arrays rather than writing into its input).

An effect can be at most (peer ms / floor ms) times faster than a peer: the ratio an aim like "10x" must fit in.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from simvision.augment.light import paper_box
from simvision.augment.target import Target

STEP = 4  # the coarse field's cell, px (as the effects' grids)


def _box(t: Target) -> tuple[int, int, int, int]:
    box = paper_box(t.surface)
    return (0, 0, t.shape[1], t.shape[0]) if box is None else tuple(int(v) for v in box)  # type: ignore[return-value]


def _coarse(t: Target, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Absolute backward-map coordinates (x, y) and a uint8 gain on the 4-px grid over the paper's box: a smooth
    field moving every pixel 1-3 px (so every id pixel must be resampled)."""
    x0, y0, x1, y1 = _box(t)
    rows, cols = -(-(y1 - y0) // STEP), -(-(x1 - x0) // STEP)
    rng = np.random.default_rng(seed)
    smooth = [
        cv2.GaussianBlur(rng.standard_normal((rows, cols)).astype(np.float32), (0, 0), 3) for _ in range(3)
    ]
    ys, xs = np.mgrid[0:rows, 0:cols].astype(np.float32) * STEP
    mx = xs + x0 + 1.0 + 2.0 * np.tanh(smooth[0] * 8)
    my = ys + y0 + 1.0 + 2.0 * np.tanh(smooth[1] * 8)
    gain = cv2.convertScaleAbs(200 + 40 * np.tanh(smooth[2] * 8))
    return mx.astype(np.float32), my.astype(np.float32), gain


def warp(t: Target) -> Callable[[], object]:
    x0, y0, x1, y1 = _box(t)
    size = (x1 - x0, y1 - y0)
    mx, my, gain = _coarse(t)

    def call() -> object:
        fx = cv2.resize(mx, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        fy = cv2.resize(my, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        image = t.image.copy()
        box = image[y0:y1, x0:x1]
        cv2.remap(t.image, fx, fy, cv2.INTER_LINEAR, box, cv2.BORDER_REPLICATE)
        g = cv2.resize(gain, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        cv2.multiply(box, cv2.cvtColor(g, cv2.COLOR_GRAY2RGB), box, 1 / 255)
        maps = t.maps.copy()
        for layer, out in zip(t.maps, maps, strict=True):
            cv2.remap(layer, fx, fy, cv2.INTER_NEAREST, out[y0:y1, x0:x1], cv2.BORDER_CONSTANT)
        return image, maps

    return call


def shade(t: Target) -> Callable[[], object]:
    x0, y0, x1, y1 = _box(t)
    size = (x1 - x0, y1 - y0)
    _, _, gain = _coarse(t)

    def call() -> object:
        image = t.image.copy()
        box = image[y0:y1, x0:x1]
        g = cv2.resize(gain, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        cv2.multiply(box, cv2.cvtColor(g, cv2.COLOR_GRAY2RGB), box, 1 / 255)
        return image, t.maps.copy()

    return call


FLOORS: dict[str, tuple[str, Callable[[Target], Callable[[], object]]]] = {
    "wrinkle": ("warp: maps upsampled, image + id maps remapped, shaded", warp),
    "fold": ("shade: the sheet times an upsampled gain, id maps copied", shade),
}
