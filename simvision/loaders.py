"""Read a simvision dataset back for training: a map-style dataset (PyTorch-compatible, no torch import unless
asked for tensors) and the HuggingFace ``imagefolder`` metadata the ``hf`` format writes.

    ds = SimvisionDataset("outputs/street")          # len(ds), ds[i] -> dict of numpy arrays
    ds = SimvisionDataset("outputs/street", tensors=True, classes=("car", "person"))
    torch.utils.data.DataLoader(ds, batch_size=8, collate_fn=collate)
    clips = ClipDataset("outputs/clips")              # clips[i] -> one clip: frames, maps, tracks, flow, poses
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from simvision.clip_loader import ClipDataset as ClipDataset  # re-exported: the loaders live here
from simvision.dataset_paths import (
    capped,
    read_json,
    read_manifest,
    record_file,
    record_maps,
    record_path,
)
from simvision.errors import UserError
from simvision.io import read_depth, read_ids, read_rgb


class SimvisionDataset:
    """Samples of ``root`` in index order. ``classes`` keeps only instances of those class names (boxes, ids...);
    ``tensors`` returns torch tensors (image CHW float32 in 0..1); ``transform(item) -> item`` runs last."""

    def __init__(
        self,
        root: str | Path,
        classes: Sequence[str] | None = None,
        tensors: bool = False,
        transform: Any = None,
        skip_too_faint: bool = True,
        split: str | None = None,
    ) -> None:
        self.root = Path(root)
        manifest, self.class_names = read_manifest(self.root, classes)
        splits = sorted({s.get("split") for s in manifest["samples"]} - {None})
        if split is not None and split not in splits:
            raise UserError(f"split: value {split!r} — this dataset has splits {splits or '(none)'}")
        excluded = {e["index"] for e in manifest.get("excluded", [])}  # dropped by --dedupe
        self.records = [
            record_path(self.root, s["name"], "manifest.json: samples[].name")
            for s in manifest["samples"]
            if s["index"] not in excluded and (split is None or s.get("split") == split)
        ]
        if not self.records:
            raise UserError(f"{self.root}: value '{self.root}' — holds no samples (no records/*.json)")
        self.keep = set(classes) if classes else None
        self.tensors, self.transform, self.skip_too_faint = tensors, transform, skip_too_faint

    def __len__(self) -> int:
        return len(self.records)

    def record(self, i: int) -> dict[str, Any]:
        rec = read_json(self.records[i], str(self.records[i]))
        if not isinstance(rec, dict):
            raise UserError(f"{self.records[i]}: value {type(rec).__name__} — a record object expected")
        return rec

    def __getitem__(self, i: int) -> dict[str, Any]:
        rec = self.record(i)
        insts = [
            x
            for x in rec["instances"]
            if (self.keep is None or x["class"] in self.keep)
            and not (self.skip_too_faint and x.get("ignore"))  # too faint or illegible: not a fair target
        ]
        where = str(self.records[i])
        maps = [read_ids(capped(p, f"{where}: files.maps")) for p in record_maps(self.root, rec, where)]
        flat = maps[0].copy()
        for m in maps[1:]:
            np.copyto(flat, m, where=m != 0)
        item: dict[str, Any] = {
            "name": rec["name"],
            "image": read_rgb(capped(record_file(self.root, rec, "image", where), f"{where}: files.image")),
            "instance_map": flat,
            "boxes": np.array([x["bbox"] for x in insts], np.float32).reshape(-1, 4),
            "class_ids": np.array([x["class_id"] for x in insts], np.int64),
            "instance_ids": np.array([x["id"] for x in insts], np.int64),
            "quads": np.array(
                [x["quad"] if x["quad"] is not None else np.full((4, 2), np.nan) for x in insts], np.float32
            ).reshape(-1, 4, 2),
            "text": [x["text"] for x in insts],
        }
        if "depth" in rec["files"]:
            item["depth"] = read_depth(
                capped(record_file(self.root, rec, "depth", where), f"{where}: files.depth")
            )
        if self.tensors:
            item = to_tensors(item)
        return self.transform(item) if self.transform else item


def to_tensors(item: dict[str, Any]) -> dict[str, Any]:
    """numpy arrays -> torch tensors (image to CHW float32 0..1); imports torch only here."""
    import torch

    out = dict(item)
    out["image"] = torch.from_numpy(np.ascontiguousarray(item["image"].transpose(2, 0, 1))).float() / 255.0
    for k in ("instance_map", "boxes", "class_ids", "instance_ids", "quads", "depth"):
        if k in item:
            out[k] = torch.from_numpy(np.ascontiguousarray(item[k]))
    return out


def collate(batch: list[dict[str, Any]]) -> dict[str, Any]:
    """Stack images (same size), keep per-image label arrays as lists."""
    import torch

    out: dict[str, Any] = {"image": torch.stack([b["image"] for b in batch])}
    for k in batch[0]:
        if k != "image":
            out[k] = [b[k] for b in batch]
    return out


def hf_rows(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``images/metadata.jsonl`` rows for HuggingFace ``imagefolder``: file name, size and an ``objects`` column
    (COCO-style ``bbox`` [x, y, w, h], ``category`` = class id, ``area``, ``id``, ``text``, ``ignore``)."""
    rows = []
    for r in records:
        objs = r["instances"]
        rows.append(
            {
                "file_name": r["files"]["image"].split("/")[-1],
                "split": r.get("split") or "train",
                "tags": r.get("tags", []),
                "width": r["width"],
                "height": r["height"],
                "objects": {
                    "id": [o["id"] for o in objs],
                    "bbox": [
                        [o["bbox"][0], o["bbox"][1], o["bbox"][2] - o["bbox"][0], o["bbox"][3] - o["bbox"][1]]
                        for o in objs
                    ],
                    "category": [o["class_id"] for o in objs],
                    "area": [o["area"] for o in objs],
                    "text": [o["text"] for o in objs],
                    "ignore": [bool(o.get("ignore")) for o in objs],
                },
            }
        )
    return rows
