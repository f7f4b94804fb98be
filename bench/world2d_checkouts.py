"""The 2D street renderer of two checkouts in one run: CPU-s per frame and frames/s per core, old against new.

    .venv/bin/python bench/world2d_checkouts.py OLD_DIR [NEW_DIR] [-n 8] [--size 640x480] [--rounds 3]
        [--scene scenes/street.yaml ...]

One worker process per checkout (``PYTHONPATH`` = that checkout, the interpreter running this script) compiles the
same Worlds (seed 0, samples 0..n-1 of each scene) with its own code, renders one frame untimed (numba kernels
loaded or compiled), then on each round renders every frame timed with ``time.process_time`` (CPU seconds of that
process: fair on a shared machine). Rounds alternate between the checkouts, so both see the same load. Reported:
the mean over rounds and frames, per scene and over all, and the new checkout's speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import json, sys, time
from pathlib import Path
import simvision
print(json.dumps({"package": simvision.__file__}), flush=True)
from simvision.render.world2d import render_world_2d
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world

scenes, size, n = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
worlds = []
for path in scenes:
    scene = load_scene(Path(path)).with_size(size)
    worlds += [(path, compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene))))
               for i in range(n)]
t0 = time.process_time()
render_world_2d(worlds[0][1])
print(json.dumps({"first": time.process_time() - t0}), flush=True)
for line in sys.stdin:
    out = {}
    for path, world in worlds:
        t0 = time.process_time()
        render_world_2d(world)
        out.setdefault(path, []).append(time.process_time() - t0)
    print(json.dumps(out), flush=True)
"""


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path, nargs="?", default=here)
    ap.add_argument("-n", type=int, default=8)
    ap.add_argument("--size", default="640x480")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scene", type=Path, action="append")
    args = ap.parse_args(argv)
    scenes = [str(p.resolve()) for p in args.scene or [here / "scenes" / "street.yaml"]]
    workers = {}
    for label, root in (("old", args.old), ("new", args.new)):
        env = {**os.environ, "PYTHONPATH": str(root.resolve())}
        cmd = [sys.executable, "-c", WORKER, json.dumps(scenes), args.size, str(args.n)]
        workers[label] = subprocess.Popen(  # cwd too: ``-c`` puts the working directory first on sys.path
            cmd, cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    package = {k: json.loads(w.stdout.readline())["package"] for k, w in workers.items()}
    first = {k: json.loads(w.stdout.readline())["first"] for k, w in workers.items()}
    spent: dict[str, dict[str, list[float]]] = {k: {} for k in workers}
    for _ in range(args.rounds):
        for k, w in workers.items():
            w.stdin.write("round\n")
            w.stdin.flush()
            for path, times in json.loads(w.stdout.readline()).items():
                spent[k].setdefault(path, []).extend(times)
    for w in workers.values():
        w.stdin.close()
        w.wait()
    print(
        f"# load {Path('/proc/loadavg').read_text().split()[:3]}; {args.n} frames per scene at {args.size}, "
        f"{args.rounds} rounds alternating; old = {args.old}, new = {args.new}"
    )
    print(f"# packages: old {package['old']}, new {package['new']}")
    print(
        f"# first frame (kernels loaded from the numba cache or compiled): old {first['old']:.2f}, "
        f"new {first['new']:.2f} CPU-s"
    )
    for path in [*scenes, "all"]:
        row = []
        for k in ("old", "new"):
            times = [t for p, ts in spent[k].items() for t in ts if path in ("all", p)]
            row.append(sum(times) / len(times))
        name = Path(path).name
        print(
            f"{name:24s} old {row[0]:.3f} CPU-s/frame ({1 / row[0]:5.2f} frames/s per core)   "
            f"new {row[1]:.3f} ({1 / row[1]:5.2f})   x{row[0] / row[1]:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
