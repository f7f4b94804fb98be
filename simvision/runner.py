"""Running sample jobs on the local backend: a spawn process pool with retries, worker recycling and crash recovery.

A job is ``(scene, out, seed, index, formats, splits)``; running it renders the sample and writes its files (record last).
A job that raises is retried up to ``retries`` times, then reported as a failure without stopping the run. A worker
that dies (killed, out of memory) breaks the pool: the pool is rebuilt and the jobs in flight are retried, each
attempt counting against its limit. ``recycle_after`` replaces each worker after that many samples, so long
Blender runs do not grow.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from simvision.sample import render_sample, sample_name, write_entry
from simvision.scene import Scene
from simvision.splits import Splits, split_of

Job = tuple[Scene, Path, int, int, tuple[str, ...], Splits]
OnDone = Callable[[int, dict[str, Any] | None], None]


def work(job: Job) -> tuple[int, dict[str, Any] | None]:
    """Render and write one sample; returns ``(index, None)`` or ``(index, failure)``."""
    scene, out, seed, index, formats, splits = job
    try:
        sample = render_sample(scene, seed, index)
        write_entry(out, sample, sample_name(index), scene, formats, split_of(seed, index, splits))
        return index, None
    except Exception as err:  # a failing sample is reported, not fatal to the run
        return index, failure(index, seed, repr(err), traceback.format_exc())


def failure(index: int, seed: int, error: str, trace: str = "") -> dict[str, Any]:
    return {"index": index, "seed": seed, "error": error, "traceback": trace}


def init_worker(render_threads: int = 0) -> None:
    import cv2

    from simvision.render.blender.session import set_threads

    cv2.setNumThreads(1)  # one process per core already; OpenCV's own threads would only contend
    set_threads(render_threads)  # Blender workers split the cores between them


def run_local(
    jobs: list[Job], workers: int, on_done: OnDone, retries: int = 2, recycle_after: int | None = None
) -> None:
    """Run every job; ``on_done(index, failure_or_None)`` once per job, after its last attempt."""
    attempts = {job[3]: 0 for job in jobs}

    def finish(job: Job, result: tuple[int, dict | None]) -> bool:
        """Report a result, or return True if the job should run again."""
        index, fail = result
        attempts[index] += 1
        if fail is not None and attempts[index] <= retries:
            return True
        if fail is not None:
            fail["attempts"] = attempts[index]
        on_done(index, fail)
        return False

    if workers == 1 and not recycle_after:
        init_worker()
        for job in jobs:
            while finish(job, work(job)):
                pass
        return
    threads = max(1, (os.cpu_count() or 1) // workers)
    queue = list(reversed(jobs))  # pop() from the end keeps index order
    died = "worker process died (killed or out of memory)"
    while queue:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),
            initializer=init_worker,
            initargs=(threads,),
            max_tasks_per_child=recycle_after,
        ) as pool:
            pending: dict[Future, Job] = {}
            broken = False
            while (queue or pending) and not broken:
                try:
                    while queue and len(pending) < workers * 4:  # a bounded queue keeps memory flat
                        job = queue.pop()
                        pending[pool.submit(work, job)] = job
                except BrokenProcessPool:
                    queue.append(job)
                    broken = True
                done, _ = wait(pending, return_when=FIRST_COMPLETED) if pending else (set(), set())
                for f in done:
                    job = pending.pop(f)
                    try:
                        result = f.result()
                    except BrokenProcessPool:
                        result, broken = (job[3], failure(job[3], job[2], died)), True
                    if finish(job, result):
                        queue.append(job)
            # a worker died: every job still in flight is retried in a fresh pool (or reported at its limit)
            for f, job in pending.items():
                try:
                    result = f.result()
                except BrokenProcessPool:
                    result = (job[3], failure(job[3], job[2], died))
                if finish(job, result):
                    queue.append(job)
            queue.sort(key=lambda j: -j[3])
