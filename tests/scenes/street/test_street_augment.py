"""Camera and sensor effects on street scenes keep every label exact, depth included: the street renders the whole
overscanned canvas, and depth rides through every warp as the ids do."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from simvision.augment.effects import EFFECTS
from simvision.augment.policy import AugmentConfig, apply_plan
from simvision.augment.reproject import HALF, warped_depth
from simvision.labels import boxes_and_areas
from simvision.registry import get_generator
from simvision.replay import replay
from simvision.sample import render_sample, sample_spec, scene_canvas
from simvision.scene import default_scene_dir, load_scene

SENSOR = [n for n, e in EFFECTS.items() if e.group == "sensor"]


@pytest.fixture(scope="module")
def street():
    return load_scene(default_scene_dir() / "street.yaml").with_size("192x144")


def _with(scene, *effects):
    cfg = AugmentConfig.model_validate({"effects": [{"name": n, "p": 1.0} for n in effects]})
    return replace(scene, augment=cfg)


def _whole_canvas(scene, seed: int, index: int):
    return get_generator(scene.generator).render(sample_spec(scene, seed, index), scene.render)


@pytest.mark.parametrize("index", [0, 1])
def test_camera_warp_keeps_ids_and_depth_together(street, index):
    scene = _with(street, "camera", "lens")
    clean = _whole_canvas(scene, seed=3, index=index)  # the render before any warp, margin included
    warped = render_sample(scene, seed=3, index=index)
    assert warped.image.shape[:2] == (street.image.height, street.image.width)
    assert warped.depth is not None and warped.depth.shape == warped.image.shape[:2]
    ids = warped.maps[0]
    # the record's camera is the one that sees the warped image and depth is planar depth along its axis
    # (augment.reproject); the depth the warp itself carried is that of the rendering camera
    cam = warped.meta["camera"]
    assert cam["projective"] is False and cam["non_projective"] == ["lens"]
    bare = clean.with_(meta={k: v for k, v in clean.meta.items() if k != "camera"})
    carried = apply_plan(bare, warped.meta["augment"], scene.augment.min_visible, scene_canvas(scene).frame)
    assert np.array_equal(carried.maps, warped.maps)
    depth = carried.depth
    h = np.array(cam["rendered"]["image_homography"])
    k0 = np.array(cam["rendered"]["K"])
    q = np.array(cam["R_world_to_cam"]) @ np.array(cam["rendered"]["R_world_to_cam"]).T
    again = warped_depth(depth, k0, np.linalg.inv(HALF) @ h @ HALF, q)
    assert np.allclose(again, warped.depth, rtol=1e-5, equal_nan=True)
    # nearest warps copy values: every carried depth is one the clean render had, and the ids and depths that land
    # together were together before (a warped pixel shows the same surface point's id and depth)
    finite = np.isfinite(depth) & (ids != 0)
    clean_pairs = set(zip(clean.maps[0].ravel().tolist(), clean.depth.ravel().tolist(), strict=True))
    got = set(zip(ids[finite].tolist(), depth[finite].tolist(), strict=True))
    assert got and got <= clean_pairs
    boxes, _ = boxes_and_areas(ids, warped.instances.instance_id)
    assert np.array_equal(boxes, warped.instances.boxes)
    assert set(np.unique(ids).tolist()) - {0} == set(warped.instances.instance_id.tolist())


def test_overscanned_street_frame_is_the_unwarped_view(street):
    """With a margin rendered for the camera but no warp, the output frame is exactly the plain render."""
    plain = render_sample(replace(street, augment=None), seed=4, index=0)
    cfg = AugmentConfig.model_validate({"effects": [{"name": "camera", "p": 0.0}]})
    assert cfg.overscan() > 0
    framed = render_sample(replace(street, augment=cfg), seed=4, index=0)
    assert np.array_equal(framed.maps, plain.maps) and np.array_equal(framed.depth, plain.depth)
    # the image is not compared: the renderer's own sensor (vignetting, noise) is laid over the whole canvas


def test_street_with_every_sensor_effect_verifies_and_replays(street, tmp_path):
    from simvision.pipeline import generate
    from simvision.quality.verify import verify

    scene = _with(street, *SENSOR)
    out = tmp_path / "ds"
    summary = generate(scene, out, n=2, seed=1, workers=1, formats=("coco", "yolo", "kitti"))
    assert not summary.failures
    assert verify(out).ok
    for rec in sorted((out / "records").glob("*.json")):
        assert replay(rec).identical
