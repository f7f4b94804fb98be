"""Dataset splits: ``--split train=0.8,val=0.1,test=0.1``.

Sample ``i`` goes to the split whose cumulative interval holds ``u = rng_for(seed, i, "split").random()``: the
assignment depends only on (seed, index), so a dataset that grows keeps every existing sample in its split, and
the same command on any number of workers or machines assigns the same splits.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

from simvision.errors import UserError
from simvision.rng import rng_for

Splits = tuple[tuple[str, float], ...]
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
#: the split name formats that need one (CORD, Cityscapes, BDD100K layouts) use when no --split is given
DEFAULT = "train"


def parse_splits(text: str | None) -> Splits:
    """``"train=0.8,val=0.1,test=0.1"`` -> (("train", 0.8), ...); fractions > 0 summing to 1; () for None."""
    if text is None or text == "":
        return ()
    where = f"--split: value {text!r}"
    parts = []
    for item in text.split(","):
        name, eq, frac = item.strip().partition("=")
        try:
            value = float(frac)
        except ValueError:
            value = -1.0
        if not eq or not _NAME.match(name) or not value > 0:
            raise UserError(
                f"{where} — expected NAME=FRACTION pairs like train=0.8,val=0.1,test=0.1 "
                "(names lower case, fractions > 0)"
            )
        parts.append((name, value))
    names = [n for n, _ in parts]
    if len(set(names)) != len(names):
        raise UserError(f"{where} — a split name appears twice")
    total = sum(v for _, v in parts)
    if abs(total - 1) > 1e-6:
        raise UserError(f"{where} — the fractions sum to {total:.6g}; they must sum to 1")
    return tuple(parts)


def split_of(seed: int, index: int, splits: Splits) -> str | None:
    """The split of sample ``index``; None when the dataset has no splits."""
    if not splits:
        return None
    u = rng_for(seed, index, "split").random()
    bounds = list(accumulate(v for _, v in splits))
    return splits[min(bisect.bisect_right(bounds, u), len(splits) - 1)][0]


def names(splits: Splits) -> list[str]:
    return [n for n, _ in splits]


def split_name(record_split: str | None) -> str:
    """The split a record belongs to in layouts that need one."""
    return record_split or DEFAULT
