"""COCO instances from records: exact RLE segmentation, ``area`` = mask pixel count, ``bbox`` from the mask.

An instance the record marks ``ignore`` (too faint in fog, an illegible word) is written with ``iscrowd: 1``
and its exact RLE: COCOeval matches detections on it without counting them as false positives and does not count
it as a miss."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simvision.writers.stream import Chunks, DatasetMeta, Pieces, compact

BASE_KEYS = ("id", "class_id", "class", "layer", "bbox", "area", "rle", "quad", "polygon", "text")
# left out of ``attributes``: character quads would grow coco.json by ~40% for receipts; records hold them
RECORD_ONLY = ("chars",)


def categories(classes: list[str], supercategory: str = "") -> list[dict[str, Any]]:
    """COCO categories: id = class id (never 0; 0 is background and is not a category); supercategory = the
    generator (receipt, street)."""
    return [
        {"id": i, "name": name, "supercategory": supercategory} for i, name in enumerate(classes) if i > 0
    ]


TRACKS_PER_CLIP = 100000  # COCO-video track id = clip index * this + the clip's track (instance) id


def image_id(record: Mapping[str, Any]) -> int:
    """A record's COCO image id: sample index + 1; a clip's frame: index x frames + frame + 1."""
    if "video_id" in record:
        return record["index"] * record["clip"]["frames"] + record["frame_id"] + 1
    return record["index"] + 1


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
        extra = {k: v for k, v in inst.items() if k not in BASE_KEYS and k not in RECORD_ONLY}
        if extra:
            ann["attributes"] = extra
        anns.append(ann)
    return anns


def records_to_coco(records: Iterable[Mapping[str, Any]], info: Mapping[str, Any]) -> dict[str, Any]:
    """A COCO instances dict from records (sorted by index). Image id = sample index + 1, stable across resumes."""
    images, anns, classes, generator = [], [], None, ""
    videos: dict[int, dict[str, Any]] = {}
    for rec in records:
        classes = classes or rec["classes"]
        generator = generator or rec["generator"]
        image = {
            "id": image_id(rec),
            "file_name": rec["files"]["image"],
            "width": rec["width"],
            "height": rec["height"],
        }
        if (
            "video_id" in rec
        ):  # a clip's frame, as TAO / YouTube-VIS: video and frame ids, track ids on annotations
            image.update(video_id=rec["video_id"] + 1, frame_id=rec["frame_id"])
            videos[rec["video_id"] + 1] = {"id": rec["video_id"] + 1, "name": rec["clip"]["name"],
                                           "fps": rec["clip"]["fps"]}  # fmt: skip
        images.append(image)
        new = record_annotations(rec, image["id"], len(anns) + 1)
        if "video_id" in rec:  # unique over the dataset: a clip's instance ids are its track ids
            for a in new:
                a["track_id"] = rec["video_id"] * TRACKS_PER_CLIP + a["instance_id"]
        anns.extend(new)
    extra = {"videos": list(videos.values())} if videos else {}
    return {
        **extra,
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
    videos: dict[int, dict[str, Any]] = field(default_factory=dict)  # a clip's entry: a few values per clip


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
            iid = image_id(record)
            image = {
                "id": iid,
                "file_name": record["files"]["image"],
                "width": record["width"],
                "height": record["height"],
            }
            if "video_id" in record:  # a clip's frame, as TAO / YouTube-VIS (see records_to_coco)
                vid = record["video_id"] + 1
                image.update(video_id=vid, frame_id=record["frame_id"])
                doc.videos[vid] = {"id": vid, "name": record["clip"]["name"], "fps": record["clip"]["fps"]}
            yield f"{doc.path}:images", (b"," if doc.images else b"") + compact(image)
            doc.images += 1
            anns = record_annotations(record, iid, doc.annotations + 1)
            if "video_id" in record:
                for a in anns:
                    a["track_id"] = record["video_id"] * TRACKS_PER_CLIP + a["instance_id"]
            if anns:
                lead = b"," if doc.annotations else b""
                yield f"{doc.path}:annotations", lead + compact(anns)[1:-1]  # the list's items, one dump
                doc.annotations += len(anns)

    def finish(self) -> dict[str, Pieces]:
        out: dict[str, Pieces] = {}
        for doc in self.docs:
            cats = compact(categories(doc.classes or ["background"], doc.generator))
            videos = b',"videos":' + compact(list(doc.videos.values())) if doc.videos else b""
            out[doc.path] = [
                b'{"annotations":[',
                f"{doc.path}:annotations",
                b'],"categories":' + cats + b',"images":[',
                f"{doc.path}:images",
                b'],"info":' + compact(doc.info) + b',"licenses":[]' + videos + b"}\n",
            ]
        return out
