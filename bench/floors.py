"""Lower bounds ("floors") for the paper shape effects on the bench page: the few OpenCV kernels that any
implementation of the effect must run on this page, timed alone, with everything else (building the field, the
shading, the polygons) precomputed outside the timed call.

- ``warp``: an exact displacement warp with labels. The backward maps come from a coarse 4-px field (as ours);
  the timed call upsamples the two maps to every pixel of the paper's box, remaps the image (linear, from an RGBA
  copy made outside the timing: OpenCV's 4-channel remap is ~3x faster than its 3-channel one) and each id layer
  (nearest), multiplies by an upsampled uint8 shading gain, and writes each pixel of the fresh outputs once. A
  crumpled page moves every paper pixel, so nothing less will do for ``wrinkle``.
- ``shade``: what a fold must do besides its narrow crease: shade both tilted sides, i.e. the paper's box cut to
  the reach of the crease tents (~1.92 widths from each line), as the old image times an upsampled uint8 gain, and
  return fresh id maps (ids move along the crease, and an effect returns new arrays rather than writing into its
  input). Each output pixel is written once.

An effect can be at most (peer ms / floor ms) times faster than a peer: the ratio an aim like "10x" must fit in.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from simvision.augment.base import Params
from simvision.augment.light import paper_box
from simvision.augment.paper_fields import _fresh, extent, unit
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


def warp(t: Target, p: Params) -> Callable[[], object]:
    x0, y0, x1, y1 = _box(t)
    size = (x1 - x0, y1 - y0)
    mx, my, gain = _coarse(t)
    rgba = cv2.cvtColor(t.image, cv2.COLOR_RGB2RGBA)  # given: a 4-channel copy is what makes remap fast

    def call() -> object:
        fx = cv2.resize(mx, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        fy = cv2.resize(my, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        image = _fresh(t.image, (x0, y0, x1, y1))  # written once: outside the box here, the box below
        moved = cv2.remap(rgba, fx, fy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        g = cv2.resize(gain, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        cv2.multiply(moved, cv2.cvtColor(g, cv2.COLOR_GRAY2RGBA), moved, 1 / 255)
        cv2.cvtColor(moved, cv2.COLOR_RGBA2RGB, image[y0:y1, x0:x1])
        maps = _fresh(t.maps, (x0, y0, x1, y1), lead=1)
        for layer, out in zip(t.maps, maps, strict=True):
            cv2.remap(layer, fx, fy, cv2.INTER_NEAREST, out[y0:y1, x0:x1], cv2.BORDER_CONSTANT)
        return image, maps

    return call


def _tents(t: Target, p: Params) -> tuple[int, int, int, int]:
    """The pixels a fold shades: the paper's box, cut to the rows and columns within reach of a crease's tent (its
    tilt fades out ~1.92 widths from the line, as in ``paper._fold_luts``)."""
    x0, y0, x1, y1 = _box(t)
    ys, xs = np.mgrid[y0:y1:STEP, x0:x1:STEP]
    reached = np.zeros(xs.shape, bool)
    for f in p["folds"]:
        n = unit(f["angle"])
        lo, hi = extent(t.surface, n)
        d = xs * n[0] + ys * n[1] - (lo + f["offset"] * (hi - lo))
        reached |= (d < 1.92 * f["width"][0]) & (d > -1.92 * f["width"][1])
    rows, cols = np.flatnonzero(reached.any(1)), np.flatnonzero(reached.any(0))
    if len(rows) == 0:
        return x0, y0, x0, y0
    return (
        x0 + cols[0] * STEP,
        y0 + rows[0] * STEP,
        min(x0 + cols[-1] * STEP + STEP, x1),
        min(y0 + rows[-1] * STEP + STEP, y1),
    )


def shade(t: Target, p: Params) -> Callable[[], object]:
    x0, y0, x1, y1 = _tents(t, p)
    size = (x1 - x0, y1 - y0)
    _, _, gain = _coarse(t)

    def call() -> object:
        image = _fresh(t.image, (x0, y0, x1, y1))
        g = cv2.resize(gain, None, fx=STEP, fy=STEP)[: size[1], : size[0]]
        cv2.multiply(t.image[y0:y1, x0:x1], cv2.cvtColor(g, cv2.COLOR_GRAY2RGB), image[y0:y1, x0:x1], 1 / 255)
        return image, t.maps.copy()

    return call


FLOORS: dict[str, tuple[str, Callable[[Target, Params], Callable[[], object]]]] = {
    "wrinkle": ("warp: maps upsampled, RGBA image + id maps remapped, shaded", warp),
    "fold": ("shade: the tents times an upsampled gain, id maps copied", shade),
}
