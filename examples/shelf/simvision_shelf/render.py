"""Draw a :class:`ShelfSpec`: every object is painted into the image and, with the same mask, into one id map, so
each label is exactly the visible pixels (back-row products are hidden where the front row stands)."""

from __future__ import annotations

import cv2
import numpy as np

from simvision.labels import boxes_and_areas
from simvision.types import Instances, Sample
from simvision_shelf.spec import Product, ShelfSpec

CLASSES = ("background", "shelf", "box", "bottle", "can", "price_tag")
LIGHT = {"store": (1.0, 1.0, 1.0), "warm": (1.05, 0.95, 0.8), "dim": (0.55, 0.55, 0.6)}


def _silhouette(p: Product, h: int, w: int) -> np.ndarray:
    mask = np.zeros((h, w), np.uint8)
    x0, x1, y0, y1 = p.x, p.x + p.width, p.base - p.height, p.base
    if p.kind == "bottle":
        neck = max(2, p.width // 3)
        cx = (x0 + x1) // 2
        shoulder = y0 + p.height // 3
        pts = [
            (x0, y1),
            (x0, shoulder + p.width // 3),
            (cx - neck // 2, shoulder),
            (cx - neck // 2, y0),
            (cx + neck // 2, y0),
            (cx + neck // 2, shoulder),
            (x1 - 1, shoulder + p.width // 3),
            (x1 - 1, y1),
        ]
        cv2.fillPoly(mask, [np.array(pts, np.int32)], 1)
    else:
        mask[max(0, y0) : y1, max(0, x0) : x1] = 1
    return mask.astype(bool)


def _shade(p: Product, h: int, w: int) -> np.ndarray:
    """(h, w, 3) float colour of the product's surface: cylinders shaded across, boxes lit from above."""
    xs = (np.arange(w) - p.x) / max(1, p.width)
    ys = (np.arange(h) - (p.base - p.height)) / max(1, p.height)
    across = np.clip(np.cos((xs - 0.4) * np.pi * 0.9), 0.35, 1.0) if p.kind != "box" else np.full(w, 0.9)
    down = np.clip(1.05 - 0.25 * ys, 0.6, 1.05)
    base = np.array(p.colour, np.float32)[None, None, :] * across[None, :, None] * down[:, None, None]
    band = (ys > 0.45) & (ys < 0.7)
    base[band] = np.array(p.band, np.float32) * across[None, :, None][0]
    return base * (0.8 if p.back else 1.0)


def render(spec: ShelfSpec, settings: object = None) -> Sample:  # settings: RenderSettings (2d only)
    h, w = spec.height, spec.width
    rng = np.random.default_rng(
        spec.texture_seed
    )  # the wall's grain: drawn by the sampler, so replay matches
    img = np.empty((h, w, 3), np.float32)
    img[:] = spec.wall
    img += rng.normal(0, 4, (h, w, 1)).astype(np.float32)
    ids = np.zeros((h, w), np.int32)
    rows: list[tuple[int, str]] = []  # (class id, text) per instance id - 1

    def paint(mask: np.ndarray, colour: np.ndarray, cls: str, text: str = "") -> None:
        rows.append((CLASSES.index(cls), text))
        ids[mask] = len(rows)
        img[mask] = colour[mask] if colour.ndim == 3 else colour

    for y in spec.boards:
        m = np.zeros((h, w), bool)
        m[y : y + spec.board_px] = True
        paint(m, np.array(spec.board, np.float32), "shelf")
        img[y + spec.board_px : y + spec.board_px * 2] *= 0.7  # the board's shadow on the wall below
    for p in sorted(spec.products, key=lambda p: not p.back):
        paint(_silhouette(p, h, w), _shade(p, h, w), p.kind)
    for t in spec.tags:
        m = np.zeros((h, w), bool)
        m[t.y : min(h, t.y + t.height), t.x : min(w, t.x + t.width)] = True
        paint(m, np.array((245, 245, 235), np.float32), "price_tag", t.text)
    img *= np.array(LIGHT[spec.light], np.float32)
    image = np.clip(img, 0, 255).astype(np.uint8)
    for t in spec.tags:  # printed inside the tag's own pixels, so its mask already covers the text
        cv2.putText(image, t.text, (t.x + 2, min(h - 1, t.y + t.height - 2)), cv2.FONT_HERSHEY_SIMPLEX,
                    max(0.25, t.height / 30), (20, 20, 20), 1, cv2.LINE_AA)  # fmt: skip
    present = np.unique(ids[ids > 0]).astype(np.int32)
    boxes, _ = boxes_and_areas(ids, present)
    cls = np.array([rows[i - 1][0] for i in present], np.int32)
    text = tuple(rows[i - 1][1] for i in present)
    quads = np.full((len(present), 4, 2), np.nan, np.float32)
    for r, i in enumerate(present):
        if rows[i - 1][1]:
            x0, y0, x1, y1 = boxes[r]
            quads[r] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    inst = Instances(present, cls, np.zeros(len(present), np.int32), boxes, quads, text)
    return Sample(image=image, maps=ids[None], instances=inst, classes=CLASSES, meta={"renderer": "2d"})
