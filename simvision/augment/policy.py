"""The augment section of a scene file, the plan sampler and the plan applier.

``sample_plan(rng, cfg, shape)`` decides, effect by effect, whether it applies (one coin per entry, always drawn)
and draws its params; ``apply_plan(sample, plan, min_visible)`` is deterministic in its arguments, so a plan stored
in a record replays the augmented sample exactly.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Annotated, Any

import numpy as np
from pydantic import Field, TypeAdapter, field_validator, model_serializer, model_validator

from simvision.augment.carry import carry_text_geometry
from simvision.augment.effects import EFFECTS, STAGES, EffectEntry
from simvision.augment.page import canvas_coords, canvas_grid, with_page_map
from simvision.augment.presets import PRESETS
from simvision.augment.reproject import warped_attrs, warped_camera, warped_depth
from simvision.augment.target import crop_to_frame, sample_from_target, target_from_sample
from simvision.distributions import Choice, Strict, choice_of, coin
from simvision.types import Sample

OVERSCAN = 0.25


class AugmentConfig(Strict):
    """``preset`` effects run first, then ``effects`` in order; instances below ``min_visible`` of their clean
    pixel count are dropped (and recorded). ``presets`` (instead of ``preset``) draws one preset per sample from a
    weighted choice, to mix capture conditions in one dataset."""

    preset: str = Field(default="none", json_schema_extra={"enum": sorted(PRESETS)})
    presets: Annotated[Choice | None, choice_of(tuple(PRESETS))] = Field(
        default=None, description="weighted choice of presets, one drawn per sample (instead of preset)"
    )
    min_visible: float = Field(default=0.3, ge=0, le=1)
    effects: list[EffectEntry] = Field(default_factory=list, max_length=32)

    @field_validator("preset")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in PRESETS:
            raise ValueError(f"unknown preset {v!r}; allowed: {sorted(PRESETS)}")
        return v

    @model_validator(mode="after")
    def _one_way(self) -> AugmentConfig:
        if self.presets is not None and self.preset != "none":
            raise ValueError(
                f"preset {self.preset!r} and presets {self.presets.choices} both given; use one of them"
            )
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: Any) -> dict[str, Any]:
        """Leave ``presets`` out when unset, so scenes without it keep their digest (and their datasets' bytes)."""
        out = handler(self)
        if out.get("presets", 0) is None:
            del out["presets"]
        return out

    def overscan(self) -> float:
        """Margin to render around the frame (fraction per side) so the camera can look around the scene."""
        names = [self.preset] if self.presets is None else list(self.presets.choices)
        camera = any(EFFECTS[e.name].group == "camera" for n in names for e in self.entries(n))
        return OVERSCAN if camera else 0.0

    def entries(self, preset: str | None = None) -> list[Any]:
        """The preset's effects (``preset``, default the scene's ``preset``), then the file's, stably sorted into
        stage order (ink, paper, light, camera, sensor)."""
        return sorted(
            [*preset_entries(preset or self.preset), *self.effects],
            key=lambda e: STAGES.index(EFFECTS[e.name].group),
        )


_ENTRIES = TypeAdapter(list[EffectEntry])  # building one costs ~4 ms: once per process


@functools.cache
def preset_entries(name: str) -> tuple[Any, ...]:
    """A preset's effects as validated scene-file entries (validated once per process; entries are not mutated)."""
    return tuple(_ENTRIES.validate_python(PRESETS[name]))


def sample_plan(rng: np.random.Generator, cfg: AugmentConfig, shape: tuple[int, int]) -> list[dict[str, Any]]:
    """The applied effects with their params, in order. With a ``presets`` choice, the preset is drawn first (one
    draw, only then: a scene with a single ``preset`` draws exactly as before)."""
    preset = None if cfg.presets is None else cfg.presets.sample(rng)
    plan = []
    for entry in cfg.entries(preset):
        if coin(rng, entry.p):
            plan.append({"effect": entry.name, "params": EFFECTS[entry.name].sample(rng, entry, shape)})
    return plan


def apply_plan(
    sample: Sample,
    plan: list[dict[str, Any]],
    min_visible: float,
    frame: tuple[int, int, int, int] | None = None,
    surfaces: frozenset[str] = frozenset(),
) -> Sample:
    """Run a plan on a clean sample (rendered on a canvas holding ``frame``) and re-derive every label from the
    final maps; the result has the frame's size. ``surfaces``: the classes whose pixels paper effects bend (the
    scene kind's ``surfaces``). A depth map rides along as one more id layer holding its float32 bits, so every
    geometric effect moves it exactly as it moves the ids (nearest, never blended). Character and line quads
    (:mod:`simvision.augment.carry`) move with the instance outlines; a sample with a flat page gets its backward
    map (:mod:`simvision.augment.page`)."""
    carried = sample
    if sample.depth is not None:
        bits = np.ascontiguousarray(sample.depth, np.float32).view(np.int32)
        carried = sample.with_(maps=np.concatenate([sample.maps, bits[None]]), depth=None)
    target = target_from_sample(carried, frame, surfaces)
    bent = []  # the effects that moved pixels by no homography
    target, unpack = carry_text_geometry(target, carried.instances)
    if sample.page is not None:  # every pixel's canvas position, and the page grid as one more point set
        n = len(target.polygons)
        target = target.with_(
            coords=canvas_coords(*target.shape), polygons=(*target.polygons, canvas_grid(sample.page))
        )
    for step in plan:
        before = target.bends
        target = EFFECTS[step["effect"]].apply(target, step["params"])
        if target.bends > before:
            bent.append(step["effect"])
    target = crop_to_frame(target)
    grid = None
    if sample.page is not None:
        grid = target.polygons[n]
        target = target.with_(polygons=target.polygons[:n])
    target, carried = unpack(target, carried)
    out = sample_from_target(carried, target, plan, min_visible, frame)
    out = with_page_map(out, target.coords, surfaces, grid)
    depth = None
    if sample.depth is not None:
        bits = np.ascontiguousarray(out.maps[-1]).view(np.float32)
        depth = np.where(out.maps[-1] == 0, np.inf, bits).astype(np.float32)
        out = out.with_(maps=out.maps[:-1], depth=depth)
    if "camera" not in sample.meta or (np.array_equal(target.transform, np.eye(3)) and not bent):
        return out  # not a 3D sample, or its pixels did not move: the rendered camera is the image's
    # a 3D sample: the record's camera (and the depth along its axis) for the output image, see augment.reproject
    h, w = out.image.shape[:2]
    camera, q = warped_camera(sample.meta["camera"], target.transform, (w, h), bent)
    if depth is not None:
        depth = warped_depth(depth, np.array(sample.meta["camera"]["K"]), target.transform, q)
    inst = out.instances
    inst = replace(inst, attrs=warped_attrs(dict(inst.attrs), target.transform, q, (w, h)))
    return out.with_(meta={**out.meta, "camera": camera}, depth=depth, instances=inst)
