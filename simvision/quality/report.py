"""``simvision report <dataset>``: ``<dataset>/report/report.json`` and a self-contained ``index.html``.

The JSON holds every number (:mod:`simvision.quality.report_numbers`); the page shows the same numbers as inline
PNG plots (matplotlib) and tables, plus a gallery of samples with their labels drawn. Nothing is fetched: the page
opens from disk with no network.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simvision.dataset_paths import read_capped, read_json, record_file, record_path
from simvision.errors import UserError
from simvision.io import atomic_write
from simvision.pipeline import RUN_FILE
from simvision.quality import report_numbers as num
from simvision.quality.dedupe import DEFAULT_MAX_DISTANCE, find_duplicates, image_phash, spec_digest
from simvision.quality.verify import verify
from simvision.record import dumps
from simvision.registry import get_generator
from simvision.rng import rng_for
from simvision.scene import Scene, scene_from_json


def load_dataset(out: Path) -> tuple[Scene, dict[str, Any], list[dict[str, Any]]]:
    """The dataset's scene, run file and records (index order); UserError if ``out`` is not a dataset."""
    run_path = out / RUN_FILE
    if not run_path.is_file() or not (out / "records").is_dir():
        raise UserError(f"DATASET: value '{out}' — not a simvision dataset (no {RUN_FILE} or records/)")
    run = json.loads(run_path.read_text(encoding="utf-8"))
    scene = scene_from_json(run["identity"]["scene"], str(run_path), run.get("scene_source", ""))
    # each through record_path: a symlink out of records/ (or to a device) is refused, not read
    paths = [record_path(out, p.stem, f"records/{p.name}") for p in sorted((out / "records").glob("*.json"))]
    records = [read_json(p, str(p)) for p in paths]
    bad = [str(p) for p, r in zip(paths, records, strict=True) if not isinstance(r, dict)]
    if bad:
        raise UserError(f"{bad[0]}: value not an object — a record is a JSON object")
    for p, r in zip(
        paths, records, strict=True
    ):  # the numbers look these up in the scene: say which is unknown
        unknown = sorted(set(r.get("edge_cases") or ()) - set(scene.edge_cases))
        if unknown:
            raise UserError(f"{p}: edge_cases: value {unknown} — the scene has {sorted(scene.edge_cases)}")
        if r.get("stratum") is not None and r["stratum"] not in scene.balance:
            raise UserError(f"{p}: stratum: value {r['stratum']!r} — the scene has {sorted(scene.balance)}")
    if not records:
        raise UserError(f"DATASET: value '{out}' — holds no samples yet (records/ is empty)")
    return scene, run, sorted(records, key=lambda r: r["index"])


def duplicates(out: Path, records: list[dict[str, Any]], max_distance: int) -> dict[str, Any]:
    """Near-duplicates among the image files as they are on disk (hashed afresh) and the specs."""
    items = [
        (
            r["index"],
            image_phash(read_capped(record_file(out, r, "image", r["name"]), f"{r['name']}: files.image")),
            spec_digest(r["spec"]),
        )
        for r in records
        if r.get("frame_id", 0) == 0  # a clip is compared by its first frame (its frames share one scene)
    ]
    pairs = find_duplicates(items, max_distance)
    name = {r["index"]: r["name"] for r in records}
    return {
        "max_distance": max_distance,
        "pairs": [{**p, "a_name": name[p["a"]], "b_name": name[p["b"]]} for p in pairs],
    }


def gallery_indices(records: list[dict[str, Any]], seed: int, count: int) -> list[int]:
    """``count`` records picked at random (reproducibly, from the dataset seed), in index order."""
    rng = rng_for(seed, 0, "report")
    pick = rng.choice(len(records), size=min(count, len(records)), replace=False)
    return sorted(int(i) for i in pick)


def report_numbers(out: Path, gallery: int = 12, max_distance: int | None = None) -> dict[str, Any]:
    scene, run, records = load_dataset(out)
    kind = get_generator(scene.generator)
    skip = kind.stuff
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    v = verify(out) if manifest else None
    distance = DEFAULT_MAX_DISTANCE if max_distance is None else max_distance
    if not 0 <= distance <= 15:
        raise UserError(f"--distance: value {distance} — must be 0..15 bits of a 64-bit image hash")
    picked = gallery_indices(records, run["identity"]["seed"], gallery)
    return {
        "dataset": str(out),
        "scene": scene.name,
        "generator": scene.generator,
        "description": scene.description,
        "seed": run["identity"]["seed"],
        "samples": len(records),
        "requested": manifest.get("requested", len(records)),
        "instances": sum(len(r["instances"]) for r in records),
        "classes": num.class_counts(records),
        "boxes": num.box_stats(records, skip),
        "boxes_exclude": sorted(skip),
        "visibility": num.visibility(records, skip),
        "conditions": num.conditions(records, scene),
        "condition_grid": num.condition_grid(records, scene),
        "numeric": num.numeric(records, scene),
        "effects": num.effects(records, scene),
        "balance": num.balance(records, scene),
        "text": num.text(records),
        "sections": kind.stats.sections(records) if kind.stats and kind.stats.sections else {},
        "splits": num.splits(records),
        "duplicates": {
            **duplicates(out, records, distance),
            "excluded_by_dedupe": manifest.get("excluded", []),
        },
        "verification": {
            "ok": bool(v and v.ok),
            "checked": v is not None,
            "samples": v.samples if v else 0,
            "instances": v.instances if v else 0,
            "problems": (v.problems[:50] if v else ["no manifest.json: the run has not finished"]),
        },
        "gallery": [records[i]["name"] for i in picked],
    }


def write_report(
    dataset: str | Path,
    gallery: int = 12,
    max_distance: int | None = None,
    real: dict[str, Any] | None = None,
) -> tuple[Path, dict]:
    """Write ``report/report.json`` and ``report/index.html`` under ``dataset``; returns (html path, numbers).
    ``real``: keyword arguments of :func:`simvision.compare.run.compare` but the synthetic set (``real_path``,
    ``images``, ``mapping``): the comparison goes to ``report/compare/`` and its summary into the report."""
    from simvision.quality.report_html import render_html

    out = Path(dataset)
    numbers = report_numbers(out, gallery, max_distance)
    folder = out / "report"
    section = ""
    if real is not None:  # the comparison with a real set (simvision/compare/)
        from simvision.compare.report_hook import compare_into_report

        numbers["compare"], section = compare_into_report(out, folder / "compare", real)
    atomic_write(folder / "report.json", dumps(numbers))
    html = folder / "index.html"
    page = render_html(out, numbers)
    atomic_write(html, page.replace("</body>", section + "</body>", 1).encode("utf-8"))
    return html, numbers
