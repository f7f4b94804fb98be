"""The Ray backend: long-lived Ray actors run the same jobs as the local pool (so a Blender worker stays loaded).

``address=None`` starts a local Ray with ``workers`` CPUs; ``address="auto"`` (or ``ray://...``) joins an existing
cluster, whose nodes must see ``--out`` on a shared filesystem. Results are identical to the local backend: a job's
files depend only on ``(scene, seed, index)``. Ray is an optional extra (``pip install 'simvision[ray]'``).
"""

from __future__ import annotations

from simvision.errors import UserError
from simvision.run_options import Attempts, Job, RunOptions
from simvision.runner import failure, init_worker, work


def _ray():  # noqa: ANN202 - the ray module
    try:
        import ray
    except ImportError:
        raise UserError(
            "--backend: value 'ray' — needs the ray extra: pip install 'simvision[ray]'"
        ) from None
    return ray


def run_ray(jobs: list[Job], workers: int, attempts: Attempts, opts: RunOptions) -> None:
    """Run every job on ``workers`` Ray actors; ``attempts`` as in :func:`simvision.runner.run_local`. With
    ``opts.gpus`` each actor asks Ray for one GPU (Ray sets its CUDA_VISIBLE_DEVICES); ``opts.address`` joins a
    cluster."""
    address, gpus = opts.address, opts.gpus
    ray = _ray()
    started = False
    if not ray.is_initialized():
        kwargs = {"address": address} if address else {"num_cpus": workers, "num_gpus": len(gpus)}
        try:
            ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False, **kwargs)
        except (ConnectionError, TimeoutError, ValueError, RuntimeError) as err:
            if not address:
                raise
            # no cluster there is a user's mistake, not a bug: one line, no traceback
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise UserError(
                f"--address: value {address!r} — no Ray cluster reached ({reason}); start one with "
                "`ray start --head`, or leave --address out to start a local Ray"
            ) from None
        started = True

    @ray.remote(num_cpus=1)
    class Worker:
        """Holds the run's scene (sent once per actor, not with every job: a scene pickles to kilobytes)."""

        def __init__(self, job: Job) -> None:
            init_worker()
            self.job = job

        def run(self, index: int):  # noqa: ANN202
            return work(self.job.at(index))

    worker = Worker.options(num_gpus=1) if gpus else Worker
    try:
        _drive(ray, worker, jobs, workers, attempts, opts.recycle_after, opts.max_worker_memory_mb)
    finally:
        if started:
            ray.shutdown()


def _drive(ray, worker_cls, jobs, workers, attempts, recycle_after, max_memory_mb) -> None:  # noqa: ANN001
    over = [False] * workers  # past the memory ceiling: replaced once idle

    def spawn():  # noqa: ANN202
        return worker_cls.remote(jobs[0])

    actors = [spawn() for _ in range(workers)]
    served = [0] * workers
    queue = list(reversed(jobs))
    running: dict = {}  # ObjectRef -> (actor slot, job)
    depth = 2  # two jobs queued per actor, so it never idles while the driver handles a result
    while queue or running:
        for slot in range(workers):
            busy = sum(s == slot for s, _ in running.values())
            spent = (recycle_after and served[slot] >= recycle_after) or over[slot]
            if spent and busy == 0:  # a fresh process: flat memory
                ray.kill(actors[slot])
                actors[slot], served[slot], over[slot] = spawn(), 0, False
            while (
                queue
                and busy < depth
                and not over[slot]
                and not (recycle_after and served[slot] + busy >= recycle_after)
            ):
                job = queue.pop()
                running[actors[slot].run.remote(job.index)] = (slot, job)
                busy += 1
        ready, _ = ray.wait(list(running), num_returns=1)
        slot, job = running.pop(ready[0])
        served[slot] += 1
        try:
            index, fail, info = ray.get(ready[0])
            over[slot] = over[slot] or (max_memory_mb is not None and info["rss_mb"] > max_memory_mb)
        except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError) as err:
            index, fail = job.index, failure(job.index, job.seed, f"worker died: {type(err).__name__}")
            info = None
            actors[slot], served[slot] = spawn(), 0
        if attempts.finish(index, fail, info):
            queue.append(job)
