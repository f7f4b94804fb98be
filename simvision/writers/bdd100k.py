"""BDD100K detection labels (Scalabel JSON) from street records: one frame per image with the image attributes
(``weather``, ``timeofday``, ``scene``) and per object ``category``, ``box2d`` and ``occluded`` / ``truncated``
flags (occluded: visible fraction below 0.9, the KITTI level-0 threshold; truncated: any part of the amodal box
outside the frame). Traffic lights carry ``trafficLightColor`` from the lit lens.

``box2d`` is inclusive, as Scalabel reads it (``x2`` is the last pixel column of the object, width = x2 - x1 + 1):
the record's exclusive ``bbox`` edges minus one. Categories are those of BDD100K's detection config
(``bdd100k/configs/det.toml``; person -> pedestrian). Its evaluator rejects any other category, and BDD100K has no
animal class, so animals are left out here (they stay in the record, COCO, and Cityscapes as ``dynamic``). Objects the record marks
``ignore`` carry ``ignored: true``, which scalabel's evaluation turns into a COCO ignore region (``iscrowd``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from simvision.writers.kitti import OCCLUSION_THRESHOLDS

CATEGORIES = {"person": "pedestrian", "rider": "rider", "car": "car", "truck": "truck", "bus": "bus",
              "motorcycle": "motorcycle", "bicycle": "bicycle", "traffic light": "traffic light",
              "traffic sign": "traffic sign"}  # fmt: skip
LIGHT_COLOURS = ("red", "yellow", "green")


def frame(record: Mapping[str, Any]) -> dict[str, Any]:
    objects = {o["id"]: o for o in record["spec"]["objects"]}
    labels = []
    for inst in record["instances"]:
        # an inclusive box cannot hold an object with no visible pixel (one an augmentation cropped away)
        if inst["class"] not in CATEGORIES or inst["area"] == 0:
            continue
        x0, y0, x1, y1 = inst["bbox"]
        attrs: dict[str, Any] = {
            "occluded": inst["visible_fraction"] < OCCLUSION_THRESHOLDS[0],
            "truncated": inst["truncation"] > 0,
            "tooFaint": bool(inst.get("too_faint")),
            "ignored": bool(inst.get("ignore")),  # scalabel's to_coco: iscrowd, an ignore region in its eval
        }
        if inst["class"] == "traffic light":
            attrs["trafficLightColor"] = LIGHT_COLOURS[objects[inst["id"]]["variant"]]
        labels.append(
            {
                "id": str(inst["id"]),
                "category": CATEGORIES[inst["class"]],
                "attributes": attrs,
                "box2d": {"x1": float(x0), "y1": float(y0), "x2": float(x1 - 1), "y2": float(y1 - 1)},
            }
        )
    return {
        "name": record["files"]["image"].split("/")[-1],
        "url": record["files"]["image"],
        "attributes": dict(record["render"]["attributes"]),
        "timestamp": 10000,
        "labels": labels,
    }


def dataset_files(records: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``bdd100k/labels/det_<split>.json`` per split (as BDD100K names det_train / det_val); without --split one
    ``det_simvision.json``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        out.setdefault(frame_path(r), []).append(frame(r))
    return out


def frame_path(record: Mapping[str, Any]) -> str:
    return f"bdd100k/labels/det_{record.get('split') or 'simvision'}.json"
