"""``--format yolo-seg`` on words one pixel wide or tall (issue 19, defect 11): every row is a polygon of >= 3
distinct points, ``verify`` reads it as a polygon (a 2-point row, 4 numbers, would pass as a box), and Ultralytics
keeps every row as a segment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from simvision.fonts import FONT_DIR
from simvision.pipeline import generate
from simvision.quality.verify import verify
from simvision.scene import default_scene_dir, load_scene

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / ".venv-tools" / "ultralytics" / "bin" / "python"
SCRIPT = Path(__file__).with_name("ultralytics_labels.py")
FONT = FONT_DIR / "liberation_sans" / "LiberationSans-Regular.ttf"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Receipts printed at the smallest legal type on a 96x224 frame: some words come out 1 px wide or tall."""
    out = tmp_path_factory.mktemp("tiny_words") / "ds"
    scene = load_scene(default_scene_dir() / "receipt.yaml").with_size("96x224")
    summary = generate(scene, out, n=3, seed=0, workers=1, formats=("yolo-seg",))
    assert not summary.failures, summary.failures
    return out


def _rows(ds: Path) -> list[tuple[dict, dict, str]]:
    """(record, labeled instance, its row) for every YOLO row of the dataset."""
    pairs = []
    for p in sorted((ds / "records").glob("*.json")):
        rec = json.loads(p.read_text())
        rows = (ds / rec["files"]["yolo"]).read_text().splitlines()
        insts = [i for i in rec["instances"] if not i.get("ignore")]
        assert len(rows) == len(insts)
        pairs += [(rec, i, r) for i, r in zip(insts, rows, strict=True)]
    return pairs


def test_one_pixel_words_are_polygons_of_three_or_more_points(tiny: Path):
    pairs = _rows(tiny)
    thin = [i for _, i, _ in pairs if min(i["bbox"][2] - i["bbox"][0], i["bbox"][3] - i["bbox"][1]) == 1]
    assert thin, "no 1 px word: pick another size or seed"
    for _, inst, row in pairs:
        pts = np.array(row.split()[1:], float).reshape(-1, 2)
        assert len(np.unique(pts, axis=0)) >= 3, (inst["id"], row)
    report = verify(tiny)
    assert report.ok, report.problems[:5]


def test_verify_reads_a_two_point_row_as_a_bad_polygon(tiny: Path, tmp_path: Path):
    """The old writer's 2-point polygon of a 1 px word: verify must not take its 4 numbers for a box."""
    ds = tmp_path / "ds"
    shutil.copytree(tiny, ds)
    rec, inst, row = next(x for x in _rows(ds) if x[1]["bbox"][2] - x[1]["bbox"][0] == 1)
    w, h = rec["width"], rec["height"]
    x0, y0, x1, y1 = inst["bbox"]
    # the box's centre and size happen to be two points: (cx, cy) and (1/w, height/h)
    two = f"{inst['class_id'] - 1} {(x0 + x1) / 2 / w:.6f} {(y0 + y1) / 2 / h:.6f} {1 / w:.6f} {(y1 - y0) / h:.6f}"
    label = ds / rec["files"]["yolo"]
    label.write_text(label.read_text().replace(row + "\n", two + "\n", 1))
    problems = verify(ds).problems
    assert any("malformed row" in p or "< 3 distinct" in p for p in problems), problems


def test_ultralytics_keeps_every_row_as_a_segment(tiny: Path, tmp_path: Path):
    if not TOOL.is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must have Ultralytics' venv (make tools-ultralytics) to check the YOLO files")
        pytest.skip("no Ultralytics venv here (make tools-ultralytics)")
    config = tmp_path / "config"
    (config / "Ultralytics").mkdir(parents=True)
    shutil.copyfile(FONT, config / "Ultralytics" / "Arial.ttf")  # its dataset check downloads one otherwise
    env = {**os.environ, "YOLO_OFFLINE": "1", "YOLO_AUTOINSTALL": "0", "YOLO_CONFIG_DIR": str(config)}
    out = tmp_path / "kept.json"
    arg = f"{tiny / 'data.yaml'}:segment"
    run = subprocess.run(
        [str(TOOL), str(SCRIPT), str(out), arg], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    got = json.loads(out.read_text())[arg]["train"]
    assert "error" not in got, got.get("error")
    found, missing, empty, corrupt, total = got["results"]
    assert (corrupt, missing) == (0, 0), got["msgs"]
    rows = len(_rows(tiny))
    assert sum(len(lb["points"]) for lb in got["labels"]) == rows
    assert all(n >= 3 for lb in got["labels"] for n in lb["points"])
