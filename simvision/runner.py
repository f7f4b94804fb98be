"""Running sample jobs on the local backend: a spawn process pool with retries, worker recycling and crash recovery.

A :class:`~simvision.run_options.Job` is one sample; running it renders the sample and writes its files (record last).
A job that raises is retried up to ``retries`` times, then reported as a failure without stopping the run. A worker
that dies (killed, out of memory) breaks the pool: the pool is rebuilt and the jobs in flight are retried, each
attempt counting against its limit. ``recycle_after`` replaces each worker after that many samples, and
``max_memory_mb`` replaces the workers once one of them holds more than that, so long Blender runs do not grow.
``gpus`` pins each worker to one GPU (``CUDA_VISIBLE_DEVICES``, set before Blender loads), round robin.
"""

from __future__ import annotations

import os
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from multiprocessing import get_context
from typing import Any

from simvision.run_options import Attempts, Job, RunOptions
from simvision.sample import render_sample, sample_name, write_entry
from simvision.splits import split_of
from simvision.writers.registry import wants_arrays

DIED_INFO: dict[str, Any] = {"pid": None, "gpu": None, "rss_mb": 0.0}


def work(job: Job) -> tuple[int, dict[str, Any] | None, dict[str, Any]]:
    """Render and write one sample; returns ``(index, None | failure, worker info)``: the worker's pid, GPU and
    resident memory after the sample (for the memory ceiling and progress.jsonl; never in the dataset)."""
    scene = job.scene
    if job.render_threads:  # the renderer's share of this machine's cores, a setting passed with the job
        scene = replace(scene, render=scene.render.model_copy(update={"threads": job.render_threads}))
    try:
        split = split_of(job.seed, job.index, job.splits)
        if scene.sequence is not None:  # a clip: its frames, then its marker
            from simvision.clip import write_clip

            write_clip(job.out, scene, job.seed, job.index, job.formats, split)
            return job.index, None, worker_info()
        sample = render_sample(scene, job.seed, job.index, page_map=wants_arrays(job.formats))
        write_entry(job.out, sample, sample_name(job.index), scene, job.formats, split)
        return job.index, None, worker_info()
    except Exception as err:  # a failing sample is reported, not fatal to the run
        return job.index, failure(job.index, job.seed, repr(err), traceback.format_exc()), worker_info()


def worker_info() -> dict[str, Any]:
    return {"pid": os.getpid(), "gpu": os.environ.get("CUDA_VISIBLE_DEVICES"), "rss_mb": round(rss_mb(), 1)}


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def failure(index: int, seed: int, error: str, trace: str = "") -> dict[str, Any]:
    return {"index": index, "seed": seed, "error": error, "traceback": trace}


PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCHDOG_S = 1.0


def die_with_parent() -> None:
    """End this worker when the driver dies (``kill -9`` included): a pool worker blocks on its job queue forever
    otherwise, holding its memory (hundreds of MB) for nobody. Linux: the kernel sends SIGKILL when the parent
    goes (``prctl(PR_SET_PDEATHSIG)``); everywhere: a thread that exits once the parent pid changes."""
    import signal
    import sys
    import threading
    from multiprocessing import parent_process

    parent = parent_process()
    if parent is None:  # the driver itself (workers=1 runs jobs in-process)
        return
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still ends the worker
    if os.getppid() != parent.pid:  # the driver died before prctl took hold
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent.pid:
            threading.Event().wait(WATCHDOG_S)
        os._exit(1)

    threading.Thread(target=watch, name="simvision-parent-watchdog", daemon=True).start()


def init_worker(gpu_tokens: Any = None, pool: bool = True) -> None:
    """Set up a worker process. ``gpu_tokens``: a queue of GPU ids; the worker takes one for its life (visible
    to CUDA as its only device) and hands it back when it exits normally (recycling). ``pool``: False when the
    driver runs the jobs itself (it is nobody's worker, so it must not die with its parent)."""
    if pool:
        die_with_parent()  # first: the imports below take seconds on a loaded machine
    import cv2

    cv2.setNumThreads(1)  # one process per core already; OpenCV's own threads would only contend
    if gpu_tokens is not None:
        from multiprocessing.util import Finalize

        gpu = gpu_tokens.get(timeout=300)
        os.environ["CUDA_VISIBLE_DEVICES"] = gpu
        Finalize(None, gpu_tokens.put, args=(gpu,), exitpriority=0)


def run_local(jobs: list[Job], workers: int, attempts: Attempts, opts: RunOptions) -> None:
    """Run every job on ``workers`` processes; ``attempts`` decides retries and reports each job once, after its
    last attempt. ``opts``: worker recycling (``recycle_after``, ``max_worker_memory_mb``) and ``gpus``."""
    recycle_after, max_memory_mb, gpus = opts.recycle_after, opts.max_worker_memory_mb, opts.gpus
    state = {"recycle": False}

    def finish(job: Job, result: tuple[int, dict | None, dict]) -> bool:
        """Report a result, or return True if the job should run again."""
        index, fail, info = result
        if max_memory_mb is not None and info["rss_mb"] > max_memory_mb:
            state["recycle"] = True  # drain, then start fresh workers
        return attempts.finish(index, fail, info)

    if workers == 1 and not (recycle_after or max_memory_mb or gpus):
        init_worker(pool=False)
        for job in jobs:
            while finish(job, work(job)):
                pass
        return
    queue = list(reversed(jobs))  # pop() from the end keeps index order
    died = (
        "worker process died (killed, out of memory, or the main script starts a run without "
        '`if __name__ == "__main__":` and each spawned worker imported it)'
    )
    ctx = get_context("spawn")
    while queue:
        tokens = None
        if gpus:
            tokens = ctx.Queue()
            for k in range(workers):
                tokens.put(gpus[k % len(gpus)])
        state["recycle"] = False
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=init_worker,
            initargs=(tokens,),
            max_tasks_per_child=recycle_after,
        ) as pool:
            pending: dict[Future, Job] = {}
            broken = False
            while (queue or pending) and not broken:
                try:
                    while (
                        queue and len(pending) < workers * 4 and not state["recycle"]
                    ):  # bounded: flat memory
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
                        result, broken = (job.index, failure(job.index, job.seed, died), DIED_INFO), True
                    if finish(job, result):
                        queue.append(job)
                if state["recycle"] and not pending:
                    break  # a worker passed the memory ceiling: this pool ends, the next starts fresh
            # a worker died: every job still in flight is retried in a fresh pool (or reported at its limit)
            for f, job in pending.items():
                try:
                    result = f.result()
                except BrokenProcessPool:
                    result = (job.index, failure(job.index, job.seed, died), DIED_INFO)
                if finish(job, result):
                    queue.append(job)
            queue.sort(key=lambda j: -j.index)
