"""Every option of a ``generate`` run, validated once and passed whole: CLI -> pipeline -> local or Ray backend.

``RunOptions.parse`` is the one place options are declared, defaulted and checked (each bad value is one
:class:`UserError` naming the flag, the value and what is allowed, before anything is written). A :class:`Job` is
one sample to make; backends run jobs and report through :class:`Attempts`, which holds the retry rule for both.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simvision.errors import UserError
from simvision.resources import parse_gpus, parse_memory_mb
from simvision.splits import Splits, parse_splits

BACKENDS = ("local", "ray")
SHARD_BLOCK = 64  # --shard K/N takes every N-th block of this many consecutive indices
MAX_SAMPLES = 10**8  # a run keeps a few bytes per index in memory; 10^12 was a MemoryError after 30 s
MAX_WORKERS = 1024
MAX_RETRIES = 100


@dataclass(frozen=True)
class RunOptions:
    """A validated run: ``n`` samples from ``seed``; ``formats`` (checked against the scene's kind by the
    pipeline); ``shard`` (K, N) of blocks of ``shard_block`` indices; ``retries`` per failing sample; ``workers``
    (0: every core, or one per GPU); worker recycling after ``recycle_after`` samples or past
    ``max_worker_memory_mb``; ``backend`` local or ray (``address`` of a cluster); ``splits``; ``dedupe`` hash
    distance (None: keep everything); ``gpus`` ids to pin workers to."""

    n: int
    seed: int = 0
    workers: int = 0
    formats: tuple[str, ...] = ("coco", "yolo")
    shard: tuple[int, int] = (0, 1)
    shard_block: int = SHARD_BLOCK
    retries: int = 2
    recycle_after: int | None = None
    backend: str = "local"
    address: str | None = None
    splits: Splits = ()
    dedupe: int | None = None
    gpus: tuple[str, ...] = ()
    max_worker_memory_mb: float | None = None

    @classmethod
    def parse(
        cls,
        n: int,
        seed: int = 0,
        workers: int = 0,
        formats: tuple[str, ...] | list[str] | str = ("coco", "yolo"),
        shard: tuple[int, int] | str | None = None,
        shard_block: int = SHARD_BLOCK,
        retries: int = 2,
        recycle_after: int | None = None,
        backend: str = "local",
        address: str | None = None,
        split: Splits | str | None = None,
        dedupe: bool | int | None = False,
        gpus: str | tuple[str, ...] | None = None,
        max_worker_memory: str | None = None,
    ) -> RunOptions:
        """Options as a user gives them (strings from the command line or Python values), checked."""
        from simvision.quality.dedupe import DEFAULT_MAX_DISTANCE

        if not 1 <= n <= MAX_SAMPLES:
            raise UserError(f"-n: value {n} — must be 1..{MAX_SAMPLES} samples")
        if seed < 0 or seed >= 2**63:
            raise UserError(f"--seed: value {seed} — must be in 0..2^63-1")
        if not 0 <= workers <= MAX_WORKERS:
            raise UserError(f"--workers: value {workers} — must be 1..{MAX_WORKERS}, or 0 for every core")
        if not 1 <= shard_block <= MAX_SAMPLES:
            raise UserError(f"--shard-block: value {shard_block} — must be 1..{MAX_SAMPLES}")
        if backend not in BACKENDS:
            raise UserError(f"--backend: value {backend!r} — allowed: {list(BACKENDS)}")
        if not 0 <= retries <= MAX_RETRIES:
            raise UserError(f"--retries: value {retries} — must be 0..{MAX_RETRIES}")
        if recycle_after is not None and recycle_after < 1:
            raise UserError(f"--recycle-after: value {recycle_after} — must be >= 1 (samples per worker)")
        distance = None
        if dedupe is not False and dedupe is not None:
            distance = DEFAULT_MAX_DISTANCE if dedupe is True else dedupe
            if not 0 <= distance <= 15:
                raise UserError(
                    f"--dedupe-distance: value {distance} — must be 0..15 bits of a 64-bit image hash"
                )
        if isinstance(formats, str):
            formats = tuple(f.strip() for f in formats.split(",") if f.strip())
        return cls(
            n=n,
            seed=seed,
            workers=workers,
            formats=tuple(formats),
            shard=parse_shard(shard),
            shard_block=shard_block,
            retries=retries,
            recycle_after=recycle_after,
            backend=backend,
            address=address,
            splits=parse_splits(split) if isinstance(split, str | None) else tuple(split),
            dedupe=distance,
            gpus=gpus if isinstance(gpus, tuple) else parse_gpus(gpus),
            max_worker_memory_mb=parse_memory_mb(max_worker_memory),
        )

    def indices(self) -> list[int]:
        """This shard's sample indices, in order."""
        k, shards = self.shard
        return [i for i in range(self.n) if (i // self.shard_block) % shards == k]

    def pool_size(self, jobs: int) -> int:
        """Worker processes for ``jobs`` samples: as asked, else one per GPU, else every core; never more than jobs."""
        return min(self.workers or len(self.gpus) or os.cpu_count() or 1, max(1, jobs))


def parse_shard(shard: tuple[int, int] | str | None) -> tuple[int, int]:
    """``"K/N"`` (or ``(K, N)``) -> (K, N) with 0 <= K < N; None -> (0, 1)."""
    if shard is None:
        return 0, 1
    try:
        k, n = (int(v) for v in shard.split("/")) if isinstance(shard, str) else shard
    except ValueError:
        k, n = -1, 0
    if not (n >= 1 and 0 <= k < n):
        raise UserError(f"--shard: value {shard!r} — must be K/N with 0 <= K < N, e.g. 0/4")
    return k, n


@dataclass(frozen=True)
class Job:
    """One sample to make: render ``index`` of ``scene`` from ``seed`` and write its files into ``out``.
    ``render_threads``: CPU threads the renderer may use in this worker (0: its default)."""

    scene: Any  # simvision.scene.Scene
    out: Path
    seed: int
    index: int
    formats: tuple[str, ...]
    splits: Splits
    render_threads: int = 0

    def at(self, index: int) -> Job:
        from dataclasses import replace

        return replace(self, index=index)


OnDone = Callable[[int, dict[str, Any] | None, dict[str, Any] | None], None]


@dataclass
class Attempts:
    """The retry rule, for every backend: a failed job runs again until it has failed ``retries + 1`` times; then
    ``on_done`` reports it with its attempt count. A job that succeeds is reported at once."""

    retries: int
    on_done: OnDone
    counts: dict[int, int] = field(default_factory=dict)

    def finish(self, index: int, fail: dict[str, Any] | None, info: dict[str, Any] | None) -> bool:
        """Count an attempt's result; True when the job should run again."""
        self.counts[index] = self.counts.get(index, 0) + 1
        if fail is not None and self.counts[index] <= self.retries:
            return True
        if fail is not None:
            fail["attempts"] = self.counts[index]
        self.on_done(index, fail, info)
        return False
