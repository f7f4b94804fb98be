"""``simvision replay``: rebuild a sample from its record alone and compare it with the stored files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

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
    sample: Sample
    image_identical: bool
    maps_identical: bool
    labels_identical: bool

    @property
    def identical(self) -> bool:
        return self.image_identical and self.maps_identical and self.labels_identical


def replay(record_path: str | Path) -> ReplayResult:
    """Render the spec stored in a record and compare image bytes, id maps and labels with what is on disk."""
    path = Path(record_path)
    if not path.is_file():
        raise UserError(f"{path}: record not found (expected <dataset>/records/<name>.json)")
    rec = json.loads(path.read_text(encoding="utf-8"))
    root = path.parent.parent
    run = json.loads((root / "dataset.json").read_text(encoding="utf-8"))
    scene = scene_from_json(run["identity"]["scene"], str(path))
    spec = get_generator(rec["generator"]).spec_model.model_validate(rec["spec"])
    sample = render_spec(scene, spec, rec["seed"], rec["index"], rec["render"].get("augment"))
    img_bytes = encode_image(sample.image, scene.image.format, scene.image.jpeg_quality)
    image_same = img_bytes == (root / rec["files"]["image"]).read_bytes()
    maps_same = all(
        np.array_equal(read_ids(root / p), sample.maps[k])
        and encode_ids(sample.maps[k]) == (root / p).read_bytes()
        for k, p in enumerate(rec["files"]["maps"])
    )
    if "depth" in rec["files"]:
        maps_same = maps_same and encode_depth(sample.depth) == (root / rec["files"]["depth"]).read_bytes()
    labels_same = sample_to_record(sample, rec["name"], rec["files"])["instances"] == rec["instances"]
    return ReplayResult(sample, image_same, maps_same, labels_same)
