"""The generator registry: each generator turns ``(rng, params, image settings)`` into a spec and a spec into pixels.

Adding a scene type means adding one :class:`Generator` here; the pipeline, writers, CLI and the contract test pick
it up from the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from simvision.canvas import Canvas
from simvision.types import Sample


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
