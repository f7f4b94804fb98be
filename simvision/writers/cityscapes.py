"""Cityscapes-style ground truth from street records: ``*_gtFine_labelIds.png``, ``*_gtFine_labelTrainIds.png``,
``*_gtFine_instanceIds.png`` (16-bit: ``labelId * 1000 + k`` for classes with instances, the labelId otherwise).

Ids are Cityscapes' own (cityscapesScripts ``labels.py``); ``animal`` is Cityscapes' ``dynamic`` (5, "animal" is
one of its examples; trainId 255). Instance numbers ``k`` count from 0 per class in the order of simvision's
instance ids, so the maps decode back to the instance map exactly (``instance_table`` gives the pairing). An object
the record marks ``ignore`` keeps its class in the label maps but gets no instance number (its instanceIds value is
the bare labelId, Cityscapes' group region, which the instance evaluation ignores). Files go
to ``cityscapes/gtFine/<split>/simvision/`` (the city is ``simvision``; the split ``train`` without ``--split``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from simvision.rle import decode
from simvision.splits import split_name

# name: (labelId, trainId, hasInstances)
LABELS = {
    "road": (7, 0, False), "sidewalk": (8, 1, False), "building": (11, 2, False), "pole": (17, 5, False),
    "traffic light": (19, 6, False), "traffic sign": (20, 7, False), "vegetation": (21, 8, False),
    "terrain": (22, 9, False), "sky": (23, 10, False), "person": (24, 11, True), "rider": (25, 12, True),
    "car": (26, 13, True), "truck": (27, 14, True), "bus": (28, 15, True), "motorcycle": (32, 17, True),
    "bicycle": (33, 18, True), "animal": (5, 255, False),
}  # fmt: skip


def instance_table(record: Mapping[str, Any]) -> dict[int, int]:
    """simvision instance id -> Cityscapes instanceIds value."""
    counters: dict[str, int] = {}
    out = {}
    for inst in sorted(record["instances"], key=lambda i: i["id"]):
        label_id, _, has = LABELS[inst["class"]]
        if has and not inst.get("ignore"):  # an ignored object is a group region: labelId alone, no instance
            k = counters.get(inst["class"], 0)
            counters[inst["class"]] = k + 1
            out[inst["id"]] = label_id * 1000 + k
        else:
            out[inst["id"]] = label_id
    return out


def maps(record: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labelIds uint8, labelTrainIds uint8, instanceIds uint16) of one record, from its exact RLE masks."""
    h, w = record["height"], record["width"]
    label = np.zeros((h, w), np.uint8)
    train = np.full((h, w), 255, np.uint8)
    inst_ids = np.zeros((h, w), np.uint16)
    table = instance_table(record)
    for inst in record["instances"]:
        m = decode(inst["rle"], h, w)
        label_id, train_id, _ = LABELS[inst["class"]]
        label[m], train[m], inst_ids[m] = label_id, train_id, table[inst["id"]]
    return label, train, inst_ids


def _png(a: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", a)
    if not ok:
        raise RuntimeError("could not encode a Cityscapes map")
    return buf.tobytes()


def entry_files(record: Mapping[str, Any]) -> dict[str, bytes]:
    label, train, inst = maps(record)
    stem = f"cityscapes/gtFine/{split_name(record.get('split'))}/simvision/{record['name']}_gtFine"
    return {
        f"{stem}_labelIds.png": _png(label),
        f"{stem}_labelTrainIds.png": _png(train),
        f"{stem}_instanceIds.png": _png(inst),
    }
