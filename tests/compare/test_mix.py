"""``simvision mix``: counts, ratios, class mapping and provenance exactly; real val untouched; byte-identical
reruns; the YOLO output read by Ultralytics itself; bad input exits 2."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml

from simvision.compare.datasets import load_coco
from simvision.compare.mix import mix
from simvision.errors import UserError
from simvision.fonts import FONT_DIR

MAP = {"pedestrian": "person", "auto": "car"}  # synthetic -> real
REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / ".venv-tools" / "ultralytics" / "bin" / "python"
SCRIPT = REPO / "tests" / "writers" / "ultralytics_labels.py"


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def digest(root: Path) -> str:
    return hashlib.sha256(repr(sorted(tree(root).items())).encode()).hexdigest()


def rows(path: Path) -> list[list[float]]:
    return [[float(v) for v in line.split()] for line in path.read_text().splitlines()]


def test_ratio_keeps_every_real_image_and_maps_classes(fab, tmp_path):
    before = digest(fab["yolo"].parent)
    s = mix(fab["yolo"], fab["render"], tmp_path / "m", 0.5, None, MAP)
    assert s["train"] == {"real": 6, "synthetic": 6, "synthetic_share": 0.5}
    prov = json.loads((tmp_path / "m" / "provenance.json").read_text())
    assert [p["source"] for p in prov] == ["real"] * 6 + ["synthetic"] * 6
    data = yaml.safe_load((tmp_path / "m" / "data.yaml").read_text())
    assert data["names"] == {0: "person", 1: "car"}
    assert data["val"] == str((fab["yolo"].parent / "images" / "val").resolve())  # real val, where it is
    synth = {it.name: it for it in load_coco(fab["render"]).items}
    for p in prov:
        out = tmp_path / "m" / p["file"]
        assert out.read_bytes() == Path(p["source_path"]).read_bytes()  # image bytes as they were
        got = rows((tmp_path / "m" / "labels" / "train" / out.name).with_suffix(".txt"))
        if p["source"] == "real":  # the real labels, unchanged (up to the 6 decimals both are written with)
            want = rows(Path(p["source_path"].replace("/images/", "/labels/")).with_suffix(".txt"))
        else:  # pedestrian -> person (0), auto -> car (1), pixels -> normalised centre and size
            it = synth[p["source_name"]]
            want = [[{"pedestrian": 0, "auto": 1}[b.cls], (b.x + b.w / 2) / it.width, (b.y + b.h / 2) / it.height,
                     b.w / it.width, b.h / it.height] for b in it.boxes]  # fmt: skip
        assert np.allclose(np.reshape(got, (-1, 5)), np.reshape(want, (-1, 5)), atol=2e-6, rtol=0)
    coco = json.loads((tmp_path / "m" / "coco.json").read_text())
    assert len(coco["images"]) == 12
    assert len(coco["annotations"]) == sum(
        len(rows(p)) for p in (tmp_path / "m" / "labels" / "train").iterdir()
    )
    assert digest(fab["yolo"].parent) == before  # the real set is not touched


def test_counts_pick_seeded_subsets_and_unmapped_classes_are_dropped(fab, tmp_path):
    s = mix(fab["yolo"], fab["render"], tmp_path / "a", None, "3,4", {"pedestrian": "person"}, seed=7)
    prov = json.loads((tmp_path / "a" / "provenance.json").read_text())
    assert s["train"]["real"] == 3 and s["train"]["synthetic"] == 4
    assert (
        sum(p["source"] == "real" for p in prov) == 3 and sum(p["source"] == "synthetic" for p in prov) == 4
    )
    picked = {p["source_name"] for p in prov if p["source"] == "synthetic"}
    autos = sum(
        b.cls == "auto" for it in load_coco(fab["render"]).items if it.name in picked for b in it.boxes
    )
    assert s["dropped_synthetic_boxes"] == {"auto": autos} and autos > 0
    mix(fab["yolo"], fab["render"], tmp_path / "b", None, "3,4", {"pedestrian": "person"}, seed=8)
    other = json.loads((tmp_path / "b" / "provenance.json").read_text())
    assert {p["source_name"] for p in other} != {p["source_name"] for p in prov}  # the seed picks


def test_byte_identical_across_runs(fab, tmp_path):
    for name in ("a", "b"):
        mix(fab["yolo"], fab["render"], tmp_path / name, 0.25, None, MAP, seed=3)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_coco_real_with_val_copied_untouched(fab, tmp_path):
    s = mix(fab["photo_a"], fab["render"], tmp_path / "m", None, "5,5", MAP, real_val=fab["photo_b"])
    assert s["val"] == {"val": "images/val"}
    assert (tmp_path / "m" / "val.json").read_bytes() == fab["photo_b"].read_bytes()
    for it in load_coco(fab["photo_b"]).items:
        assert (tmp_path / "m" / "images" / "val" / it.name).read_bytes() == it.path.read_bytes()


@pytest.mark.parametrize(
    ("kw", "word"),
    [
        ({"ratio": 0.9, "counts": None, "mapping": MAP}, "needs 54 synthetic"),
        ({"ratio": None, "counts": "7,1", "mapping": MAP}, "7 real images asked"),
        ({"ratio": 0.5, "counts": "1,1", "mapping": MAP}, "exactly one"),
        ({"ratio": 0.5, "counts": None, "mapping": {"pedestrain": "person"}}, "pedestrain"),
        ({"ratio": 0.5, "counts": None, "mapping": {"pedestrian": "human"}}, "human"),
    ],
)
def test_bad_input_is_a_user_error_naming_it(fab, tmp_path, kw, word):
    with pytest.raises(UserError, match=word) as e:
        mix(fab["yolo"], fab["render"], tmp_path / "m", kw["ratio"], kw["counts"], kw["mapping"])
    assert e.value.exit_code == 2


def test_ultralytics_reads_every_mixed_label(fab, tmp_path):
    if not TOOL.is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must have Ultralytics' venv (make tools-ultralytics)")
        pytest.skip("no Ultralytics venv here (make tools-ultralytics)")
    mix(fab["yolo"], fab["render"], tmp_path / "m", 0.5, None, MAP)
    config = tmp_path / "config"
    (config / "Ultralytics").mkdir(parents=True)
    shutil.copyfile(
        FONT_DIR / "liberation_sans" / "LiberationSans-Regular.ttf", config / "Ultralytics" / "Arial.ttf"
    )
    env = {**os.environ, "YOLO_OFFLINE": "1", "YOLO_AUTOINSTALL": "0", "YOLO_CONFIG_DIR": str(config)}
    data = tmp_path / "m" / "data.yaml"
    cmd = [str(TOOL), str(SCRIPT), str(tmp_path / "kept.json"), f"{data}:detect"]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    kept = json.loads((tmp_path / "kept.json").read_text())[f"{data}:detect"]
    train = kept["train"]
    assert train["images_listed"] == 12 and train["msgs"] == [] and train["results"][3] == 0  # none corrupt
    for lb in train["labels"]:
        mine = rows((tmp_path / "m" / "labels" / "train" / Path(lb["im_file"]).name).with_suffix(".txt"))
        assert lb["cls"] == [int(r[0]) for r in mine]
        assert np.allclose(
            np.reshape(lb["bboxes"], (-1, 4)), np.reshape([r[1:] for r in mine], (-1, 4)), atol=1e-6
        )
    assert kept["val"]["images_listed"] == 2
