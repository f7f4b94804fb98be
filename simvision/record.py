"""The per-sample record: a JSON document holding everything known about one sample.

``sample_to_record`` is pure; the record holds the scene name, seed, index, the whole sampled spec, every label
(box, exact RLE mask, area, quad, text, attributes) and the names of the files written beside it. Dataset-level files
(COCO, YOLO ``data.yaml``, manifest) are assembled from records alone.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import metadata
from typing import Any

import numpy as np

from simvision.rle import encode_crop
from simvision.types import Instances, Sample

RECORD_VERSION = 1
_VERSIONED = ("simvision", "numpy", "opencv-python-headless", "pillow", "pycocotools", "faker", "scipy")


@cache
def versions() -> dict[str, str]:
    """Versions of the packages whose output bytes a dataset depends on (read once per process)."""
    out = {}
    for name in _VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def instance_rows(sample: Sample) -> list[dict[str, Any]]:
    """One dict per instance: id, class, layer, box (XYXY, exclusive max), area, RLE, quad, text, attributes."""
    inst = sample.instances
    h, w = sample.image.shape[:2]
    rows = []
    for r in range(len(inst)):
        iid, layer = int(inst.instance_id[r]), int(inst.layer[r])
        x0, y0, x1, y1 = (int(v) for v in inst.boxes[r])  # boxes are the bounds of the map pixels
        crop = sample.maps[layer][y0:y1, x0:x1] == iid
        quad = inst.quads[r]
        row = {
            "id": iid,
            "class_id": int(inst.class_id[r]),
            "class": sample.classes[int(inst.class_id[r])],
            "layer": layer,
            "bbox": [int(v) for v in inst.boxes[r]],
            "area": int(crop.sum()),
            "rle": encode_crop(crop, x0, y0, h, w),
            "quad": None
            if np.isnan(quad).any()
            else [[round(float(x), 2), round(float(y), 2)] for x, y in quad],
            "text": inst.text[r],
        }
        row.update({k: _jsonable(v[r]) for k, v in sorted(inst.attrs.items())})
        if inst.polygons is not None and inst.polygons[r] is not None:
            row["polygon"] = [[round(float(x), 2), round(float(y), 2)] for x, y in inst.polygons[r]]
        rows.append(row)
    return rows


def key_fields(inst: Instances) -> dict[str, list[str]]:
    """Visible key-field values (instances with a ``category`` attr): per category, the texts of its (line, group) runs of words, in print order."""
    runs: dict[tuple[str, int, int], list[str]] = {}
    for r in range(len(inst)):
        cat = str(inst.attrs["category"][r])
        if cat != "other":
            runs.setdefault((cat, int(inst.attrs["line"][r]), int(inst.attrs["group"][r])), []).append(
                inst.text[r]
            )
    out: dict[str, list[str]] = {}
    for (cat, _, _), words in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        out.setdefault(cat, []).append(" ".join(words))
    return out


def sample_to_record(sample: Sample, name: str, files: dict[str, Any]) -> dict[str, Any]:
    """The full record of one sample. ``files`` names the image and map files (relative to the dataset root)."""
    h, w = sample.image.shape[:2]
    meta = dict(sample.meta)
    return {
        "record_version": RECORD_VERSION,
        "name": name,
        "scene": meta.pop("scene"),
        "generator": meta.pop("generator"),
        "seed": meta.pop("seed"),
        "index": meta.pop("index"),
        "width": w,
        "height": h,
        "files": files,
        "classes": list(sample.classes),
        "instances": instance_rows(sample),
        "spec": meta.pop("spec"),
        "key_fields": key_fields(sample.instances) if "category" in sample.instances.attrs else {},
        "render": meta,
        "versions": versions(),
    }


def dumps(obj: Any) -> bytes:
    """Canonical JSON bytes (sorted keys, fixed separators, UTF-8, trailing newline): byte-stable across runs."""
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
