"""BDD100K MOT (``box_track``) labels of a clip, scored by BDD100K's own evaluation (GT against itself: perfect), and
the clip loader (:class:`simvision.loaders.ClipDataset`) read back against the records and flow files.

One clip of the shipped ``street_clips.yaml`` as shipped (8 frames, 256x192), generated once for the module.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from simvision.errors import UserError
from simvision.loaders import ClipDataset
from simvision.pipeline import generate
from simvision.scene import default_scene_dir, load_scene
from simvision.world.flow import decode_flo, lands_on_same
from simvision.writers.bdd100k_mot import TRACK_CATEGORIES, labels
from tests.writers.test_official_street_tools import run_tool, tool_python

SEED = 3


@pytest.fixture(scope="module")
def clip_ds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clip_formats") / "ds"
    scene = load_scene(default_scene_dir() / "street_clips.yaml")
    summary = generate(scene, out, n=1, seed=SEED, workers=1, formats=("mot", "bdd100k_mot", "record"))
    assert not summary.failures, summary.failures
    return out


def frames(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "records").glob("*.json"))]


# BDD100K's tracking evaluation as ``python -m bdd100k.eval.run -t box_track`` runs it (its loader, its category
# mapping, scalabel's CLEAR-MOT / IDF1 through py-motmetrics); prints nothing we read: the result goes to a file.
BDD_MOT_EVAL = """
import sys
from bdd100k.eval import run
sys.argv = ["run", "-t", "box_track", "-g", sys.argv[1], "-r", sys.argv[2], "--out-file", sys.argv[3],
            "--nproc", "1"]
run.run()
"""

# The frames as scalabel's loader reads the folder (one JSON per video).
SCALABEL_FRAMES = """
import json, sys
from scalabel.label.io import load
print(json.dumps([[f.videoName, f.frameIndex, f.name, len(f.labels or [])] for f in load(sys.argv[1]).frames]))
"""


def test_bdd100k_mot_ground_truth_scores_perfect_in_bdd100k_eval(clip_ds, tmp_path):
    python = tool_python("bdd100k")
    gt = clip_ds / "bdd100k/labels/box_track_20/simvision"
    assert [p.name for p in gt.iterdir()] == ["simvision-000000.json"]
    loaded = json.loads(run_tool(python, SCALABEL_FRAMES, str(gt), cwd=tmp_path).strip().splitlines()[-1])
    assert [f[:2] for f in loaded] == [["simvision-000000", k] for k in range(8)]
    for video, _, name, _ in loaded:  # BDD100K's images/track tree holds every frame the labels name
        assert (clip_ds / "bdd100k/images/track/simvision" / video / name).is_file()
    result = tmp_path / "result.json"
    run_tool(python, BDD_MOT_EVAL, str(gt), str(gt), str(result), cwd=tmp_path)
    scores = json.loads(result.read_text())
    for metric in ("MOTA", "IDF1"):
        per_class, _, overall = scores[metric]
        assert overall["OVERALL"] == pytest.approx(100.0), (metric, per_class)
        scored = {c for c, v in per_class.items() if v == v}  # nan: class absent from the clip
        assert {"car", "pedestrian"} <= scored
        assert all(per_class[c] == pytest.approx(100.0) for c in scored), (metric, per_class)
    for metric in ("IDSw", "FP", "FN"):
        assert scores[metric][2]["OVERALL"] == 0, (metric, scores[metric])
    # every road user of the records is a box there (the MT count: tracks followed > 80% of their frames)
    crowd = {
        (r["frame_id"], i["track_id"]) for r in frames(clip_ds) for i in r["instances"] if i.get("ignore")
    }
    tracks = {
        i["track_id"]
        for r in frames(clip_ds)
        for i in r["instances"]
        if i["class"] in TRACK_CATEGORIES and i["area"] > 0 and (r["frame_id"], i["track_id"]) not in crowd
    }
    assert scores["MT"][2]["OVERALL"] == len(tracks) > 3


def test_bdd100k_mot_labels_are_the_records_road_users(clip_ds):
    video = json.loads((clip_ds / "bdd100k/labels/box_track_20/simvision/simvision-000000.json").read_text())
    recs = frames(clip_ds)
    assert len(video) == len(recs) == 8
    for rec, fr in zip(recs, video, strict=True):
        assert fr["videoName"] == "simvision-000000" and fr["frameIndex"] == rec["frame_id"]
        assert fr["name"] == f"simvision-000000-{rec['frame_id'] + 1:07d}.jpg"
        image = clip_ds / "bdd100k/images/track/simvision/simvision-000000" / fr["name"]
        assert image.read_bytes() == (clip_ds / rec["files"]["image"]).read_bytes()
        want = {
            str(i["track_id"]): i
            for i in rec["instances"]
            if i["class"] in TRACK_CATEGORIES and i["area"] > 0
        }
        assert [lab["id"] for lab in fr["labels"]] == list(want)
        for lab in fr["labels"]:
            inst = want[lab["id"]]
            x0, y0, x1, y1 = inst["bbox"]
            assert lab["box2d"] == {"x1": x0, "y1": y0, "x2": x1 - 1, "y2": y1 - 1}
            assert lab["category"] == TRACK_CATEGORIES[inst["class"]]
            assert lab["attributes"]["crowd"] == bool(inst.get("ignore"))
            assert lab["attributes"]["occluded"] == (inst["visible_fraction"] < 0.9)


def test_bdd100k_mot_labels_keep_tracking_classes_and_mark_ignore_as_crowd():
    def inst(iid: int, cls: str, area: int = 20, **kw: object) -> dict:
        return {"id": iid, "class": cls, "bbox": [1, 2, 6, 6], "area": area, "visible_fraction": 0.5,
                "truncation": 0.2, **kw}  # fmt: skip

    record = {
        "instances": [
            inst(1, "person", track_id=7),
            inst(2, "animal"),
            inst(3, "traffic light"),
            inst(4, "car", area=0),
            inst(5, "bus", ignore=True),
        ]
    }
    out = labels(record)
    assert [(lab["id"], lab["category"]) for lab in out] == [("7", "pedestrian"), ("5", "bus")]
    assert out[0]["attributes"] == {"occluded": True, "truncated": True, "crowd": False}
    assert out[1]["attributes"]["crowd"] is True
    assert out[0]["box2d"] == {"x1": 1.0, "y1": 2.0, "x2": 5.0, "y2": 5.0}


def test_clip_loader_returns_frames_tracks_flow_and_poses(clip_ds):
    clips = ClipDataset(clip_ds, skip_too_faint=False)
    assert len(clips) == 1
    item = clips[0]
    recs = frames(clip_ds)
    t, (h, w) = len(recs), (192, 256)
    assert item["frames"].shape == (t, h, w, 3) and item["frames"].dtype == np.uint8
    assert item["instance_maps"].shape == (t, h, w) and item["depth"].shape == (t, h, w)
    assert item["flow_forward"].shape == item["flow_backward"].shape == (t - 1, h, w, 2)
    assert item["fps"] == 10.0 and item["frame_names"] == [r["name"] for r in recs]
    for k, rec in enumerate(recs):
        assert item["track_ids"][k].tolist() == [i["track_id"] for i in rec["instances"]]
        assert item["boxes"][k].tolist() == [i["bbox"] for i in rec["instances"]]
        cam = rec["render"]["camera"]
        assert item["camera_R"][k].tolist() == cam["R_world_to_cam"]
        assert item["camera_position"][k].tolist() == cam["position"]
        assert item["camera_K"][k].tolist() == cam["K"]
        if k + 1 < t:  # forward flow k -> k+1 is the frame's own .flo file, and lands on the same instance
            flo = decode_flo((clip_ds / rec["files"]["flow"]["forward"]).read_bytes())
            assert np.array_equal(item["flow_forward"][k], flo)
            valid = item["flow_forward_status"][k] == 0
            assert valid.mean() > 0.5
            maps = item["instance_maps"]
            assert lands_on_same(item["flow_forward"][k], maps[k], maps[k + 1])[valid].all()
        if k > 0:
            flo = decode_flo((clip_ds / rec["files"]["flow"]["backward"]).read_bytes())
            assert np.array_equal(item["flow_backward"][k - 1], flo)
    # a class filter keeps those boxes only; track ids stay the instance ids
    cars = ClipDataset(clip_ds, classes=("car",))[0]
    car_id = clips.class_names.index("car")
    assert all((c == car_id).all() for c in cars["class_ids"]) and sum(len(b) for b in cars["boxes"]) > 0


def test_clip_loader_refuses_a_dataset_without_clips(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"classes": ["background"], "samples": []}))
    with pytest.raises(UserError, match="no finished clips"):
        ClipDataset(tmp_path)
