"""The dewarp format end to end: files written, vouched for in the record, readable, and consistent with it."""

from __future__ import annotations

import json

import cv2
import numpy as np

from simvision.pipeline import generate
from simvision.scene import parse_scene


def test_dewarp_files(tmp_path) -> None:
    scene = parse_scene(
        {
            "generator": "receipt",
            "image": {"width": 320, "height": 560, "format": "png"},
            "params": {"look": {"font_px": {"min": 14, "max": 15}}},
            "augment": {"effects": [{"name": "wrinkle", "p": 1.0}, {"name": "camera", "p": 1.0}]},
        },
        "dewarp_writer",
        "<test>",
    )
    generate(scene, tmp_path, n=1, seed=3, workers=1, formats="coco,dewarp")
    rec = json.loads((tmp_path / "records/000000.json").read_text())
    info = json.loads((tmp_path / "dewarp/000000.json").read_text())
    for key in ("map", "grid", "flat"):
        assert info[key] in rec["files"]["extra"] and info[key] in rec["sha256"]
    back = np.load(tmp_path / info["map"])
    assert back.dtype == np.float32 and back.shape == (560, 320, 2)
    w, h = info["page_size"]
    on = np.isfinite(back[..., 0])
    assert (
        on.any()
        and (back[on] >= -0.5).all()
        and (back[on, 0] <= w - 0.5).all()
        and (back[on, 1] <= h - 0.5).all()
    )
    flat = cv2.imread(str(tmp_path / info["flat"]), cv2.IMREAD_UNCHANGED)
    assert flat.shape == (h, w, 4)
    grid = np.load(tmp_path / info["grid"])
    assert list(grid.shape[:2]) == info["grid_shape"]
    (paper,) = [o for o in rec["instances"] if o["class"] == "receipt"]
    assert info["corners"] == paper["quad"]
    assert np.allclose(grid[[0, 0, -1, -1], [0, -1, -1, 0]], paper["quad"], atol=0.01)
    # the map puts each page pixel where the image shows it: redrawing the flat page through the map matches the
    # image's paper pixels (before the camera's resampling blur and shading, so loosely)
    redrawn = cv2.remap(
        flat, np.nan_to_num(back[..., 0], nan=-9), np.nan_to_num(back[..., 1], nan=-9), cv2.INTER_LINEAR
    )
    assert (redrawn[..., 3][on] > 0).mean() > 0.99
