"""A seeded mutator of the shipped scene files, for fuzz tests: each variant is one or two small, hostile edits of
a shipped scene (every params field written out, so each field can be hit): a value replaced by a hostile one,
a key deleted, renamed or added, a number scaled. ``json_only`` keeps the variants representable in JSON (no
NaN, no infinities), which is what a JSON Schema can speak about."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from simvision.scene import all_scene_files, load_scene

HOSTILE: list[Any] = [
    -1, 0, 1, 2, 7, 10**6, 10**9, 10**12, -(10**12), 2**63, 2**64 + 1, 10**30, -(10**30),
    0.5, -0.5, 1e12, -1e12, 1e308, "", "x", "3", "0.5", True, False, None, [], {}, [1, 2],
    {"min": -5, "max": 5}, {"min": 5, "max": 1}, {"min": 0, "max": 10**9}, {"min": -1e12, "max": 1e12},
    {"min": 0.5}, {"choices": {}}, {"choices": {"a": 1}}, {"choices": {"clear": 0}}, {"choices": {"rain": -1}},
    {"choices": {"rain": 1e12}}, "A" * 300,
]  # fmt: skip
NOT_JSON: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    {"min": math.nan, "max": 1},
    {"choices": {"fog": math.inf}},
]


def dense_scene(path: Path) -> dict[str, Any]:
    """The scene file's data with every params (and augment) field written out, so mutations reach them all."""
    data = yaml.safe_load(path.read_text())
    scene = load_scene(path)
    data["params"] = scene.params.model_dump(mode="json")
    if scene.augment is not None:
        aug = scene.augment.model_dump(mode="json")
        data["augment"] = aug
    return data


def _paths(node: Any, at: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield at, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*at, i))


def _set(doc: Any, path: tuple, value: Any) -> None:
    for p in path[:-1]:
        doc = doc[p]
    doc[path[-1]] = value


def pick(rng: np.random.Generator, seq: Any) -> Any:
    return seq[int(rng.integers(len(seq)))]


def mutate(doc: dict[str, Any], rng: np.random.Generator, json_only: bool) -> dict[str, Any]:
    """``doc`` with one or two hostile edits (the input is not changed)."""
    doc = copy.deepcopy(doc)
    pool = HOSTILE if json_only else HOSTILE + NOT_JSON
    for _ in range(pick(rng, (1, 1, 2))):
        paths = [(p, v) for p, v in _paths(doc) if p]
        path, value = pick(rng, paths)
        parent = doc
        for p in path[:-1]:
            parent = parent[p]
        op = rng.random()
        if op < 0.5:
            _set(doc, path, copy.deepcopy(pick(rng, pool)))
        elif op < 0.65 and isinstance(value, int | float) and not isinstance(value, bool):
            new = value * pick(rng, (-1, 1000, 10**9)) + pick(rng, (0, 0.5))
            _set(doc, path, new if not isinstance(new, float) or math.isfinite(new) else 0)
        elif op < 0.75 and isinstance(parent, dict):
            del parent[path[-1]]
        elif op < 0.85 and isinstance(parent, dict):
            parent[f"{path[-1]}_typo"] = parent.pop(path[-1])
        elif isinstance(value, dict):
            value[pick(rng, ("min", "max", "choices", "extra", "p", "name"))] = copy.deepcopy(pick(rng, pool))
        else:
            _set(doc, path, copy.deepcopy(pick(rng, pool)))
    return doc


def variants(count: int, seed: int, json_only: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """``count`` mutated scenes, cycling over the shipped scene files: (scene file stem, data)."""
    rng = np.random.default_rng(seed)  # a seeded generator of the test's own
    bases = [(p.stem, dense_scene(p)) for p in all_scene_files()]
    return [
        (bases[i % len(bases)][0], mutate(bases[i % len(bases)][1], rng, json_only)) for i in range(count)
    ]


SNIPPETS = [b"\xff", b"\xe9", b"\t", b"&x ", b"*x", b"*undefined", b"{", b"[", b"]", b": ", b"- ", b"\x00", b"!!python/object ",
            b"<<: *x\n", b".nan", b".inf", b"-.inf", b"9" * 40, b"9" * 5000, b"2020-13-45 ", b"'", b'"', b"#", b"\n  ", b"~"]  # fmt: skip


def mutate_text(data: bytes, rng: np.random.Generator) -> bytes:
    """Byte-level damage to a scene file: truncated, a line repeated or dropped, a few hostile bytes inserted."""
    lines = data.split(b"\n")
    op = rng.random()
    if op < 0.2:
        return data[: int(rng.integers(len(data)))]
    if op < 0.4:
        i = int(rng.integers(len(lines)))
        return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if op < 0.5:
        i = int(rng.integers(len(lines)))
        return b"\n".join(lines[:i] + lines[i + 1 :])
    for _ in range(int(rng.integers(1, 4))):
        at = int(rng.integers(len(data)))
        data = data[:at] + pick(rng, SNIPPETS) + data[at:]
    return data


def text_variants(count: int, seed: int) -> list[tuple[str, bytes]]:
    """``count`` byte-damaged copies of the shipped scene files: (scene file stem, bytes)."""
    rng = np.random.default_rng(seed)
    files = all_scene_files()
    return [
        (files[i % len(files)].stem, mutate_text(files[i % len(files)].read_bytes(), rng))
        for i in range(count)
    ]
