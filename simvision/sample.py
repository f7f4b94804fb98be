"""Turn (scene, seed, index) into a rendered Sample, and a Sample into the files of one dataset entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from simvision.augment.legibility import mark_illegible
from simvision.augment.page import with_page_map
from simvision.augment.policy import apply_plan, sample_plan
from simvision.canvas import Canvas
from simvision.errors import UserError
from simvision.io import atomic_write, encode_depth, encode_ids, encode_image, fsync_dir, sha256_bytes
from simvision.quality.dedupe import image_phash, spec_digest
from simvision.record import sample_to_record, sealed
from simvision.registry import get_generator
from simvision.rng import rng_for, scene_key
from simvision.scene import Scene
from simvision.scenekind import check_canvas
from simvision.types import Sample
from simvision.writers.registry import array_files
from simvision.writers.registry import entry_files as entry_format_files


def sample_name(index: int) -> str:
    return f"{index:06d}"


def render_sample(scene: Scene, seed: int, index: int, page_map: bool = True) -> Sample:
    """Sample the scene's spec (:func:`sample_spec`) and render it; deterministic in its arguments."""
    spec = sample_spec(scene, seed, index)
    canvas = scene_canvas(scene)
    stratum, edges = scene.conditions(seed, index)
    plan = None
    augment = scene.augment_for(edges)
    if augment is not None:
        rng = rng_for(seed, index, "augment", scene=scene_key(scene.name))
        plan = sample_plan(rng, augment, (canvas.height, canvas.width))
    sample = render_spec(scene, spec, seed, index, plan, page_map)
    return sample.with_(meta={**sample.meta, "stratum": stratum, "edge_cases": edges})


def sample_spec(scene: Scene, seed: int, index: int) -> Any:
    """The spec of sample ``index``: every random choice of its scene, drawn from ``rng_for(seed, index, "scene",
    scene=scene_key(scene.name))`` on the scene's canvas (margin included), before any rendering."""
    if seed < 0 or index < 0:
        raise UserError(f"seed/index: value {seed}/{index} — both must be >= 0")
    stratum, edges = scene.conditions(seed, index)
    # keyed by the scene's name: different scene files draw different content for the same (seed, index)
    rng = rng_for(seed, index, "scene", scene=scene_key(scene.name))
    return get_generator(scene.generator).sample(rng, scene.params_for(stratum, edges), scene_canvas(scene))


def scene_canvas(scene: Scene) -> Canvas:
    """The output frame, with a margin around it when the scene's augmentation moves a camera."""
    overscan = scene.augment.overscan() if scene.augment is not None else 0.0
    return Canvas.for_output(scene.image.width, scene.image.height, overscan)


def render_spec(
    scene: Scene,
    spec: Any,
    seed: int,
    index: int,
    plan: list[dict[str, Any]] | None = None,
    page_map: bool = True,
) -> Sample:
    """Render an already-sampled spec, apply an augmentation plan and mark the text left illegible (how ``replay``
    rebuilds a sample). ``page_map``: make the flat page's dewarping map (``Sample.page``; false: drop the page,
    saving the cost of carrying it through the warps, for runs whose formats do not write it)."""
    kind = get_generator(scene.generator)
    canvas = scene_canvas(scene)
    sample = kind.render(spec, scene.render)
    check_canvas(kind, scene.render.engine, sample, canvas)
    if not page_map:
        sample = sample.with_(page=None)
    if plan is not None:
        min_visible = scene.augment.min_visible if scene.augment else 0.0
        sample = apply_plan(sample, plan, min_visible, canvas.frame, kind.surfaces)
    else:
        sample = with_page_map(sample, None, kind.surfaces)
    # measured on the final image, so every degradation counts
    sample = mark_illegible(sample, kind.text_classes)
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
    name: str, image_format: str, layers: int, depth: bool = False, split: str | None = None
) -> dict[str, Any]:
    """Paths of a sample's image and map files. With a split, the image lies in ``images/<split>/`` (and the YOLO
    writer puts its labels in ``labels/<split>/``), the layout Ultralytics expects: it finds labels by replacing
    ``/images/`` in an image's path and caches them per label folder, so splits sharing one ``labels/`` would
    overwrite each other's ``labels.cache``."""
    sub = f"{split}/" if split else ""
    files: dict[str, Any] = {
        "image": f"images/{sub}{name}.{image_format}",
        "maps": [f"maps/{name}.layer{k}.png" for k in range(layers)],
    }
    if depth:
        files["depth"] = f"maps/{name}.depth.png"
    return files


def write_entry(
    out: Path,
    sample: Sample,
    name: str,
    scene: Scene,
    formats: tuple[str, ...],
    split: str | None = None,
    amend: Callable[[dict[str, Any]], None] | None = None,
    extra_files: dict[str, bytes] | None = None,
) -> dict[str, Any]:
    """Write image, id maps, the formats' per-sample files and finally the record (the commit marker of a finished
    sample, holding the sha256 of every other file and sealed by its own). ``amend(record)`` adds to the record
    before the formats see it (a clip frame's motion labels); ``extra_files`` are written and vouched for with the
    sample's own (a clip frame's flow)."""
    fmt = scene.image.format
    files = entry_files(name, fmt, sample.maps.shape[0], sample.depth is not None, split)
    record = sample_to_record(sample, name, files, split)
    if amend is not None:
        amend(record)
    image = encode_image(sample.image, fmt, scene.image.jpeg_quality)
    record["phash"] = image_phash(
        image
    )  # near-duplicate search (report, --dedupe) without reading images again
    record["spec_sha256"] = spec_digest(record["spec"])
    record["scene_config"] = scene.to_json()  # so a record copied out of its dataset still replays alone
    made, keyed = entry_format_files(record, image, formats)
    made.update(array_files(sample, record, formats))
    record["files"].update(keyed)
    extra = sorted((set(made) - set(keyed.values())) | set(record["files"].get("extra", [])))
    if extra:
        record["files"]["extra"] = extra
    written = {**(extra_files or {}), files["image"]: image, **made}
    for k, rel in enumerate(files["maps"]):
        written[rel] = encode_ids(sample.maps[k])
    if "depth" in files:
        written[files["depth"]] = encode_depth(sample.depth)
    # the commit marker vouches for each file by the hash of the bytes written, so a resume can tell a damaged
    # or missing file from a finished one
    record["sha256"] = {rel: sha256_bytes(data) for rel, data in sorted(written.items())}
    for rel, data in sorted(written.items()):
        atomic_write(out / rel, data, sync_dir=False)
    for folder in sorted({(out / rel).parent for rel in written}):
        fsync_dir(folder)  # every file durable under its name before the record's rename commits the sample
    atomic_write(out / "records" / f"{name}.json", sealed(record))
    return record
