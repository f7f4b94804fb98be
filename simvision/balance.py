"""Balance and edge cases: which sample indices get which scene-parameter overrides, deterministically.

A scene file may ask for target shares (``balance:``) and edge-case rates (``edge_cases:``)::

    balance:                       # mutually exclusive strata; the rest of the indices sample ``params`` as is
      night_rain_animal:
        share: 0.10
        params: {weather: {kind: {choices: {rain: 1}}}, light: {time_of_day: {min: 21, max: 23.5}}}
    edge_cases:                    # independent of each other and of the strata
      heavy_occlusion: {rate: 0.05, params: {traffic: {parked_car: {min: 8, max: 12}}}}

Each stratum's and edge case's ``params`` are deep-merged over the scene's ``params`` and validated by the
generator. Indices are assigned by sequence, not by chance, so every prefix ``0..n-1`` of a dataset holds
``share * n`` samples of each stratum and ``rate * n`` of each edge case within one sample:

- strata follow Tijdeman's chairman-assignment sequence (earliest deadline among the eligible), whose counts
  stay within ``1 - 1/(2k-2)`` of ``share * n`` for every ``n`` (k strata including the rest);
- an edge case with rate ``r`` is on at index ``i`` when ``floor((i+1) r + phase) > floor(i r + phase)`` (a
  Bresenham line; count over ``0..n-1`` = ``floor(n r + phase)``), its phase drawn from the seed and its name, so
  different seeds put edge cases on different indices.

A sample's stratum and edge cases depend only on (seed, index), so growing a dataset keeps them.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field

from simvision.distributions import Strict

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
REST = None  # the stratum of indices no target claims


def _check_name(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"name {name!r} must match {NAME.pattern} (lower case, digits, underscores)")
    return name


class Stratum(Strict):
    """A target share of the dataset drawn with ``params`` overridden."""

    share: float = Field(gt=0, le=1, description="fraction of the dataset's indices")
    description: str = Field(default="", max_length=10_000)
    params: dict[str, Any] = Field(default_factory=dict, description="overrides deep-merged over params")


class EdgeCase(Strict):
    """A rare or difficult case at a set rate, tagged in every record it applies to."""

    rate: float = Field(gt=0, le=1, description="fraction of the dataset's indices")
    description: str = Field(default="", max_length=10_000)
    params: dict[str, Any] = Field(default_factory=dict, description="overrides deep-merged over params")
    augment: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=32,
        description="augmentation effects added for these samples (ink, paper, light or sensor; not camera)",
    )


def check_strata(v: dict[str, Stratum] | None) -> dict[str, Stratum] | None:
    """Validator of ``balance:``: names are identifiers and the shares sum to at most 1."""
    if v:
        check_names(list(v))
        total = sum(s.share for s in v.values())
        if total > 1 + 1e-9:
            raise ValueError(f"shares sum to {total:.4g}; they must sum to at most 1")
    return v


def check_edge_cases(v: dict[str, EdgeCase] | None) -> dict[str, EdgeCase] | None:
    """Validator of ``edge_cases:``: names are identifiers."""
    if v:
        check_names(list(v))
    return v


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` laid on ``base``: mappings merge key by key, anything else replaces; a choice's ``choices``
    always replace whole (``{choices: {rain: 1}}`` means only rain, not rain re-weighted among the others)."""
    out = dict(base)
    for k, v in over.items():
        merge = isinstance(v, Mapping) and isinstance(out.get(k), Mapping) and k != "choices"
        out[k] = deep_merge(out[k], v) if merge else v
    return out


# --- strata --------------------------------------------------------------------------------------------------
_SEQUENCES: dict[tuple[float, ...], list[int]] = {}


def _extend(shares: tuple[float, ...], seq: list[int], upto: int) -> None:
    """Tijdeman's sequence: at step t, among strata with ``t*p - count >= 1/(2k-2)`` take the earliest deadline
    ``(count + sigma) / p``, sigma = 1 - 1/(2k-2); ties go to the lower stratum."""
    k = len(shares)
    sigma = 1 - 1 / (2 * k - 2)
    counts = [0] * k
    for s in seq:
        counts[s] += 1
    for t in range(len(seq) + 1, upto + 1):
        best, key = 0, math.inf
        for i, p in enumerate(shares):
            if t * p - counts[i] >= 1 - sigma - 1e-12:
                d = (counts[i] + sigma) / p
                if d < key:
                    best, key = i, d
        counts[best] += 1
        seq.append(best)


def stratum_index(index: int, shares: Sequence[float]) -> int:
    """Which of ``shares`` (positive, summing to 1) index ``index`` belongs to."""
    key = tuple(shares)
    if len(key) == 1:
        return 0
    seq = _SEQUENCES.setdefault(key, [])
    if index >= len(seq):
        _extend(key, seq, max(index + 1, 2 * len(seq), 1024))
    return seq[index]


def stratum_of(index: int, strata: Mapping[str, float]) -> str | None:
    """The name of the stratum of ``index`` (``strata``: name -> share), or None for the unclaimed rest."""
    names = list(strata)
    shares = [strata[n] for n in names]
    rest = 1.0 - sum(shares)
    if rest > 1e-9:
        names.append(REST)
        shares.append(rest)
    total = sum(shares)
    return names[stratum_index(index, [s / total for s in shares])] if names else REST


# --- edge cases ----------------------------------------------------------------------------------------------
def _phase(seed: int, name: str) -> float:
    return int.from_bytes(hashlib.sha256(f"{seed}:{name}".encode()).digest()[:8], "big") / 2**64


def edge_case_on(seed: int, index: int, name: str, rate: float) -> bool:
    """Whether edge case ``name`` with ``rate`` applies to sample ``index``."""
    ph = _phase(seed, name)
    return math.floor((index + 1) * rate + ph) > math.floor(index * rate + ph)


def edge_cases_of(seed: int, index: int, rates: Mapping[str, float]) -> list[str]:
    """The edge cases on at ``index``, in declaration order."""
    return [n for n, r in rates.items() if edge_case_on(seed, index, n, r)]


def check_names(names: Sequence[str]) -> None:
    for n in names:
        _check_name(n)
