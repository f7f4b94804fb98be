"""Writers: pure converters from records (plus thin IO in ``simvision.sample`` and ``simvision.pipeline``).

Per-sample formats return ``{relative path: bytes}`` for one record; dataset formats for all records at the end.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

FORMATS = ("coco", "yolo", "yolo-seg", "record", "hf", "cord", "sroie", "kitti", "cityscapes", "bdd100k")
#: formats that only make sense for one generator's records
ONLY_FOR = {
    "cord": "receipt",
    "sroie": "receipt",
    "kitti": "street",
    "cityscapes": "street",
    "bdd100k": "street",
}


def entry_files(record: Mapping[str, Any], image: bytes, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Per-sample files of the requested formats (beyond image, maps, YOLO and the record itself)."""
    from simvision.writers import cityscapes, cord, kitti, sroie

    out: dict[str, bytes] = {}
    if "kitti" in formats:
        out.update(kitti.entry_files(record))
    if "cityscapes" in formats:
        out.update(cityscapes.entry_files(record))
    if "sroie" in formats:
        out.update(sroie.entry_files(record))
    if "cord" in formats:
        out.update(cord.entry_files(record, image))
    return out


def image_sets(records: list[Mapping[str, Any]], folder: str) -> dict[str, bytes]:
    """``<folder>/<split>.txt``: the sample names of each split, one per line (KITTI's ImageSets convention)."""
    out: dict[str, str] = {}
    for r in records:
        if r.get("split"):
            path = f"{folder}/{r['split']}.txt"
            out[path] = out.get(path, "") + r["name"] + "\n"
    return {k: v.encode("ascii") for k, v in out.items()}


def dataset_files(records: list[Mapping[str, Any]], formats: tuple[str, ...]) -> dict[str, bytes]:
    """Dataset-level files of the requested formats, other than COCO and YOLO's data.yaml; each honours the
    records' splits."""
    from simvision.writers import bdd100k, cord

    out: dict[str, bytes] = {}
    if "kitti" in formats:
        out.update(image_sets(records, "kitti/ImageSets"))
    if "sroie" in formats:
        out.update(image_sets(records, "sroie/ImageSets"))
    if "bdd100k" in formats:
        for path, frames in bdd100k.dataset_files(records).items():
            out[path] = (json.dumps(frames, sort_keys=True, indent=1) + "\n").encode("utf-8")
    if "cord" in formats:
        out.update(cord.dataset_files(records))
    if "hf" in formats:  # HuggingFace imagefolder: load_dataset("imagefolder", data_dir="<out>/images")
        from simvision.loaders import hf_rows

        # One metadata.jsonl per image folder: with --split the images lie in images/<split>/, which imagefolder
        # reads as its splits, and it ignores a metadata file above the split folders.
        for r, row in zip(records, hf_rows(records), strict=True):
            path = f"{r['files']['image'].rpartition('/')[0]}/metadata.jsonl"
            line = json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
            out[path] = out.get(path, b"") + line.encode("utf-8")
    return out
