"""What clip labels cost next to rendering: CPU-seconds per frame of a street clip, by phase.

    .venv/bin/python bench/clips.py [-n 2] [--frames 8] [--size 640x480] [--scene scenes/street_clips.yaml]
    .venv/bin/python bench/clips.py -n 1 --frames 300 --size 160x120   # memory over a long clip

Phases per frame: ``world`` (the World at frame f: movers carried, walkers re-posed), ``render`` (the 2D
projection), ``flow`` (forward and backward flow with occlusion, :mod:`simvision.world.flow`) and ``labels``
(tracks, positions, velocities, image velocities); per clip ``motion`` (sampling with the collision test). The
issue's budget: flow + labels <= 15% of render. Resident memory is sampled every frame: a clip streams (two frames
held), so it stays flat over long clips. CPU time (``time.process_time``): the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from simvision.clip import Frame, _flow, motion_labels
from simvision.registry import get_generator
from simvision.render.world2d import render_world_2d
from simvision.rng import rng_for
from simvision.runner import rss_mb
from simvision.sample import sample_spec
from simvision.scene import SequenceSettings, load_scene


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2, help="clips")
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--size", default="640x480")
    ap.add_argument("--scene", default="scenes/street_clips.yaml")
    ap.add_argument("--save", type=Path, default=None, help="write the numbers as JSON here")
    a = ap.parse_args()
    scene = load_scene(Path(a.scene)).with_size(a.size)
    scene = replace(scene, sequence=SequenceSettings(frames=a.frames, fps=scene.sequence.fps))
    kind = get_generator(scene.generator)
    t: dict[str, list[float]] = {"motion": [], "world": [], "render": [], "flow": [], "labels": []}
    rss: list[float] = []
    for i in range(a.n):
        spec = sample_spec(scene, 0, i)
        c = time.process_time()
        motion = kind.sample_motion(rng_for(0, i, "motion"), spec, a.frames, scene.sequence.fps)
        t["motion"].append(time.process_time() - c)
        at = kind.animate(spec, motion)
        prev: Frame | None = None
        first = None
        for f in range(a.frames + 1):
            c = time.process_time()
            state = at(f)
            t["world"].append(time.process_time() - c)
            first = first or state
            if prev is not None:
                c = time.process_time()
                motion_labels(prev, state, first, scene.sequence.fps)
                t["labels"].append(time.process_time() - c)
            if f == a.frames:
                break
            c = time.process_time()
            cur = Frame(f, state, render_world_2d(state.world))
            t["render"].append(time.process_time() - c)
            if prev is not None:
                c = time.process_time()
                prev.forward, cur.backward = _flow(prev, cur), _flow(cur, prev)
                t["flow"].append(time.process_time() - c)
            prev = cur
            rss.append(rss_mb())
    mean = {k: float(np.mean(v)) if v else 0.0 for k, v in t.items()}
    share = (mean["flow"] + mean["labels"]) / mean["render"]
    out = {
        "size": a.size,
        "clips": a.n,
        "frames": a.frames,
        "cpu_s_per_frame": {k: round(v, 4) for k, v in mean.items() if k != "motion"},
        "cpu_s_motion_per_clip": round(mean["motion"], 4),
        "flow_and_labels_share_of_render": round(share, 4),
        "rss_mb": {"after_frame_1": round(rss[0], 1), "max": round(max(rss), 1), "last": round(rss[-1], 1)},
    }
    print(json.dumps(out, indent=1))
    if a.save:
        a.save.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
