"""``simvision mix``: a training set of real and synthetic images at a ratio or counts.

Every synthetic class is renamed onto the real names (``--map``, else the same name; others are dropped and
counted), the real validation and test splits are left untouched (a YOLO ``data.yaml``'s are pointed at where they
are; a COCO ``--real-val`` is copied byte for byte with its labels converted), and each image keeps its provenance
(real or synthetic, source path). Written as COCO (``coco.json``) and YOLO (``data.yaml``, ``images/``,
``labels/``); which images are picked depends only on ``--seed``, so a rerun is byte-identical.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from simvision.compare.datasets import Item, LabeledSet, check_map, load_coco, load_set, mapped_class
from simvision.errors import UserError
from simvision.io import atomic_write
from simvision.record import dumps
from simvision.rng import rng_for


def plan_counts(n_real: int, n_synth: int, ratio: float | None, counts: str | None) -> tuple[int, int]:
    """(real, synthetic) training images: ``ratio`` keeps every real image and adds synthetic ones until they are
    that share of the whole; ``counts`` is ``REAL,SYNTHETIC``. Exit 2 when the sets are too small."""
    if (ratio is None) == (counts is None):
        raise UserError("--ratio/--counts: give exactly one of them, e.g. --ratio 0.5 or --counts 200,800")
    if ratio is not None:
        if not 0.0 <= ratio < 1.0:
            raise UserError(f"--ratio: value {ratio} — the synthetic share must be in [0, 1)")
        n_s = round(n_real * ratio / (1.0 - ratio))
        if n_s > n_synth:
            raise UserError(
                f"--ratio: value {ratio} — needs {n_s} synthetic images next to {n_real} real ones; the synthetic "
                f"set has {n_synth} (generate more, or lower --ratio, or use --counts)"
            )
        return n_real, n_s
    try:
        n_r, n_s = (int(v) for v in str(counts).split(","))
    except ValueError as e:
        raise UserError(f"--counts: value {counts!r} — write REAL,SYNTHETIC, e.g. 200,800") from e
    for what, n, have in (("real", n_r, n_real), ("synthetic", n_s, n_synth)):
        if not 0 <= n <= have:
            raise UserError(
                f"--counts: value {counts!r} — {n} {what} images asked, the {what} set has {have}"
            )
    if n_r + n_s == 0:
        raise UserError(f"--counts: value {counts!r} — the training set would be empty")
    return n_r, n_s


def choose(n: int, k: int, seed: int, which: int) -> list[int]:
    """``k`` of ``n`` indices, seeded, in their original order."""
    if k >= n:
        return list(range(n))
    return sorted(int(i) for i in rng_for(seed, which, "mix").permutation(n)[:k])


def yolo_lines(it: Item, classes: Sequence[str], rename: dict[str, str | None] | None) -> list[str]:
    lines = []
    for b in it.boxes:
        name = rename.get(b.cls) if rename is not None else b.cls
        if name is None:
            continue
        x0, y0 = max(b.x, 0.0), max(b.y, 0.0)
        x1, y1 = min(b.x + b.w, it.width), min(b.y + b.h, it.height)
        if x1 <= x0 or y1 <= y0:
            continue
        cx, cy = (x0 + x1) / 2 / it.width, (y0 + y1) / 2 / it.height
        w, h = (x1 - x0) / it.width, (y1 - y0) / it.height
        lines.append(f"{classes.index(name)} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
    return lines


def mix(
    real_path: Path,
    synth_path: Path,
    out: Path,
    ratio: float | None,
    counts: str | None,
    mapping: dict[str, str],
    seed: int = 0,
    images: Path | None = None,
    real_val: Path | None = None,
) -> dict[str, Any]:
    """Write the mixed set into ``out`` (a new or empty folder); the summary that ``mix.json`` holds."""
    if out.exists() and any(out.iterdir()):
        raise UserError(f"--out: value '{out}' — exists and is not empty (mix writes a new folder)")
    real = load_set(real_path, images, splits=("train",))
    if real.layout not in ("COCO", "YOLO"):
        raise UserError(f"--real: value '{real_path}' — mix takes a YOLO data.yaml or a COCO .json")
    if real_val is not None and real.layout != "COCO":
        raise UserError(
            f"--real-val: value '{real_val}' — only for a COCO --real (data.yaml names its own val)"
        )
    synth = load_set(synth_path, splits=("train",))
    if not synth.labelled:
        raise UserError(f"--synthetic: value '{synth_path}' — has no labels")
    check_map(mapping, real, synth)
    classes = list(real.classes)
    rename = {c: mapped_class(c, mapping, classes) for c in synth.classes}
    n_r, n_s = plan_counts(len(real.items), len(synth.items), ratio, counts)
    picked = [("real", real.items[i], None) for i in choose(len(real.items), n_r, seed, 0)]
    picked += [("synthetic", synth.items[i], rename) for i in choose(len(synth.items), n_s, seed, 1)]
    coco: dict[str, Any] = {
        "info": {"description": f"simvision mix of {real.source} and {synth.source}", "seed": seed},
        "licenses": [],
        "categories": [{"id": k + 1, "name": c, "supercategory": ""} for k, c in enumerate(classes)],
        "images": [],
        "annotations": [],
    }
    provenance, dropped = [], Counter()
    for k, (source, it, ren) in enumerate(picked):
        name = f"{'real' if source == 'real' else 'synth'}_{k:06d}"
        file = f"images/train/{name}{it.path.suffix.lower()}"
        (out / "images" / "train").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(it.path, out / file)
        lines = yolo_lines(it, classes, ren)
        atomic_write(out / "labels" / "train" / f"{name}.txt", "".join(f"{ln}\n" for ln in lines).encode())
        coco["images"].append({"id": k + 1, "file_name": file, "width": it.width, "height": it.height})
        for line in lines:
            c, cx, cy, w, h = line.split()
            bw, bh = float(w) * it.width, float(h) * it.height
            bx, by = float(cx) * it.width - bw / 2, float(cy) * it.height - bh / 2
            coco["annotations"].append(
                {
                    "id": len(coco["annotations"]) + 1,
                    "image_id": k + 1,
                    "category_id": int(c) + 1,
                    "bbox": [round(bx, 2), round(by, 2), round(bw, 2), round(bh, 2)],
                    "area": round(bw * bh, 2),
                    "iscrowd": 0,
                }  # fmt: skip
            )
        if ren is not None:
            dropped.update(b.cls for b in it.boxes if ren.get(b.cls) is None)
        provenance.append(
            {"file": file, "source": source, "source_path": str(it.path), "source_name": it.name}
        )
    atomic_write(out / "coco.json", dumps(coco))
    val = _write_val(out, real, real_val, classes)
    data = {
        "train": "images/train",
        **val,
        "nc": len(classes),
        "names": dict(enumerate(classes)),
    }
    atomic_write(out / "data.yaml", yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode())
    atomic_write(out / "provenance.json", dumps(provenance))
    summary = {
        "real": real.source,
        "synthetic": synth.source,
        "seed": seed,
        "ratio": ratio,
        "counts": counts,
        "classes": classes,
        "map": {r: s for s, r in sorted(mapping.items())},
        "train": {"real": n_r, "synthetic": n_s, "synthetic_share": n_s / max(n_r + n_s, 1)},
        "dropped_synthetic_boxes": dict(sorted(dropped.items())),
        "val": val,
    }
    atomic_write(out / "mix.json", dumps(summary))
    return summary


def _write_val(out: Path, real: LabeledSet, real_val: Path | None, classes: list[str]) -> dict[str, Any]:
    """data.yaml's val/test: a YOLO set's own (absolute, untouched); a COCO --real-val copied with YOLO labels."""
    if real.layout == "YOLO":
        kept = {s: (v[0] if len(v) == 1 else v) for s, v in real.splits.items()}
        return kept or {"val": "images/train"}
    if real_val is None:
        return {"val": "images/train"}  # Ultralytics needs a val entry; none was given
    val = load_coco(real_val, real_val.parent)
    for it in val.items:
        dest = out / "images" / "val" / it.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(it.path, dest)
        missing = sorted({b.cls for b in it.boxes} - set(classes))
        if missing:
            raise UserError(
                f"--real-val: value '{real_val}' — classes {missing} are not in the training set's"
            )
        lines = yolo_lines(it, classes, None)
        atomic_write(
            (out / "labels" / "val" / it.name).with_suffix(".txt"), "".join(f"{x}\n" for x in lines).encode()
        )
    shutil.copyfile(real_val, out / "val.json")  # byte for byte; its file names are relative to images/val
    return {"val": "images/val"}


def read_provenance(out: Path) -> list[dict[str, Any]]:
    return json.loads((out / "provenance.json").read_text(encoding="utf-8"))
