"""Dataset-level files assembled from the records by streaming: one record in memory at a time.

coco.json, data.yaml and image lists, the other formats' dataset files and manifest.json are written from the
records of samples ``0..n-1``, each read once (twice with ``--dedupe``, whose first pass keeps only each sample's
hashes). Writers stream their files as parts (temporary files in the dataset folder, unlinked from the start) that
are joined at the end, so the memory of assembly stays flat from a thousand samples to a hundred thousand. The
manifest takes each file's sha256 from its record (recorded when the file was written), never from the disk now,
so a file damaged after it was written fails ``verify`` instead of being vouched for.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from simvision.io import atomic_file, atomic_write, sha256, sha256_bytes
from simvision.quality.dedupe import drop_plan, find_duplicates
from simvision.record import dumps, versions
from simvision.sample import sample_name
from simvision.scene import Scene
from simvision.splits import Splits, names
from simvision.writers.registry import DatasetContext, writers
from simvision.writers.stream import DatasetMeta, Pieces, compact

DUPLICATES_FILE = "duplicates.json"
MANIFEST_SAMPLES = "manifest:samples"
COPY_CHUNK = 1 << 16  # parts are copied into their files in chunks this size: the only buffer assembly holds


@dataclass(frozen=True)
class Assembled:
    """What was assembled: ``count`` records found (``len()``), ``kept`` of them in the dataset files."""

    count: int
    kept: int

    def __len__(self) -> int:
        return self.count


class Parts:
    """Named scratch files that streamed pieces are appended to, joined into dataset files at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, IO[bytes]] = {}

    def append(self, name: str, data: bytes) -> None:
        f = self.files.get(name)
        if f is None:
            f = self.files[name] = tempfile.TemporaryFile(dir=self.folder)
        f.write(data)

    def write(self, path: Path, pieces: Pieces) -> None:
        """``path`` atomically, from literal bytes and parts in order (a part nothing was added to is empty)."""
        with atomic_file(path) as out:
            for piece in pieces:
                if isinstance(piece, bytes):
                    out.write(piece)
                elif piece in self.files:
                    f = self.files[piece]
                    f.seek(0)
                    shutil.copyfileobj(f, out, COPY_CHUNK)

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def record_names(out: Path, index: int, clips: bool) -> list[str]:
    """The record names of sample ``index``: its own, or the frames of a finished clip (none if unfinished)."""
    if not clips:
        return [sample_name(index)]
    from simvision.clip import marker

    try:
        return list(json.loads(marker(out, index).read_bytes())["frames"])
    except FileNotFoundError:
        return []


def records(out: Path, n: int, clips: bool = False) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """``(bytes, record)`` of every sample 0..n-1 that has a record (a clip: each frame's), in index order, one at
    a time."""
    for i in range(n):
        for name in record_names(out, i, clips):
            try:
                data = (out / "records" / f"{name}.json").read_bytes()
            except FileNotFoundError:
                continue
            yield data, json.loads(data)


def dedupe_keys(keys: list[tuple[int, str, str]], max_distance: int) -> dict[str, Any]:
    """Near-duplicate pairs among ``(index, perceptual hash, spec digest)`` (hash within ``max_distance`` bits,
    or the same spec) and which to drop: the lowest index of each group is kept."""
    pairs = find_duplicates(keys, max_distance)
    dropped = drop_plan(pairs)
    return {
        "max_distance": max_distance,
        "pairs": pairs,
        "excluded": [{"index": i, "duplicate_of": k} for i, k in sorted(dropped.items())],
    }


def manifest_entry(out: Path, rec: dict[str, Any], data: bytes) -> dict[str, Any]:
    """A sample's manifest entry: the sha256 of each of its files as recorded when written (records of older
    versions hold none: then hashed from the disk), and of the record's own bytes."""
    record_path = f"records/{rec['name']}.json"
    if isinstance(rec.get("sha256"), dict):
        digests = {**rec["sha256"], record_path: sha256_bytes(data)}
    else:
        files = rec["files"]
        paths = [files["image"], *files["maps"], record_path]
        paths += [files[k] for k in ("depth", "yolo") if k in files] + files.get("extra", [])
        digests = {p: sha256(out / p) for p in paths}
    if "video_id" in rec and rec["frame_id"] == rec["clip"]["frames"] - 1:
        marker = f"clips/{rec['clip']['name']}.json"  # listed with the clip's last frame
        digests[marker] = sha256(out / marker)
    entry = {"name": rec["name"], "index": rec["index"], "sha256": digests}
    if rec.get("split"):
        entry["split"] = rec["split"]
    return entry


def assemble(
    out: Path,
    scene: Scene,
    seed: int,
    n: int,
    formats: tuple[str, ...],
    splits: Splits = (),
    dedupe: int | None = None,
) -> Assembled:
    """Write coco.json (and coco_<split>.json), data.yaml (and image lists), the formats' dataset files and
    manifest.json from the records of samples 0..n-1 that exist. ``dedupe``: the hash distance within which
    near-duplicates are left out of every dataset file (recorded in duplicates.json and the manifest)."""
    dups = None
    clips = scene.sequence is not None
    if dedupe is not None:
        # a clip is compared by its first frame (its frames share one scene); dropping it drops the whole clip
        keys = [
            (r["index"], r["phash"], r["spec_sha256"])
            for _, r in records(out, n, clips)
            if r.get("frame_id", 0) == 0
        ]
        dups = dedupe_keys(keys, dedupe)
        atomic_write(out / DUPLICATES_FILE, dumps(dups))
    elif (out / DUPLICATES_FILE).exists():
        (out / DUPLICATES_FILE).unlink()
    excluded = {e["index"] for e in dups["excluded"]} if dups else set()
    first = next(records(out, n, clips), None)
    classes = first[1]["classes"] if first else []
    split_names = tuple(names(splits))
    info = {"description": f"simvision {scene.name}", "scene": scene.name, "seed": seed}
    meta = DatasetMeta(split_names, dups is not None, info, classes)
    chosen = [(name, writers()[name]) for name in formats]
    streams = {name: w.stream(meta) for name, w in chosen if w.stream is not None}
    # a plugin with the in-memory contract only: its records are gathered (memory grows with the dataset)
    gathered: list[dict[str, Any]] | None = (
        [] if any(w.stream is None and w.dataset is not None for _, w in chosen) else None
    )
    count, kept = 0, 0
    devices: Counter[str] = Counter()
    in_split: Counter[str] = Counter()
    parts = Parts(out)
    try:
        for data, rec in records(out, n, clips):
            parts.append(MANIFEST_SAMPLES, (b"," if count else b"") + compact(manifest_entry(out, rec, data)))
            count += 1
            devices[rec["render"].get("device", "cpu (2d)")] += 1
            if rec["index"] in excluded:
                continue
            kept += 1
            in_split[rec["split"]] += 1
            for name, stream in streams.items():
                for part, chunk in stream.add(rec):
                    parts.append(f"{name}/{part}", chunk)
            if gathered is not None:
                gathered.append(rec)
        files: dict[str, Pieces] = {}
        for name, w in chosen:  # in format order, as before: a later writer's file of the same path wins
            if name in streams:
                for path, pieces in streams[name].finish().items():
                    files[path] = [p if isinstance(p, bytes) else f"{name}/{p}" for p in pieces]
            elif w.dataset is not None and gathered is not None:
                ctx = DatasetContext(gathered, split_names, dups is not None, info, classes)
                files.update({path: [data] for path, data in w.dataset(ctx).items()})
        for rel, pieces in files.items():
            parts.write(out / rel, pieces)
        manifest = {
            "scene": scene.name,
            "generator": scene.generator,
            "scene_digest": scene.digest,
            "seed": seed,
            "count": count,
            "requested": n,
            "formats": list(formats),
            "classes": classes,
            "versions": versions(),
            "splits": {s: in_split[s] for s in split_names},
            "devices": dict(sorted(devices.items())),
            "dedupe": None if dups is None else {"max_distance": dedupe, "excluded": len(excluded)},
            "excluded": dups["excluded"] if dups else [],
            "samples": [],
        }
        # the canonical dump with the samples array streamed in: keys are sorted, and a key inside a string
        # value has its quotes escaped, so this marker occurs once
        head, tail = compact(manifest).split(b'"samples":[]')
        parts.write(out / "manifest.json", [head + b'"samples":[', MANIFEST_SAMPLES, b"]" + tail + b"\n"])
    finally:
        parts.close()
    return Assembled(count, kept)
