"""YOLO (Ultralytics layout) from records: ``labels/<name>.txt`` beside ``images/``, and ``data.yaml``.

Detect rows are ``class cx cy w h`` normalised to [0,1]; class = class id - 1 (YOLO counts from 0, without
background). Segment rows are ``class x1 y1 x2 y2 ...``: the outer contours of the exact mask, several components
joined into one polygon by zero-width bridges (YOLO allows one polygon per row). Instances marked ``ignore`` have no
row (YOLO has no ignore region).
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


def _polygon(mask: np.ndarray) -> np.ndarray:
    """One closed polygon (K,2) covering every outer contour of ``mask``, joined at their nearest points."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    parts = sorted((c.reshape(-1, 2) for c in contours), key=lambda c: (c[:, 0].min(), c[:, 1].min()))
    poly = parts[0]
    for part in parts[1:]:
        d = np.linalg.norm(poly[:, None, :] - part[None, :, :], axis=2)
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
        poly = _polygon(mask) + (x0, y0)
        coords = " ".join(f"{x / w:.6f} {y / h:.6f}" for x, y in poly)
        lines.append(f"{inst['class_id'] - 1} {coords}")
    return "".join(line + "\n" for line in lines)


def image_lists(records: list[Mapping[str, Any]], splits: list[str]) -> dict[str, bytes]:
    """Ultralytics image-list files at the dataset root: ``<split>.txt`` per split (``all.txt`` without splits),
    one ``./images/<name>`` per line (Ultralytics resolves ``./`` against the list file's folder)."""
    groups = {s: [r for r in records if r["split"] == s] for s in splits} if splits else {"all": records}
    return {
        f"{s}.txt": "".join(f"./{r['files']['image']}\n" for r in rs).encode() for s, rs in groups.items()
    }


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
