"""``simvision report --real``: a rendered dataset (its background classes left out of the boxes) compared with a
real set, the comparison linked from the report and summarised in report.json."""

from __future__ import annotations

import json
from pathlib import Path

from simvision.compare.datasets import load_set
from simvision.pipeline import generate
from simvision.quality.report import write_report
from simvision.registry import get_generator
from simvision.scene import default_scene_dir, load_scene


def test_report_includes_the_comparison(fab: dict[str, Path], tmp_path: Path):
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("64x48")
    out = tmp_path / "street"
    assert not generate(scene, out, n=3, seed=0, workers=1, formats=("coco",)).failures
    synth = load_set(out)
    stuff = get_generator("street").stuff
    assert synth.generator == "street" and not stuff & set(synth.classes)
    assert not {b.cls for it in synth.items for b in it.boxes} & stuff
    real = {"real_path": fab["photo_a"], "images": None, "mapping": {}}
    page, numbers = write_report(out, gallery=0, real=real)
    summary = json.loads((out / "report" / "report.json").read_text())["compare"]
    assert summary["page"] == "compare/index.html" and summary["real"]["images"] == 24
    assert 0.0 <= summary["auc"] <= 1.0
    text = page.read_text()
    assert "Against real data" in text and 'href="compare/index.html"' in text
    assert (out / "report" / "compare" / "index.html").is_file()
    full = json.loads((out / "report" / "compare" / "compare.json").read_text())
    assert full["labels"]["shared_classes"] == ["car", "person"]
