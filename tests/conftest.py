"""Shared fixtures: the shipped scene files and small generated datasets (built once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simvision.scene import Scene, default_scene_dir, load_scene

SCENE_FILES = sorted(default_scene_dir().glob("*.yaml"))


@pytest.fixture(scope="session", params=SCENE_FILES, ids=[p.stem for p in SCENE_FILES])
def scene(request: pytest.FixtureRequest) -> Scene:
    return load_scene(request.param)


@pytest.fixture(scope="session")
def receipt_scene() -> Scene:
    return load_scene(default_scene_dir() / "receipt.yaml")


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory, scene: Scene) -> Path:
    """A 3-sample dataset of each shipped scene, written in every format that applies to its generator."""
    from simvision.pipeline import generate
    from simvision.writers import ONLY_FOR

    out = tmp_path_factory.mktemp(f"ds_{scene.name}")
    own = tuple(f for f, g in ONLY_FOR.items() if g == scene.generator)
    summary = generate(scene, out, n=3, seed=11, workers=1, formats=("coco", "yolo", "record", *own))
    assert not summary.failures, summary.failures
    return out
