"""What a hand, handwriting and a stamp cost on a receipt: the same specs rendered with and without them.

For each index the scene's spec is sampled with the extras forced on (``look.hands``, ``look.stamp`` and
``look.handwriting`` at ``p: 1``, one hand and one stamp: ``max: 1``), and the bare twin is the same spec with
``hands=()``, ``stamps=()`` and ``handwriting=None`` (``model_copy``): same paper, print, font, placement,
augmentation plan; the printed blank Tip / Total / Signature lines a written tip goes on stay in both, so the only
difference is the hand, the pen and the stamp. Each twin is rendered (``render_spec`` with the scene's
augmentation plan for that index: it also marks the text left illegible, as ``render_sample`` does), written
(``write_entry``, COCO + YOLO, as ``bench/receipts.py`` counts a sample). Each extra alone is rendered too, to
show where the cost goes; the five twins of an index run back to back, their order rotated from index to index.
One thread, pinned to one core. Prints median CPU ms per sample of each, the ratio of the medians and the median
of the per-index ratios (issue 17's aim: all three <= 1.25x bare).
Usage: ``python bench/receipt_extras.py [-n 40] [--scene scenes/receipt.yaml ...] [--core 0]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.update({k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")})

import cv2  # noqa: E402

from simvision.augment.policy import sample_plan  # noqa: E402
from simvision.rng import rng_for, scene_key  # noqa: E402
from simvision.safe_yaml import load_yaml  # noqa: E402
from simvision.sample import render_spec, sample_name, sample_spec, scene_canvas, write_entry  # noqa: E402
from simvision.scene import Scene, default_scene_dir, parse_scene  # noqa: E402

EXTRAS_ON = {"hands": {"p": 1.0, "max": 1}, "stamp": {"p": 1.0, "max": 1}, "handwriting": {"p": 1.0}}


def with_extras(path: Path) -> Scene:
    """The scene file with every receipt given one hand, handwriting and one stamp (other knobs as written; the
    scene keeps its name, so its draws for an index are its own)."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    look = data.setdefault("params", {}).setdefault("look", {})
    for key, on in EXTRAS_ON.items():
        look[key] = {**(look.get(key) or {}), **on}
    return parse_scene(data, path.stem, str(path), base_dir=path.absolute().parent)


NONE = {"hands": (), "stamps": (), "handwriting": None}


def variants(spec: Any) -> dict[str, Any]:
    """The spec bare (no hands, stamps or handwriting), with each extra alone, and with all three."""
    one = {
        "hand": {**NONE, "hands": spec.hands},
        "handwriting": {**NONE, "handwriting": spec.handwriting},
        "stamp": {**NONE, "stamps": spec.stamps},
    }
    return {
        "bare": spec.model_copy(update=NONE),
        **{k: spec.model_copy(update=u) for k, u in one.items()},
        "all": spec,
    }


def timed(scene: Scene, spec: Any, index: int, out: Path) -> float:
    """CPU seconds to render ``spec`` as sample ``index`` (seed 0) of ``scene`` and write it."""
    t0 = time.process_time()
    plan = None
    stratum, edges = scene.conditions(0, index)
    augment = scene.augment_for(edges)
    if augment is not None:
        canvas = scene_canvas(scene)
        rng = rng_for(0, index, "augment", scene=scene_key(scene.name))
        plan = sample_plan(rng, augment, (canvas.height, canvas.width))
    s = render_spec(scene, spec, 0, index, plan)
    write_entry(out, s, sample_name(index), scene, ("coco", "yolo"))
    return time.process_time() - t0


def run(path: Path, n: int, warmup: int, tmp: Path) -> None:
    scene = with_extras(path)
    for i in range(warmup):  # fonts, glyphs, hand and stamp caches
        for twin in variants(sample_spec(scene, 0, 50_000 + i)).values():
            timed(scene, twin, 50_000 + i, tmp / "warm")
    cpu: dict[str, list[float]] = {}
    for i in range(n):
        spec = sample_spec(scene, 0, i)
        assert spec.hands and spec.stamps and spec.handwriting is not None, f"index {i}: extras missing"
        twins = list(variants(spec).items())
        k = i % len(twins)  # rotate the order, so no variant always runs first
        for name, twin in twins[k:] + twins[:k]:
            cpu.setdefault(name, []).append(timed(scene, twin, i, tmp / f"{scene.name}_{name}"))
    base = statistics.median(cpu["bare"])
    print(f"{scene.name} ({scene.image.width}x{scene.image.height}, {n} receipts), CPU ms/receipt:")
    for name, ts in cpu.items():
        per = statistics.median(a / b for a, b in zip(ts, cpu["bare"], strict=True))
        print(
            f"  {name:12s} median {1000 * statistics.median(ts):7.1f}  mean {1000 * statistics.mean(ts):7.1f}  "
            f"ratio of medians {statistics.median(ts) / base:5.2f}  median per-receipt ratio {per:5.2f}"
        )
    print("  aim: all <= 1.25x bare", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--scene", nargs="+", default=[str(default_scene_dir() / "receipt.yaml")])
    ap.add_argument("--core", type=int, default=0)
    args = ap.parse_args()
    os.sched_setaffinity(0, {args.core})
    cv2.setNumThreads(1)
    load = os.getloadavg()
    print(f"core {args.core} of {os.cpu_count()}, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for p in args.scene:
            run(Path(p), args.n, args.warmup, Path(tmp))


if __name__ == "__main__":
    main()
