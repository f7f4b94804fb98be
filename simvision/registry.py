"""The generator registry: each generator turns ``(rng, params, image settings)`` into a spec and a spec into pixels.

Adding a scene type means adding one :class:`Generator` here; the pipeline, writers, CLI and the contract test pick
it up from the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from simvision.canvas import Canvas
from simvision.types import Sample


@dataclass(frozen=True)
class SceneStats:
    """What a generator says about its samples, for tags in records and for ``simvision report``.

    ``conditions(spec)`` -> categorical conditions of a sampled spec (JSON form), e.g. weather, locale;
    ``expected(params)`` -> for each condition, the share of each value the params ask for;
    ``numeric(spec)`` -> scalar parameters of a spec; ``ranges(params)`` -> the (min, max) each was asked in;
    ``tags(record)`` -> the record's tags, measured from its labels and spec (for filtering and evaluation).
    """

    conditions: Callable[[Mapping[str, Any]], dict[str, str]]
    expected: Callable[[Any], dict[str, dict[str, float]]]
    numeric: Callable[[Mapping[str, Any]], dict[str, float]]
    ranges: Callable[[Any], dict[str, tuple[float, float]]]
    tags: Callable[[Mapping[str, Any]], list[str]]


def shares(weights: Mapping[str, float]) -> dict[str, float]:
    """A choice's weights as shares summing to 1."""
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()}


@dataclass(frozen=True)
class Generator:
    """``sample(rng, params, canvas)`` draws every random choice into a JSON-serialisable spec;
    ``render(spec, settings)`` is deterministic in the spec and returns a Sample the size of the canvas, drawn by the
    engine ``settings.engine`` names (one of ``engines``)."""

    name: str
    description: str
    classes: tuple[str, ...]  # index = class id; index 0 is "background"
    params_model: type[BaseModel]
    spec_model: type[BaseModel]
    sample: Callable[[np.random.Generator, Any, Canvas], BaseModel]
    render: Callable[[Any, Any], Sample]
    engines: tuple[str, ...] = ("2d",)
    stats: SceneStats | None = None


def _receipt() -> Generator:
    from simvision.scenes.receipt.generator import GENERATOR

    return GENERATOR


def _street() -> Generator:
    from simvision.scenes.street.generator import GENERATOR

    return GENERATOR


_FACTORIES: dict[str, Callable[[], Generator]] = {"receipt": _receipt, "street": _street}
_CACHE: dict[str, Generator] = {}


def generator_names() -> list[str]:
    return sorted(_FACTORIES)


def get_generator(name: str) -> Generator:
    if name not in _CACHE:
        _CACHE[name] = _FACTORIES[name]()
    return _CACHE[name]
