"""YOLO labels as Ultralytics itself reads them (its dataset builder and label check, run in its own venv from
``make tools-ultralytics``): no image rejected, every row kept, the box it derives from each ``yolo-seg`` polygon
equal to the instance's box, and each split in its own label folder, so with its own ``labels.cache``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from simvision.fonts import FONT_DIR
from simvision.pipeline import generate
from simvision.scene import default_scene_dir, load_scene
from simvision.writers.yolo import _polygon

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / ".venv-tools" / "ultralytics" / "bin" / "python"
SCRIPT = Path(__file__).with_name("ultralytics_labels.py")
FONT = FONT_DIR / "liberation_sans" / "LiberationSans-Regular.ttf"  # any TTF: Ultralytics' own is a download


def ultralytics_python() -> Path:
    """The python of Ultralytics' venv; skips without it, but CI must have it."""
    if TOOL.is_file():
        return TOOL
    if os.environ.get("CI"):
        pytest.fail("CI must have Ultralytics' venv (make tools-ultralytics) to check the YOLO files")
    pytest.skip("no Ultralytics venv here (make tools-ultralytics)")


def _generate(out: Path, scene_file: str, formats: tuple[str, ...], n: int, seed: int, **kw: Any) -> Path:
    scene = load_scene(default_scene_dir() / scene_file)
    if scene.generator == "street":
        scene = scene.with_size("160x120")  # small: many objects a few pixels large, some one pixel wide
    summary = generate(scene, out, n=n, seed=seed, workers=1, formats=formats, **kw)
    assert not summary.failures, summary.failures
    return out


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny street and receipt sets in yolo-seg, and a street set in yolo with two splits."""
    tmp = tmp_path_factory.mktemp("yolo")
    split = "train=0.5,val=0.5"
    return {
        "street": _generate(tmp / "street", "street.yaml", ("yolo-seg",), n=4, seed=3),
        # supermarket receipts: long, so one holds more words than COCOeval's default 100 detections
        "receipt": _generate(tmp / "receipt", "receipt_supermarket.yaml", ("yolo-seg",), n=2, seed=0),
        "split": _generate(tmp / "split", "street.yaml", ("yolo", "hf"), n=4, seed=1, split=split),
    }


@pytest.fixture(scope="module")
def ultralytics_kept(datasets: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What Ultralytics' own dataset builder keeps of each dataset's data.yaml (one process: torch loads once)."""
    python = ultralytics_python()
    tmp = tmp_path_factory.mktemp("ultralytics")
    config = tmp / "config"
    (config / "Ultralytics").mkdir(parents=True)
    shutil.copyfile(FONT, config / "Ultralytics" / "Arial.ttf")  # its dataset check downloads one otherwise
    env = {**os.environ, "YOLO_OFFLINE": "1", "YOLO_AUTOINSTALL": "0", "YOLO_CONFIG_DIR": str(config)}
    tasks = {"street": "segment", "receipt": "segment", "split": "detect"}
    args = {k: f"{datasets[k] / 'data.yaml'}:{task}" for k, task in tasks.items()}
    out = tmp / "kept.json"
    cmd = [str(python), str(SCRIPT), str(out), *args.values()]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    kept = json.loads(out.read_text())
    return {k: kept[a] for k, a in args.items()}


def _records(ds: Path) -> dict[str, dict[str, Any]]:
    """Each record by its image's absolute path."""
    recs = [json.loads(p.read_text()) for p in sorted((ds / "records").glob("*.json"))]
    return {str((ds / r["files"]["image"]).resolve()): r for r in recs}


def _check_split(ds: Path, got: dict[str, Any], records: dict[str, dict[str, Any]], seg: bool) -> list[float]:
    """Asserts that Ultralytics kept every image and row of this split with the records' classes and boxes;
    returns the IoU of each derived box with the instance's box."""
    assert "error" not in got, got.get("error")
    found, missing, empty, corrupt, total = got["results"]
    assert (corrupt, missing) == (0, 0), got["msgs"]
    assert len(got["labels"]) == got["images_listed"] == total, got["msgs"]
    ious = []
    for lb in got["labels"]:
        rec = records[str(Path(lb["im_file"]).resolve())]
        rows = (ds / rec["files"]["yolo"]).read_text().splitlines()
        insts = [i for i in rec["instances"] if not i.get("ignore")]  # YOLO has no ignore regions
        assert len(lb["cls"]) == len(rows) == len(insts), rec["name"]
        assert lb["cls"] == [i["class_id"] - 1 for i in insts]
        if seg:
            assert min(lb["points"], default=3) >= 3, rec["name"]
        w, h = rec["width"], rec["height"]
        cx, cy, bw, bh = np.array(lb["bboxes"], dtype=np.float64).reshape(-1, 4).T
        got_xyxy = np.stack([(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h], 1)
        true = np.array([i["bbox"] for i in insts], dtype=np.float64).reshape(-1, 4)
        # the rows hold 6 decimals of normalised coordinates, Ultralytics float32: well under 1e-3 px here
        err = np.abs(got_xyxy - true).max(initial=0.0)
        assert err <= 1e-6 * max(w, h) + 1e-4, f"{rec['name']}: derived boxes off by {err:.3f} px"
        ious += _iou(got_xyxy, true).tolist()
    return ious


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lt, rb = np.maximum(a[:, :2], b[:, :2]), np.minimum(a[:, 2:], b[:, 2:])
    inter = np.clip(rb - lt, 0, None).prod(1)
    union = (a[:, 2:] - a[:, :2]).prod(1) + (b[:, 2:] - b[:, :2]).prod(1) - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 1.0)


def test_polygon_traces_pixel_edges_of_every_mask():
    """Every mask gives >= 3 points and a polygon whose bounds are the mask's box in pixel-edge coordinates."""
    cases = [np.ones((1, 1), bool), np.ones((1, 7), bool), np.ones((5, 1), bool), np.eye(4, dtype=bool)]
    split = np.zeros((6, 9), bool)
    split[0, 0] = split[5, 8] = split[2:4, 3:6] = True  # an occluded object in three pieces, one a lone pixel
    cases.append(split)
    rng = np.random.default_rng(0)
    cases += [rng.random(tuple(rng.integers(1, 12, 2))) < rng.uniform(0.05, 0.9) for _ in range(300)]
    for mask in cases:
        if not mask.any():
            continue
        poly = _polygon(mask)
        ys, xs = np.nonzero(mask)
        assert len(poly) >= 3, mask.astype(int)
        bounds = [poly[:, 0].min(), poly[:, 1].min(), poly[:, 0].max(), poly[:, 1].max()]
        assert bounds == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], mask.astype(int)


def test_single_piece_polygon_covers_exactly_its_pixels():
    """A hole-free 4-connected mask: the polygon runs along pixel edges and its area (shoelace) is the pixel
    count."""
    mask = np.zeros((7, 8), bool)
    mask[1:6, 2] = mask[5, 2:7] = mask[2, 2:5] = True  # an E-like shape: 1 px strokes, concave corners
    poly = _polygon(mask)
    step = np.diff(poly, axis=0, append=poly[:1])
    assert np.all((step[:, 0] == 0) | (step[:, 1] == 0))
    x, y = poly.T.astype(float)
    assert 0.5 * abs(x @ np.roll(y, -1) - y @ np.roll(x, -1)) == mask.sum()


def test_splits_have_their_own_label_folders(datasets):
    """Ultralytics finds labels by swapping the last /images/ for /labels/ and caches them per label folder."""
    ds = datasets["split"]
    doc = yaml.safe_load((ds / "data.yaml").read_text())
    caches = {}
    for split in ("train", "val"):
        lines = (ds / doc[split]).read_text().splitlines()
        assert lines, f"{split} is empty: pick another seed"
        labels = [Path("labels".join(line.rsplit("images", 1))).with_suffix(".txt") for line in lines]
        assert all((ds / p).is_file() for p in labels)
        caches[split] = {p.parent.with_suffix(".cache") for p in labels}
    assert caches == {"train": {Path("labels/train.cache")}, "val": {Path("labels/val.cache")}}


@pytest.mark.parametrize("name", ["street", "receipt"])
def test_ultralytics_keeps_every_segment_row_with_the_true_box(datasets, ultralytics_kept, name):
    ds = datasets[name]
    ious = _check_split(ds, ultralytics_kept[name]["train"], _records(ds), seg=True)
    assert ious and min(ious) > 0.99, min(ious)


def test_ultralytics_caches_each_split_apart(datasets, ultralytics_kept):
    ds, got = datasets["split"], ultralytics_kept["split"]
    records = _records(ds)
    assert got["train"]["cache"] != got["val"]["cache"]
    for split in ("train", "val"):
        assert Path(got[split]["cache"]).is_file()
        _check_split(ds, got[split], records, seg=False)
        assert {records[str(Path(lb["im_file"]).resolve())]["split"] for lb in got[split]["labels"]} == {
            split
        }


def test_format_help_names_every_format():
    import re

    import typer.main

    from simvision.cli import app
    from simvision.writers.registry import format_names

    generate_cmd = typer.main.get_command(app).commands["generate"]  # type: ignore[attr-defined]
    (help_text,) = [p.help for p in generate_cmd.params if p.name == "fmt"]
    assert set(format_names()) <= set(re.findall(r"[a-z0-9_-]+", help_text or ""))


def test_cocoeval_needs_more_than_100_detections_on_a_receipt(datasets):
    """The README's advice: ground truth scored against itself reaches AP 1 only with maxDets raised above 100."""
    import contextlib
    import io

    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    from simvision.writers.coco import records_to_coco

    recs = [json.loads(p.read_text()) for p in sorted((datasets["receipt"] / "records").glob("*.json"))]
    assert max(len(r["instances"]) for r in recs) > 100
    doc = records_to_coco(recs, {"description": "receipts"})
    gt = COCO()
    gt.dataset = doc
    gt.createIndex()
    keys = ("image_id", "category_id", "bbox")
    dt = gt.loadRes([{**{k: a[k] for k in keys}, "score": 1.0} for a in doc["annotations"]])
    ap = {}
    for top in (100, 1000):
        ev = COCOeval(gt, dt, "bbox")
        ev.params.maxDets = [1, 10, top]
        with contextlib.redirect_stdout(io.StringIO()):
            ev.evaluate()
            ev.accumulate()
        p = ev.eval["precision"][:, :, :, 0, -1]
        ap[top] = float(p[p > -1].mean())
    assert ap[100] < 0.9 and ap[1000] == 1.0, ap


def test_huggingface_imagefolder_reads_the_split_folders(datasets, tmp_path):
    """With images in images/<split>/, imagefolder makes one split per folder, each with its metadata rows."""
    import sys

    pytest.importorskip("datasets")
    ds = datasets["split"]
    code = (
        "import datasets, json\n"
        f"d = datasets.load_dataset('imagefolder', data_dir={str(ds / 'images')!r})\n"
        "print(json.dumps({k: [len(o['bbox']) for o in v['objects']] for k, v in d.items()}))\n"
    )
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    want: dict[str, list[int]] = {}
    for rec in sorted(_records(ds).values(), key=lambda r: r["name"]):
        want.setdefault({"val": "validation"}.get(rec["split"], rec["split"]), []).append(
            len(rec["instances"])
        )
    assert got == want
