"""Turn (scene, seed, index) into a rendered Sample, and a Sample into the files of one dataset entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simvision.augment.policy import apply_plan, sample_plan
from simvision.canvas import Canvas
from simvision.errors import UserError
from simvision.io import atomic_write, encode_depth, encode_ids, encode_image
from simvision.quality.dedupe import image_phash, spec_digest
from simvision.record import dumps, sample_to_record
from simvision.registry import get_generator
from simvision.rng import rng_for, scene_key
from simvision.scene import Scene
from simvision.types import Sample
from simvision.writers import entry_files as entry_format_files
from simvision.writers.yolo import detect_rows, segment_rows


def sample_name(index: int) -> str:
    return f"{index:06d}"


def render_sample(scene: Scene, seed: int, index: int) -> Sample:
    """Sample the scene's spec from ``rng_for(seed, index, "scene", scene=scene_key(scene.name))`` and render it;
    deterministic in its arguments."""
    if seed < 0 or index < 0:
        raise UserError(f"seed/index: value {seed}/{index} — both must be >= 0")
    gen = get_generator(scene.generator)
    canvas = scene_canvas(scene)
    stratum, edges = scene.conditions(seed, index)
    key = scene_key(scene.name)  # different scene files draw different content for the same (seed, index)
    spec = gen.sample(rng_for(seed, index, "scene", scene=key), scene.params_for(stratum, edges), canvas)
    plan = None
    augment = scene.augment_for(edges)
    if augment is not None:
        plan = sample_plan(rng_for(seed, index, "augment", scene=key), augment, (canvas.height, canvas.width))
    sample = render_spec(scene, spec, seed, index, plan)
    return sample.with_(meta={**sample.meta, "stratum": stratum, "edge_cases": edges})


def scene_canvas(scene: Scene) -> Canvas:
    """The output frame, with a margin around it when the scene's augmentation moves a camera."""
    overscan = scene.augment.overscan() if scene.augment is not None else 0.0
    return Canvas.for_output(scene.image.width, scene.image.height, overscan)


def render_spec(
    scene: Scene, spec: Any, seed: int, index: int, plan: list[dict[str, Any]] | None = None
) -> Sample:
    """Render an already-sampled spec and apply an augmentation plan (how ``replay`` rebuilds a sample)."""
    gen = get_generator(scene.generator)
    sample = gen.render(spec, scene.render)
    if plan is not None:
        min_visible = scene.augment.min_visible if scene.augment else 0.0
        sample = apply_plan(sample, plan, min_visible, scene_canvas(scene).frame)
    meta = {
        "scene": scene.name,
        "generator": scene.generator,
        "seed": seed,
        "index": index,
        "spec": spec.model_dump(mode="json"),
        **sample.meta,
    }
    return sample.with_(meta=meta)


def entry_files(
    name: str, image_format: str, layers: int, formats: tuple[str, ...], depth: bool = False
) -> dict[str, Any]:
    files: dict[str, Any] = {
        "image": f"images/{name}.{image_format}",
        "maps": [f"maps/{name}.layer{k}.png" for k in range(layers)],
    }
    if depth:
        files["depth"] = f"maps/{name}.depth.png"
    if "yolo" in formats or "yolo-seg" in formats:
        files["yolo"] = f"labels/{name}.txt"
    return files


def write_entry(
    out: Path, sample: Sample, name: str, scene: Scene, formats: tuple[str, ...], split: str | None = None
) -> dict[str, Any]:
    """Write image, id maps, YOLO labels and finally the record (the commit marker of a finished sample)."""
    fmt = scene.image.format
    files = entry_files(name, fmt, sample.maps.shape[0], formats, sample.depth is not None)
    record = sample_to_record(sample, name, files, split)
    image = encode_image(sample.image, fmt, scene.image.jpeg_quality)
    record["phash"] = image_phash(
        image
    )  # near-duplicate search (report, --dedupe) without reading images again
    record["spec_sha256"] = spec_digest(record["spec"])
    record["scene_config"] = scene.to_json()  # so a record copied out of its dataset still replays alone
    extra = entry_format_files(record, image, formats)
    if extra:
        record["files"]["extra"] = sorted(extra)
    atomic_write(out / files["image"], image)
    for rel, data in sorted(extra.items()):
        atomic_write(out / rel, data)
    for k, rel in enumerate(files["maps"]):
        atomic_write(out / rel, encode_ids(sample.maps[k]))
    if "depth" in files:
        atomic_write(out / files["depth"], encode_depth(sample.depth))
    if "yolo" in files:
        rows = segment_rows(record) if "yolo-seg" in formats else detect_rows(record)
        atomic_write(out / files["yolo"], rows.encode("ascii"))
    atomic_write(out / "records" / f"{name}.json", dumps(record))
    return record
