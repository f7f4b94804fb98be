"""The ego vehicle's bonnet: the rows it covers, exact occlusion of what lies behind it, its void labels in every
writer (Cityscapes ``ego vehicle`` id 1, scored by cityscapesScripts), and zero flow in a clip that verifies."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from simvision.errors import UserError
from simvision.labels import boxes_and_areas
from simvision.pipeline import generate
from simvision.quality.verify import verify
from simvision.render.world2d import rasterize_world
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import SequenceSettings, default_scene_dir, load_scene, parse_scene
from simvision.scenes.street.config import CLASSES, EGO, STUFF
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.world.assets.bonnet import EDGE_AHEAD
from simvision.world.flow import decode_flo
from simvision.world.labels import world_sample
from simvision.writers import cityscapes, kitti, yolo
from tests.writers.test_official_street_tools import CS_EVAL, run_tool, tool_python

STREET = default_scene_dir() / "street.yaml"


def scene_with(bonnet: dict, size: str = "160x120", file: Path = STREET, **camera):
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["params"].setdefault("camera", {}).update({"bonnet": bonnet, **camera})
    data.pop(
        "variants", None
    )  # the wide-lens variant's 9-11 mm lens would hold the bonnet to its nearest edge
    return parse_scene(data, file.stem, file.name).with_size(size)


def ego_of(spec):
    return [o for o in spec.objects if o.cls == EGO]


def test_ego_vehicle_is_a_void_stuff_class_after_the_others():
    assert CLASSES[-1] == EGO and EGO in STUFF
    assert cityscapes.LABELS[EGO] == (1, 255, False) and cityscapes.COLORS[1] == (0, 0, 0)
    assert EGO not in kitti.TYPES


@pytest.mark.parametrize("rows", [(0.05, 0.05), (0.12, 0.12), (0.2, 0.2), (0.06, 0.2)])
def test_bonnet_covers_the_bottom_rows_it_asks_for(rows):
    # a level camera: the car is level on the road, so a rolled dashcam sees the bonnet's swept front edge tilted,
    # and on the thinnest bonnet (5 % of the rows) +-1.5 deg of roll moves where it leaves the bottom row ~7 px
    # sideways (seed 11, index 5: columns 35-124 level, 28-117 at -1.5 deg), past a quarter of the width
    level = {"min": 0.0, "max": 0.0}
    sc = scene_with({"prob": 1.0, "rows": {"min": rows[0], "max": rows[1]}}, roll_deg=level)
    h, checked = 120, 0
    for i in range(6):
        spec = sample(rng_for(11, i, "scene"), sc.params, scene_canvas(sc))
        (ego,) = ego_of(spec)
        assert ego.id == len(spec.objects)  # added last: every other object keeps its id
        p = ego.asset["params"]
        assert rows[0] <= p["rows"] <= rows[1]
        *_, id_map = rasterize_world(compile_world(spec))
        for col in (spec.width // 2 - 1, spec.width // 2):
            on = id_map[:, col] == ego.id
            n = int(on.sum())
            assert on[h - n :].all(), "the bonnet is not one run down to the bottom row"
            if EDGE_AHEAD[0] < p["edge_ahead"] < EDGE_AHEAD[1]:
                assert abs(n - p["rows"] * h) <= 1.0, (i, n, p["rows"] * h)
                checked += 1
        # the middle of the bottom row is the car whatever the lens (its sides may show the road beside the car)
        w = spec.width
        assert (id_map[-1, w // 4 : 3 * w // 4] == ego.id).all()
    assert checked >= 8


def test_prob_zero_and_kerbside_mounts_have_no_bonnet_and_keep_their_draws():
    off = scene_with({"prob": 0.0})
    on = scene_with({"prob": 1.0})
    for i in range(4):
        a = sample(rng_for(2, i, "scene"), off.params, scene_canvas(off))
        b = sample(rng_for(2, i, "scene"), on.params, scene_canvas(on))
        assert not ego_of(a) and len(ego_of(b)) == 1
        assert b.objects[:-1] == a.objects and b.render_seed == a.render_seed and b.camera == a.camera
    cctv = load_scene(default_scene_dir() / "street_cctv.yaml").with_size("160x120")
    assert cctv.params.camera.bonnet.prob == 0
    spec = sample(rng_for(2, 0, "scene"), cctv.params, scene_canvas(cctv))
    assert not ego_of(spec)


def test_a_bonnet_on_a_kerbside_camera_is_refused_naming_the_field():
    with pytest.raises(UserError, match="bonnet"):
        scene_with({"prob": 0.5}, mount="cctv")
    with pytest.raises(UserError, match="rows"):
        scene_with({"rows": {"min": 0.1, "max": 0.9}})


def test_roof_mount_sees_less_bonnet():
    sc = scene_with({"prob": 1.0}, mount="roof")
    for i in range(4):
        spec = sample(rng_for(5, i, "scene"), sc.params, scene_canvas(sc))
        (ego,) = ego_of(spec)
        p = ego.asset["params"]
        assert 0.02 <= p["rows"] <= 0.08 and p["dashboard_rows"] == 0.0


def test_objects_behind_the_bonnet_lose_exactly_the_pixels_it_covers():
    sc = scene_with({"prob": 1.0, "rows": {"min": 0.2, "max": 0.3}})
    lost_somewhere = 0
    for i in range(4):
        spec = sample(rng_for(7, i, "scene"), sc.params, scene_canvas(sc))
        (ego,) = ego_of(spec)
        world = compile_world(spec)
        bare = replace(world, objects=world.objects[:-1])  # the same world without the bonnet
        *_, depth, ids = rasterize_world(world)
        *_, depth0, ids0 = rasterize_world(bare)
        covered = ids == ego.id
        assert (ids[~covered] == ids0[~covered]).all() and (depth[~covered] == depth0[~covered]).all()
        # the bonnet is nearer than whatever it hides, and its depth is its own distance
        assert (depth[covered] < depth0[covered]).all() and (depth[covered] < 4.0).all()
        blank = np.zeros((*ids.shape, 3), np.uint8)
        s, s0 = world_sample(world, ids, depth, blank, {}), world_sample(bare, ids0, depth0, blank, {})
        iid1, iid0 = s.instances.instance_id, s0.instances.instance_id
        area = dict(zip(iid1.tolist(), boxes_and_areas(s.maps[0], iid1)[1].tolist(), strict=True))
        for iid, a0 in zip(iid0.tolist(), boxes_and_areas(s0.maps[0], iid0)[1].tolist(), strict=True):
            if iid == len(bare.objects) + 1:
                continue  # the sky: its id moves up by one
            hidden = int(((ids0 == iid) & covered).sum())
            assert area.get(iid, 0) == a0 - hidden
            lost_somewhere += hidden > 0
        # every box is its mask's bounds, and the bonnet is an ignored (void) instance
        for r, iid in enumerate(s.instances.instance_id.tolist()):
            ys, xs = np.nonzero(s.maps[0] == iid)
            assert s.instances.boxes[r].tolist() == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
            void = iid == ego.id
            assert bool(s.instances.attrs["ignore"][r]) == (void or bool(s.instances.attrs["too_faint"][r]))
            assert (s.instances.attrs["ignore_reason"][r] == "void") == void
    assert lost_somewhere >= 3  # the road at least, in every image


@pytest.fixture(scope="module")
def bonnet_ds(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bonnet") / "ds"
    sc = scene_with({"prob": 1.0, "dashboard_prob": 0.5}, size="320x240")
    summary = generate(
        sc, out, n=2, seed=3, workers=1, formats="cityscapes,coco,yolo,kitti,bdd100k", split="val=1"
    )
    assert not summary.failures, summary.failures
    return out


def test_writers_label_the_bonnet_as_void(bonnet_ds):
    report = verify(bonnet_ds)
    assert report.ok, report.problems[:5]
    recs = [json.loads(p.read_text()) for p in sorted((bonnet_ds / "records").glob("*.json"))]
    coco = json.loads(next(bonnet_ds.glob("coco*.json")).read_text())
    ego_cat = CLASSES.index(EGO)
    for rec in recs:
        (ego,) = [i for i in rec["instances"] if i["class"] == EGO]
        assert ego["ignore"] and ego["ignore_reason"] == "void" and ego["area"] > 0
        label, train, inst = cityscapes.maps(rec)
        mask = np.zeros_like(label, bool)
        from simvision.rle import decode

        mask = decode(ego["rle"], rec["height"], rec["width"])
        assert (label[mask] == 1).all() and (label[~mask] != 1).all()
        assert (train[mask] == 255).all() and (inst[mask] == 1).all()
        assert f"{ego_cat - 1} " not in "\n" + yolo.detect_rows(rec)  # no YOLO row
        ann = [
            a
            for a in coco["annotations"]
            if a["instance_id"] == ego["id"] and a["image_id"] == rec["index"] + 1
        ]
        assert len(ann) == 1 and ann[0]["iscrowd"] == 1  # COCOeval: an ignore region, never a target
    bdd = json.loads(next((bonnet_ds / "bdd100k/labels").glob("*.json")).read_text())
    assert all(lab["category"] != EGO for f in bdd for lab in f["labels"])
    for txt in (bonnet_ds / "kitti").rglob("label_2/*.txt"):
        assert "ego" not in txt.read_text().lower()


def test_cityscapes_official_eval_is_perfect_with_the_bonnet(bonnet_ds, tmp_path):
    python = tool_python("cityscapes")
    cs = bonnet_ds / "cityscapes"
    val = sorted((cs / "gtFine/val").glob("*/*_gtFine_labelIds.png"))
    assert len(val) == 2 and all((cv2.imread(str(p), cv2.IMREAD_UNCHANGED) == 1).any() for p in val)
    pixel = tmp_path / "pixel"
    pixel.mkdir()
    for gt in val:
        shutil_copy = gt.read_bytes()
        (pixel / gt.name.replace("_gtFine_labelIds.png", "_pred.png")).write_bytes(shutil_copy)
    env = {"CITYSCAPES_DATASET": str(cs), "CITYSCAPES_RESULTS": str(pixel)}
    run_tool(python, CS_EVAL, "evalPixelLevelSemanticLabeling", str(pixel), cwd=tmp_path, env=env)
    res = json.loads((pixel / "result.json").read_text())
    assert res["averageScoreClasses"] == pytest.approx(1.0)


def test_clip_with_a_bonnet_verifies_and_the_bonnet_has_zero_flow(tmp_path):
    sc = scene_with({"prob": 1.0}, size="128x96", file=default_scene_dir() / "street_clips.yaml")
    sc = replace(sc, sequence=SequenceSettings(frames=3, fps=10))
    generate(sc, tmp_path, n=1, seed=4, workers=1, formats=("record",))
    report = verify(tmp_path)
    assert report.ok, report.problems[:5]
    recs = [json.loads(p.read_text()) for p in sorted((tmp_path / "records").glob("*.json"))]
    from simvision.rle import decode

    seen = 0
    for rec in recs:
        (ego,) = [i for i in rec["instances"] if i["class"] == EGO]
        mask = decode(ego["rle"], rec["height"], rec["width"])
        # the bonnet holds the bottom row's middle; at a small share of rows (its curved front edge) the corners
        # may show road
        assert mask[-1, mask.shape[1] // 2] and mask[-1].mean() > 0.5
        assert ego["id"] in {int(k) for k in rec["motion"]["poses"]}  # it moves with the camera
        for key in ("forward", "backward"):
            if key in rec["files"]["flow"]:
                flow = decode_flo((tmp_path / rec["files"]["flow"][key]).read_bytes())
                assert np.abs(flow[mask]).max() < 1e-3
                seen += 1
    assert seen == 4
