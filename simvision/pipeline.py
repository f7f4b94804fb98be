"""The generate pipeline: a process pool over sample indices, resumable, byte-identical for any worker count.

Each sample's files depend only on (scene, seed, index). A sample is finished when its record exists (written
last, atomically, holding the hashes of the sample's files); a rerun of the same command skips finished samples
whose files still match those hashes and renders the others again. Dataset-level files (coco.json, data.yaml,
manifest.json) are assembled from the records at the end, so a resumed run equals an uninterrupted one byte for byte.
"""

from __future__ import annotations

import fcntl
import inspect
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simvision.assembly import DUPLICATES_FILE, assemble
from simvision.errors import SamplesFailed, UserError
from simvision.io import atomic_write, check_out_dir, remove_partials
from simvision.progress_log import ProgressLog
from simvision.record import dumps
from simvision.registry import get_generator
from simvision.resume import Repair, plan, refuse_fewer
from simvision.run_options import Attempts, Job, RunOptions
from simvision.runner import run_local
from simvision.sample import sample_name
from simvision.scene import Scene, load_scene
from simvision.splits import Splits
from simvision.writers.registry import writers

__all__ = ["DUPLICATES_FILE", "RUN_FILE", "RunSettings", "Summary", "assemble", "check_formats", "generate"]

RUN_FILE = "dataset.json"
PROGRESS_FILE = "progress.jsonl"
LOCK_FILE = ".lock"


@dataclass(frozen=True)
class RunSettings:
    """What makes a dataset: a rerun with other settings into the same folder is refused."""

    scene: Scene
    seed: int
    formats: tuple[str, ...]
    splits: Splits = ()

    def identity(self) -> dict[str, Any]:
        return {
            "scene": self.scene.to_json(),
            "seed": self.seed,
            "formats": list(self.formats),
            "split": dict(self.splits) or None,
        }


@dataclass
class Summary:
    out: Path
    count: int
    rendered: int
    skipped: int
    failures: list[dict[str, Any]] = field(default_factory=list)
    #: finished samples found damaged (a file missing or changed since it was written) and rendered again
    repaired: list[Repair] = field(default_factory=list)


def check_formats(
    formats: tuple[str, ...] | list[str] | str, generator: str | None = None
) -> tuple[str, ...]:
    """The asked formats, checked against the writer registry and the scene kind, in registry order."""
    if isinstance(formats, str):
        formats = tuple(f.strip() for f in formats.split(",") if f.strip())
    known = writers()
    bad = [f for f in formats if f not in known]
    if bad or not formats:
        raise UserError(
            f"--format: value {','.join(formats) or '(empty)'!r} — allowed: a comma list of {tuple(known)}"
        )
    for f in formats:
        clash = sorted(known[f].excludes & set(formats))
        if clash:
            raise UserError(f"--format: value '{f},{clash[0]}' — choose one of {f} or {clash[0]}")
    if generator is not None:
        kind = get_generator(generator)
        wrong = [f for f in formats if not known[f].supports(kind)]
        if wrong:
            raise UserError(
                f"--format: value {','.join(wrong)!r} — not for {kind.name} scenes "
                f"(allowed for them: {', '.join(n for n, w in known.items() if w.supports(kind))})"
            )
    order = list(known)
    return tuple(sorted(set(formats), key=order.index))


def check_formats_for(scene: Scene, formats: tuple[str, ...]) -> None:
    """Refuse formats the scene's params rule out (its kind's ``refused_formats``), in any stratum or edge case."""
    kind = get_generator(scene.generator)
    variants = [(None, ())] + [(s, ()) for s in scene.balance] + [(None, (e,)) for e in scene.edge_cases]
    for stratum, edges in variants:
        refused = kind.refused_formats(scene.params_for(stratum, edges))
        for f in formats:
            if f in refused:
                where = f" (balance.{stratum})" if stratum else f" (edge_cases.{edges[0]})" if edges else ""
                raise UserError(f"--format: value {f!r} — not for this scene{where}: {refused[f]}")


def _check_out(out: Path, settings: RunSettings) -> None:
    """Refuse an --out that is a file, a foreign non-empty folder, or a dataset made with other settings."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out: value '{out}' — is a file; expected a directory (new or made by simvision)")
    run_file = out / RUN_FILE
    if out.is_dir() and any(out.iterdir()) and not run_file.exists():
        raise UserError(
            f"--out: value '{out}' — exists, is not empty and is not a simvision dataset; use a new folder"
        )
    if run_file.exists():
        old = json.loads(run_file.read_text(encoding="utf-8"))
        if old.get("identity") != settings.identity():
            diff = [
                k
                for k in ("scene", "seed", "formats", "split")
                if old.get("identity", {}).get(k) != settings.identity()[k]
            ]
            raise UserError(
                f"--out: value '{out}' — holds a dataset made with a different {', '.join(diff)}; "
                "rerun with the same scene file, --seed, --format and --split to resume, or choose a new --out"
            )


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    fd = os.open(out / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"--out: value '{out}' — another simvision run is writing into it") from None
        yield
    finally:
        os.close(fd)


def generate(
    scene: Scene | str | Path,
    out: str | Path,
    options: RunOptions | None = None,
    progress: Callable[..., None] | None = None,
    **kwargs: Any,
) -> Summary:
    """Render samples ``0..n-1`` of ``scene`` into ``out`` and assemble the dataset files.

    The run's options come as a :class:`~simvision.run_options.RunOptions` or as its ``parse`` keywords
    (``n=100, seed=7, workers=2, formats="coco,yolo", split="train=0.8,val=0.2", ...``; see ``RunOptions.parse``).
    ``workers=0`` uses every core. ``progress(done, total)`` is called after each sample (with a keyword
    ``failed`` if it takes one: failed samples so far, counted in ``done``), and a line per sample is appended to
    ``out/progress.jsonl`` for batch schedulers. ``shard=(k, N)`` renders only the blocks of ``shard_block``
    indices whose block number is k modulo N (``simvision merge`` joins the shards). A sample that fails is
    retried ``retries`` times, then reported in ``failures.json``. ``backend`` is ``local`` (a process pool) or
    ``ray``; the bytes written do not depend on it, nor on the worker count. Rerunning with the same arguments
    resumes: a finished sample is kept only if its record (sealed) and every file it names still match the hashes
    taken when they were written; others are rendered again and listed in ``Summary.repaired``. A larger ``n``
    extends the dataset; a smaller one than the folder holds is refused (:class:`UserError`).
    Raises :class:`UserError` on bad arguments before writing anything, and :class:`SamplesFailed` (the count and
    the first reason; ``.summary`` holds them all) when samples failed after their retries: the dataset holds the
    others, and rerunning the same call retries the failed ones. With ``workers`` != 1 call it under
    ``if __name__ == "__main__":`` (workers are spawned and import the main script).
    """
    _refuse_in_a_bootstrapping_worker()
    if options is not None and kwargs:
        raise TypeError(f"generate: pass options= or keywords ({sorted(kwargs)}), not both")
    if not isinstance(scene, Scene):
        scene = load_scene(scene)
    opts = options or RunOptions.parse(**kwargs)
    formats = check_formats(opts.formats, scene.generator)
    check_formats_for(scene, formats)
    out = Path(out)
    settings = RunSettings(scene, opts.seed, formats, opts.splits)
    check_out_dir(out)  # a path through a file, a symlink loop, no write permission: refused, nothing written
    _check_out(out, settings)
    refuse_fewer(out, opts.n)
    out.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        run = {"identity": settings.identity(), "scene_source": scene.source, "dedupe": opts.dedupe}
        atomic_write(out / RUN_FILE, dumps(run))
        remove_partials(out)
        mine = opts.indices()
        marker = None if scene.sequence is None else (lambda i: done_marker(out, scene, i))
        todo, repairs = plan(out, mine, marker)
        summary = Summary(out, len(mine), 0, len(mine) - len(todo), repaired=repairs)
        done = summary.skipped
        log = ProgressLog(out / PROGRESS_FILE, len(mine), done)
        for r in repairs:
            log.repair(r.index, r.why)

        def on_done(index: int, failure: dict | None, worker: dict | None = None) -> None:
            nonlocal done
            done += 1
            if failure:
                summary.failures.append(failure)
            else:
                summary.rendered += 1
            log.sample(index, failure, worker)
            if progress:
                progress(done, len(mine), **({"failed": len(summary.failures)} if wants_failed else {}))

        # a progress callback that takes ``failed`` is told how many samples failed (so a rate counts only
        # samples made); one of just (done, total) keeps working
        wants_failed = progress is not None and "failed" in inspect.signature(progress).parameters
        if progress:
            progress(done, len(mine))
        pool = opts.pool_size(len(todo))
        # renderers split the cores between the workers (one worker: the renderer's own default)
        threads = max(1, (os.cpu_count() or 1) // pool) if pool > 1 else 0
        jobs = [Job(scene, out, opts.seed, i, formats, opts.splits, threads) for i in todo]
        attempts = Attempts(opts.retries, on_done)
        if opts.backend == "ray" and jobs:
            from simvision.ray_backend import run_ray

            run_ray(jobs, pool, attempts, opts)
        else:
            run_local(jobs, pool, attempts, opts)
        # every worker has ended: a worker killed mid-write (OOM, a node lost) left its temporary file behind
        remove_partials(out)
        summary.failures.sort(key=lambda f: f["index"])
        if summary.failures:
            atomic_write(out / "failures.json", dumps(summary.failures))
        elif (out / "failures.json").exists():
            (out / "failures.json").unlink()
        assemble(out, scene, opts.seed, opts.n, formats, opts.splits, opts.dedupe)
        log.end(len(summary.failures))
    if summary.failures:
        raise SamplesFailed(summary)  # never a silent exit 0 with a hole (or nothing) in the dataset
    return summary


def done_marker(out: Path, scene: Scene, index: int) -> Path:
    """The file whose presence means sample ``index`` is finished: its record, or a clip's marker."""
    if scene.sequence is not None:
        from simvision.clip import marker

        return marker(out, index)
    return out / "records" / f"{sample_name(index)}.json"


def _refuse_in_a_bootstrapping_worker() -> None:
    """Worker processes are spawned: each imports the main script again. A script that calls ``generate`` outside
    ``if __name__ == "__main__":`` would start a run in every worker; say why instead (the worker then dies, and
    the driver reports its samples failed)."""
    proc = multiprocessing.current_process()
    if multiprocessing.parent_process() is not None and getattr(proc, "_inheriting", False):
        raise RuntimeError(
            "simvision.generate was called while a worker process imported the main script: put the call "
            'under `if __name__ == "__main__":` (worker processes are spawned and import the script again)'
        )
