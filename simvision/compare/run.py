"""``simvision compare SYNTH --real REAL``: every number in ``compare.json`` and a self-contained ``index.html``.

Labels (when both sets have them): class shares, objects per image, box size/aspect/position with Wasserstein and
KS distances. Pixels: image statistics side by side, a cross-validated real-vs-synthetic classifier's ROC AUC
(0.5: the statistics cannot tell the sets apart) with the statistics that give the synthetic set away, and
nearest-neighbour diversity. Each difference comes with the scene parameters that move it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from simvision.compare.advice import box_findings, image_findings
from simvision.compare.boxes import compare_boxes
from simvision.compare.classifier import cv_auc, feature_table
from simvision.compare.datasets import LabeledSet, check_map, load_set
from simvision.compare.distances import compare_1d
from simvision.compare.diversity import diversity
from simvision.compare.imagestats import SIZE, pick, statistics_matrix
from simvision.errors import UserError
from simvision.io import atomic_write
from simvision.record import dumps

FOLDS = 5
HEADLINE = ("grey_mean", "contrast_rms", "sat_mean", "sharpness_log_lapvar", "noise_sigma", "jpeg_quality",
            "spectrum_slope", "colourfulness")  # fmt: skip


def _advice_table(s: LabeledSet) -> dict[str, tuple[str, str]]:
    if s.generator is None:
        return {}
    from simvision.registry import get_generator

    return dict(get_generator(s.generator).advice)


def _finite(x: Any) -> Any:
    """JSON has no NaN or infinity: they become null."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_finite(v) for v in x]
    if isinstance(x, np.floating | np.integer):
        return _finite(x.item())
    return x


def image_section(real: LabeledSet, synth: LabeledSet, max_images: int | None, seed: int) -> dict[str, Any]:
    ri, si = pick(len(real.items), max_images), pick(len(synth.items), max_images)
    rx, names = statistics_matrix([real.items[i].path for i in ri])
    sx, _ = statistics_matrix([synth.items[i].path for i in si])
    table = feature_table(rx, sx, names)
    x, y = np.vstack([rx, sx]), np.r_[np.zeros(len(rx)), np.ones(len(sx))]
    folds = min(FOLDS, len(rx), len(sx))
    cv = cv_auc(x, y, folds, seed) if folds >= 2 else {"auc": None, "fold_aucs": []}
    col = {n: k for k, n in enumerate(names)}
    return {
        "working_size": list(SIZE),
        "n_real": len(rx),
        "n_synth": len(sx),
        "classifier": {"model": "L2 logistic regression (C=1), standardised", "folds": folds, **cv},
        "features": table,
        "headline": {n: compare_1d(rx[:, col[n]], sx[:, col[n]]) for n in HEADLINE},
        "diversity": diversity(rx, sx, [real.items[i].name for i in ri], [synth.items[i].name for i in si]),
    }


def compare(
    synth_path: Path,
    real_path: Path,
    images: Path | None = None,
    mapping: dict[str, str] | None = None,
    max_images: int | None = 2000,
    seed: int = 0,
) -> dict[str, Any]:
    """Every number of the comparison (JSON-ready)."""
    synth = load_set(synth_path, splits=("train", "val", "test"))
    real = load_set(real_path, images, splits=("train", "val", "test"))
    mapping = mapping or {}
    check_map(mapping, real, synth)
    table = _advice_table(synth)
    out: dict[str, Any] = {
        "synthetic": {"source": synth.source, "layout": synth.layout, "images": len(synth.items)},
        "real": {"source": real.source, "layout": real.layout, "images": len(real.items)},
        "map": {r: s for s, r in sorted(mapping.items())},
        "image_sizes": {
            "width": compare_1d([i.width for i in real.items], [i.width for i in synth.items]),
            "height": compare_1d([i.height for i in real.items], [i.height for i in synth.items]),
        },
    }
    if real.labelled and synth.labelled:
        out["labels"] = compare_boxes(real, synth, mapping)
        out["label_findings"] = box_findings(out["labels"], table)
    else:
        out["labels"] = None
        out["label_findings"] = []
    if min(len(real.items), len(synth.items)) < 2:
        raise UserError("--real: value — need at least 2 images in each set to compare image statistics")
    out["images"] = image_section(real, synth, max_images, seed)
    out["image_findings"] = image_findings(out["images"]["features"], table)
    return _finite(out)


def write_compare(numbers: dict[str, Any], folder: Path) -> Path:
    """Write ``compare.json`` and ``index.html`` into ``folder``; the page's path."""
    from simvision.compare.html import render_html

    atomic_write(folder / "compare.json", dumps(numbers))
    page = folder / "index.html"
    atomic_write(page, render_html(numbers).encode("utf-8"))
    return page


def run_compare(
    synth_path: Path,
    real_path: Path,
    out: Path,
    images: Path | None = None,
    mapping: dict[str, str] | None = None,
    max_images: int | None = 2000,
    progress: Callable[[str], None] | None = None,
) -> tuple[Path, dict[str, Any]]:
    numbers = compare(synth_path, real_path, images, mapping, max_images)
    return write_compare(numbers, out), numbers
