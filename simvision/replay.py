"""``simvision replay``: rebuild a sample from its record alone and compare it with the stored files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from simvision.errors import UserError
from simvision.io import encode_depth, encode_ids, encode_image, read_ids
from simvision.record import sample_to_record
from simvision.registry import get_generator
from simvision.sample import render_spec
from simvision.scene import scene_from_json
from simvision.types import Sample


@dataclass(frozen=True)
class ReplayResult:
    """What matched; ``None``: not compared (a record copied out of its dataset has no image or maps beside it)."""

    sample: Sample
    image_identical: bool | None
    maps_identical: bool | None
    labels_identical: bool

    @property
    def identical(self) -> bool:
        return (
            self.image_identical is not False and self.maps_identical is not False and self.labels_identical
        )


def replay(record_path: str | Path) -> ReplayResult:
    """Render the spec stored in a record and compare image bytes, id maps and labels with what is on disk."""
    path = Path(record_path)
    if not path.is_file():
        raise UserError(f"{path}: record not found (expected <dataset>/records/<name>.json)")
    rec = json.loads(path.read_text(encoding="utf-8"))
    root = path.parent.parent
    scene = scene_from_json(_scene_config(rec, root, path), str(path))
    spec = get_generator(rec["generator"]).spec_model.model_validate(rec["spec"])
    sample = render_spec(scene, spec, rec["seed"], rec["index"], rec["render"].get("augment"))
    image_same = maps_same = None
    image_path = root / rec["files"]["image"]
    if image_path.is_file():
        img_bytes = encode_image(sample.image, scene.image.format, scene.image.jpeg_quality)
        image_same = img_bytes == image_path.read_bytes()
    maps = [root / p for p in rec["files"]["maps"]] + (
        [root / rec["files"]["depth"]] if "depth" in rec["files"] else []
    )
    if all(p.is_file() for p in maps):
        maps_same = all(
            np.array_equal(read_ids(p), sample.maps[k]) and encode_ids(sample.maps[k]) == p.read_bytes()
            for k, p in enumerate(maps[: len(rec["files"]["maps"])])
        )
        if "depth" in rec["files"]:
            maps_same = maps_same and encode_depth(sample.depth) == maps[-1].read_bytes()
    labels_same = sample_to_record(sample, rec["name"], rec["files"])["instances"] == rec["instances"]
    return ReplayResult(sample, image_same, maps_same, labels_same)


def _scene_config(rec: dict[str, Any], root: Path, path: Path) -> dict[str, Any]:
    """The scene a record was made with: its own copy, else (records of older versions) its dataset's."""
    if "scene_config" in rec:
        return rec["scene_config"]
    run_file = root / "dataset.json"
    if not run_file.is_file():
        raise UserError(
            f"{path}: this record holds no scene settings (written by an older version) and has no "
            f"dataset.json at {run_file}; replay it inside its dataset"
        )
    return json.loads(run_file.read_text(encoding="utf-8"))["identity"]["scene"]
