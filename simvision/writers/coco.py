"""COCO instances from records: exact RLE segmentation, ``area`` = mask pixel count, ``bbox`` from the mask.

An instance the record marks ``ignore`` (too faint in fog, an illegible word) is written with ``iscrowd: 1``
and its exact RLE: COCOeval matches detections on it without counting them as false positives and does not count
it as a miss."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from simvision.writers.stream import Chunks, DatasetMeta, Pieces, compact

BASE_KEYS = ("id", "class_id", "class", "layer", "bbox", "area", "rle", "quad", "polygon", "text")


def categories(classes: list[str], supercategory: str = "") -> list[dict[str, Any]]:
    """COCO categories: id = class id (never 0; 0 is background and is not a category); supercategory = the
    generator (receipt, street)."""
    return [
        {"id": i, "name": name, "supercategory": supercategory} for i, name in enumerate(classes) if i > 0
    ]


def record_annotations(record: Mapping[str, Any], image_id: int, first_ann_id: int) -> list[dict[str, Any]]:
    """COCO annotations of one record, ids counting up from ``first_ann_id``."""
    anns = []
    h, w = record["height"], record["width"]
    for k, inst in enumerate(record["instances"]):
        x0, y0, x1, y1 = inst["bbox"]
        ann = {
            "id": first_ann_id + k,
            "image_id": image_id,
            "category_id": inst["class_id"],
            "segmentation": {"size": [h, w], "counts": inst["rle"]},
            "area": inst["area"],
            "bbox": [x0, y0, x1 - x0, y1 - y0],
            "iscrowd": int(bool(inst.get("ignore"))),  # COCOeval: an ignore region
            "instance_id": inst["id"],
        }
        if inst["text"]:
            ann["text"] = inst["text"]
        if inst["quad"] is not None:
            ann["quad"] = [c for pt in inst["quad"] for c in pt]
        if inst.get("polygon"):
            ann["polygon"] = [c for pt in inst["polygon"] for c in pt]
        extra = {k: v for k, v in inst.items() if k not in BASE_KEYS}
        if extra:
            ann["attributes"] = extra
        anns.append(ann)
    return anns


def records_to_coco(records: Iterable[Mapping[str, Any]], info: Mapping[str, Any]) -> dict[str, Any]:
    """A COCO instances dict from records (sorted by index). Image id = sample index + 1, stable across resumes."""
    images, anns, classes, generator = [], [], None, ""
    for rec in records:
        classes = classes or rec["classes"]
        generator = generator or rec["generator"]
        image_id = rec["index"] + 1
        images.append(
            {
                "id": image_id,
                "file_name": rec["files"]["image"],
                "width": rec["width"],
                "height": rec["height"],
            }
        )
        anns.extend(record_annotations(rec, image_id, len(anns) + 1))
    return {
        "info": dict(info),
        "licenses": [],
        "images": images,
        "annotations": anns,
        "categories": categories(classes or ["background"], generator),
    }


@dataclass
class _Doc:
    """One COCO file being streamed: its info, split (None: every record) and what it has seen so far."""

    path: str
    split: str | None
    info: Mapping[str, Any]
    images: int = 0
    annotations: int = 0
    classes: list[str] | None = None
    generator: str = ""


class CocoStream:
    """``coco.json`` (and ``coco_<split>.json``) written one record at a time, byte for byte what
    ``dumps(records_to_coco(...))`` gives: its keys sorted, so the annotations array comes first, then
    categories, the images array, info and licenses; each array is a part, joined at the end."""

    def __init__(self, meta: DatasetMeta) -> None:
        self.docs = [_Doc("coco.json", None, dict(meta.info))]
        self.docs += [_Doc(f"coco_{s}.json", s, {**meta.info, "split": s}) for s in meta.splits]

    def add(self, record: Mapping[str, Any]) -> Chunks:
        for doc in self.docs:
            if doc.split is not None and record["split"] != doc.split:
                continue
            doc.classes = doc.classes or record["classes"]
            doc.generator = doc.generator or record["generator"]
            image_id = record["index"] + 1
            image = {
                "id": image_id,
                "file_name": record["files"]["image"],
                "width": record["width"],
                "height": record["height"],
            }
            yield f"{doc.path}:images", (b"," if doc.images else b"") + compact(image)
            doc.images += 1
            anns = record_annotations(record, image_id, doc.annotations + 1)
            if anns:
                lead = b"," if doc.annotations else b""
                yield f"{doc.path}:annotations", lead + compact(anns)[1:-1]  # the list's items, one dump
                doc.annotations += len(anns)

    def finish(self) -> dict[str, Pieces]:
        out: dict[str, Pieces] = {}
        for doc in self.docs:
            cats = compact(categories(doc.classes or ["background"], doc.generator))
            out[doc.path] = [
                b'{"annotations":[',
                f"{doc.path}:annotations",
                b'],"categories":' + cats + b',"images":[',
                f"{doc.path}:images",
                b'],"info":' + compact(doc.info) + b',"licenses":[]}\n',
            ]
        return out
