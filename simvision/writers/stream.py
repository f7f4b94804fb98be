"""Streaming dataset-level writers: records go in one at a time, files come out as ordered pieces.

A :class:`DatasetStream` is fed each kept record in index order (``add`` returns bytes to append to named parts,
a part being private scratch space of that stream) and then says what each of its files holds (``finish``: a list
of literal bytes and part names, in order). Writers stay pure: the caller stores the parts (in temporary files for a
dataset, in memory for a test) and joins them, so no writer ever holds every record, annotation or RLE string, and
the memory of assembling a dataset does not grow with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Record = Mapping[str, Any]
Chunks = Iterable[tuple[str, bytes]]
Pieces = Sequence[str | bytes]  # literal bytes, or a part's name (all bytes appended to it)


@dataclass(frozen=True)
class DatasetMeta:
    """What a dataset-level file may know before its records: the split names asked for (empty: no splits),
    whether near-duplicates were searched (so samples may be left out and image lists are needed), COCO-style
    ``info`` (description, scene, seed) and the classes."""

    splits: tuple[str, ...]
    deduped: bool
    info: Mapping[str, Any]
    classes: list[str]


class DatasetStream(Protocol):
    def add(self, record: Record) -> Chunks:
        """``(part, bytes)`` pairs to append, for one record."""
        ...

    def finish(self) -> Mapping[str, Pieces]:
        """Every file of the stream (path relative to the dataset root) as pieces in order."""
        ...


def compact(obj: Any) -> bytes:
    """Canonical compact JSON as :func:`simvision.record.dumps` writes it, without its trailing newline: the
    pieces of a streamed document join into the bytes ``dumps`` gives for the whole."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Concat:
    """Files that are the concatenation of per-record chunks (JSON lines, text lists): ``chunks(record)`` gives
    ``(path, bytes)``; ``always`` names files written even when no record adds to them; ``literal`` are whole
    files known up front."""

    def __init__(
        self,
        chunks: Callable[[Record], Chunks],
        always: Iterable[str] = (),
        literal: Mapping[str, bytes] | None = None,
    ) -> None:
        self.chunks, self.paths, self.literal = chunks, dict.fromkeys(always), dict(literal or {})

    def add(self, record: Record) -> Chunks:
        for path, data in self.chunks(record):
            self.paths[path] = None
            yield path, data

    def finish(self) -> Mapping[str, Pieces]:
        out: dict[str, Pieces] = {p: [p] for p in self.paths}
        out.update({p: [data] for p, data in self.literal.items()})
        return out


class JsonList:
    """Files that each hold one JSON list of per-record items, as ``json.dumps(items, sort_keys=True, indent=1)``
    plus a newline writes them (ASCII): ``items(record)`` gives ``(path, item)``."""

    def __init__(self, items: Callable[[Record], Iterable[tuple[str, Any]]]) -> None:
        self.items, self.paths = items, {}

    def add(self, record: Record) -> Chunks:
        for path, item in self.items(record):
            # an item inside a list is indented one level deeper: dump it as a one-item list and unwrap it
            text = json.dumps([item], sort_keys=True, indent=1)[2:-2]
            yield path, (",\n" if path in self.paths else "[\n").encode("ascii") + text.encode("ascii")
            self.paths[path] = None

    def finish(self) -> Mapping[str, Pieces]:
        return {p: [p, b"\n]\n"] for p in self.paths}


def in_memory(stream: DatasetStream, records: Iterable[Record]) -> dict[str, bytes]:
    """Run a stream over records and join its files in memory (tests, small datasets, the ``dataset`` view)."""
    parts: dict[str, bytearray] = {}
    for record in records:
        for part, data in stream.add(record):
            parts.setdefault(part, bytearray()).extend(data)
    return {
        path: b"".join(bytes(parts.get(p, b"")) if isinstance(p, str) else p for p in pieces)
        for path, pieces in stream.finish().items()
    }
