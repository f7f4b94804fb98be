"""Shared by the augment tests: one real rendered receipt as a clean target."""

from __future__ import annotations

import pytest

import simvision
from simvision.augment.target import Target, target_from_sample
from simvision.registry import get_generator


@pytest.fixture(scope="session")
def receipt() -> tuple[Target, list[tuple[int, int, int]]]:
    """A clean receipt target (seed 3, index 0 of scenes/receipt.yaml) and its word rows as (row, layer, id)."""
    sample = simvision.render_sample(simvision.load_scene("scenes/receipt.yaml"), 3, 0)
    inst = sample.instances
    words = [
        (r, int(inst.layer[r]), int(inst.instance_id[r]))
        for r in range(len(inst))
        if sample.classes[int(inst.class_id[r])] == "word"
    ]
    return target_from_sample(sample, surfaces=get_generator("receipt").surfaces), words
