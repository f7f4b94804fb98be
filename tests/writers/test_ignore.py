"""Instances the record marks ``ignore`` (street objects too faint in fog) are each format's ignore region: COCO
``iscrowd: 1`` with the exact RLE (COCOeval neither misses them nor counts detections on them), no YOLO row, KITTI
DontCare, BDD100K ``ignored``, Cityscapes group regions (labelId alone in instanceIds)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from simvision.pipeline import generate
from simvision.quality.verify import verify
from simvision.rle import decode
from simvision.scene import default_scene_dir, load_scene
from simvision.writers.cityscapes import LABELS, maps
from simvision.writers.kitti import TYPES


def records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((out / "records").glob("*.json"))]


@pytest.fixture(scope="module")
def fog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fog") / "ds"
    scene = load_scene(default_scene_dir() / "street_fog_dusk.yaml").with_size("320x240")
    summary = generate(scene, out, n=2, seed=0, workers=1, formats="coco,yolo,kitti,cityscapes,bdd100k")
    assert not summary.failures, summary.failures
    return out


def test_too_faint_is_one_ignore_flag_in_the_record(fog):
    recs = records(fog)
    faint = [i for r in recs for i in r["instances"] if i["too_faint"]]
    assert faint, "the fog frames must hold too-faint objects for this test to mean anything"
    for r in recs:
        for i in r["instances"]:
            void = i["class"] == "ego_vehicle"  # the camera car's bonnet: ignored whatever the fog
            assert i["ignore"] == (i["too_faint"] or void)
            assert i["ignore_reason"] == ("void" if void else "too_faint" if i["too_faint"] else None)


def _evaluate(gt: COCO, dets: list[dict[str, Any]], iou_type: str) -> float:
    with contextlib.redirect_stdout(io.StringIO()):
        ev = COCOeval(gt, gt.loadRes(dets), iou_type)
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return float(ev.stats[0])


def test_coco_writes_ignored_as_crowd_and_cocoeval_ignores_them(fog):
    coco = json.loads((fog / "coco.json").read_text())
    by_key = {(a["image_id"], a["instance_id"]): a for a in coco["annotations"]}
    n_ignored = 0
    for r in records(fog):
        for i in r["instances"]:
            a = by_key[(r["index"] + 1, i["id"])]
            assert a["iscrowd"] == int(i["ignore"])
            if i["ignore"]:
                n_ignored += 1
                rle = {"size": [r["height"], r["width"]], "counts": a["segmentation"]["counts"]}
                assert a["segmentation"]["counts"] == i["rle"]  # the exact mask, not a box
                assert (
                    a["area"]
                    == int(mask_utils.area(rle))
                    == int(decode(i["rle"], r["height"], r["width"]).sum())
                )
    assert n_ignored
    gt = COCO()
    gt.dataset = coco
    with contextlib.redirect_stdout(io.StringIO()):
        gt.createIndex()

    def dets(anns: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**{k: a[k] for k in ("image_id", "category_id", "bbox", "segmentation")}, "score": 1.0}
            for a in anns
        ]

    everything = dets(coco["annotations"])
    seen = dets([a for a in coco["annotations"] if not a["iscrowd"]])
    for iou_type in ("bbox", "segm"):
        assert _evaluate(gt, everything, iou_type) == pytest.approx(
            1.0
        )  # GT vs GT: detections on them are no FP
        assert _evaluate(gt, seen, iou_type) == pytest.approx(1.0)  # leaving them out is no miss


def test_yolo_has_no_row_for_ignored(fog):
    for r in records(fog):
        rows = (fog / r["files"]["yolo"]).read_text().splitlines()
        assert len(rows) == sum(not i["ignore"] for i in r["instances"])


def test_kitti_bdd_cityscapes_ignore_regions(fog):
    bdd = json.loads((fog / "bdd100k/labels/det_simvision.json").read_text())
    frames = {f["name"]: f for f in bdd}
    for r in records(fog):
        kitti = (fog / f"kitti/label_2/{r['name']}.txt").read_text().splitlines()
        dontcare = sum(line.startswith("DontCare ") for line in kitti)
        assert dontcare == sum(i["ignore"] for i in r["instances"] if i["class"] in TYPES)
        labels = {int(lb["id"]): lb for lb in frames[r["files"]["image"].split("/")[-1]]["labels"]}
        for iid, lb in labels.items():
            inst = next(i for i in r["instances"] if i["id"] == iid)
            assert lb["attributes"]["ignored"] is inst["ignore"]
        label, _, inst_ids = maps(r)
        for i in r["instances"]:
            label_id, _, has = LABELS[i["class"]]
            m = decode(i["rle"], r["height"], r["width"])
            assert (label[m] == label_id).all()  # the class stays where it is
            if has:
                ids = np.unique(inst_ids[m])
                assert ids.tolist() == ([label_id] if i["ignore"] else ids.tolist())
                assert i["ignore"] or (ids >= 1000).all()


def test_verify_passes_with_ignored_instances(fog):
    report = verify(fog)
    assert report.ok, report.problems[:5]
