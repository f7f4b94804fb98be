"""``simvision preview``: a contact sheet PNG of a dataset with boxes, quads and key fields drawn."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from simvision.errors import UserError
from simvision.io import atomic_write, read_rgb

# One colour per class id (RGB), and per key-field group for words.
CLASS_COLOURS = [
    (0, 0, 0),
    (255, 140, 0),
    (0, 160, 255),
    (220, 0, 220),
    (0, 200, 80),
    (255, 60, 60),
    (120, 90, 255),
]
FIELD_COLOURS = {"store": (0, 170, 0), "menu": (230, 120, 0), "sub_total": (160, 0, 200), "total": (220, 0, 0),
                 "payment": (0, 120, 200)}  # fmt: skip


def _colour(inst: dict[str, Any]) -> tuple[int, int, int]:
    cat = inst.get("category", "other")
    if cat != "other":
        return FIELD_COLOURS.get(cat.split(".")[0], (0, 0, 0))
    return CLASS_COLOURS[inst["class_id"] % len(CLASS_COLOURS)]


def draw_labels(image: np.ndarray, rec: dict[str, Any]) -> np.ndarray:
    """The image with every instance's box (thin) and quad (key fields thicker, with their category name)."""
    out = image.copy()
    for inst in rec["instances"]:
        col = _colour(inst)
        x0, y0, x1, y1 = inst["bbox"]
        keyfield = inst.get("category", "other") != "other"
        cv2.rectangle(out, (x0, y0), (x1 - 1, y1 - 1), col, 1)
        if inst["quad"] is not None and inst["class"] != "word" or keyfield:
            pts = np.round(np.array(inst["quad"])).astype(np.int32)
            cv2.polylines(out, [pts], True, col, 2 if keyfield else 1, lineType=cv2.LINE_AA)
    return out


def _legend(keys: dict[str, tuple[int, int, int]], width: int) -> np.ndarray:
    bar = np.full((28, width, 3), 255, np.uint8)
    x = 8
    for name, col in keys.items():
        cv2.rectangle(bar, (x, 8), (x + 14, 22), col, -1)
        cv2.putText(bar, name, (x + 18, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
        x += 26 + 9 * len(name)
    return bar


def contact_sheet(out: Path, count: int = 12, cols: int = 4, thumb_w: int = 360) -> np.ndarray:
    """Tile the first ``count`` samples (labels drawn) into one RGB image."""
    recs = sorted((out / "records").glob("*.json"))[:count]
    if not recs:
        raise UserError(
            f"{out}: value '{out}' — holds no samples (no records/*.json); run `simvision generate`"
        )
    tiles = []
    for p in recs:
        rec = json.loads(p.read_text(encoding="utf-8"))
        img = draw_labels(read_rgb(out / rec["files"]["image"]), rec)
        scale = thumb_w / img.shape[1]
        tile = cv2.resize(img, (thumb_w, int(round(img.shape[0] * scale))), interpolation=cv2.INTER_AREA)
        cv2.putText(
            tile, rec["name"], (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 3, cv2.LINE_AA
        )
        cv2.putText(tile, rec["name"], (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (0, 0, 0), 1, cv2.LINE_AA)
        tiles.append(tile)
    th = max(t.shape[0] for t in tiles)
    cols = min(cols, len(tiles))
    rows = -(-len(tiles) // cols)
    sheet = np.full((rows * (th + 6) + 6, cols * (thumb_w + 6) + 6, 3), 235, np.uint8)
    for k, t in enumerate(tiles):
        r, c = divmod(k, cols)
        y, x = 6 + r * (th + 6), 6 + c * (thumb_w + 6)
        sheet[y : y + t.shape[0], x : x + thumb_w] = t
    legend = {**{k.replace("_", " "): v for k, v in FIELD_COLOURS.items()}, "word (other)": CLASS_COLOURS[2],
              "receipt": CLASS_COLOURS[1], "code": CLASS_COLOURS[3]}  # fmt: skip
    return np.concatenate([_legend(legend, sheet.shape[1]), sheet])


def write_preview(out: str | Path, path: str | Path | None = None, count: int = 12) -> Path:
    out = Path(out)
    if not out.is_dir():
        raise UserError(
            f"{out}: value '{out}' — not a directory; expected a dataset made by `simvision generate`"
        )
    target = Path(path) if path else out / "preview.png"
    sheet = contact_sheet(out, count)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))
    atomic_write(target, buf.tobytes())
    return target
