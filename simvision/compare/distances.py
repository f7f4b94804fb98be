"""Distances between two samples of one statistic, and between two class distributions.

Wasserstein-1 (the earth mover's distance: in the statistic's own unit, so "boxes are 0.04 of the image side
smaller on average" reads directly) and the two-sample Kolmogorov-Smirnov statistic (unit-free, 0..1, the largest
gap between the two cumulative distributions) come from scipy.stats, a dependency of the project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats


def summary(x: np.ndarray) -> dict[str, float | int]:
    if len(x) == 0:
        return {"n": 0}
    q = np.percentile(x, (10, 50, 90))
    return {
        "n": len(x),
        "mean": float(x.mean()),
        "std": float(x.std()),
        "p10": q[0],
        "median": q[1],
        "p90": q[2],
    }


def histogram(real: np.ndarray, synth: np.ndarray, bins: int = 20) -> dict[str, list[float]]:
    """Both samples on common bin edges, as shares of each sample (so sets of any size compare)."""
    both = np.concatenate([real, synth])
    lo, hi = (float(both.min()), float(both.max())) if len(both) else (0.0, 1.0)
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    r = np.histogram(real, edges)[0] / max(len(real), 1)
    s = np.histogram(synth, edges)[0] / max(len(synth), 1)
    return {"edges": [float(e) for e in edges], "real": [float(v) for v in r], "synth": [float(v) for v in s]}


def compare_1d(real: Sequence[float] | np.ndarray, synth: Sequence[float] | np.ndarray) -> dict[str, object]:
    """Both summaries, Wasserstein-1 (raw and in units of the real spread), KS statistic and p-value, the ratio of
    the medians and common-bin histograms. Empty samples give no distances (None)."""
    r = np.asarray(real, np.float64)
    s = np.asarray(synth, np.float64)
    out: dict[str, object] = {"real": summary(r), "synth": summary(s)}
    if len(r) == 0 or len(s) == 0:
        return out | {
            "wasserstein": None,
            "wasserstein_std": None,
            "ks": None,
            "ks_p": None,
            "median_ratio": None,
        }
    w = float(stats.wasserstein_distance(r, s))
    ks = stats.ks_2samp(r, s)
    spread = float(r.std()) or float(np.abs(r).mean()) or 1.0
    med_r, med_s = float(np.median(r)), float(np.median(s))
    return out | {
        "wasserstein": w,
        "wasserstein_std": w / spread,
        "ks": float(ks.statistic),
        "ks_p": float(ks.pvalue),
        "median_ratio": med_r / med_s if med_s else None,
        "hist": histogram(r, s),
    }


def shares(counts: Mapping[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total else {k: 0.0 for k in counts}


def total_variation(p: Mapping[str, float], q: Mapping[str, float]) -> float:
    """Half the L1 distance between two distributions over names: 0 = same shares, 1 = disjoint."""
    keys = set(p) | set(q)
    return 0.5 * sum(abs(p.get(k, 0.0) - q.get(k, 0.0)) for k in keys)
