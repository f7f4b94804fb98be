"""Read a clip dataset back for training: one item per clip (``scenes/street_clips.yaml``), numpy arrays only.

    clips = ClipDataset("outputs/clips")     # len(clips), clips[i] -> dict (T frames)
    item = clips[0]
    item["frames"]            # (T, H, W, 3) uint8 RGB
    item["instance_maps"]     # (T, H, W) int32, instance id = track id (0: none)
    item["boxes"][t]          # (N_t, 4) float32 x0, y0, x1, y1 (exclusive), of frame t
    item["track_ids"][t]      # (N_t,) int64, stable for the clip
    item["flow_forward"]      # (T-1, H, W, 2) float32 px, frame t -> t+1 (the exact ``.flo`` files)
    item["flow_forward_status"]  # (T-1, H, W) uint8: 0 valid, bits 1 out of frame, 2 occluded, 4 articulated
    item["camera_K"], item["camera_R"], item["camera_position"]  # (T, 3, 3), (T, 3, 3) world->camera, (T, 3)

Clips are read from their commit markers ``clips/<index>.json`` (a clip without one is unfinished and not listed);
every path found in a marker or record is resolved inside the dataset and read with a size cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from simvision.dataset_paths import (
    capped,
    inside,
    read_capped,
    read_json,
    read_manifest,
    record_file,
    record_maps,
    record_path,
)
from simvision.errors import UserError
from simvision.io import read_depth, read_ids, read_rgb
from simvision.world.flow import decode_flo


class ClipDataset:
    """The finished clips of ``root`` in index order. ``classes`` keeps only boxes of those class names;
    ``skip_too_faint`` drops objects marked ``ignore``; ``split`` keeps the clips of one split;
    ``transform(item) -> item`` runs last."""

    def __init__(
        self,
        root: str | Path,
        classes: Sequence[str] | None = None,
        transform: Any = None,
        skip_too_faint: bool = True,
        split: str | None = None,
    ) -> None:
        self.root = Path(root)
        manifest, self.class_names = read_manifest(self.root, classes)
        kept = {s["name"] for s in manifest["samples"]}
        self.clips: list[dict[str, Any]] = []
        for path in sorted((self.root / "clips").glob("*.json")):
            clip = read_json(inside(self.root, f"clips/{path.name}", "clips/"), str(path))
            if not isinstance(clip, dict) or not isinstance(clip.get("frames"), list):
                raise UserError(f"{path}: value — a clip marker with a list of frames expected")
            if split is not None and clip.get("split") != split:
                continue
            if all(name in kept for name in clip["frames"]):  # a clip the manifest lists in full
                self.clips.append(clip)
        if not self.clips:
            raise UserError(
                f"{self.root}: value '{self.root}' — holds no finished clips (clips/*.json"
                + (f" of split {split!r})" if split else ")")
                + "; generate a scene with a `sequence`"
            )
        self.keep = set(classes) if classes else None
        self.transform, self.skip_too_faint = transform, skip_too_faint

    def __len__(self) -> int:
        return len(self.clips)

    def records(self, i: int) -> list[dict[str, Any]]:
        """The frame records of clip ``i``, in frame order."""
        clip = self.clips[i]
        out = []
        for k, name in enumerate(clip["frames"]):
            path = record_path(self.root, name, f"clips/{clip['name']}.json: frames[{k}]")
            rec = read_json(path, str(path))
            if not isinstance(rec, dict):
                raise UserError(f"{path}: value {type(rec).__name__} — a record object expected")
            out.append(rec)
        return out

    def _frame(self, rec: dict[str, Any]) -> dict[str, Any]:
        where = f"records/{rec['name']}.json"
        insts = [
            x
            for x in rec["instances"]
            if (self.keep is None or x["class"] in self.keep)
            and not (self.skip_too_faint and x.get("ignore"))
        ]
        maps = [read_ids(capped(p, f"{where}: files.maps")) for p in record_maps(self.root, rec, where)]
        flat = maps[0].copy()
        for m in maps[1:]:
            np.copyto(flat, m, where=m != 0)
        nan3 = [np.nan] * 3
        frame: dict[str, Any] = {
            "image": read_rgb(capped(record_file(self.root, rec, "image", where), f"{where}: files.image")),
            "instance_map": flat,
            "boxes": np.array([x["bbox"] for x in insts], np.float32).reshape(-1, 4),
            "track_ids": np.array([x.get("track_id", x["id"]) for x in insts], np.int64),
            "class_ids": np.array([x["class_id"] for x in insts], np.int64),
            # world-frame m/s; NaN where the record has none (an object with no 3D box)
            "velocities": np.array([x.get("velocity", nan3) for x in insts], np.float32).reshape(-1, 3),
        }
        if "depth" in rec["files"]:
            frame["depth"] = read_depth(
                capped(record_file(self.root, rec, "depth", where), f"{where}: files.depth")
            )
        return frame

    def _flow(self, rec: dict[str, Any], key: str) -> tuple[np.ndarray, np.ndarray]:
        """The record's ``.flo`` flow and its status map (``files.flow.<key>`` / ``<key>_status``)."""
        where = f"records/{rec['name']}.json: files.flow"
        paths = rec["files"].get("flow")
        if not isinstance(paths, dict) or key not in paths:
            raise UserError(f"{where}.{key}: value missing — a clip frame names its {key} flow")
        flow = decode_flo(read_capped(inside(self.root, paths[key], f"{where}.{key}"), f"{where}.{key}"))
        data = read_capped(inside(self.root, paths[f"{key}_status"], f"{where}.{key}_status"), where)
        status = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if status is None:
            raise UserError(f"{where}.{key}_status: value {paths[f'{key}_status']!r} — not a PNG")
        return flow, status

    def __getitem__(self, i: int) -> dict[str, Any]:
        clip, recs = self.clips[i], self.records(i)
        frames = [self._frame(r) for r in recs]
        fw = [self._flow(r, "forward") for r in recs[:-1]]  # the last frame has no next one
        bw = [self._flow(r, "backward") for r in recs[1:]]  # nor the first a previous one
        h, w = frames[0]["instance_map"].shape
        cams = [r["render"]["camera"] for r in recs]
        item: dict[str, Any] = {
            "name": clip["name"],
            "index": clip["index"],
            "fps": float(clip["fps"]),
            "frame_names": list(clip["frames"]),
            "frames": np.stack([f["image"] for f in frames]),
            "instance_maps": np.stack([f["instance_map"] for f in frames]),
            "boxes": [f["boxes"] for f in frames],
            "track_ids": [f["track_ids"] for f in frames],
            "class_ids": [f["class_ids"] for f in frames],
            "velocities": [f["velocities"] for f in frames],
            "flow_forward": np.stack([f for f, _ in fw]) if fw else np.zeros((0, h, w, 2), np.float32),
            "flow_forward_status": np.stack([s for _, s in fw]) if fw else np.zeros((0, h, w), np.uint8),
            "flow_backward": np.stack([f for f, _ in bw]) if bw else np.zeros((0, h, w, 2), np.float32),
            "flow_backward_status": np.stack([s for _, s in bw]) if bw else np.zeros((0, h, w), np.uint8),
            "camera_K": np.array([c["K"] for c in cams], np.float64),
            "camera_R": np.array([c["R_world_to_cam"] for c in cams], np.float64),
            "camera_position": np.array([c["position"] for c in cams], np.float64),
            "cameras": cams,
        }
        if all("depth" in f for f in frames):
            item["depth"] = np.stack([f["depth"] for f in frames])
        return self.transform(item) if self.transform else item
