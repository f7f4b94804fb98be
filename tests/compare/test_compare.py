"""``simvision compare`` on fabricated sets: the same distribution is hard to tell apart, a different one is told
apart and its differences are named with what moves them; every layout loads; bad input exits 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from simvision.cli import main
from simvision.compare.advice import suggest
from simvision.compare.datasets import load_set
from simvision.compare.run import compare, run_compare
from simvision.registry import get_generator

MAP = {"pedestrian": "person", "auto": "car"}  # synthetic -> real


@pytest.fixture(scope="module")
def same(fab: dict[str, Path]) -> dict:
    return compare(fab["photo_b"], fab["photo_a"])


@pytest.fixture(scope="module")
def differ(fab: dict[str, Path]) -> dict:
    return compare(fab["render"], fab["photo_a"], mapping=MAP)


def test_same_distribution_cannot_be_told_apart(same: dict, differ: dict):
    assert same["images"]["classifier"]["auc"] <= 0.75
    assert differ["images"]["classifier"]["auc"] >= 0.95
    for stat in ("size", "aspect", "cy"):
        assert same["labels"]["boxes"][stat]["ks"] < 0.3
    assert (
        same["labels"]["boxes"]["size"]["wasserstein"]
        < 0.3 * differ["labels"]["boxes"]["size"]["wasserstein"]
    )
    assert same["labels"]["class_tv"] < 0.15
    # the synthetic set covers the real one about as densely as the real set covers itself
    div = same["images"]["diversity"]
    assert div["real_to_synth"]["median"] < 1.5 * div["real_to_real"]["median"]


def test_different_set_names_its_differences(differ: dict):
    assert differ["labels"]["shared_classes"] == ["car", "person"]  # through --map
    topics = {f["topic"] for f in differ["image_findings"]}
    assert {"brightness", "noise"} <= topics | {"sharpness"} and "brightness" in topics
    # the renders are darker: every brightness finding (histogram bins included) says to brighten them
    assert all("brighter" in f["change"] for f in differ["image_findings"] if f["topic"] == "brightness")
    by_name = {f["feature"]: f for f in differ["images"]["features"]}
    assert (
        by_name["grey_mean"]["auc"] > 0.95
        and by_name["grey_mean"]["synth_mean"] < by_name["grey_mean"]["real_mean"]
    )
    assert by_name["noise_sigma"]["auc"] > 0.95
    sizes = [f for f in differ["label_findings"] if f["statistic"] == "box_size"]
    assert sizes and "x the synthetic" in sizes[0]["finding"]  # real boxes are ~2x larger
    ratio = differ["labels"]["boxes"]["size"]["median_ratio"]
    assert 1.5 < ratio < 2.7
    assert differ["images"]["headline"]["jpeg_quality"]["real"]["median"] == 85.0
    assert differ["images"]["headline"]["jpeg_quality"]["synth"]["median"] == 100.0
    div = differ["images"]["diversity"]
    assert (
        div["real_to_synth"]["median"] > 2 * div["real_to_real"]["median"]
    )  # a gap the renders do not cover


def test_advice_comes_from_the_kind_table():
    street = get_generator("street").advice
    assert "camera.focal_mm" in suggest("box_size:person", True, street)
    assert "camera.focal_mm" in suggest("box_size:car", False, street)  # falls back to box_size
    assert "jpeg_quality" in suggest("jpeg_quality", True, street)  # generic: every scene file has it
    assert suggest("box_size", True, {}) == ""


def test_page_and_json_escape_values_from_files(fab: dict[str, Path], tmp_path: Path):
    doc = json.loads(fab["photo_a"].read_text())
    doc["categories"][0]["name"] = "<script>alert(1)</script>"
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps(doc))
    page, numbers = run_compare(
        fab["photo_b"], evil, tmp_path / "out", images=fab["photo_a"].parent, max_images=6
    )
    text = page.read_text()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert json.loads((tmp_path / "out" / "compare.json").read_text())["real"]["images"] == 24


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["simvision", *args])
    with pytest.raises(SystemExit) as e:
        main()
    return int(e.value.code or 0), capsys.readouterr().err


def test_bad_inputs_exit_2_naming_the_problem(fab, tmp_path, monkeypatch, capsys):
    out = str(tmp_path / "o")
    code, msg = _cli(monkeypatch, capsys, "compare", str(fab["render"]), "--real", str(fab["photo_a"]), "--out", out,
                     "--map", "person=walker")  # fmt: skip
    assert code == 2 and "walker" in msg
    code, msg = _cli(monkeypatch, capsys, "compare", str(fab["render"]), "--real", str(fab["photo_a"]), "--out", out,
                     "--map", "persn=pedestrian")  # fmt: skip
    assert code == 2 and "persn" in msg
    (tmp_path / "empty").mkdir()
    code, msg = _cli(
        monkeypatch, capsys, "compare", str(fab["render"]), "--real", str(tmp_path / "empty"), "--out", out
    )
    assert code == 2 and "holds no images" in msg
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"images": [], "annotations": [], "categories": [{"id": 1, "name": "car"}]}))
    code, msg = _cli(monkeypatch, capsys, "compare", str(fab["render"]), "--real", str(empty), "--out", out)
    assert code == 2 and "holds no images" in msg and "empty.json" in msg


def test_image_folder_gives_image_statistics_only(fab, tmp_path):
    n = compare(fab["render"], fab["photo_a"].parent / "images")
    assert n["labels"] is None and n["real"]["layout"] == "image folder"
    assert n["images"]["classifier"]["auc"] >= 0.95


def test_yolo_kitti_and_cityscapes_layouts_load(fab, tmp_path):
    y = load_set(fab["yolo"], splits=("train", "val"))
    assert y.layout == "YOLO" and len(y.items) == 8 and y.classes == ("person", "car")
    img = np.zeros((40, 60, 3), np.uint8)
    k = tmp_path / "kitti" / "training"
    (k / "image_2").mkdir(parents=True)
    (k / "label_2").mkdir()
    cv2.imwrite(str(k / "image_2" / "000000.png"), img)
    (k / "label_2" / "000000.txt").write_text(
        "Car 0.00 0 -1.5 10.0 5.0 30.0 25.0 1.5 1.6 3.9 1.0 1.7 20.0 -1.5\nDontCare -1 -1 -10 0 0 5 5 -1 -1 -1 -1 -1 -1 -1\n"
    )
    ks = load_set(tmp_path / "kitti")
    assert ks.layout == "KITTI" and ks.classes == ("Car",)
    b = ks.items[0].boxes
    assert len(b) == 1 and (b[0].x, b[0].y, b[0].w, b[0].h) == (10.0, 5.0, 20.0, 20.0)
    c = tmp_path / "cs"
    (c / "leftImg8bit" / "val" / "ulm").mkdir(parents=True)
    (c / "gtFine" / "val" / "ulm").mkdir(parents=True)
    cv2.imwrite(str(c / "leftImg8bit" / "val" / "ulm" / "ulm_000000_000019_leftImg8bit.png"), img)
    objs = [
        {"label": "person", "polygon": [[5, 6], [9, 6], [9, 30]]},
        {"label": "road", "polygon": [[0, 0], [59, 39]]},
    ]
    (c / "gtFine" / "val" / "ulm" / "ulm_000000_000019_gtFine_polygons.json").write_text(
        json.dumps({"objects": objs})
    )
    cs = load_set(c)
    assert cs.layout == "Cityscapes" and cs.classes == ("person",)
    b = cs.items[0].boxes
    assert len(b) == 1 and (b[0].x, b[0].y, b[0].w, b[0].h) == (5.0, 6.0, 4.0, 24.0)
