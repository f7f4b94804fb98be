"""Diversity: nearest-neighbour distances in the standardised image-statistics space.

Within the synthetic set (small = clusters of near-copies), within the real set (the reference: what real variety
looks like at this sample size), from each synthetic image to the real set, and from each real image to the
synthetic set: a real image far from every synthetic one is a gap the generator does not cover.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simvision.compare.distances import summary

CHUNK = 1024


def nearest(a: np.ndarray, b: np.ndarray, same: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``a``: distance to and index of its nearest row of ``b`` (itself excluded when ``same``).
    Chunked, so 10,000 x 10,000 needs a few MB at a time."""
    dist = np.empty(len(a))
    idx = np.zeros(len(a), np.int64)
    bb = (b * b).sum(1)
    for s in range(0, len(a), CHUNK):
        x = a[s : s + CHUNK]
        d2 = (x * x).sum(1)[:, None] + bb[None, :] - 2.0 * x @ b.T
        if same:
            d2[np.arange(len(x)), np.arange(s, s + len(x))] = np.inf
        j = d2.argmin(1)
        idx[s : s + len(x)] = j
        dist[s : s + len(x)] = np.sqrt(np.maximum(d2[np.arange(len(x)), j], 0.0))
    return dist, idx


def diversity(
    real: np.ndarray, synth: np.ndarray, real_names: Sequence[str], synth_names: Sequence[str], top: int = 5
) -> dict[str, object]:
    """Nearest-neighbour summaries, the closest synthetic pairs and the real images farthest from any synthetic
    one. Features standardised by the real set (constant ones dropped)."""
    mu, sd = real.mean(0), real.std(0)
    keep = sd > 1e-12
    r = (real[:, keep] - mu[keep]) / sd[keep]
    s = (synth[:, keep] - mu[keep]) / sd[keep]
    out: dict[str, object] = {}
    if len(s) > 1:
        ss, si = nearest(s, s, same=True)
        order = np.argsort(ss, kind="stable")[:top]
        out["synth_to_synth"] = summary(ss)
        out["closest_synthetic_pairs"] = [
            {"a": synth_names[i], "b": synth_names[int(si[i])], "distance": float(ss[i])} for i in order
        ]
    if len(r) > 1:
        out["real_to_real"] = summary(nearest(r, r, same=True)[0])
    sr = nearest(s, r)[0]
    rs, ri = nearest(r, s)
    out["synth_to_real"] = summary(sr)
    out["real_to_synth"] = summary(rs)
    order = np.argsort(-rs, kind="stable")[:top]
    out["real_gaps"] = [
        {"real": real_names[i], "nearest_synthetic": synth_names[int(ri[i])], "distance": float(rs[i])}
        for i in order
    ]
    return out
