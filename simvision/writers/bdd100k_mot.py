"""BDD100K MOT (``box_track``) ground truth of clips, in BDD100K's own layout so its tools and loaders read it as is.

One JSON per video, ``bdd100k/labels/box_track_20/<split>/<videoName>.json``: a list of frames in order, each
``{name, videoName, frameIndex, labels}``, a label ``{id, category, box2d, attributes: {occluded, truncated,
crowd}}`` with ``id`` the track id as a string (stable for the clip). The frames are copied to
``bdd100k/images/track/<split>/<videoName>/<name>`` (BDD100K's ``images/track`` tree, which loaders join as
``<prefix>/<videoName>/<name>``). ``videoName`` is ``simvision-<clip index>``, ``name`` ``<videoName>-<frame + 1,
7 digits>.<ext>`` as BDD100K numbers its frames; no --split: the folder ``simvision``.

Categories are BDD100K's eight tracking classes (``bdd100k/configs/box_track.toml``; person -> pedestrian; no
street object is a train); animals and street furniture are left out. ``box2d`` is inclusive, as Scalabel reads it
(see :mod:`simvision.writers.bdd100k`). ``occluded``: visible fraction below 0.9; ``truncated``: part of the
amodal box outside the frame; ``crowd``: the record marks the object ``ignore`` (too faint to label): BDD100K's
MOT evaluation turns a crowd box into an ignore region, neither a hit nor a miss. A still record counts as a
one-frame video of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from simvision.writers.kitti import OCCLUSION_THRESHOLDS
from simvision.writers.mot import video_and_frame

TRACK_CATEGORIES = {"person": "pedestrian", "rider": "rider", "car": "car", "truck": "truck", "bus": "bus",
                    "motorcycle": "motorcycle", "bicycle": "bicycle"}  # fmt: skip
Record = Mapping[str, Any]


def video_name(record: Record) -> str:
    return f"simvision-{video_and_frame(record)[0]:06d}"


def _split(record: Record) -> str:
    return record.get("split") or "simvision"


def frame_file_name(record: Record) -> str:
    ext = record["files"]["image"].rsplit(".", 1)[-1]
    return f"{video_name(record)}-{video_and_frame(record)[1] + 1:07d}.{ext}"


def label_path(record: Record) -> str:
    return f"bdd100k/labels/box_track_20/{_split(record)}/{video_name(record)}.json"


def image_path(record: Record) -> str:
    return f"bdd100k/images/track/{_split(record)}/{video_name(record)}/{frame_file_name(record)}"


def labels(record: Record) -> list[dict[str, Any]]:
    out = []
    for inst in record["instances"]:
        # an inclusive box cannot hold an object with no visible pixel (one an augmentation cropped away)
        if inst["class"] not in TRACK_CATEGORIES or inst["area"] == 0:
            continue
        x0, y0, x1, y1 = inst["bbox"]
        out.append(
            {
                "id": str(inst.get("track_id", inst["id"])),
                "category": TRACK_CATEGORIES[inst["class"]],
                "attributes": {
                    "occluded": inst["visible_fraction"] < OCCLUSION_THRESHOLDS[0],
                    "truncated": inst["truncation"] > 0,
                    "crowd": bool(inst.get("ignore")),
                },
                "box2d": {"x1": float(x0), "y1": float(y0), "x2": float(x1 - 1), "y2": float(y1 - 1)},
            }
        )
    return out


def frame(record: Record) -> dict[str, Any]:
    return {
        "name": frame_file_name(record),
        "videoName": video_name(record),
        "frameIndex": video_and_frame(record)[1],
        "labels": labels(record),
    }


def items(record: Record) -> Iterable[tuple[str, dict[str, Any]]]:
    """The frame's entry in its video's label file (records arrive in index order: a clip's frames in order)."""
    yield label_path(record), frame(record)


def entry(record: Record, image: bytes) -> dict[str, bytes]:
    """The frame's image in BDD100K's ``images/track`` tree."""
    return {image_path(record): image}
