"""YOLO (Ultralytics layout) from records: ``labels/<name>.txt`` beside ``images/``, and ``data.yaml``.

Detect rows are ``class cx cy w h`` normalised to [0,1]; class = class id - 1 (YOLO counts from 0, without
background). Segment rows are ``class x1 y1 x2 y2 ...``: the outer contours of the exact mask along its pixels' edges
(so the box Ultralytics derives from a polygon is the instance's box), several components joined into one polygon
by zero-width bridges (YOLO allows one polygon per row). With --split, images and labels lie in ``images/<split>/``
and ``labels/<split>/`` (see :func:`simvision.sample.entry_files`). Instances marked ``ignore``
have no row (YOLO has no ignore region).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np
import yaml

from simvision.rle import decode


def labeled(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The instances a YOLO file holds: YOLO has no ignore region, so ``ignore`` instances are left out."""
    return [i for i in record["instances"] if not i.get("ignore")]


def detect_rows(record: Mapping[str, Any]) -> str:
    w, h = record["width"], record["height"]
    lines = []
    for inst in labeled(record):
        x0, y0, x1, y1 = inst["bbox"]
        cx, cy = (x0 + x1) / 2 / w, (y0 + y1) / 2 / h
        lines.append(f"{inst['class_id'] - 1} {cx:.6f} {cy:.6f} {(x1 - x0) / w:.6f} {(y1 - y0) / h:.6f}")
    return "".join(line + "\n" for line in lines)


def _outline(mask: np.ndarray) -> list[np.ndarray]:
    """The outer contours of ``mask`` along its pixels' edges: closed (K,2) int rings of pixel-corner coordinates,
    one per 8-connected component (holes are covered), without repeated or collinear points.

    OpenCV traces pixel centres, so a 1 px line or a single pixel has 1-2 points and every ring ends half a pixel
    inside the mask. Tracing the mask scaled by 2 instead and mapping each half-pixel index u to the pixel edge
    (u+1)//2 puts every point on a pixel corner: the two half-pixels at a pixel's left/right (top/bottom) side
    map to its left/right edge, and a step between two pixels maps to their shared edge or corner."""
    big = np.repeat(np.repeat(mask.astype(np.uint8), 2, axis=0), 2, axis=1)
    contours, _ = cv2.findContours(big, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    rings = []
    for c in contours:
        ring = (c.reshape(-1, 2) + 1) // 2
        ring = ring[(ring != np.vstack((ring[-1:], ring[:-1]))).any(axis=1)]  # repeats: steps across an edge
        step = np.diff(ring, axis=0, append=ring[:1])  # step[k] = ring[k+1] - ring[k], cyclically
        back = np.vstack((step[-1:], step[:-1]))
        turn = back[:, 0] * step[:, 1] - back[:, 1] * step[:, 0]
        rings.append(ring[turn != 0])  # only the corners; a ring of a nonempty mask keeps >= 4 of them
    return rings


def _polygon(mask: np.ndarray) -> np.ndarray:
    """One closed polygon (K,2) along the pixel edges of every outer contour of ``mask``: Ultralytics takes one
    polygon per row, so the pieces of a split mask (an occluded object) are joined as its own
    ``merge_multi_segment`` joins them, by zero-width bridges: from the nearest point of the polygon so far into
    the next piece, around it, and back the same way. The bridges add no area, and the polygon's bounds are the
    mask's box. Pieces are taken leftmost first (then topmost). Holes are covered (outer contours only); they
    change no box. An empty mask gives its (empty) box's corners."""
    rings = sorted(_outline(mask), key=lambda c: (c[:, 0].min(), c[:, 1].min()))
    if not rings:
        h, w = mask.shape
        return np.array([[0, 0], [w, 0], [w, h], [0, h]])
    poly = rings[0]
    for part in rings[1:]:
        d = ((poly[:, None, :] - part[None, :, :]) ** 2).sum(axis=2)
        i, j = np.unravel_index(int(d.argmin()), d.shape)
        part = np.roll(part, -j, axis=0)
        poly = np.concatenate([poly[: i + 1], part, part[:1], poly[i:]])
    return poly


def segment_rows(record: Mapping[str, Any]) -> str:
    w, h = record["width"], record["height"]
    lines = []
    for inst in labeled(record):
        x0, y0, x1, y1 = inst["bbox"]
        mask = decode(inst["rle"], h, w)[y0:y1, x0:x1]
        poly = (_polygon(mask) + (x0, y0)) / (w, h)
        coords = " ".join(f"{v:.6f}" for v in poly.ravel().tolist())
        lines.append(f"{inst['class_id'] - 1} {coords}")
    return "".join(line + "\n" for line in lines)


def image_lists(records: list[Mapping[str, Any]], splits: list[str]) -> dict[str, bytes]:
    """Ultralytics image-list files at the dataset root: ``<split>.txt`` per split (``all.txt`` without splits),
    one ``./<image path>`` per line (``./images/<split>/<name>`` with splits; Ultralytics resolves ``./`` against
    the list file's folder and reads the labels from the matching ``labels/<split>/``)."""
    groups = {s: [r for r in records if r["split"] == s] for s in splits} if splits else {"all": records}
    return {f"{s}.txt": b"".join(image_list_line(r) for r in rs) for s, rs in groups.items()}


def image_list_line(record: Mapping[str, Any]) -> bytes:
    """One line of an image list: ``./<image path>``."""
    return f"./{record['files']['image']}\n".encode()


def data_yaml(classes: list[str], splits: list[str] | None = None) -> bytes:
    """``data.yaml`` with no ``path`` key, so Ultralytics resolves its entries next to the yaml file itself.

    ``splits=None``: every image in ``images/`` trains and validates. Otherwise train/val/test point at the image
    lists of :func:`image_lists` (``[]``: one ``all.txt``, e.g. after ``--dedupe``); val falls back to test, then
    train, as Ultralytics needs a val entry."""
    if splits is None:
        doc: dict[str, Any] = {"train": "images", "val": "images"}
    elif not splits:
        doc = {"train": "all.txt", "val": "all.txt"}
    else:
        val = next((s for s in ("val", "valid", "validation", "test") if s in splits), None)
        train = "train" if "train" in splits else splits[0]
        doc = {"train": f"{train}.txt", "val": f"{val or train}.txt"}
        if "test" in splits:
            doc["test"] = "test.txt"
    doc["names"] = {i - 1: n for i, n in enumerate(classes) if i > 0}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode("utf-8")
