"""Scaling: samples/s with 1 and 2 local workers (efficiency = speed-up / 2), against the ceiling of two fully
independent processes (two shard runs side by side), and Ray's overhead against the process pool.

    .venv/bin/python bench/scale.py [--receipts 300] [--streets 40]

Rates are wall-clock for the whole run (start-up included) and steady-state (from progress.jsonl: samples
finished between 20% done and the end, over that time), receipts and 2D street projections, every file written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simvision.pipeline import generate
from simvision.scene import default_scene_dir, load_scene


def steady(out: Path) -> tuple[float, float]:
    """(seconds, samples) between the sample event at 20% done and the last one, over every progress log given."""
    rows = [json.loads(x) for x in (out / "progress.jsonl").read_text().splitlines()]
    t = sorted(r["time"] for r in rows if r["event"] == "sample")
    k = len(t) // 5
    return t[-1] - t[k], len(t) - 1 - k


def rate(scene, n: int, workers: int, backend: str = "local") -> tuple[float, float]:  # noqa: ANN001
    out = Path(tempfile.mkdtemp(prefix="bench-scale-")) / "ds"
    t = time.perf_counter()
    summary = generate(scene, out, n=n, seed=0, workers=workers, backend=backend)
    dt = time.perf_counter() - t
    assert not summary.failures, summary.failures[:1]
    secs, count = steady(out)
    shutil.rmtree(out.parent)
    return n / dt, count / secs


def independent(path: Path, n: int) -> float:
    """Steady samples/s of two single-process shard runs side by side (no shared pool: the machine's ceiling)."""
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    cmd = [sys.executable, "-m", "simvision", "generate", str(path), "-n", str(n), "-q", "--workers", "1"]
    procs = [
        subprocess.Popen([*cmd, "--out", str(root / f"s{k}"), "--shard", f"{k}/2", "--shard-block", "1"])
        for k in (0, 1)
    ]
    for p in procs:
        p.wait()
    times = []
    for k in (0, 1):
        rows = [json.loads(x) for x in (root / f"s{k}" / "progress.jsonl").read_text().splitlines()]
        times += [r["time"] for r in rows if r["event"] == "sample"]
    times.sort()
    k = len(times) // 5
    shutil.rmtree(root)
    return (len(times) - 1 - k) / (times[-1] - times[k])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--receipts", type=int, default=300)
    ap.add_argument("--streets", type=int, default=40)
    args = ap.parse_args()
    report = {}
    for name, n in (("receipt", args.receipts), ("street", args.streets)):
        path = default_scene_dir() / f"{name}.yaml"
        scene = load_scene(path)
        rate(scene, 2, 2)  # warm caches (fonts, imports) outside the timed runs
        (w1, s1), (w2, s2) = rate(scene, n, 1), rate(scene, n, 2)
        ceiling = independent(path, n)
        row = {
            "samples": n,
            "wall_per_s": {"1_worker": round(w1, 2), "2_workers": round(w2, 2)},
            "steady_per_s": {
                "1_worker": round(s1, 2),
                "2_workers": round(s2, 2),
                "2_independent": round(ceiling, 2),
            },
            "scaling_efficiency_1_to_2": {"wall": round(w2 / (2 * w1), 3), "steady": round(s2 / (2 * s1), 3)},
            "pool_vs_independent_processes": round(s2 / ceiling, 3),
        }
        try:
            import ray  # noqa: F401

            wr, sr = rate(scene, n, 2, "ray")
            row["ray_2_workers_per_s"] = {"wall": round(wr, 2), "steady": round(sr, 2)}
            row["ray_overhead_vs_pool"] = {"wall": round(w2 / wr - 1, 3), "steady": round(s2 / sr - 1, 3)}
        except ImportError:
            row["ray"] = "not installed"
        report[name] = row
        print(json.dumps({name: row}), flush=True)
    Path("bench/results").mkdir(exist_ok=True)
    Path("bench/results/scale.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
