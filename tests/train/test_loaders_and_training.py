"""Loaders over a generated dataset, the HuggingFace imagefolder export, and the example detector really training."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simvision.labels import boxes_and_areas
from simvision.loaders import SimvisionDataset
from simvision.pipeline import generate
from simvision.scene import default_scene_dir, load_scene

ROOT = Path(__file__).resolve().parents[2]


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{module} missing: `make test` installs the train extra", pytrace=False)
        pytest.skip(f"{module} is not installed")


@pytest.fixture(scope="module")
def street(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("train") / "street"
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("160x128")
    generate(scene, out, n=8, seed=1, workers=1, formats="coco,hf")
    return out


def test_dataset_items_match_the_maps(street):
    ds = SimvisionDataset(street)
    assert len(ds) == 8
    for i in range(len(ds)):
        it = ds[i]
        assert it["image"].shape == (128, 160, 3) and it["depth"].shape == (128, 160)
        boxes, areas = boxes_and_areas(it["instance_map"], it["instance_ids"])
        assert np.array_equal(boxes, it["boxes"]) and (areas > 0).all()
    cars = SimvisionDataset(street, classes=["car"])
    car_id = cars.class_names.index("car")
    assert all((cars[i]["class_ids"] == car_id).all() for i in range(len(cars)))


def test_loader_module_does_not_import_torch():
    code = "import sys, simvision.loaders; sys.exit(1 if 'torch' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_huggingface_imagefolder_loads_offline(street):
    _need("datasets")
    code = (
        "import datasets, sys\n"
        f"ds = datasets.load_dataset('imagefolder', data_dir={str(street / 'images')!r}, split='train')\n"
        "print(len(ds), len(ds[0]['objects']['bbox']), ds[0]['image'].size)\n"
    )
    env = {
        **os.environ,
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(street.parent / "hf"),
    }
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    n, objects, size = r.stdout.split(maxsplit=2)
    first = SimvisionDataset(street).record(0)
    assert int(n) == 8 and int(objects) == len(first["instances"]) and size.strip() == "(160, 128)"


def test_example_detector_loss_falls(street):
    _need("torch")
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import train_detector as td
    finally:
        sys.path.pop(0)
    items = td.load(str(street), ["car", "person", "building"], None)
    assert sum(len(it["boxes"]) for it in items) > 10
    _, losses = td.train(items, 3, iterations=40, batch=4)
    first, last = np.mean(losses[:5]), np.mean(losses[-5:])
    assert last < 0.6 * first, f"loss {first:.3f} -> {last:.3f}"
