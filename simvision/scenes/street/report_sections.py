"""Street numbers for ``simvision report``: how far away, how large, how many and how close together the objects
are, per class.

Placement explains as much of the sim-to-real gap as appearance, so these are the distributions to hold against
real driving data (KITTI cars: median distance ~20 m, most under 50 m; queued and parked cars stand 1-4 m apart,
people in groups 0.5-1.5 m).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from simvision.scenes.street.config import STUFF

# Road users and clutter, whose spacing placement decides; a rider sits on its cycle (distance 0), so it is left
# out, as is furniture (poles, lights, signs, trees, buildings).
SPACED = frozenset({"person", "car", "truck", "bus", "motorcycle", "bicycle", "animal", "dynamic"})


def _quantiles(values: list[float]) -> dict[str, Any]:
    v = np.asarray(values, np.float64)
    p10, p50, p90 = np.percentile(v, [10, 50, 90])
    return {"n": int(v.size), "p10": round(p10, 2), "median": round(p50, 2), "p90": round(p90, 2),
            "max": round(float(v.max()), 2)}  # fmt: skip


def nearest_neighbours(spec: Mapping[str, Any]) -> dict[int, float]:
    """Object id -> ground distance (m, centre to centre) to the nearest other road user or distractor."""
    objs = [o for o in spec["objects"] if o["cls"] in SPACED]
    if len(objs) < 2:
        return {}
    xy = np.array([o["position"][:2] for o in objs], np.float64)
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    return {o["id"]: float(v) for o, v in zip(objs, d.min(axis=1), strict=True)}


def sections(records: list[Mapping[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per object class (stuff left out): ``distance to camera (m)``, ``visible box height (px)``, ``objects per
    image`` (visible ones, images without the class counted as 0) and ``nearest neighbour (m)`` (road users and
    distractors, ground distance to the nearest other one)."""
    dist: dict[str, list[float]] = {}
    height: dict[str, list[float]] = {}
    near: dict[str, list[float]] = {}
    counts: list[dict[str, int]] = []
    for r in records:
        nn = nearest_neighbours(r["spec"]) if "spec" in r else {}
        seen: dict[str, int] = {}
        for i in r["instances"]:
            if i["class"] in STUFF or i.get("distance") is None:
                continue
            dist.setdefault(i["class"], []).append(float(i["distance"]))
            height.setdefault(i["class"], []).append(float(i["bbox"][3] - i["bbox"][1]))
            if i.get("area", 1) > 0:
                seen[i["class"]] = seen.get(i["class"], 0) + 1
            if i.get("id") in nn:
                near.setdefault(i["class"], []).append(nn[i["id"]])
        counts.append(seen)
    per_image = {k: [c.get(k, 0) for c in counts] for k in sorted(height)}
    return {
        "distance to camera (m)": {k: _quantiles(v) for k, v in sorted(dist.items())},
        "visible box height (px)": {k: _quantiles(v) for k, v in sorted(height.items())},
        "objects per image": {k: _quantiles(v) for k, v in per_image.items()},
        "nearest neighbour (m)": {k: _quantiles(v) for k, v in sorted(near.items())},
    }
