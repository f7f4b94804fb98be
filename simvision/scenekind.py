"""The scene-kind contract: everything generic code (pipeline, writers, record, augment, preview, report, CLI) may
know about a kind of scene, declared once by the kind itself.

Generic code asks a :class:`SceneKind` and never names one: a third kind (a retail shelf, a parking lot) is a new
``SceneKind`` registered by name or by entry point (see :mod:`simvision.registry`), with no edit elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from simvision.canvas import Canvas
from simvision.types import Sample


@dataclass(frozen=True)
class SceneStats:
    """What a kind says about its samples, for tags in records and for ``simvision report``.

    ``conditions(spec)`` -> categorical conditions of a sampled spec (JSON form), e.g. weather, locale;
    ``expected(params)`` -> for each condition, the share of each value the params ask for;
    ``numeric(spec)`` -> scalar parameters of a spec; ``ranges(params)`` -> the (min, max) each was asked in;
    ``tags(record)`` -> the record's tags, measured from its labels and spec (for filtering and evaluation);
    ``sections(records)`` -> extra report tables, title -> {row name: {column: value}} (kind-specific numbers).
    """

    conditions: Callable[[Mapping[str, Any]], dict[str, str]]
    expected: Callable[[Any], dict[str, dict[str, float]]]
    numeric: Callable[[Mapping[str, Any]], dict[str, float]]
    ranges: Callable[[Any], dict[str, tuple[float, float]]]
    tags: Callable[[Mapping[str, Any]], list[str]]
    sections: Callable[[list[Mapping[str, Any]]], dict[str, dict[str, dict[str, Any]]]] | None = None


def shares(weights: Mapping[str, float]) -> dict[str, float]:
    """A choice's weights as shares summing to 1."""
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()}


def _no_extras(sample: Sample) -> dict[str, Any]:
    return {}


def _refuses_none(params: Any) -> Mapping[str, str]:
    return {}


@dataclass(frozen=True)
class SceneKind:
    """A kind of scene and what it declares.

    ``sample(rng, params, canvas)`` draws every random choice into a JSON-serialisable spec (a ``spec_model``);
    ``render(spec, settings)`` is deterministic in the spec and returns a :class:`Sample` exactly the size of the
    canvas, drawn by the renderer ``settings.engine`` names (one of ``renderers``).

    ``classes``: index = class id, index 0 is "background". ``stuff``: background classes (no boxes in previews,
    left out of box statistics). ``surfaces``: classes whose pixels are a deformable surface that paper effects
    bend (receipt paper). ``text_classes``: classes whose instances are printed text. ``formats``: the
    kind-specific writers it supports (generic writers such as COCO and YOLO serve every kind).
    ``record_extras(sample)``: fields the kind adds to each record (e.g. ``key_fields``).
    ``refused_formats(params)``: formats among ``formats`` that these params rule out, each with the reason (a
    sentence naming the parameter), e.g. one-document benchmarks for a photo of several documents.
    ``advice``: for ``simvision compare``, the scene parameters that move a statistic, by topic (``brightness``,
    ``objects_per_image``, ``box_size``, ``box_size:<class>``...; see :mod:`simvision.compare.advice`):
    ``(to raise it, to lower it)``.
    Kinds that animate (clips, ``sequence:`` in a scene file) give ``sample_motion(rng, spec, frames, fps)`` -> a
    JSON-serialisable ``motion_model`` and ``animate(spec, motion)`` -> ``frame(f)`` returning the
    :class:`~simvision.world.motion.FrameWorld` of frame ``f`` (its World, rigid poses of the moving objects).
    """

    name: str
    description: str
    classes: tuple[str, ...]
    params_model: type[BaseModel]
    spec_model: type[BaseModel]
    sample: Callable[[np.random.Generator, Any, Canvas], BaseModel]
    render: Callable[[Any, Any], Sample]
    renderers: tuple[str, ...] = ("2d",)
    stuff: frozenset[str] = frozenset()
    surfaces: frozenset[str] = frozenset()
    text_classes: frozenset[str] = frozenset()
    formats: frozenset[str] = frozenset()
    record_extras: Callable[[Sample], dict[str, Any]] = _no_extras
    refused_formats: Callable[[Any], Mapping[str, str]] = _refuses_none
    sample_motion: Callable[[np.random.Generator, Any, int, float], BaseModel] | None = None
    motion_model: type[BaseModel] | None = None
    animate: Callable[[Any, Any], Callable[[int], Any]] | None = None
    stats: SceneStats | None = None
    advice: Mapping[str, tuple[str, str]] = field(default_factory=dict, compare=False)
    scene_files: tuple[
        Path, ...
    ] = ()  # example scene files a plugin kind ships (built-ins: the scenes/ folder)
    source: str = field(default="builtin", compare=False)  # builtin, entry point name, or module:NAME


def check_canvas(kind: SceneKind, engine: str, sample: Sample, canvas: Canvas) -> None:
    """Fail loudly when a renderer returns something other than the canvas the pipeline asked for: every later
    stage (augmentation frame, writers' normalised coordinates) relies on it."""
    want = (canvas.height, canvas.width)
    got = sample.image.shape
    problems = []
    if got[:2] != want or got[2:] != (3,) or sample.image.dtype != np.uint8:
        problems.append(f"image {got} {sample.image.dtype} (expected {(*want, 3)} uint8)")
    if sample.maps.ndim != 3 or sample.maps.shape[1:] != want or sample.maps.dtype != np.int32:
        problems.append(
            f"maps {sample.maps.shape} {sample.maps.dtype} (expected (L, {want[0]}, {want[1]}) int32)"
        )
    if sample.depth is not None and sample.depth.shape != want:
        problems.append(f"depth {sample.depth.shape} (expected {want})")
    if tuple(sample.classes) != tuple(kind.classes):
        problems.append("classes differ from the kind's declared classes")
    if problems:
        raise RuntimeError(
            f"scene kind {kind.name!r}, renderer {engine!r} broke the canvas contract: " + "; ".join(problems)
        )
