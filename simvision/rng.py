"""Deterministic random streams: every random choice in simvision comes from ``rng_for``.

A sample's randomness depends only on ``(seed, index, stream, attempt)``, so sample *i* never depends on samples
``0..i-1``, on the worker count, or on which other stages are enabled.
"""

from __future__ import annotations

import numpy as np

STREAMS: dict[str, int] = {"scene": 0, "augment": 1, "render": 2, "split": 3, "content": 4, "report": 5}


def rng_for(seed: int, index: int, stream: str, attempt: int = 0) -> np.random.Generator:
    """Return the generator for one (seed, sample index, stream) triple.

    ``stream`` must be a key of :data:`STREAMS`; a changed augmentation therefore never changes the scenes.
    """
    if stream not in STREAMS:
        raise KeyError(f"unknown RNG stream {stream!r}; known: {sorted(STREAMS)}")
    if seed < 0 or index < 0 or attempt < 0:
        raise ValueError("seed, index and attempt must be non-negative")
    return np.random.default_rng([seed, index, STREAMS[stream], attempt])


def child_seed(rng: np.random.Generator) -> int:
    """Draw a 63-bit seed for a library that wants an int (e.g. Faker), from an existing generator."""
    return int(rng.integers(0, 2**63 - 1))
