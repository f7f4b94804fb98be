"""Street numbers for ``simvision report``: how far away and how large the objects are, per class.

Placement explains as much of the sim-to-real gap as appearance, so these are the distributions to hold against
real driving data (KITTI cars: median distance ~20 m, most under 50 m).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from simvision.scenes.street.config import STUFF


def _quantiles(values: list[float]) -> dict[str, Any]:
    v = np.asarray(values, np.float64)
    p10, p50, p90 = np.percentile(v, [10, 50, 90])
    return {"n": int(v.size), "p10": round(p10, 2), "median": round(p50, 2), "p90": round(p90, 2),
            "max": round(float(v.max()), 2)}  # fmt: skip


def sections(records: list[Mapping[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """``distance to camera (m)`` and ``visible box height (px)`` per object class (stuff classes left out)."""
    dist: dict[str, list[float]] = {}
    height: dict[str, list[float]] = {}
    for r in records:
        for i in r["instances"]:
            if i["class"] in STUFF or i.get("distance") is None:
                continue
            dist.setdefault(i["class"], []).append(float(i["distance"]))
            height.setdefault(i["class"], []).append(float(i["bbox"][3] - i["bbox"][1]))
    return {
        "distance to camera (m)": {k: _quantiles(v) for k, v in sorted(dist.items())},
        "visible box height (px)": {k: _quantiles(v) for k, v in sorted(height.items())},
    }
