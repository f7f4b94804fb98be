"""MOTChallenge and KITTI tracking ground truth of clips (records with ``video_id``/``frame_id``).

MOTChallenge (MOT16/17/20 layout, read by TrackEval and py-motmetrics): ``mot/<SEQ>/gt/gt.txt`` with rows
``frame,id,bb_left,bb_top,bb_width,bb_height,conf,class,visibility`` (frames and pixel coordinates 1-based, ``conf``
0 for ignore regions), ``mot/<SEQ>/seqinfo.ini``, the frames copied to ``mot/<SEQ>/img1/<frame>.<ext>`` and
``mot/seqmaps/SIMVISION-all.txt``. Classes: MOT16's ids for road users (pedestrian 1, person on vehicle 2, car 3,
bicycle 4, motorbike 5); trucks and buses as car (3); animals and street furniture are left out.
KITTI tracking: ``kitti_tracking/label_02/<seq>.txt`` (``frame track_id`` + the 15 KITTI object columns, 3D boxes in
each frame's level camera frame) and ``kitti_tracking/calib/<seq>.txt`` (the first frame's).
A still record counts as a one-frame sequence of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from simvision.writers import kitti

MOT_CLASSES = {"person": 1, "rider": 2, "car": 3, "truck": 3, "bus": 3, "bicycle": 4, "motorcycle": 5}
Record = Mapping[str, Any]


def video_and_frame(record: Record) -> tuple[int, int]:
    return int(record.get("video_id", record["index"])), int(record.get("frame_id", 0))


def seq_name(record: Record) -> str:
    return f"SIMVISION-{video_and_frame(record)[0]:06d}"


def mot_rows(record: Record) -> list[str]:
    _, frame = video_and_frame(record)
    rows = []
    for inst in record["instances"]:
        cls = MOT_CLASSES.get(inst["class"])
        if cls is None:
            continue
        x0, y0, x1, y1 = inst["bbox"]
        conf = 0 if inst.get("ignore") else 1
        vis = float(inst.get("visible_fraction", 1.0))
        track = inst.get("track_id", inst["id"])
        rows.append(f"{frame + 1},{track},{x0 + 1},{y0 + 1},{x1 - x0},{y1 - y0},{conf},{cls},{vis:.4f}")
    return rows


def mot_entry(record: Record, image: bytes) -> dict[str, bytes]:
    """The frame's image under ``img1/`` (MOTChallenge sequences hold their frames)."""
    _, frame = video_and_frame(record)
    ext = record["files"]["image"].rsplit(".", 1)[-1]
    return {f"mot/{seq_name(record)}/img1/{frame + 1:06d}.{ext}": image}


def _by_sequence(records: list[Record]) -> dict[int, list[Record]]:
    seqs: dict[int, list[Record]] = {}
    for r in records:
        seqs.setdefault(video_and_frame(r)[0], []).append(r)
    return {k: sorted(v, key=lambda r: video_and_frame(r)[1]) for k, v in sorted(seqs.items())}


def mot_dataset(records: list[Record]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    names = []
    for recs in _by_sequence(records).values():
        name = seq_name(recs[0])
        names.append(name)
        rows = [row for r in recs for row in mot_rows(r)]
        out[f"mot/{name}/gt/gt.txt"] = "".join(r + "\n" for r in rows).encode("ascii")
        first = recs[0]
        fps = first.get("clip", {}).get("fps", 1)
        ext = first["files"]["image"].rsplit(".", 1)[-1]
        ini = (
            f"[Sequence]\nname={name}\nimDir=img1\nframeRate={fps:g}\nseqLength={len(recs)}\n"
            f"imWidth={first['width']}\nimHeight={first['height']}\nimExt=.{ext}\n"
        )
        out[f"mot/{name}/seqinfo.ini"] = ini.encode("ascii")
    out["mot/seqmaps/SIMVISION-all.txt"] = ("name\n" + "".join(n + "\n" for n in names)).encode("ascii")
    return out


def kitti_tracking_rows(record: Record) -> list[str]:
    cam = record["render"]["camera"]
    R, C = kitti.level_rotation(cam), np.array(cam["position"])
    _, frame = video_and_frame(record)
    rows = []
    for inst in record["instances"]:
        if inst["class"] not in kitti.TYPES:
            continue
        line = kitti.kitti_object(inst, R, C)
        track = -1 if line.startswith("DontCare") else inst.get("track_id", inst["id"])
        rows.append(f"{frame} {track} {line}")
    return rows


def kitti_tracking_dataset(records: list[Record]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for video, recs in _by_sequence(records).items():
        rows = [row for r in recs for row in kitti_tracking_rows(r)]
        out[f"kitti_tracking/label_02/{video:04d}.txt"] = "".join(r + "\n" for r in rows).encode("ascii")
        out[f"kitti_tracking/calib/{video:04d}.txt"] = kitti.calib(recs[0]).encode("ascii")
    return out
