"""Run in Ultralytics' own venv (``make tools-ultralytics``): build its datasets from ``data.yaml`` files as its
``val`` does, and write what its label check kept as JSON, for the test to compare with the records.

Usage: ``python ultralytics_labels.py OUT_JSON DATA_YAML:TASK ...`` (TASK ``detect`` or ``segment``; Ultralytics
logs to stdout, hence a file). Offline: the caller sets YOLO_OFFLINE=1, YOLO_AUTOINSTALL=0 and YOLO_CONFIG_DIR with
a font pre-placed as ``Ultralytics/Arial.ttf``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import torch


def _nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy NMS in plain torch: the pinned torchvision is a CUDA build whose own op is missing on CPU torch."""
    order = scores.argsort(descending=True)
    keep = []
    while order.numel():
        i = order[0]
        keep.append(i)
        rest = order[1:]
        lt = torch.maximum(boxes[i, :2], boxes[rest, :2])
        rb = torch.minimum(boxes[i, 2:], boxes[rest, 2:])
        inter = (rb - lt).clamp(min=0).prod(dim=1)
        area = (boxes[:, 2:] - boxes[:, :2]).prod(dim=1)
        order = rest[inter / (area[i] + area[rest] - inter) <= iou_threshold]
    return torch.stack(keep) if keep else torch.zeros(0, dtype=torch.long)


# Before torchvision is imported: it registers fake kernels for nms and qnms, which fail on undefined ops.
_LIB = torch.library.Library("torchvision", "DEF")
_LIB.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
_LIB.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
_LIB.impl("nms", _nms, "CPU")


def labels_kept(data_yaml: str, task: str) -> dict[str, Any]:
    """Per split (train, val): images listed, the labels cache file and its counts and messages, and each kept
    image's classes, boxes (normalised cx cy w h; derived from the polygons for segment rows) and polygon sizes."""
    from ultralytics.cfg import get_cfg
    from ultralytics.data.build import build_yolo_dataset
    from ultralytics.data.utils import check_det_dataset, load_dataset_cache_file
    from ultralytics.utils import DEFAULT_CFG

    data = check_det_dataset(data_yaml)
    cfg = get_cfg(DEFAULT_CFG, {"task": task, "imgsz": 160})
    out: dict[str, Any] = {}
    for split in ("train", "val"):
        try:
            ds = build_yolo_dataset(cfg, data[split], 1, data, mode="val")
        except RuntimeError as err:  # e.g. "No valid images found": every image's labels rejected
            out[split] = {"error": str(err)}
            continue
        cache = Path(ds.label_files[0]).parent.with_suffix(".cache")
        stored = load_dataset_cache_file(cache)
        out[split] = {
            "images_listed": len(ds.label_files),
            "cache": str(cache),
            "results": stored["results"],  # found, missing, empty, corrupt, total
            "msgs": stored["msgs"],
            "labels": [
                {
                    "im_file": lb["im_file"],
                    "cls": lb["cls"].reshape(-1).astype(int).tolist(),
                    "bboxes": lb["bboxes"].tolist(),
                    "points": [len(s) for s in lb["segments"]],
                }
                for lb in ds.labels
            ],
        }
    return out


if __name__ == "__main__":
    result = {arg: labels_kept(*arg.rsplit(":", 1)) for arg in sys.argv[2:]}
    Path(sys.argv[1]).write_text(json.dumps(result), encoding="utf-8")
