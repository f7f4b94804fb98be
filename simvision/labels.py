"""Pure label functions: boxes, areas and visibility derived from instance-id maps.

Boxes are XYXY with exclusive max, in pixels: a single pixel at (x, y) has box (x, y, x+1, y+1). This is the COCO
convention (``bbox = [x, y, w, h]`` with ``w = x1 - x0``) and what ``pycocotools.mask.toBbox`` returns.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.rle import column_runs


def boxes_and_areas(id_map: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tight XYXY boxes (float32, exclusive max) and pixel counts of each id in ``ids`` within ``id_map``.

    An id with no pixels gets box (0,0,0,0) and area 0. Runs in one pass over the map's vertical runs (the same
    runs the COCO RLE is built from), not per id.
    """
    ids = np.asarray(ids, dtype=np.int64)
    boxes = np.zeros((len(ids), 4), np.float32)
    areas = np.zeros(len(ids), np.int64)
    if len(ids) == 0:
        return boxes, areas
    # Work on the bounding rectangle of all labeled pixels only (objects often fill a fraction of the frame).
    bx, by, bw, bh = cv2.boundingRect(np.uint8(id_map != 0))
    if bw == 0:
        return boxes, areas
    run_id, col, r0, r1 = column_runs(id_map[by : by + bh, bx : bx + bw])
    top = int(max(ids.max(), run_id.max()))
    x0, y0 = np.full(top + 1, bw, np.int64), np.full(top + 1, bh, np.int64)
    x1, y1, count = np.zeros(top + 1, np.int64), np.zeros(top + 1, np.int64), np.zeros(top + 1, np.int64)
    np.minimum.at(x0, run_id, col)
    np.maximum.at(x1, run_id, col + 1)
    np.minimum.at(y0, run_id, r0)
    np.maximum.at(y1, run_id, r1)
    np.add.at(count, run_id, r1 - r0)
    rows = np.flatnonzero((ids > 0) & (count[np.maximum(ids, 0)] > 0))
    i = ids[rows]
    boxes[rows] = np.stack([x0[i] + bx, y0[i] + by, x1[i] + bx, y1[i] + by], axis=1)
    areas[rows] = count[i]
    return boxes, areas


def layered_boxes_and_areas(
    maps: np.ndarray, ids: np.ndarray, layers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`boxes_and_areas` for instances spread over layers (each id looked up in its own layer)."""
    boxes = np.zeros((len(ids), 4), np.float32)
    areas = np.zeros(len(ids), np.int64)
    for k in np.unique(layers):
        rows = np.flatnonzero(layers == k)
        b, a = boxes_and_areas(maps[k], ids[rows])
        boxes[rows], areas[rows] = b, a
    return boxes, areas


def order_quad_clockwise(pts: np.ndarray) -> np.ndarray:
    """Order 4 points clockwise (in image coordinates, y down) starting from the top-left-most point."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # y-down: increasing angle is clockwise on screen
    start = int(np.argmin(pts[:, 0] + pts[:, 1]))
    return np.roll(pts, -start, axis=0)
