"""The shelf scene kind: what simvision's generic code needs to know about it, declared once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from simvision.scenekind import SceneKind, SceneStats, shares
from simvision_shelf.config import ShelfParams
from simvision_shelf.render import CLASSES, render
from simvision_shelf.sample import sample
from simvision_shelf.spec import ShelfSpec


def _tags(record: Mapping[str, Any]) -> list[str]:
    n = Counter(i["class"] for i in record["instances"])
    return ["crowded"] if n["box"] + n["bottle"] + n["can"] > 40 else []


STATS = SceneStats(
    conditions=lambda spec: {"light": spec["light"], "shelves": str(len(spec["boards"]))},
    expected=lambda p: {
        "light": shares(p.light.choices),
        "shelves": shares({str(k): 1.0 for k in range(p.shelves.min, p.shelves.max + 1)}),
    },
    numeric=lambda spec: {"products": float(len(spec["products"])), "price_tags": float(len(spec["tags"]))},
    ranges=lambda p: {},
    tags=_tags,
)

KIND = SceneKind(
    name="shelf",
    description="Products (boxes, bottles, cans) and price tags on a retail shelf (example plugin)",
    classes=CLASSES,
    params_model=ShelfParams,
    spec_model=ShelfSpec,
    sample=sample,
    render=render,
    stuff=frozenset({"shelf"}),
    text_classes=frozenset(),  # a tag mask is the whole tag, not printed glyphs: no legibility measure
    stats=STATS,
    scene_files=(Path(__file__).parent / "scenes" / "shelf.yaml",),
)
