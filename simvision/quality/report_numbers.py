"""The numbers of ``simvision report``: pure functions from a dataset's records (and its scene) to plain data.

Everything here is computed from the records alone (plus image hashes for near-duplicates), so a test can recount
any of it independently. ``report.json`` holds exactly these numbers; the HTML page draws them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from simvision.registry import get_generator
from simvision.scene import Scene

HEATMAP = 16  # box centres are counted on a HEATMAP x HEATMAP grid over the normalised image
FRACTION_BINS = [round(x, 2) for x in np.linspace(0, 1, 11)]


def histogram(values: Sequence[float], bins: Sequence[float] | int = 10) -> dict[str, list]:
    """Counts of ``values`` in ``bins`` (edges, or a number of equal bins over the data's range)."""
    if not len(values):
        return {"edges": [], "counts": []}
    counts, edges = np.histogram(np.asarray(values, np.float64), bins=bins)
    return {"edges": [round(float(e), 4) for e in edges], "counts": counts.tolist()}


def class_counts(records: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per class: how many instances, and in how many images."""
    inst: Counter[str] = Counter()
    imgs: Counter[str] = Counter()
    for r in records:
        names = [i["class"] for i in r["instances"]]
        inst.update(names)
        imgs.update(set(names))
    classes = records[0]["classes"][1:] if records else []
    return {c: {"instances": inst[c], "images": imgs[c]} for c in classes}


def box_stats(records: Sequence[Mapping[str, Any]], skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Box area (log10 px), aspect (w/h, log2) and centre position of every instance not of a ``skip`` class."""
    areas, aspects = [], []
    heat = np.zeros((HEATMAP, HEATMAP), np.int64)
    per_class: dict[str, list[float]] = {}
    for r in records:
        w, h = r["width"], r["height"]
        for i in r["instances"]:
            if i["class"] in skip or i["area"] == 0:
                continue
            x0, y0, x1, y1 = i["bbox"]
            bw, bh = x1 - x0, y1 - y0
            areas.append(float(np.log10(bw * bh)))
            aspects.append(float(np.log2(bw / bh)))
            per_class.setdefault(i["class"], []).append(bw * bh)
            cx = min(int((x0 + x1) / 2 / w * HEATMAP), HEATMAP - 1)
            cy = min(int((y0 + y1) / 2 / h * HEATMAP), HEATMAP - 1)
            heat[cy, cx] += 1
    return {
        "count": len(areas),
        "log10_area": histogram(areas, 20),
        "log2_aspect": histogram(aspects, 20),
        "centre_heatmap": heat.tolist(),
        "median_area_by_class": {c: float(np.median(v)) for c, v in sorted(per_class.items())},
        "small_medium_large": _coco_sizes([10**a for a in areas]),
    }


def _coco_sizes(areas: Sequence[float]) -> dict[str, int]:
    """COCO's size buckets (box area < 32^2, < 96^2, larger)."""
    a = np.asarray(areas)
    return {"small": int((a < 32**2).sum()), "medium": int(((a >= 32**2) & (a < 96**2)).sum()),
            "large": int((a >= 96**2).sum())}  # fmt: skip


def visibility(records: Sequence[Mapping[str, Any]], skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Histograms of the instances' visible fraction and truncation, where the records carry them."""
    out = {}
    for key in ("visible_fraction", "truncation"):
        vals = [
            float(i[key])
            for r in records
            for i in r["instances"]
            if key in i and i["class"] not in skip and i["area"] > 0
        ]
        if vals:
            out[key] = histogram(vals, FRACTION_BINS)
    return out


def conditions(records: Sequence[Mapping[str, Any]], scene: Scene) -> dict[str, Any]:
    """Each categorical condition of the sampled specs: observed counts against the share the scene file asks
    for. The asked share of a sample comes from the params of its own stratum and edge cases, so it is exact
    under balancing."""
    stats = get_generator(scene.generator).stats
    if stats is None or not records:
        return {}
    asked: dict[tuple, dict[str, dict[str, float]]] = {}
    out: dict[str, Any] = {}
    for r in records:
        key = (r.get("stratum"), tuple(r.get("edge_cases", [])))
        if key not in asked:
            asked[key] = stats.expected(scene.params_for(*key))
        for cond, value in stats.conditions(r["spec"]).items():
            c = out.setdefault(cond, {"observed": Counter(), "expected": Counter()})
            c["observed"][value] += 1
            for v, p in asked[key].get(cond, {}).items():
                c["expected"][v] += p
    n = len(records)
    return {
        cond: {
            "observed": dict(sorted(c["observed"].items())),
            "expected_share": {v: round(p / n, 6) for v, p in sorted(c["expected"].items())},
        }
        for cond, c in out.items()
    }


def condition_grid(records: Sequence[Mapping[str, Any]], scene: Scene) -> dict[str, Any] | None:
    """Counts over the first two conditions (street: weather x time of day; receipts: locale x layout)."""
    stats = get_generator(scene.generator).stats
    if stats is None or not records:
        return None
    conds = [stats.conditions(r["spec"]) for r in records]
    a, b = list(conds[0])[:2]
    rows, cols = sorted({c[a] for c in conds}), sorted({c[b] for c in conds})
    grid = [[sum(c[a] == x and c[b] == y for c in conds) for y in cols] for x in rows]
    return {"rows": a, "cols": b, "row_values": rows, "col_values": cols, "counts": grid}


def numeric(records: Sequence[Mapping[str, Any]], scene: Scene) -> dict[str, Any]:
    """Scalar spec parameters: the range asked for (over every stratum and edge case used), the range sampled,
    and a histogram."""
    stats = get_generator(scene.generator).stats
    if stats is None or not records:
        return {}
    values: dict[str, list[float]] = {}
    asked: dict[str, tuple[float, float]] = {}
    for key in {(r.get("stratum"), tuple(r.get("edge_cases", []))) for r in records}:
        for k, (lo, hi) in stats.ranges(scene.params_for(*key)).items():  # union over strata and edge cases
            a = asked.get(k, (lo, hi))
            asked[k] = (min(a[0], lo), max(a[1], hi))
    for r in records:
        for k, v in stats.numeric(r["spec"]).items():
            values.setdefault(k, []).append(float(v))
    out = {}
    for k, vs in values.items():
        lo, hi = asked.get(k, (min(vs), max(vs)))
        out[k] = {"asked": [lo, hi], "min": min(vs), "max": max(vs), "mean": float(np.mean(vs)),
                  "histogram": histogram(vs, 12)}  # fmt: skip
    return out


def effects(records: Sequence[Mapping[str, Any]], scene: Scene) -> dict[str, Any]:
    """Augmentation effects: probability asked in the scene's augment section against how often applied."""
    if scene.augment is None:
        return {}
    asked: dict[str, float] = {}
    for e in scene.augment.entries():
        asked[e.name] = 1 - (1 - asked.get(e.name, 0.0)) * (1 - e.p)
    used = Counter(step["effect"] for r in records for step in set_of(r["render"].get("augment") or []))
    return {name: {"asked_p": round(p, 6), "applied": used[name]} for name, p in sorted(asked.items())}


def set_of(plan: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One step per effect name (an effect listed twice counts once per sample)."""
    seen, out = set(), []
    for step in plan:
        if step["effect"] not in seen:
            seen.add(step["effect"])
            out.append(step)
    return out


def balance(records: Sequence[Mapping[str, Any]], scene: Scene) -> dict[str, Any]:
    """Target share of each stratum and edge case against the samples that got it (and, for edge cases, the
    samples whose labels carry the tag)."""
    n = len(records)
    strata = Counter(r.get("stratum") for r in records)
    forced = Counter(e for r in records for e in r.get("edge_cases", []))
    tags = Counter(t for r in records for t in r.get("tags", []))
    return {
        "strata": {
            k: {"share": s.share, "target": round(s.share * n, 3), "achieved": strata[k]}
            for k, s in scene.balance.items()
        },
        "rest": strata[None],
        "edge_cases": {
            k: {"rate": e.rate, "target": round(e.rate * n, 3), "achieved": forced[k]}
            for k, e in scene.edge_cases.items()
        },
        "tags": dict(sorted(tags.items())),
    }


def text(records: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Receipts: characters and words per image, and how many receipts have each key field (an image of several
    receipts counts each)."""
    words = [[i for i in r["instances"] if i.get("text")] for r in records]
    if not any(words):
        return None
    docs = [d for r in records for d in _documents(r.get("key_fields", {}))]
    fields = sorted({k for d in docs for k in d})
    present = Counter(k for d in docs for k in d)
    return {
        "words_per_image": histogram([len(w) for w in words], 12),
        "chars_per_image": histogram([sum(len(i["text"]) for i in w) for w in words], 12),
        "total_words": sum(len(w) for w in words),
        "total_chars": sum(len(i["text"]) for w in words for i in w),
        "key_fields": {k: {"present": present[k], "missing": len(docs) - present[k]} for k in fields},
    }


def _documents(key_fields: Mapping[str, Any] | list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """A record's key fields per document: one dict, or a list of them for an image of several documents."""
    return list(key_fields) if isinstance(key_fields, list) else [key_fields]


def splits(records: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(r.get("split") or "(none)" for r in records).items()))
