"""Shared fixtures: the shipped scene files and small generated datasets (built once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simvision.registry import get_generator
from simvision.scene import Scene, all_scene_files, default_scene_dir, load_scene
from simvision.writers.registry import formats_of, writers

# every shipped scene file, and those every registered kind (installed plugins included) ships
SCENE_FILES = all_scene_files()


def own_formats(scene: Scene) -> tuple[str, ...]:
    """The kind-specific formats of the scene's kind, from the writer registry (less those its params refuse, e.g.
    one-receipt formats for a photo of several receipts)."""
    kind = get_generator(scene.generator)
    return tuple(f for f in formats_of(kind, generic=False) if f not in kind.refused_formats(scene.params))


def all_formats(scene: Scene) -> tuple[str, ...]:
    """Every format the scene's kind supports (yolo rather than yolo-seg)."""
    kind = get_generator(scene.generator)
    refused = set(writers()["yolo"].excludes) | set(kind.refused_formats(scene.params))
    return tuple(f for f in formats_of(kind) if f not in refused)


@pytest.fixture(scope="session", params=SCENE_FILES, ids=[p.stem for p in SCENE_FILES])
def scene(request: pytest.FixtureRequest) -> Scene:
    scene = load_scene(request.param)
    if scene.render.engine == "blender" and scene.image.width > 320:
        # label exactness does not depend on resolution, and a 640x480 Cycles frame costs ~30 CPU-s here
        scene = scene.with_size("320x240")
    return scene


@pytest.fixture(scope="session")
def receipt_scene() -> Scene:
    return load_scene(default_scene_dir() / "receipt.yaml")


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory, scene: Scene) -> Path:
    """A 3-sample dataset of each shipped scene, written in every format that applies to its generator."""
    from simvision.pipeline import generate

    out = tmp_path_factory.mktemp(f"ds_{scene.name}")
    own = own_formats(scene)
    summary = generate(scene, out, n=3, seed=11, workers=1, formats=("coco", "yolo", "record", *own))
    assert not summary.failures, summary.failures
    return out


SPLIT = "train=0.5,val=0.3,test=0.2"


@pytest.fixture(scope="session")
def split_dataset(tmp_path_factory: pytest.TempPathFactory, scene: Scene) -> Path:
    """A 6-sample dataset of each shipped scene with --split, in every format of its generator, and its report."""
    from simvision.pipeline import generate
    from simvision.quality.report import write_report

    out = tmp_path_factory.mktemp(f"split_{scene.name}")
    formats = all_formats(scene)
    small = scene.with_size("160x120") if scene.generator == "street" else scene
    summary = generate(small, out, n=6, seed=5, workers=1, formats=formats, split=SPLIT)
    assert not summary.failures, summary.failures
    write_report(out, gallery=3)
    return out
