"""CPU-seconds per 2D street frame, by phase: sample the spec, compile the World, render it (one thread).

    .venv/bin/python bench/street_frame.py [-n 12] [--scene scenes/street.yaml] [--size 640x480] [--save DIR]

CPU time (``time.process_time``), not wall time: the machine is shared. Frames are seed 0, indices 0..n-1, so two
checkouts measured one after the other draw the same scene-file parameters (their specs differ where the code
does). ``--save`` writes each frame's image as a PNG to look at.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=12)
    ap.add_argument("--scene", default="scenes/street.yaml")
    ap.add_argument("--size", default="640x480")
    ap.add_argument("--save", type=Path, default=None)
    a = ap.parse_args()
    from simvision.render.world2d import render_world_2d

    scene = load_scene(Path(a.scene)).with_size(a.size)
    canvas = scene_canvas(scene)
    times = {"sample": [], "compile": [], "render": []}
    tris = []
    for i in range(a.n):
        t0 = time.process_time()
        spec = sample(rng_for(0, i, "scene"), scene.params, canvas)
        t1 = time.process_time()
        world = compile_world(spec)
        t2 = time.process_time()
        out = render_world_2d(world)
        t3 = time.process_time()
        for k, v in zip(times, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            times[k].append(v)
        tris.append(sum(len(o.mesh.faces) for o in world.objects))
        if a.save is not None:
            from PIL import Image

            a.save.mkdir(parents=True, exist_ok=True)
            Image.fromarray(np.asarray(out.image)).save(a.save / f"{i:03d}.png")
    total = sum(np.array(v) for v in times.values())
    print(f"{a.scene} {a.size} n={a.n}  triangles/frame median {int(np.median(tris))}")
    for k, v in times.items():
        print(f"  {k:8s} mean {np.mean(v):.3f} CPU-s")
    print(
        f"  total    mean {np.mean(total):.3f} CPU-s  median {np.median(total):.3f}  max {np.max(total):.3f}"
    )


if __name__ == "__main__":
    main()
