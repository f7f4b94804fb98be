"""Cityscapes ground truth from street records, laid out as the official cityscapesScripts and
``torchvision.datasets.Cityscapes`` expect::

    cityscapes/leftImg8bit/<split>/simvision/simvision_<seq>_000000_leftImg8bit.png
    cityscapes/gtFine/<split>/simvision/simvision_<seq>_000000_gtFine_{labelIds,labelTrainIds,instanceIds,color}.png

File names: the official scripts parse ``<city>_<seq>_<frame>_<type>`` (split on ``_``), so every sample is the
one-frame sequence ``<seq>`` = its index (``frame_name``), of the city ``simvision``; the split is ``train``
without ``--split``. ``leftImg8bit`` holds the sample's image as PNG (Cityscapes' format; a JPEG image is decoded
and stored losslessly, so its pixels equal those of ``images/<name>.jpg``).

Maps: ``labelIds`` / ``labelTrainIds`` (8-bit), ``instanceIds`` (16-bit: ``labelId * 1000 + k`` for classes with
instances, the labelId otherwise) and ``color`` (RGBA, the label colours, as cityscapesScripts' ``json2labelImg``
draws them). Ids and colours are Cityscapes' own (cityscapesScripts ``labels.py``); ``animal`` is Cityscapes'
``dynamic`` (5, "animal" is one of its examples; trainId 255), as are the street's distractors (class
``dynamic``: bags, boxes, e-scooters, debris); ``static`` is its ``static`` (4, trainId 255); ``ego_vehicle`` (the
camera car's bonnet and dashboard) is its ``ego vehicle`` (1, trainId 255, colour black). Instance numbers
``k`` count from 0 per class in the
order of simvision's instance ids, so the maps decode back to the instance map exactly (``instance_table`` gives
the pairing). No ``polygons.json``: the maps come from exact masks, and polygons of them would be approximations. An object the record marks ``ignore``
keeps its class in the label maps but gets no instance number (its instanceIds value is the bare labelId,
Cityscapes' group region, which the instance evaluation ignores).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from simvision.rle import decode
from simvision.splits import split_name

CITY = "simvision"
# name: (labelId, trainId, hasInstances)
LABELS = {
    "road": (7, 0, False), "sidewalk": (8, 1, False), "building": (11, 2, False), "pole": (17, 5, False),
    "traffic light": (19, 6, False), "traffic sign": (20, 7, False), "vegetation": (21, 8, False),
    "terrain": (22, 9, False), "sky": (23, 10, False), "person": (24, 11, True), "rider": (25, 12, True),
    "car": (26, 13, True), "truck": (27, 14, True), "bus": (28, 15, True), "motorcycle": (32, 17, True),
    "bicycle": (33, 18, True), "animal": (5, 255, False), "static": (4, 255, False),
    "dynamic": (5, 255, False), "ego_vehicle": (1, 255, False),
}  # fmt: skip
# labelId: RGB colour (cityscapesScripts labels.py); 0 is "unlabeled"
COLORS = {
    0: (0, 0, 0), 1: (0, 0, 0), 4: (0, 0, 0), 5: (111, 74, 0), 7: (128, 64, 128), 8: (244, 35, 232), 11: (70, 70, 70), 17: (153, 153, 153),
    19: (250, 170, 30), 20: (220, 220, 0), 21: (107, 142, 35), 22: (152, 251, 152), 23: (70, 130, 180),
    24: (220, 20, 60), 25: (255, 0, 0), 26: (0, 0, 142), 27: (0, 0, 70), 28: (0, 60, 100), 32: (0, 0, 230),
    33: (119, 11, 32),
}  # fmt: skip
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def frame_name(index: int, frame: int = 0) -> str:
    """``simvision_<seq>_<frame>``: sample ``index`` as Cityscapes' ``<city>_<seq>_<frame>`` (seq = index; a clip's
    frames keep their frame number)."""
    return f"{CITY}_{index:06d}_{frame:06d}"


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


def color_map(label: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 BGRA (for cv2.imencode) of a labelIds map: the label colours, alpha 255."""
    lut = np.zeros((256, 4), np.uint8)
    lut[:, 3] = 255
    for label_id, (r, g, b) in COLORS.items():
        lut[label_id, :3] = (b, g, r)
    return lut[label]


def _png(a: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", a)
    if not ok:
        raise RuntimeError("could not encode a Cityscapes map")
    return buf.tobytes()


def left_image(image: bytes) -> bytes:
    """The sample's encoded image as PNG bytes (as they are when already PNG)."""
    if image.startswith(_PNG_MAGIC):
        return image
    return _png(cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_COLOR))


def entry_files(record: Mapping[str, Any], image: bytes) -> dict[str, bytes]:
    label, train, inst = maps(record)
    where = (
        f"{split_name(record.get('split'))}/{CITY}/{frame_name(record['index'], record.get('frame_id', 0))}"
    )
    gt = f"cityscapes/gtFine/{where}_gtFine"
    return {
        f"cityscapes/leftImg8bit/{where}_leftImg8bit.png": left_image(image),
        f"{gt}_labelIds.png": _png(label),
        f"{gt}_labelTrainIds.png": _png(train),
        f"{gt}_instanceIds.png": _png(inst),
        f"{gt}_color.png": _png(color_map(label)),
    }
