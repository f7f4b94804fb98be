"""``simvision transfer``: does the synthetic part help? Train the same small detector on the real training set
mixed with synthetic images at each ``--ratios`` value (0 = real only), on the same budget (iterations, batch,
seed), and score each on the untouched real validation set with pycocotools' COCOeval (mAP50, mAP50-95, per class).

The detector is the plain-PyTorch CenterNet of ``examples/train_detector.py`` (needs the ``train`` extra: torch).
A tiny budget shows the direction, not the final numbers; raise ``--iterations`` for a real answer.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import cv2
import numpy as np

from simvision.compare.datasets import LabeledSet, load_set
from simvision.compare.mix import mix
from simvision.errors import UserError
from simvision.io import atomic_write
from simvision.record import dumps

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "train_detector.py"


def detector() -> ModuleType:
    """The example detector module (torch imported here, not before)."""
    try:
        import torch  # noqa: F401
    except ImportError as e:
        raise UserError("transfer: needs torch — pip install 'simvision[train]'") from e
    if not EXAMPLE.is_file():
        raise UserError(
            f"transfer: value '{EXAMPLE}' — the example detector is missing (run from a checkout)"
        )
    spec = importlib.util.spec_from_file_location("simvision_train_detector", EXAMPLE)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def items_of(s: LabeledSet, classes: list[str], size: tuple[int, int]) -> list[dict[str, Any]]:
    """Training items: image resized to ``size`` (RGB uint8), boxes XYXY scaled with it, labels 0..C-1."""
    out = []
    for it in s.items:
        bgr = cv2.imread(str(it.path), cv2.IMREAD_COLOR)
        img = cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), size, interpolation=cv2.INTER_AREA)
        sx, sy = size[0] / it.width, size[1] / it.height
        keep = [b for b in it.boxes if b.cls in classes and b.w > 0 and b.h > 0]
        boxes = np.array([[b.x * sx, b.y * sy, (b.x + b.w) * sx, (b.y + b.h) * sy] for b in keep], np.float32)
        labels = np.array([classes.index(b.cls) for b in keep], np.int64)
        out.append({"image": img, "boxes": boxes.reshape(-1, 4), "labels": labels})
    return out


def detect(
    td: ModuleType, model: Any, image: np.ndarray, top: int = 100
) -> list[tuple[int, float, list[float]]]:
    """(class, score, XYWH box) of the model's heat-map peaks, best first."""
    import torch
    from torch import nn

    with torch.no_grad():
        x = torch.from_numpy(image.transpose(2, 0, 1).copy()).float()[None] / 255
        heat, size, off = model(x)
        heat = heat.sigmoid()[0]
        peaks = (heat == nn.functional.max_pool2d(heat[None], 3, 1, 1)[0]) & (heat > 0.01)
        out = []
        for c, y, xx in peaks.nonzero().tolist():
            w, h = (v * td.STRIDE for v in size[0, :, y, xx].tolist())
            ox, oy = off[0, :, y, xx].tolist()
            cx, cy = (xx + ox) * td.STRIDE, (y + oy) * td.STRIDE
            out.append((c, float(heat[c, y, xx]), [cx - w / 2, cy - h / 2, w, h]))
    return sorted(out, key=lambda d: -d[1])[:top]


def coco_map(gt: list[dict], dets: list[list[tuple[int, float, list[float]]]], classes: list[str]) -> dict:
    """mAP50, mAP50-95 and per-class AP of detections on the validation items (pycocotools)."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    doc: dict[str, Any] = {"images": [], "annotations": [], "categories": []}
    doc["categories"] = [{"id": k + 1, "name": c} for k, c in enumerate(classes)]
    for i, it in enumerate(gt):
        h, w = it["image"].shape[:2]
        doc["images"].append({"id": i + 1, "width": w, "height": h})
        for (x0, y0, x1, y1), c in zip(it["boxes"].tolist(), it["labels"].tolist(), strict=True):
            a = {"id": len(doc["annotations"]) + 1, "image_id": i + 1, "category_id": c + 1, "iscrowd": 0}
            doc["annotations"].append(a | {"bbox": [x0, y0, x1 - x0, y1 - y0], "area": (x1 - x0) * (y1 - y0)})
    res = [
        {"image_id": i + 1, "category_id": c + 1, "bbox": box, "score": s}
        for i, d in enumerate(dets)
        for c, s, box in d
    ]
    empty = {"mAP50": 0.0, "mAP50-95": 0.0, "per_class": {c: {"AP50": 0.0, "AP50-95": 0.0} for c in classes}}
    if not res or not doc["annotations"]:
        return empty
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints its progress
        ground = COCO()
        ground.dataset = doc
        ground.createIndex()
        ev = COCOeval(ground, ground.loadRes(res), "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    p = ev.eval["precision"]  # (IoU thresholds, recall, class, area, max dets)

    def ap(k: int | slice, t: int | slice) -> float:
        v = p[t, :, k, 0, -1]
        return float(v[v > -1].mean()) if (v > -1).any() else 0.0

    per = {c: {"AP50": ap(k, 0), "AP50-95": ap(k, slice(None))} for k, c in enumerate(classes)}
    return {"mAP50": float(ev.stats[1]), "mAP50-95": float(ev.stats[0]), "per_class": per}


def transfer(
    real: Path,
    synthetic: Path,
    real_val: Path,
    out: Path,
    ratios: list[float],
    mapping: dict[str, str],
    iterations: int = 300,
    batch: int = 4,
    size: tuple[int, int] = (160, 120),
    seed: int = 0,
    images: Path | None = None,
) -> dict[str, Any]:
    """Train at each ratio, score on ``real_val``; write ``transfer.json`` and ``transfer.md`` into ``out``."""
    if any(s % 4 for s in size):
        raise UserError(f"--size: value {size[0]}x{size[1]} — both sides must be multiples of 4")
    td = detector()
    val = load_set(real_val, images, splits=("val",))
    rows = []
    for r in ratios:
        folder = out / f"mix_{r:g}"
        made = mix(real, synthetic, folder, r, None, mapping, seed, images)
        train_set = load_set(folder / "coco.json")
        classes = list(train_set.classes)
        model, losses = td.train(
            items_of(train_set, classes, size), len(classes), iterations, batch, seed=seed
        )
        model.eval()
        val_items = items_of(val, classes, size)
        scores = coco_map(val_items, [detect(td, model, it["image"]) for it in val_items], classes)
        n = {"real": made["train"]["real"], "synthetic": made["train"]["synthetic"]}
        rows.append({"ratio": r, "train": n, "final_loss": float(np.mean(losses[-10:])), **scores})
    result = {"iterations": iterations, "batch": batch, "size": list(size), "seed": seed, "rows": rows}
    atomic_write(out / "transfer.json", dumps(result))
    atomic_write(out / "transfer.md", table(result).encode())
    return result


def table(result: dict[str, Any]) -> str:
    classes = list(result["rows"][0]["per_class"]) if result["rows"] else []
    head = ["synthetic ratio", "real", "synthetic", "mAP50", "mAP50-95", *(f"AP50 {c}" for c in classes)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result["rows"]:
        cells = [f"{r['ratio']:g}", str(r["train"]["real"]), str(r["train"]["synthetic"]), f"{r['mAP50']:.3f}",
                 f"{r['mAP50-95']:.3f}", *(f"{r['per_class'][c]['AP50']:.3f}" for c in classes)]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
