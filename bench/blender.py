"""Blender street frames: beauty render, label pass and the whole pipeline against bare Cycles on the same scene,
plus peak memory of one long-lived worker over many frames.

    .venv/bin/python bench/blender.py [--frames-memory 200] [--denoise auto off on] [--weathers clear rain fog]

``--denoise``: each given setting is timed in the same process (``auto`` = the scene file's own setting, unset =
on below 64 samples), so the denoiser's cost reads off one run.

All timings are CPU-process times per frame (medians), taken in one process so the ratios compare like with like.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from simvision.render.blender import frame
from simvision.render.blender.session import bpy
from simvision.rng import rng_for
from simvision.sample import render_spec, scene_canvas, write_entry
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn) -> tuple[float, float]:  # noqa: ANN001
    c, w = cpu(), time.perf_counter()
    fn()
    return cpu() - c, time.perf_counter() - w


def bench_size(size: str, repeats: int, weather: str, denoise: str) -> dict:
    scene = load_scene(default_scene_dir() / "street.yaml").with_renderer("blender").with_size(size)
    if denoise != "auto":
        render = scene.render.model_copy(update={"denoise": denoise == "on"})
        scene = scene.__class__(**{**scene.__dict__, "render": render})
    settings = scene.render
    rows = {"bare_cycles": [], "beauty": [], "label_pass": [], "pipeline": []}
    out = Path(tempfile.mkdtemp(prefix="bench-blender-"))
    for i in range(repeats):
        spec = sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene))
        w = spec.weather.model_copy(
            update={
                "kind": weather,
                "particles": 1500 if weather == "rain" else 0,
                "wetness": 0.8 if weather == "rain" else 0.0,
                "fog_density": 0.03 if weather == "fog" else 0.0,
                "fog_height": 20.0 if weather == "fog" else 0.0,
            }
        )
        spec = spec.model_copy(update={"weather": w})
        world = compile_world(spec)
        # bare Cycles: the same scene, built once, rendered with nothing around it
        frame.build_scene(world, settings)
        rows["bare_cycles"].append(timed(frame._render)[0])
        # beauty render alone, then the label pass (weather hidden, 1 spp, flat override)
        hidden, _ = frame.build_scene(world, settings)
        rows["beauty"].append(timed(frame._render)[0])
        frame.label_pass_settings(hidden)
        rows["label_pass"].append(timed(frame._render)[0])

        # whole pipeline: build, beauty, label pass, read back, labels, encode and write every file
        def whole(spec=spec, i=i) -> None:  # noqa: ANN001
            s = render_spec(scene, spec, 0, i)
            write_entry(out, s, f"{i:06d}", scene, ("coco", "yolo"))

        rows["pipeline"].append(timed(whole)[0])
    med = {k: statistics.median(v) for k, v in rows.items()}
    return {
        "size": size,
        "weather": weather,
        "samples": settings.samples,
        "denoise": settings.denoised,
        "frames": repeats,
        "cpu_s_per_frame": {k: round(v, 3) for k, v in med.items()},
        "label_pass_vs_beauty": round(med["label_pass"] / med["beauty"], 3),
        "pipeline_overhead_vs_bare": round(med["pipeline"] / med["bare_cycles"] - 1, 3),
    }


def bench_memory(frames: int) -> dict:
    scene = load_scene(default_scene_dir() / "street.yaml").with_renderer("blender").with_size("160x120")
    scene = scene.__class__(**{**scene.__dict__, "render": scene.render.model_copy(update={"samples": 1})})
    rss = []
    for i in range(frames):
        spec = sample(rng_for(1, i, "scene"), scene.params, scene_canvas(scene))
        render_spec(scene, spec, 1, i)
        rss.append(rss_mb())
    k = max(1, frames // 10)
    first, last = statistics.mean(rss[k : 2 * k]), statistics.mean(rss[-k:])
    return {
        "frames": frames,
        "rss_mb_after_frame": {
            "10%": round(first, 1),
            "last 10%": round(last, 1),
            "peak": round(max(rss), 1),
        },
        "growth": round(last / first - 1, 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--frames-memory", type=int, default=200)
    ap.add_argument("--sizes", nargs="+", default=["320x240", "640x480"])
    ap.add_argument("--weathers", nargs="+", default=["clear", "rain"], choices=["clear", "rain", "fog"])
    ap.add_argument("--denoise", nargs="+", default=["auto"], choices=["auto", "on", "off"])
    ap.add_argument("--out", default="bench/results/blender.json")
    args = ap.parse_args()
    bpy()
    report = {"blender": bpy().app.version_string, "device": "CPU", "runs": []}
    for size in args.sizes:
        for weather in args.weathers:
            for denoise in args.denoise:
                report["runs"].append(bench_size(size, args.repeats, weather, denoise))
            print(json.dumps(report["runs"][-1]), flush=True)
    if args.frames_memory:
        report["memory"] = bench_memory(args.frames_memory)
        print(json.dumps(report["memory"]), flush=True)
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
