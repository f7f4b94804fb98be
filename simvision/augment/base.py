"""The effect interface: a config model (scene file), a sampler (rng -> plain params) and a pure apply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import Field

from simvision.augment.target import Target
from simvision.distributions import FloatRange, Strict

Params = dict[str, Any]  # JSON-serialisable: numbers, strings, lists; stored in the record, replayed exactly


class EffectConfig(Strict):
    """Base of every effect's scene-file entry: ``name`` picks the effect, ``p`` is the chance it is applied."""

    name: str
    p: float = Field(default=1.0, ge=0, le=1, description="probability the effect is applied to a sample")


@dataclass(frozen=True)
class Effect:
    """``sample(rng, cfg, (H, W)) -> params`` draws every random choice; ``apply(target, params)`` is pure.

    Geometric effects move image, maps, polygons and surface with one transform; the others change the image only
    and must leave the maps bit-identical. Effects that need noise draw a ``seed`` into their params.
    """

    name: str
    group: Literal["ink", "paper", "light", "camera", "sensor"]
    geometric: bool
    config: type[EffectConfig]
    sample: Callable[[np.random.Generator, Any, tuple[int, int]], Params]
    apply: Callable[[Target, Params], Target]
    summary: str


def seed_from(rng: np.random.Generator) -> int:
    """A seed for an effect's own noise, drawn from the sample's augment stream."""
    return int(rng.integers(0, 2**31 - 1))


def range_field(lo: float, hi: float, doc: str = "") -> Any:
    """A scene-file range field (``{min, max}``) defaulting to [lo, hi]."""
    return Field(default_factory=lambda: FloatRange(min=lo, max=hi), description=doc or None)
