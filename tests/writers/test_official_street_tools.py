"""Cityscapes and BDD100K output scored by the official tools, ground truth against itself (must be perfect).

The tools conflict with our dependencies, so each runs from its own venv (``make tools-cityscapes``,
``make tools-bdd100k``): missing, the tests skip here and fail under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from simvision.pipeline import generate
from simvision.scene import default_scene_dir, parse_scene
from simvision.writers.cityscapes import LABELS

ROOT = Path(__file__).resolve().parents[2]


def tool_python(tool: str) -> Path:
    """The python of ``.venv-tools/<tool>``; skips without it, fails under CI (which must build it)."""
    python = ROOT / ".venv-tools" / tool / "bin" / "python"
    if not (python.parent.parent / ".installed").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must build .venv-tools/{tool} (make tools-{tool}) to run the official tool")
        pytest.skip(f"no .venv-tools/{tool} (make tools-{tool})")
    return python


def run_tool(python: Path, code: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Runs ``code`` in the tool's python in ``cwd`` (the Cityscapes instance eval writes matches.json there)."""
    proc = subprocess.run(
        [str(python), "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "MPLBACKEND": "Agg", **(env or {})},
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("street_official") / "ds"
    data = yaml.safe_load((default_scene_dir() / "street.yaml").read_text(encoding="utf-8"))
    data["params"]["traffic"]["animal_prob"] = 1.0  # every image has an animal: BDD100K's eval must not choke
    scene = parse_scene(data, "street", "street.yaml").with_size("320x240")
    summary = generate(
        scene, out, n=4, seed=0, workers=1, formats="cityscapes,bdd100k", split="train=0.5,val=0.5"
    )
    assert not summary.failures, summary.failures
    records = [json.loads(p.read_text()) for p in sorted((out / "records").glob("*.json"))]
    assert {r["split"] for r in records} == {"train", "val"}
    assert any(i["class"] == "animal" for r in records for i in r["instances"])
    return out


# Runs an official Cityscapes evaluation script as its command line does, with its two hard-wired paths (the
# ground-truth cache next to the installed script, the export file) moved into the test's folder.
CS_EVAL = """
import sys
from importlib import import_module
ev = import_module("cityscapesscripts.evaluation." + sys.argv[1])
if hasattr(ev.args, "gtInstancesFile"):
    ev.args.gtInstancesFile = sys.argv[2] + "/gtInstances.json"
ev.args.exportFile = sys.argv[2] + "/result.json"
ev.args.colorized = False
sys.argv = sys.argv[:1]
ev.main()
"""


def test_cityscapes_official_eval_scores_gt_as_predictions_perfectly(street, tmp_path):
    python = tool_python("cityscapes")
    cs = street / "cityscapes"
    val = sorted((cs / "gtFine/val").glob("*/*_gtFine_labelIds.png"))
    assert val
    pixel, inst = tmp_path / "pixel", tmp_path / "inst"
    (inst / "masks").mkdir(parents=True)
    pixel.mkdir()
    big: set[int] = set()  # labelIds with an instance the tool counts (it ignores those under 100 px)
    for gt in val:
        frame = gt.name.removesuffix("_gtFine_labelIds.png")
        shutil.copy(gt, pixel / f"{frame}_pred.png")
        ids = cv2.imread(str(gt.with_name(f"{frame}_gtFine_instanceIds.png")), cv2.IMREAD_UNCHANGED)
        lines = []
        for v in np.unique(ids[ids >= 1000]):
            cv2.imwrite(str(inst / "masks" / f"{frame}_{v}.png"), (ids == v).astype(np.uint8) * 255)
            lines.append(f"masks/{frame}_{v}.png {v // 1000} 1.0\n")
            if (ids == v).sum() >= 100:
                big.add(int(v // 1000))
        (inst / f"{frame}_pred.txt").write_text("".join(lines))
    env = {"CITYSCAPES_DATASET": str(cs)}

    run_tool(
        python,
        CS_EVAL,
        "evalPixelLevelSemanticLabeling",
        str(pixel),
        cwd=tmp_path,
        env={**env, "CITYSCAPES_RESULTS": str(pixel)},
    )
    res = json.loads((pixel / "result.json").read_text())
    assert res["averageScoreClasses"] == pytest.approx(1.0)
    assert res["averageScoreInstClasses"] == pytest.approx(1.0)
    scored = {k: v for k, v in res["classScores"].items() if v == v}  # nan: class absent from the val split
    assert {"road", "car", "person"} <= set(scored) and all(v == pytest.approx(1.0) for v in scored.values())

    run_tool(
        python,
        CS_EVAL,
        "evalInstanceLevelSemanticLabeling",
        str(inst),
        cwd=tmp_path,
        env={**env, "CITYSCAPES_RESULTS": str(inst)},
    )
    res = json.loads((inst / "result.json").read_text())
    assert res["averages"]["allAp"] == pytest.approx(1.0)
    assert res["averages"]["allAp50%"] == pytest.approx(1.0)
    scored_ids = {LABELS[c][0] for c, v in res["averages"]["classes"].items() if v["ap"] == v["ap"]}
    assert scored_ids == big and 26 in big
    assert all(
        v["ap"] == pytest.approx(1.0) for v in res["averages"]["classes"].values() if v["ap"] == v["ap"]
    )


# cityscapesScripts' label table: every pixel of a color image has the colour of its labelIds value.
CS_COLORS = """
import sys, glob
import numpy as np
from PIL import Image
from cityscapesscripts.helpers.labels import id2label
n = 0
for path in sorted(glob.glob(sys.argv[1] + "/gtFine/*/*/*_gtFine_labelIds.png")):
    ids = np.array(Image.open(path))
    color = np.array(Image.open(path.replace("_labelIds", "_color")).convert("RGBA"))
    lut = np.array([id2label[i].color + (255,) if i in id2label else (1, 2, 3, 4) for i in range(256)], np.uint8)
    assert (color == lut[ids]).all(), path
    n += 1
print(n)
"""


def test_cityscapes_colors_are_the_label_tables(street, tmp_path):
    n = run_tool(tool_python("cityscapes"), CS_COLORS, str(street / "cityscapes"), cwd=tmp_path)
    assert int(n) == 4


def test_cityscapes_layout_is_the_one_torchvision_reads(street):
    """torchvision.datasets.Cityscapes lists leftImg8bit/<split>/<city>/ and derives each target's name from the
    image's (``name.split("_leftImg8bit")[0] + "_gtFine_" + suffix``); the same derivation here."""
    cs = street / "cityscapes"
    for split in ("train", "val"):
        images = sorted((cs / "leftImg8bit" / split).glob("*/*"))
        gts = sorted((cs / "gtFine" / split).glob("*/*_gtFine_labelIds.png"))
        assert images and len(images) == len(gts)
        for img in images:
            city, stem = img.parent.name, img.name.split("_leftImg8bit")[0]
            assert img.name == f"{stem}_leftImg8bit.png" and stem.split("_")[0] == city
            for suffix in ("instanceIds.png", "labelIds.png", "color.png"):
                assert (cs / "gtFine" / split / city / f"{stem}_gtFine_{suffix}").is_file()
            rgb = cv2.imread(str(img))
            assert rgb is not None and rgb.shape[:2] == (240, 320)


# BDD100K's detection evaluation as ``python -m bdd100k.eval.run -t det`` runs it; prints its JSON result.
BDD_EVAL = """
import json, sys
from bdd100k.eval import run
sys.argv = ["run", "-t", "det", "-g", sys.argv[1], "-r", sys.argv[2], "--out-file", sys.argv[3]]
run.run()
"""


def test_bdd100k_official_det_eval_scores_gt_perfectly(street, tmp_path):
    python = tool_python("bdd100k")
    for split in ("train", "val"):  # train holds the animal
        gt = street / f"bdd100k/labels/det_{split}.json"
        frames = json.loads(gt.read_text())
        for f in frames:
            for lab in f["labels"]:
                lab["score"] = 1.0
        pred = tmp_path / f"pred_{split}.json"
        pred.write_text(json.dumps(frames))
        out = tmp_path / f"result_{split}.json"
        run_tool(python, BDD_EVAL, str(gt), str(pred), str(out), cwd=tmp_path)
        per_class, overall = json.loads(out.read_text())["AP"]
        assert overall["OVERALL"] == pytest.approx(100.0), per_class
        scored = {c for c, ap in per_class.items() if ap == ap}  # nan: class absent from the split
        assert {"car", "pedestrian"} <= scored
        assert all(per_class[c] == pytest.approx(100.0) for c in scored)


# Scalabel's own reading of each box2d as a COCO box [x, y, width, height] (it counts x2 and y2 as pixels in it).
SCALABEL_BOXES = """
import json, sys
from scalabel.label.io import load
from scalabel.label.transforms import box2d_to_bbox
frames = load(sys.argv[1]).frames
print(json.dumps({f.name + "/" + lab.id: box2d_to_bbox(lab.box2d) for f in frames for lab in f.labels or []}))
"""


def test_bdd100k_boxes_span_the_mask_as_scalabel_reads_them(street, tmp_path):
    from simvision.rle import decode

    python = tool_python("bdd100k")
    recs = [json.loads(p.read_text()) for p in sorted((street / "records").glob("*.json"))]
    checked = 0
    for split in ("train", "val"):
        boxes = json.loads(
            run_tool(python, SCALABEL_BOXES, str(street / f"bdd100k/labels/det_{split}.json"), cwd=tmp_path)
        )
        for rec in recs:
            name = rec["files"]["image"].split("/")[-1]
            for inst in rec["instances"]:
                key = f"{name}/{inst['id']}"
                if key in boxes:
                    ys, xs = np.nonzero(decode(inst["rle"], rec["height"], rec["width"]))
                    want = [xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1]
                    assert boxes[key] == want, (key, inst["class"])
                    checked += 1
    assert checked > 10


def test_bdd100k_frame_keeps_only_boxable_objects_of_the_det_classes():
    from simvision.writers.bdd100k import frame

    def inst(iid: int, cls: str, bbox: list[int], area: int) -> dict:
        return {"id": iid, "class": cls, "bbox": bbox, "area": area, "visible_fraction": 1.0, "truncation": 0}

    record = {
        "spec": {"objects": []},
        "files": {"image": "images/000007.jpg"},
        "render": {"attributes": {"weather": "clear"}},
        "instances": [
            inst(1, "car", [10, 20, 11, 25], 5),  # one pixel column wide
            inst(2, "animal", [0, 0, 4, 4], 16),
            inst(3, "car", [0, 0, 0, 0], 0),
            inst(4, "road", [0, 0, 64, 8], 512),
        ],
    }
    labels = frame(record)["labels"]
    assert [(lab["id"], lab["category"]) for lab in labels] == [("1", "car")]
    assert labels[0]["box2d"] == {"x1": 10.0, "y1": 20.0, "x2": 10.0, "y2": 24.0}
