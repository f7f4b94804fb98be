"""``simvision preview``: a contact sheet PNG of a dataset with boxes, quads and key fields drawn."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from simvision.errors import UserError
from simvision.io import atomic_write, read_rgb
from simvision.registry import get_generator

# One colour per class id (RGB, matplotlib's tab20 order), and per key-field group for words.
CLASS_COLOURS = [
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
    (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207), (174, 199, 232), (255, 187, 120),
    (152, 223, 138), (255, 152, 150), (197, 176, 213), (196, 156, 148), (247, 182, 210), (219, 219, 141),
]  # fmt: skip
# Key-field groups (the part of an instance's ``category`` before the first dot) in strong colours, picked by a
# stable hash of the group name, so any kind's fields get the same colour in every preview (11 colours: the
# receipt's five groups hash to five different ones).
FIELD_PALETTE = [(0, 170, 0), (230, 120, 0), (160, 0, 200), (220, 0, 0), (0, 120, 200), (0, 150, 150),
                 (200, 0, 120), (120, 90, 0), (90, 90, 230), (110, 160, 0), (170, 60, 60)]  # fmt: skip


def field_colour(group: str) -> tuple[int, int, int]:
    return FIELD_PALETTE[zlib.crc32(group.encode("utf-8")) % len(FIELD_PALETTE)]


def _colour(inst: dict[str, Any]) -> tuple[int, int, int]:
    cat = inst.get("category", "other")
    if cat != "other":
        return field_colour(cat.split(".")[0])
    return CLASS_COLOURS[inst["class_id"] % len(CLASS_COLOURS)]


def draw_labels(image: np.ndarray, rec: dict[str, Any]) -> np.ndarray:
    """The image with every instance's box (thin) and quad (key fields thicker, with their category name); the
    kind's background ("stuff") classes are left undrawn, and text quads only where they are key fields."""
    out = image.copy()
    kind = get_generator(rec["generator"])
    for inst in rec["instances"]:
        if inst["class"] in kind.stuff:
            continue
        col = _colour(inst)
        x0, y0, x1, y1 = inst["bbox"]
        keyfield = inst.get("category", "other") != "other"
        cv2.rectangle(out, (x0, y0), (x1 - 1, y1 - 1), col, 1)
        if inst["quad"] is not None and inst["class"] not in kind.text_classes or keyfield:
            pts = np.round(np.array(inst["quad"])).astype(np.int32)
            cv2.polylines(out, [pts], True, col, 2 if keyfield else 1, lineType=cv2.LINE_AA)
    return out


def _legend(keys: dict[str, tuple[int, int, int]], width: int) -> np.ndarray:
    rows, x = [[]], 8
    for name in keys:  # wrap onto more rows when the names do not fit
        w = 26 + 9 * len(name)
        if x + w > width and rows[-1]:
            rows.append([])
            x = 8
        rows[-1].append(name)
        x += w
    return np.concatenate([_legend_row({k: keys[k] for k in row}, width) for row in rows])


def _legend_row(keys: dict[str, tuple[int, int, int]], width: int) -> np.ndarray:
    bar = np.full((28, width, 3), 255, np.uint8)
    x = 8
    for name, col in keys.items():
        cv2.rectangle(bar, (x, 8), (x + 14, 22), col, -1)
        cv2.putText(bar, name, (x + 18, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
        x += 26 + 9 * len(name)
    return bar


def contact_sheet(records: list[tuple[Path, Path]], cols: int = 4, thumb_w: int = 360) -> np.ndarray:
    """Tile samples (``(dataset root, record path)`` pairs), labels drawn, into one RGB image with a legend."""
    tiles, drawn = [], []
    for root, p in records:
        rec = json.loads(p.read_text(encoding="utf-8"))
        drawn.append(rec)
        img = draw_labels(read_rgb(root / rec["files"]["image"]), rec)
        scale = thumb_w / img.shape[1]
        tile = cv2.resize(img, (thumb_w, int(round(img.shape[0] * scale))), interpolation=cv2.INTER_AREA)
        label = f"{rec['scene']}/{rec['name']}"
        cv2.putText(tile, label, (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 3, cv2.LINE_AA)
        cv2.putText(tile, label, (6, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
        tiles.append(tile)
    cols = min(cols, len(tiles))
    rows = -(-len(tiles) // cols)
    heights = [
        max(t.shape[0] for t in tiles[r * cols : (r + 1) * cols]) for r in range(rows)
    ]  # tall receipts, low streets
    tops = np.cumsum([6] + [h + 6 for h in heights])
    sheet = np.full((int(tops[-1]), cols * (thumb_w + 6) + 6, 3), 235, np.uint8)
    for k, t in enumerate(tiles):
        r, c = divmod(k, cols)
        y, x = int(tops[r]), 6 + c * (thumb_w + 6)
        sheet[y : y + t.shape[0], x : x + thumb_w] = t
    return np.concatenate([_legend(legend(drawn), sheet.shape[1]), sheet])


def legend(records: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    """Colours of what the drawn records show: key-field groups (receipts), then every boxed class."""
    out: dict[str, tuple[int, int, int]] = {}
    insts = [
        i for r in records for i in r["instances"] if i["class"] not in get_generator(r["generator"]).stuff
    ]
    groups = sorted({i["category"].split(".")[0] for i in insts if i.get("category", "other") != "other"})
    out.update({g.replace("_", " "): field_colour(g) for g in groups})
    for i in sorted(insts, key=lambda i: i["class_id"]):
        out.setdefault(i["class"], CLASS_COLOURS[i["class_id"] % len(CLASS_COLOURS)])
    return out


def _records(out: Path, count: int) -> list[tuple[Path, Path]]:
    if not out.is_dir():
        raise UserError(
            f"{out}: value '{out}' — not a directory; expected a dataset made by `simvision generate`"
        )
    recs = sorted((out / "records").glob("*.json"))[:count]
    if not recs:
        raise UserError(
            f"{out}: value '{out}' — holds no samples (no records/*.json); run `simvision generate`"
        )
    return [(out, p) for p in recs]


def _write_png(target: Path, rgb: np.ndarray) -> Path:
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    atomic_write(target, buf.tobytes())
    return target


def write_overview(datasets: list[Path], path: Path, per_dataset: int = 4) -> Path:
    """One contact sheet with the first ``per_dataset`` samples of each dataset, one row per dataset."""
    recs = [r for d in datasets for r in _records(d, per_dataset)]
    return _write_png(path, contact_sheet(recs, cols=per_dataset))


def write_preview(out: str | Path, path: str | Path | None = None, count: int = 12) -> Path:
    """Write ``<out>/preview.png`` (or ``path``): the first ``count`` samples with their labels drawn; a clip
    dataset also gets ``preview_<clip>.gif`` (boxes, track ids, flow arrows) beside it for its first clips."""
    out = Path(out)
    target = _write_png(Path(path) if path else out / "preview.png", contact_sheet(_records(out, count)))
    if (out / "clips").is_dir():  # clips: an animated GIF of each of the first few beside the sheet
        from simvision.quality.preview_clip import write_clip_previews

        write_clip_previews(out, target.parent, count=min(count, 4))
    return target
