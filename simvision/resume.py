"""What a resumed run may keep: a sample is finished only as far as its record (the commit marker) vouches for it.

A record is trusted when its seal matches it; each file it names is trusted when its bytes still hash to the digest
the record took when the file was written. A sample that fails either check (a truncated record, a flipped byte in
an image, a deleted map or label file) is redone, never silently kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from simvision.errors import UserError
from simvision.io import sha256
from simvision.record import unseal
from simvision.sample import sample_name


@dataclass(frozen=True)
class Repair:
    """A finished sample whose files could not be trusted; it is rendered again."""

    index: int
    name: str
    why: str

    def line(self) -> str:
        return f"{self.name}: {self.why}; regenerated"


FRAME = re.compile(r"\d+_\d+")  # a clip frame's record name (``<index>_<frame>``): never a path


def record_path(out: Path, index: int) -> Path:
    return out / "records" / f"{sample_name(index)}.json"


def damage(out: Path, index: int, name: str | None = None) -> str | None:
    """Why sample ``index`` (whose record exists) cannot be kept, or None when its record vouches for every file.
    ``name``: the record's name when it is not the sample's (a clip's frame)."""
    name = name or sample_name(index)
    path = out / "records" / f"{name}.json"
    if not path.is_file():
        return f"records/{name}.json is missing"
    record, why = unseal(path.read_bytes())
    if record is None:
        return why
    if record.get("index") != index or record.get("name") != name:
        return "record belongs to another sample"
    digests = record.get("sha256")
    if not isinstance(digests, dict) or not digests:
        return "record holds no file hashes"
    for rel, digest in sorted(digests.items()):
        parts = PurePosixPath(rel).parts
        if not parts or parts[0] == "/" or ".." in parts:  # a record names files inside its dataset only
            return f"record names a file outside the dataset ({rel!r})"
        path = out / rel
        if not path.is_file():
            return f"{rel} is missing"
        if sha256(path) != digest:
            return f"{rel} does not match the sha256 recorded when it was written"
    return None


def clip_damage(out: Path, index: int, marker: Path) -> str | None:
    """Why clip ``index`` (whose marker exists) cannot be kept: its marker unreadable, or a frame damaged."""
    try:
        frames = json.loads(marker.read_bytes())["frames"]
    except (ValueError, KeyError, TypeError):
        return f"{marker.name}: clip marker unreadable"
    if (
        not isinstance(frames, list)
        or not frames
        or not all(isinstance(f, str) and FRAME.fullmatch(f) for f in frames)
    ):
        return f"{marker.name}: clip marker lists no frames"
    for name in frames:
        why = damage(out, index, str(name))
        if why is not None:
            return f"frame {name}: {why}"
    return None


def plan(
    out: Path, indices: list[int], marker: Callable[[int], Path] | None = None
) -> tuple[list[int], list[Repair]]:
    """The indices to render (no record, or a damaged sample) and the damaged ones. A damaged sample's record is
    removed first, so an interrupted repair leaves it unfinished rather than vouched for. ``marker(index)``: the
    commit marker of a clip (its frames' records are each checked)."""
    todo: list[int] = []
    repairs: list[Repair] = []
    for i in indices:
        path = record_path(out, i) if marker is None else marker(i)
        if not path.exists():
            todo.append(i)
            continue
        why = damage(out, i) if marker is None else clip_damage(out, i, path)
        if why is not None:
            path.unlink()
            todo.append(i)
            repairs.append(Repair(i, sample_name(i), why))
    return todo, repairs


def refuse_fewer(out: Path, n: int) -> None:
    """Refuse a rerun with a smaller ``n`` than the dataset holds: its samples at index >= n would stay on disk and
    be counted by ``report``, listed by YOLO (``train: images``) and copied by ``merge``; deleting them silently
    would lose work the user may want. They choose: the old ``n`` or more, or a new folder."""
    above = [int(p.stem) for p in (out / "records").glob("*.json") if p.stem.isdigit() and int(p.stem) >= n]
    if above:
        raise UserError(
            f"-n: value {n} — '{out}' already holds {len(above)} sample(s) at index {n} or above (up to "
            f"{max(above)}); a smaller -n would leave them in the dataset. Rerun with -n {max(above) + 1} or "
            "more to resume, or choose a new --out"
        )
