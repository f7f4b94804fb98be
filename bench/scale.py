"""Scaling: samples/s with 1 and 2 local workers (efficiency = speed-up / 2), and Ray's overhead against the
process pool on the same run. Receipts and 2D street projections, whole pipeline (render + every file written).

    .venv/bin/python bench/scale.py [--receipts 48] [--streets 16]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from simvision.pipeline import generate
from simvision.scene import default_scene_dir, load_scene


def rate(scene, n: int, workers: int, backend: str = "local") -> float:  # noqa: ANN001
    out = Path(tempfile.mkdtemp(prefix="bench-scale-")) / "ds"
    t = time.perf_counter()
    summary = generate(scene, out, n=n, seed=0, workers=workers, backend=backend)
    dt = time.perf_counter() - t
    assert not summary.failures, summary.failures[:1]
    shutil.rmtree(out.parent)
    return n / dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--receipts", type=int, default=48)
    ap.add_argument("--streets", type=int, default=16)
    args = ap.parse_args()
    report = {}
    for name, n in (("receipt", args.receipts), ("street", args.streets)):
        scene = load_scene(default_scene_dir() / f"{name}.yaml")
        rate(scene, 2, 2)  # warm caches (fonts, imports) outside the timed runs
        r1, r2 = rate(scene, n, 1), rate(scene, n, 2)
        row = {"samples": n, "per_s_1_worker": round(r1, 2), "per_s_2_workers": round(r2, 2)}
        row["scaling_efficiency_1_to_2"] = round(r2 / (2 * r1), 3)
        try:
            import ray  # noqa: F401

            rr = rate(scene, n, 2, "ray")
            row["per_s_ray_2_workers"] = round(rr, 2)
            row["ray_overhead_vs_pool"] = round(r2 / rr - 1, 3)
        except ImportError:
            row["ray"] = "not installed"
        report[name] = row
        print(json.dumps({name: row}), flush=True)
    Path("bench/results").mkdir(exist_ok=True)
    Path("bench/results/scale.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
