"""Label statistics of two sets side by side: class shares, objects per image, and box size, aspect and position
(overall and per class the two sets share), each with its distances (:mod:`simvision.compare.distances`).

Sizes and positions are relative to the image (size = sqrt(box area / image area), centre x and y in 0..1; aspect =
log2(width / height)), so sets of different resolution compare.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from simvision.compare.datasets import Item, LabeledSet, mapped_class
from simvision.compare.distances import compare_1d, shares, total_variation

BOX_STATS = ("size", "aspect", "cx", "cy")


def box_rows(items: Sequence[Item], rename: dict[str, str | None] | None = None) -> dict[str, np.ndarray]:
    """Per box: class (after ``rename``; None drops it), relative size, log2 aspect and centre; per image: count."""
    cls, size, aspect, cx, cy, per_image = [], [], [], [], [], []
    for it in items:
        n = 0
        for b in it.boxes:
            name = rename.get(b.cls, b.cls) if rename is not None else b.cls
            if name is None or b.w <= 0 or b.h <= 0:
                continue
            n += 1
            cls.append(name)
            size.append(math.sqrt(b.w * b.h / (it.width * it.height)))
            aspect.append(math.log2(b.w / b.h))
            cx.append((b.x + b.w / 2) / it.width)
            cy.append((b.y + b.h / 2) / it.height)
        per_image.append(n)
    return {
        "class": np.array(cls, dtype=object),
        "size": np.array(size),
        "aspect": np.array(aspect),
        "cx": np.array(cx),
        "cy": np.array(cy),
        "per_image": np.array(per_image, np.float64),
    }


def compare_boxes(real: LabeledSet, synth: LabeledSet, mapping: dict[str, str]) -> dict[str, object]:
    """Everything about the labels. Synthetic classes are renamed to the real names (``mapping``, else same name);
    those the real set lacks are counted but left out of the box statistics, which cover the shared classes."""
    rename = {c: mapped_class(c, mapping, real.classes) for c in synth.classes}
    r = box_rows(real.items)
    s_all = box_rows(synth.items)
    s = box_rows(synth.items, rename)
    shared = sorted(set(r["class"]) & set(s["class"]))
    rc, sc = Counter(r["class"].tolist()), Counter(s["class"].tolist())
    keep_r = np.isin(r["class"], shared) if shared else np.ones(len(r["class"]), bool)
    keep_s = np.isin(s["class"], shared) if shared else np.ones(len(s["class"]), bool)
    real_per_image = _per_image(real.items, set(shared) if shared else None, None)
    synth_per_image = _per_image(synth.items, set(shared) if shared else None, rename)
    out: dict[str, object] = {
        "shared_classes": shared,
        "unmatched_synthetic": sorted(
            {c for c, v in rename.items() if v is None} & set(s_all["class"].tolist())
        ),
        "unmatched_real": sorted(set(rc) - set(shared)),
        "class_counts": {"real": dict(sorted(rc.items())), "synth": dict(sorted(sc.items()))},
        "class_shares": {
            "real": shares({k: rc[k] for k in shared}),
            "synth": shares({k: sc[k] for k in shared}),
        },
        "objects_per_image": compare_1d(real_per_image, synth_per_image),
        "boxes": {k: compare_1d(r[k][keep_r], s[k][keep_s]) for k in BOX_STATS},
        "per_class": {
            c: {k: compare_1d(r[k][r["class"] == c], s[k][s["class"] == c]) for k in ("size", "aspect", "cy")}
            for c in shared
        },
    }
    cs = out["class_shares"]
    out["class_tv"] = total_variation(cs["real"], cs["synth"]) if shared else None  # type: ignore[index]
    return out


def _per_image(
    items: Sequence[Item], keep: set[str] | None, rename: dict[str, str | None] | None
) -> list[int]:
    """Objects of the shared classes in each image."""
    out = []
    for it in items:
        names = [rename.get(b.cls, b.cls) if rename is not None else b.cls for b in it.boxes]
        out.append(sum(1 for n in names if n is not None and (keep is None or n in keep)))
    return out
