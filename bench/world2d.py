"""What per-pixel shading costs the 2D street renderer: CPU-s per frame against the old flat (per-triangle) shader.

    .venv/bin/python bench/world2d.py [-n 12] [--size 640x480] [--scene scenes/street.yaml] [--rounds 2]

Both renderers draw the same compiled Worlds (seed 0, samples 0..n-1), interleaved per frame over ``--rounds``
rounds, timed with ``time.process_time`` (CPU seconds of this process: fair on a shared machine). Each includes the
labels (``world_sample``), as a generated sample does. The reference is the renderer before issue 15: one Lambert +
sky + lamps colour per triangle at its centre (kept here, not in the package). Prints CPU-s per frame of each, the
ratio, and where the new renderer's time goes (rasterize, G-buffer + shading, sensor, labels), by frame kind.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from simvision.render import sensor as sensor_mod  # noqa: E402
from simvision.render import shading  # noqa: E402
from simvision.render.world2d import _particles, _tonemap, rasterize_world, render_world_2d  # noqa: E402
from simvision.rng import rng_for  # noqa: E402
from simvision.sample import scene_canvas  # noqa: E402
from simvision.scene import load_scene  # noqa: E402
from simvision.scenes.street.generator import sample  # noqa: E402
from simvision.scenes.street.geometry import compile_world  # noqa: E402
from simvision.types import Sample  # noqa: E402
from simvision.world import labels  # noqa: E402
from simvision.world.labels import fog_transmittance, world_sample  # noqa: E402
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
    """The 2D renderer before per-pixel shading (same rasterizer, labels, tonemap and particles)."""
    tris, obj_of, slot_of, tri_map, depth, id_map = rasterize_world(world)
    cam = world.pinhole()
    hit = tri_map >= 0
    radiance = np.empty((cam.height, cam.width, 3))
    radiance[:] = shading.sky_colour(world)
    radiance[hit] = _face_colours(world, tris, obj_of, slot_of)[tri_map[hit]]
    if world.weather.fog_density > 0:
        t = fog_transmittance(world, depth)[..., None]
        radiance = radiance * t + shading.sky_colour(world) * 0.9 * (1 - t)
    image = _particles(world, _tonemap(radiance, world.exposure))
    return world_sample(world, id_map, depth, image, {"engine": "2d"})


class Stopwatch:
    """CPU time spent inside wrapped functions, by name."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, module: object, name: str, label: str) -> None:
        fn = getattr(module, name)

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.process_time() - t0

        setattr(module, name, timed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=12)
    ap.add_argument("--size", default="640x480")
    ap.add_argument(
        "--scene", type=Path, default=Path(__file__).resolve().parents[1] / "scenes" / "street.yaml"
    )
    ap.add_argument("--rounds", type=int, default=2)
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
    import simvision.render.world2d as w2d

    watch = Stopwatch()
    watch.wrap(w2d, "rasterize", "rasterize (camera)")
    watch.wrap(w2d, "gbuffer", "G-buffer")
    watch.wrap(w2d, "shade", "shading (textures, shadow map, lights)")
    watch.wrap(w2d, "sensor", "sensor")
    watch.wrap(w2d, "world_sample", "labels")
    assert sensor_mod and labels
    flat, new = [], []
    for _ in range(args.rounds):
        for world in worlds:
            t0 = time.process_time()
            render_flat(world)
            t1 = time.process_time()
            render_world_2d(world)
            t2 = time.process_time()
            flat.append(t1 - t0)
            new.append(t2 - t1)
    f, s = float(np.mean(flat)), float(np.mean(new))
    print(f"flat per-triangle shading (before): {f:.3f} CPU-s/frame")
    print(f"per-pixel deferred shading (now):   {s:.3f} CPU-s/frame")
    print(f"ratio now / before: {s / f:.2f}x")
    total = len(new)
    for label, spent in watch.spent.items():
        print(f"  {label:40s} {spent / total:.3f} CPU-s/frame")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
