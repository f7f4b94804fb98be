"""Dewarping ground truth: the map from every image pixel back to the flat page it shows.

A kind whose renderer places a flat page (a :class:`~simvision.types.Page`) gets, after the last geometric step,
the page's backward map: each pixel's clean-canvas position (carried through every step as ``Target.coords``, the
composition of the steps' own backward maps) taken back through the renderer's placement. Pixels that do not show
the page (the page's id is not there: table, torn-off paper, outside the frame) are NaN.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.types import Page, Sample


def canvas_coords(h: int, w: int, x0: int = 0, y0: int = 0) -> np.ndarray:
    """(H,W,2) float32: every pixel's own position (x, y), pixel-index coordinates (of the block whose top-left
    pixel is (``x0``, ``y0``))."""
    out = np.empty((h, w, 2), np.float32)
    out[..., 0] = np.arange(x0, x0 + w).astype(np.float32)
    out[..., 1] = np.arange(y0, y0 + h).astype(np.float32)[:, None]
    return out


def page_mask(sample: Sample, surfaces: frozenset[str]) -> np.ndarray:
    """(H,W) bool: the pixels that show a surface instance (the page), from the final id maps."""
    inst = sample.instances
    mask = np.zeros(sample.image.shape[:2], bool)
    for r in range(len(inst)):
        if sample.classes[int(inst.class_id[r])] in surfaces:
            mask |= sample.maps[int(inst.layer[r])] == int(inst.instance_id[r])
    return mask


def canvas_grid(page: Page) -> np.ndarray:
    """(K,2) float32: the page's grid points (:meth:`Page.grid_points`) on the clean canvas (pixel edges)."""
    pts = page.grid_points().reshape(-1, 2).astype(np.float64)
    return (pts @ page.to_canvas[:, :2].T + page.to_canvas[:, 2]).astype(np.float32)


def with_page_map(
    sample: Sample, coords: np.ndarray | None, surfaces: frozenset[str], grid: np.ndarray | None = None
) -> Sample:
    """``sample`` with ``page.backward`` set from ``coords`` (None: the sample was not moved, each pixel shows
    its own canvas position) and ``page.grid`` from ``grid``, the moved :func:`canvas_grid` points (None: not
    moved); a sample without a page is returned as it is."""
    page = sample.page
    if page is None:
        return sample
    if grid is None:
        grid = canvas_grid(page)
    h, w = sample.image.shape[:2]
    flat = np.full((h, w, 2), np.nan, np.float32)
    on = page_mask(sample, surfaces).view(np.uint8)
    x, y, bw, bh = cv2.boundingRect(on)
    if bw and bh:  # only the pixels that show the page can map to it: the rest stays NaN
        sl = np.s_[y : y + bh, x : x + bw]
        part = canvas_coords(bh, bw, x, y) if coords is None else np.ascontiguousarray(coords[sl])
        inv = cv2.invertAffineTransform(page.to_canvas.astype(np.float64))
        mapped = cv2.transform(part, inv)  # float32 (bh,bw,2), one pass, each pixel as over the whole frame
        pw, ph = page.size
        # 0/1: on the page's pixels and within its bounds (both coordinates; NaN is out)
        keep = cv2.bitwise_and(cv2.inRange(mapped, (-0.5, -0.5), (pw - 0.5, ph - 0.5)), on[sl])
        pairs = flat[sl].view(np.int64)[..., 0]  # (x, y) of a pixel as one 8-byte item
        np.copyto(pairs, mapped.view(np.int64)[..., 0], where=keep.view(bool))
    return sample.with_(
        page=Page(page.image, page.to_canvas, flat, grid.reshape(page.grid_points().shape).astype(np.float32))
    )
