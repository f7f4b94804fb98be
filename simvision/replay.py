"""``simvision replay``: rebuild a sample from its record alone and compare it with the stored files.

A record is input (copied, edited, or handed over): its fields are validated (:class:`ReplayRecord`), the files it
names are read only inside its dataset and only up to a size cap, and a bad field exits 2 with one line naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from simvision.dataset_paths import capped, inside, read_capped, read_json
from simvision.errors import UserError
from simvision.io import encode_depth, encode_ids, encode_image, read_ids
from simvision.record import sample_to_record
from simvision.registry import generator_names, get_generator
from simvision.sample import render_spec, scene_canvas
from simvision.scene import format_validation_error, scene_from_json
from simvision.types import Sample

# Ids and counts a record holds are small; an index or seed past these is no record this program wrote.
MAX_SEED = 2**63 - 1


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")  # other fields are kept by the record and ignored here


class PlanStep(_Open):
    effect: StrictStr
    params: dict[str, Any]


class RenderMeta(_Open):
    augment: list[PlanStep] | None = None


class RecordFiles(_Open):
    image: StrictStr
    maps: Annotated[list[StrictStr], Field(min_length=1, max_length=16)]
    depth: StrictStr | None = None


class ReplayRecord(_Open):
    """The fields of a record that replay reads."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    generator: StrictStr
    seed: Annotated[StrictInt, Field(ge=0, le=MAX_SEED)]
    index: Annotated[StrictInt, Field(ge=0, le=MAX_SEED)]
    spec: dict[str, Any]
    render: RenderMeta
    files: RecordFiles
    instances: list[dict[str, Any]]
    scene_config: dict[str, Any] | None = None


@dataclass(frozen=True)
class ReplayResult:
    """What matched; ``None``: not compared (a record copied out of its dataset has no image or maps beside it)."""

    sample: Sample
    image_identical: bool | None
    maps_identical: bool | None
    labels_identical: bool

    @property
    def identical(self) -> bool:
        return (
            self.image_identical is not False and self.maps_identical is not False and self.labels_identical
        )


def _first_line(err: ValidationError, where: str) -> UserError:
    return UserError(format_validation_error(err, where).splitlines()[0])


def _checked(raw: Any, path: Path) -> ReplayRecord:
    """The record's fields, validated; :class:`UserError` naming the first bad field."""
    try:
        rec = ReplayRecord.model_validate(raw)
    except ValidationError as err:
        raise _first_line(err, str(path)) from None
    if rec.generator not in generator_names():  # a module path would import code named by the record
        raise UserError(
            f"{path}: generator: value {rec.generator!r} — a record replays with a registered scene kind "
            f"({generator_names()})"
        )
    if rec.render.augment is not None:
        from simvision.augment.effects import EFFECTS

        for k, step in enumerate(rec.render.augment):
            if step.effect not in EFFECTS:
                raise UserError(
                    f"{path}: render.augment.{k}.effect: value {step.effect!r} — must be one of {sorted(EFFECTS)}"
                )
    return rec


def replay(record_path: str | Path) -> ReplayResult:
    """Render the spec stored in a record and compare image bytes, id maps and labels with what is on disk."""
    path = Path(record_path)
    if not path.exists():
        raise UserError(f"{path}: record not found (expected <dataset>/records/<name>.json)")
    raw = read_json(path, str(path))
    rec = _checked(raw, path)
    root = path.parent.parent
    # every file path first, so a bad one is refused before the (slow) render
    image_path = inside(root, rec.files.image, f"{path}: files.image")
    maps = [inside(root, p, f"{path}: files.maps.{k}") for k, p in enumerate(rec.files.maps)]
    depth_path = None if rec.files.depth is None else inside(root, rec.files.depth, f"{path}: files.depth")
    named = [("files.image", image_path), *((f"files.maps.{k}", m) for k, m in enumerate(maps))]
    for field, p in [*named, *([("files.depth", depth_path)] if depth_path is not None else [])]:
        if p.exists():
            capped(p, f"{path}: {field}")  # a device, fifo or oversized file: refused before rendering
    try:
        scene = scene_from_json(_scene_config(rec, root, path), f"{path}: scene_config")
    except UserError as err:
        raise UserError(str(err).splitlines()[0]) from None
    if rec.generator != scene.generator:
        raise UserError(f"{path}: generator: value {rec.generator!r} — its scene uses {scene.generator!r}")
    try:
        spec = get_generator(rec.generator).spec_model.model_validate(rec.spec)
    except ValidationError as err:
        raise _first_line(err, f"{path}: spec") from None
    _check_size(spec, scene, path)
    plan = None if rec.render.augment is None else raw["render"]["augment"]  # as stored, now validated
    try:
        sample = render_spec(scene, spec, rec.seed, rec.index, plan)
    except (KeyError, ValueError, TypeError, IndexError, AttributeError) as err:
        field = "spec or render.augment" if plan else "spec"
        raise UserError(f"{path}: {field}: value not renderable — {type(err).__name__}: {err}") from None
    image_same = maps_same = None
    if image_path.exists():  # a fifo or device is refused by read_capped, not compared as absent
        img_bytes = encode_image(sample.image, scene.image.format, scene.image.jpeg_quality)
        image_same = img_bytes == read_capped(image_path, f"{path}: files.image")
    stored = maps + ([depth_path] if depth_path is not None else [])
    if all(p.exists() for p in stored):
        maps_same = len(maps) == sample.maps.shape[0] and all(
            np.array_equal(read_ids(capped(p, f"{path}: files.maps.{k}")), sample.maps[k])
            and encode_ids(sample.maps[k]) == read_capped(p, f"{path}: files.maps.{k}")
            for k, p in enumerate(maps)
        )
        if depth_path is not None:
            depth_same = sample.depth is not None and encode_depth(sample.depth) == read_capped(
                depth_path, f"{path}: files.depth"
            )
            maps_same = maps_same and depth_same
    labels_same = sample_to_record(sample, rec.name, raw["files"])["instances"] == rec.instances
    return ReplayResult(sample, image_same, maps_same, labels_same)


def _check_size(spec: Any, scene: Any, path: Path) -> None:
    """A spec that carries its canvas size must carry its scene's (a crafted 10^5 px canvas would exhaust
    memory before anything else could refuse it)."""
    canvas = scene_canvas(scene)
    for field, want in (("width", canvas.width), ("height", canvas.height)):
        got = getattr(spec, field, None)
        if got is not None and got != want:
            raise UserError(f"{path}: spec.{field}: value {got} — the record's scene renders {want} px")


def _scene_config(rec: ReplayRecord, root: Path, path: Path) -> dict[str, Any]:
    """The scene a record was made with: its own copy, else (records of older versions) its dataset's."""
    if rec.scene_config is not None:
        return rec.scene_config
    run_file = root / "dataset.json"
    if not run_file.is_file():
        raise UserError(
            f"{path}: this record holds no scene settings (written by an older version) and has no "
            f"dataset.json at {run_file}; replay it inside its dataset"
        )
    run = read_json(run_file, str(run_file))
    try:
        return run["identity"]["scene"]  # type: ignore[index]
    except (KeyError, TypeError):
        raise UserError(f"{run_file}: identity.scene: value missing — not a simvision dataset.json") from None
