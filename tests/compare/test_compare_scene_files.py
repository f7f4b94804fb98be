"""``compare`` on sets rendered from the shipped scene files (small frames): two draws of one scene file cannot be
told apart; day against night rain is told apart at once, and the statistics that tell them apart are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from simvision.compare.run import compare
from simvision.pipeline import generate
from simvision.scene import default_scene_dir, load_scene

N = 12


@pytest.fixture(scope="module")
def street_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("scene_sets")
    made = {}
    for name, file, seed in (
        ("day0", "street.yaml", 0),
        ("day1", "street.yaml", 1),
        ("night", "street_night_rain.yaml", 0),
    ):
        scene = load_scene(default_scene_dir() / file).with_size("128x96")
        generate(scene, root / name, n=N, seed=seed, workers=0, formats=("coco",))
        made[name] = root / name
    return made


@pytest.mark.slow
def test_one_scene_file_twice_is_not_told_apart_and_night_is(street_sets: dict[str, Path]):
    same = compare(street_sets["day1"], street_sets["day0"], max_images=None)
    night = compare(street_sets["night"], street_sets["day0"], max_images=None)
    # 12 against 12 with 5-fold CV: chance AUC scatters around 0.5 by about +-0.15
    assert same["images"]["classifier"]["auc"] <= 0.8
    # night frames through a metering camera (exposed brighter, up to its gain limit) are told apart less easily
    assert night["images"]["classifier"]["auc"] >= 0.9
    assert same["labels"]["class_tv"] < 0.2  # the same class mix
    # the statistics that give the night set away are named, each separating the sets on its own
    strong = {f["feature"] for f in night["images"]["features"] if f["auc"] >= 0.95}
    assert len(strong) >= 3 and night["image_findings"]
    same_strong = {f["feature"] for f in same["images"]["features"] if f["auc"] >= 0.95}
    assert len(same_strong) <= 1
    # two draws of one scene cover each other about as densely as each covers itself
    div = same["images"]["diversity"]
    assert div["real_to_synth"]["median"] < 1.5 * div["real_to_real"]["median"]
