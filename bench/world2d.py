"""What the 2D street renderer costs: CPU-s per frame and frames/s per core, old paths against the new one.

    .venv/bin/python bench/world2d.py [-n 12] [--size 640x480] [--scene scenes/street.yaml] [--rounds 2] [--first]

Three renderers draw the same compiled Worlds (seed 0, samples 0..n-1), interleaved per frame over ``--rounds``
rounds, timed with ``time.process_time`` (CPU seconds of this process: fair on a shared machine):

- flat: the renderer before per-pixel shading (one Lambert + sky + lamps colour per triangle at its centre, kept
  here, not in the package) with the vectorised-numpy rasterizer it had;
- deferred/numpy: today's deferred shading (textures, shadow map, lamps, sensor) on the numpy rasterizer
  (:mod:`simvision.world.raster_ref`) and the numpy references of the shading kernels (``gbuffer_numpy``,
  ``lamp_rows_numpy``, ``ao_rows_numpy``, ``noise_numpy``, ``hash01_numpy``, textures with ``kernels_on=False``):
  the state before the kernels (less two small numpy savings that cannot be switched off: sky only at unhit
  pixels, materials per triangle);
- deferred/numba: the same with the numba kernels (:mod:`simvision.world.raster`,
  :mod:`simvision.render.shading_kernels`, :mod:`simvision.render.texture_kernels`), what the package runs.

Each includes the labels (``world_sample``, whose visible fractions rasterize every object again), as a generated
sample does. Prints CPU-s per frame and frames/s per core of each, and per stage: camera rasterization, shadow
map, G-buffer, shading without the shadow map, sensor, labels, the rest. ``--first`` also times, in fresh
processes, what the first frame costs over the next (numba import and its kernels loaded from the cache, or
compiled when the cache is empty).
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from simvision.render import sensor as sensor_mod  # noqa: E402
from simvision.render import shading, textures  # noqa: E402
from simvision.render import world2d as w2d  # noqa: E402
from simvision.render.world2d import _camera, _particles, rasterize_world, render_world_2d  # noqa: E402
from simvision.rng import rng_for  # noqa: E402
from simvision.sample import scene_canvas  # noqa: E402
from simvision.scene import load_scene  # noqa: E402
from simvision.scenes.street.generator import sample  # noqa: E402
from simvision.scenes.street.geometry import compile_world  # noqa: E402
from simvision.types import Sample  # noqa: E402
from simvision.world import labels, raster, raster_ref  # noqa: E402
from simvision.world.labels import fog_transmittance  # noqa: E402
from simvision.world.world import World  # noqa: E402


def _face_colours(world: World, tris: np.ndarray, obj_of: np.ndarray, slot_of: np.ndarray) -> np.ndarray:
    """The old shader: (T,3) linear radiance of every triangle, lit at its centre."""
    base, rough, emit = shading.triangle_materials(world, obj_of, slot_of)
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    centre = tris.mean(axis=1)
    n *= np.sign(np.einsum("ij,ij->i", n, np.asarray(world.camera.position) - centre))[:, None]
    w = world.weather
    up = np.clip(n[:, 2], 0, 1)
    if w.snow_cover > 0:
        snow = (up > 0.7) * w.snow_cover * 0.9
        base = base * (1 - snow[:, None]) + 0.85 * snow[:, None]
    if w.wetness > 0:
        base *= 1 - 0.45 * w.wetness * (up > 0.9)[:, None] * (rough[:, None] > 0.5)
    sky = shading.sky_colour(world)
    light = np.outer(0.55 + 0.45 * up, sky) * 1.2
    if world.sun.strength > 0:
        sdir = shading.sun_direction(world.sun.elevation_deg, world.sun.heading_deg)
        light += np.outer(np.clip(n @ sdir, 0, 1), np.array([1.0, 0.95, 0.88]) * world.sun.strength * 0.35)
    for lamp in world.lamps:
        d = np.asarray(lamp.position) - centre
        r2 = np.maximum(np.einsum("ij,ij->i", d, d), 0.25)
        cos = np.clip(np.einsum("ij,ij->i", n, d) / np.sqrt(r2), 0, 1)
        light += np.outer(cos * lamp.power_w / (4 * np.pi * r2) * 0.05, lamp.color)
    return base * light + emit


def render_flat(world: World) -> Sample:
    """The 2D renderer before per-pixel shading (same rasterizer, labels, camera pipeline and particles)."""
    tris, obj_of, slot_of, tri_map, depth, id_map = rasterize_world(world)
    cam = world.pinhole()
    hit = tri_map >= 0
    radiance = np.empty((cam.height, cam.width, 3))
    radiance[:] = shading.sky_colour(world)
    radiance[hit] = _face_colours(world, tris, obj_of, slot_of)[tri_map[hit]]
    if world.weather.fog_density > 0:
        t = fog_transmittance(world, depth)[..., None]
        radiance = radiance * t + shading.sky_colour(world) * 0.9 * (1 - t)
    image = _particles(world, _camera(world, radiance.astype(np.float32))[0])
    return w2d.world_sample(world, id_map, depth, image, {"engine": "2d"})


class Stopwatch:
    """CPU time spent inside wrapped functions, by name; :meth:`unwrap` puts the originals back."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.saved: list[tuple[object, str, object]] = []

    def wrap(self, module: object, name: str, label: str) -> None:
        fn = getattr(module, name)
        self.saved.append((module, name, fn))

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.process_time() - t0

        setattr(module, name, timed)

    def unwrap(self) -> None:
        for module, name, fn in reversed(self.saved):
            setattr(module, name, fn)
        self.saved.clear()


KERNELS = {  # (module, name): (numba kernel path, numpy reference)
    (w2d, "gbuffer"): (shading.gbuffer, shading.gbuffer_numpy),
    (shading, "lamp_rows"): (shading.lamp_rows, shading.lamp_rows_numpy),
    (shading, "ao_rows"): (shading.ao_rows, shading.ao_rows_numpy),
    (shading, "apply"): (textures.apply, functools.partial(textures.apply, kernels_on=False)),
    (shading, "noise"): (textures.noise, textures.noise_numpy),
    (textures, "noise"): (textures.noise, textures.noise_numpy),
    (textures, "hash01"): (textures.hash01, textures.hash01_numpy),
}


def use_rasterizer(impl: object) -> None:
    """Point the renderer's camera pass, shadow map, label coverage and shading (G-buffer, textures, noise,
    lamps, AO) at the numba kernels (``raster``) or the numpy code before them (``raster_ref``)."""
    w2d.rasterize = impl.rasterize
    shading.rasterize = impl.rasterize
    labels.coverage = impl.coverage
    for (module, name), fns in KERNELS.items():
        setattr(module, name, fns[impl is raster_ref])


def timed_frame(render: object, world: World, impl: object, watch: Stopwatch) -> float:
    """CPU-s of one frame of ``render`` on rasterizer ``impl``, its stages added to ``watch``."""
    use_rasterizer(impl)
    watch.wrap(w2d, "rasterize", "camera rasterization")
    watch.wrap(shading, "rasterize", "shadow map")
    watch.wrap(w2d, "gbuffer", "G-buffer")
    watch.wrap(w2d, "shade", "shading (incl. shadow map)")
    watch.wrap(w2d, "develop", "camera")
    watch.wrap(w2d, "world_sample", "labels")
    try:
        t0 = time.process_time()
        render(world)
        return time.process_time() - t0
    finally:
        watch.unwrap()
        use_rasterizer(raster)


FIRST = """
import time
t0 = time.process_time()
from pathlib import Path
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.render.world2d import render_world_2d
scene = load_scene(Path({scene!r})).with_size({size!r})
worlds = [compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene))) for i in (0, 1)]
t1 = time.process_time()
render_world_2d(worlds[0])
t2 = time.process_time()
render_world_2d(worlds[1])
t3 = time.process_time()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def first_frame(scene: Path, size: str) -> None:
    """Import + first frame against the second, in fresh processes: numba cache empty, then filled."""
    code = FIRST.format(scene=str(scene), size=size)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with tempfile.TemporaryDirectory() as cache:
        env["NUMBA_CACHE_DIR"] = cache
        for label in ("empty numba cache (compiles)", "numba cache filled"):
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            imp, first, second = (float(v) for v in out.stdout.split())
            print(
                f"  {label:30s} imports+worlds {imp:.2f}  first frame {first:.3f}  second {second:.3f} CPU-s"
                f"  (first - second: {first - second:+.3f})"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=12)
    ap.add_argument("--size", default="640x480")
    ap.add_argument(
        "--scene", type=Path, default=Path(__file__).resolve().parents[1] / "scenes" / "street.yaml"
    )
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--first", action="store_true", help="also time the first frame of a fresh process")
    args = ap.parse_args(argv)
    scene = load_scene(args.scene).with_size(args.size)
    worlds = [
        compile_world(sample(rng_for(0, i, "scene"), scene.params, scene_canvas(scene)))
        for i in range(args.n)
    ]
    print(
        f"# {platform.node()} {platform.processor() or platform.machine()}, load {Path('/proc/loadavg').read_text().split()[:3]}"
    )
    print(f"# {args.n} frames of {args.scene.name} at {args.size}, {args.rounds} rounds, CPU-s per frame")
    assert sensor_mod
    render_world_2d(worlds[0])  # numba kernels loaded (or compiled) before timing
    variants = {  # name: (renderer, rasterizer, what it is)
        "flat/numpy": (render_flat, raster_ref, "old flat shader, numpy rasterizer"),
        "deferred/numpy": (render_world_2d, raster_ref, "deferred shading, numpy rasterizer (before)"),
        "deferred/numba": (render_world_2d, raster, "deferred shading, numba rasterizer (now)"),
    }
    watches = {k: Stopwatch() for k in variants}
    spent: dict[str, list[float]] = {k: [] for k in variants}
    for _ in range(args.rounds):
        for world in worlds:
            for k, (render, impl, _) in variants.items():
                spent[k].append(timed_frame(render, world, impl, watches[k]))
    for k, v in spent.items():
        mean = float(np.mean(v))
        print(f"{k:16s} {mean:.3f} CPU-s/frame  {1 / mean:5.2f} frames/s per core   ({variants[k][2]})")
    frames = args.rounds * len(worlds)
    print(f"\n  {'stage, CPU-s/frame':30s}" + "".join(f"{k:>16s}" for k in variants))
    stages = [
        "camera rasterization",
        "shadow map",
        "G-buffer",
        "shading (excl. shadow map)",
        "camera",
        "labels",
    ]
    for stage in [*stages, "rest"]:
        row = []
        for k in variants:
            w = watches[k].spent
            if stage == "shading (excl. shadow map)":
                val = w.get("shading (incl. shadow map)", 0.0) - w.get("shadow map", 0.0)
            elif stage == "rest":
                val = sum(spent[k]) - sum(w.get(s, 0.0) for s in stages if s != "shading (excl. shadow map)")
                val -= w.get("shading (incl. shadow map)", 0.0) - w.get("shadow map", 0.0)
            else:
                val = w.get(stage, 0.0)
            row.append(val / frames)
        print(f"  {stage:30s}" + "".join(f"{v:16.3f}" for v in row))
    if args.first:
        print("\nfirst frame of a fresh process (deferred/numba):")
        first_frame(args.scene, args.size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
