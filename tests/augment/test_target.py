"""Outline polygons from quads: the batched densify equals the per-quad definition exactly."""

from __future__ import annotations

import numpy as np

from simvision.augment.target import EDGE_POINTS, densify, densify_all


def test_densify_all_equals_densify_per_quad() -> None:
    rng = np.random.default_rng(0)
    centres = rng.uniform(0, 800, (300, 1, 2))
    quads = (centres + rng.uniform(-200, 200, (300, 4, 2))).astype(np.float32)  # edges of every length
    quads[[3, 77]] = np.nan  # instances without a quad
    out = densify_all(quads)
    assert len(out) == len(quads)
    counts = set()
    for quad, poly in zip(quads, out, strict=True):
        if np.isnan(quad).any():
            assert poly is None
            continue
        ref = densify(quad)
        assert poly.dtype == ref.dtype == np.float32 and np.array_equal(poly, ref)
        counts.add(len(poly) // 4)
    assert min(counts) >= EDGE_POINTS and len(counts) > 5  # several groups of points per edge were exercised


def test_densify_all_of_nothing() -> None:
    assert densify_all(np.zeros((0, 4, 2), np.float32)) == ()
    assert densify_all(np.full((2, 4, 2), np.nan, np.float32)) == (None, None)
