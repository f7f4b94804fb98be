"""Key fields of a receipt (store, date, total, ...) as the record holds them: what a key-information extractor
should read off the page: the print, and a tip and total written in by pen (they follow the printed fields of
their category, as they come later on the page)."""

from __future__ import annotations

from typing import Any

import numpy as np

from simvision.types import Instances, Sample


def rest_of_values(attrs: dict[str, np.ndarray], cut: np.ndarray) -> np.ndarray:
    """The words of every key-field value (a run of one category on one line, of one receipt where a photo holds
    several) that has a word in ``cut``: part of a total is not the total, so a value half under a thumb or another
    receipt is no label at all."""
    paper = attrs.get("receipt", np.zeros(len(cut), np.int32))
    run = list(zip(paper.tolist(), attrs["category"].tolist(), attrs["line"].tolist(), attrs["group"].tolist(),
                   strict=True))  # fmt: skip
    hit = {run[r] for r in np.flatnonzero(cut).tolist() if run[r][1] != "other"}
    return np.array([key in hit for key in run], bool)


def key_fields(inst: Instances) -> dict[str, list[str]]:
    """Visible, legible key-field values (instances with a ``category`` attr): per category, the texts of its
    (line, group) runs of words, in print order. Words marked ``ignore`` (illegible) are left out, as dropped ones
    are: a value is only a label if it can be read in the image."""
    runs: dict[tuple[str, int, int], list[str]] = {}
    ignore = inst.attrs.get("ignore", np.zeros(len(inst), bool))
    for r in range(len(inst)):
        cat = str(inst.attrs["category"][r])
        if cat != "other" and not ignore[r]:
            runs.setdefault((cat, int(inst.attrs["line"][r]), int(inst.attrs["group"][r])), []).append(
                inst.text[r]
            )
    out: dict[str, list[str]] = {}
    for (cat, _, _), words in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        out.setdefault(cat, []).append(" ".join(words))
    return out


def record_extras(sample: Sample) -> dict[str, Any]:
    """The receipt kind's record fields: ``key_fields``; for a photo of several receipts (instances with a
    ``receipt`` column) a list of them, one per receipt (item k: receipt k's, read from its own words only)."""
    inst = sample.instances
    if "category" not in inst.attrs:
        return {"key_fields": {}}
    if "receipt" not in inst.attrs:
        return {"key_fields": key_fields(inst)}
    n = len(sample.meta.get("receipts", [])) or int(inst.attrs["receipt"].max(initial=-1)) + 1
    return {"key_fields": [key_fields(inst[inst.attrs["receipt"] == k]) for k in range(n)]}
