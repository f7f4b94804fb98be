"""Deterministic random streams: every random choice in simvision comes from ``rng_for``.

A sample's randomness depends only on ``(seed, index, stream, attempt)`` and, for what is drawn from a scene file,
the scene's key (:func:`scene_key` of its name), so sample *i* never depends on samples ``0..i-1``, on the worker
count, or on which other stages are enabled, and two scene files never share content for the same seed and index.
"""

from __future__ import annotations

import hashlib

import numpy as np

STREAMS: dict[str, int] = {
    "scene": 0, "augment": 1, "render": 2, "split": 3, "content": 4, "report": 5, "motion": 6, "mix": 7,
}  # fmt: skip


def rng_for(seed: int, index: int, stream: str, attempt: int = 0, scene: int = 0) -> np.random.Generator:
    """Return the generator for one (seed, sample index, stream) triple.

    ``stream`` must be a key of :data:`STREAMS`; a changed augmentation therefore never changes the scenes.
    ``scene``: the scene file's :func:`scene_key` (0: none, the streams as before scene keys existed).
    """
    if stream not in STREAMS:
        raise KeyError(f"unknown RNG stream {stream!r}; known: {sorted(STREAMS)}")
    if seed < 0 or index < 0 or attempt < 0 or scene < 0:
        raise ValueError("seed, index, attempt and scene must be non-negative")
    entropy = [seed, index, STREAMS[stream], attempt] + ([scene] if scene else [])
    return np.random.default_rng(entropy)


def scene_key(name: str) -> int:
    """A scene's key in the random streams: 63 bits of sha256 of its name (the file stem). The name, not the
    file's content, so editing a scene file's ranges, ``--size`` or ``--augment`` draw the same shops, dates and
    numbers, while two scene files (``receipt`` and ``receipt_restaurant_eu``) never share them."""
    digest = hashlib.sha256(f"simvision-scene:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1 or 1  # never 0: that means "no scene"


def child_seed(rng: np.random.Generator) -> int:
    """Draw a 63-bit seed for a library that wants an int (e.g. Faker), from an existing generator."""
    return int(rng.integers(0, 2**63 - 1))
