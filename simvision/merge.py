"""``simvision merge``: join shard outputs (``generate --shard K/N``) into one dataset identical to a single run.

Every shard must have been made with the same scene, seed and formats (their ``dataset.json`` identities match).
Sample files are copied (atomically, verified against each shard's manifest), then the dataset files are
assembled from the records exactly as a single run assembles them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from simvision.dataset_paths import MAX_FILE_BYTES, check_record_files, inside, read_capped, read_json
from simvision.errors import UserError
from simvision.io import atomic_write
from simvision.pipeline import RUN_FILE, RunSettings, _check_out, _lock, assemble
from simvision.record import dumps
from simvision.scene import scene_from_json


def _read_json(path: Path, what: str) -> dict:
    if not path.is_file():
        raise UserError(f"{path.parent}: value '{path.parent}' — not a simvision dataset ({what} is missing)")
    data = read_json(path, str(path), MAX_FILE_BYTES)
    if not isinstance(data, dict):
        raise UserError(f"{path}: value {type(data).__name__} — a JSON object expected")
    return data


def _spans(indices: list[int]) -> str:
    """``[0, 1, 2, 5]`` -> ``"0-2, 5"`` (a missing shard is a few long runs of indices)."""
    spans: list[list[int]] = []
    for i in indices:
        if spans and spans[-1][1] == i - 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def merge(out: str | Path, shards: list[str | Path], allow_partial: bool = False) -> int:
    """Copy every finished sample of ``shards`` into ``out`` and assemble it; returns the number of samples.

    Refuses (:class:`UserError`) when some index below the shards' ``n`` has no sample in any shard (a shard
    left out or unfinished), unless ``allow_partial``."""
    out = Path(out)
    if not shards:
        raise UserError("SHARDS: value (none) — give at least one shard folder written by generate --shard")
    runs = [(Path(s), _read_json(Path(s) / RUN_FILE, RUN_FILE)) for s in shards]
    first_dir, first = runs[0]
    for d, run in runs[1:]:
        if run["identity"] != first["identity"]:
            raise UserError(
                f"SHARDS: value '{d}' — made with another scene, seed or format than '{first_dir}'; "
                "only shards of one dataset can be merged"
            )
    ident = first["identity"]
    scene = scene_from_json(ident["scene"], str(first_dir / RUN_FILE), first.get("scene_source", ""))
    splits = tuple((ident.get("split") or {}).items())
    settings = RunSettings(scene, ident["seed"], tuple(ident["formats"]), splits)
    if settings.identity() != ident:
        raise UserError(
            f"{first_dir / RUN_FILE}: identity does not round-trip; was it written by this version?"
        )
    _check_out(out, settings)
    manifests = [_read_json(d / "manifest.json", "manifest.json") for d, _ in runs]
    n = max(m["requested"] for m in manifests)
    missing = sorted(set(range(n)) - {e["index"] for m in manifests for e in m["samples"]})
    if missing and not allow_partial:
        # a merge of some shards only would pass verify and look whole: say so before writing anything
        raise UserError(
            f"SHARDS: {len(missing)} of {n} samples are in no shard (indices {_spans(missing)}); give every "
            "shard (and finish failed or interrupted ones), or pass --allow-partial to merge what there is"
        )
    # Every path a manifest names, checked before anything is written: a crafted entry (../, an absolute path, a
    # symlink out) must not make merge read or write outside the shard and --out folders.
    copies: list[list[tuple[str, Path, Path, str]]] = []
    for (d, _), manifest in zip(runs, manifests, strict=True):
        todo = []
        for entry in manifest["samples"]:
            field = f"{d / 'manifest.json'}: samples[{entry.get('index')}].sha256"
            # the record last: it marks the sample finished (a clip's marker after its last record)
            for rel in sorted(
                entry["sha256"], key=lambda p: (str(p).startswith(("records/", "clips/")), str(p)[:6])
            ):
                todo.append((rel, inside(d, rel, field), inside(out, rel, field), entry["sha256"][rel]))
                if str(rel).startswith("records/"):  # assemble then reads the files the record names
                    check_record_files(out, read_json(todo[-1][1], f"{d}/{rel}"), f"{d}/{rel}")
        copies.append(todo)
    out.mkdir(parents=True, exist_ok=True)
    failures: list[dict] = []
    with _lock(out):
        atomic_write(out / RUN_FILE, dumps(first))
        for (d, _), todo in zip(runs, copies, strict=True):
            for rel, source, target, digest in todo:
                data = read_capped(source, f"{d / 'manifest.json'}: {rel}")
                if hashlib.sha256(data).hexdigest() != digest:
                    raise UserError(f"SHARDS: value '{d}' — {rel} does not match its manifest; run verify")
                if target.exists() and target.read_bytes() != data:
                    raise UserError(f"--out: value '{out}' — {rel} already holds different bytes")
                atomic_write(target, data)
            if (d / "failures.json").is_file():
                failures += json.loads((d / "failures.json").read_text(encoding="utf-8"))
        dedupe = first.get("dedupe")
        records = assemble(out, scene, ident["seed"], n, tuple(ident["formats"]), splits, dedupe)
        if failures:
            atomic_write(out / "failures.json", dumps(sorted(failures, key=lambda f: f["index"])))
    return len(records)
