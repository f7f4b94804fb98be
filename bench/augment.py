"""Each degradation effect against its closest peer, in this one process, on the same 800x1600 receipt page.

Every effect registered in ``EFFECTS`` at run time is measured (one asked for but not registered is skipped). Its
params are sampled once from its default config with ``np.random.default_rng(k)``, ``k`` = CRC-32 of its name (the
same params whichever effects are selected). ``effect.apply(target, params)`` and each peer's call then run in turn,
interleaved, so load on a shared machine falls on all of them alike: one warm-up each, ``--runs`` timed calls per
round, ``--rounds`` rounds; the tables give medians and the ratio peer / ours (> 1: ours is faster).

Peers: albumentations 2.0.8 transforms, geometric ones with the id maps as ``masks=`` (nearest) and, in a second
row, also every polygon point as ``keypoints=`` (what our effects carry); Augraphy 8.2.6 augmentations, image only.
Augraphy is optional: without it its columns read n/a. Where ``bench/floors.py`` has a floor for an effect (the
kernels any implementation of it must run, timed alone), it is a row too, and ``bounds`` gives peer ms / floor ms: the
largest ratio any implementation could reach against that peer. A second table times each geometric effect with all labels,
without polygons and without maps and polygons: what exact label carrying costs.

Usage: ``python bench/augment.py [--runs 7] [--rounds 3] [--effects wrinkle fold ...] [--no-label-cost] [--clock cpu]
[--json bench/results/augment.json] [--note TEXT]``; ``--json`` also writes the tables, the machine and versions as JSON.
``make bench-augment`` runs it in ``.venv-bench``, which has Augraphy (see ``bench/README.md``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random  # noqa: TID251 - Augraphy draws from the global RNGs; seeding them makes its draws repeatable
import socket
import statistics
import subprocess
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import albumentations as A
import cv2
import numpy as np
from albumentations.augmentations.geometric import functional as fgeo
from floors import FLOORS  # bench/floors.py (bench/ is on sys.path when this file runs as a script)

import simvision
from simvision.augment.base import Effect, Params
from simvision.augment.effects import EFFECTS
from simvision.augment.target import Target, target_from_sample
from simvision.scene import default_scene_dir

PAGE = (800, 1600)  # width, height
ELASTIC_SIGMA = 50.0  # albumentations' default, and the setting in shared/MEASURED.md
Call = Callable[[], object]
Prepare = Callable[[Target, Params], tuple[Call, Call]]  # -> (the call to time, re-seed before each call)


@dataclass(frozen=True)
class Peer:
    name: str
    library: str  # "albumentations" or "augraphy"
    labels: str  # what the peer carries along with the image
    prepare: Prepare
    slow: bool = False  # seconds per call: timed in the first round only


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, seconds: float) -> None:
        self.samples.setdefault(key, []).append(seconds)

    def ms(self, key: str) -> float | None:
        s = self.samples.get(key)
        return 1000 * statistics.median(s) if s else None

    def text(self, key: str) -> str:
        return self.errors.get(key) or fmt(self.ms(key))


def fmt(ms: float | None) -> str:
    return "n/a" if ms is None else (f"{ms:.1f}" if ms < 100 else f"{ms:.0f}")


def error_text(exc: Exception) -> str:
    return f"error: {type(exc).__name__}: {exc}".splitlines()[0][:70]


# ---------------------------------------------------------------- the page


def build_page() -> Target:
    scene = simvision.load_scene(default_scene_dir() / "receipt.yaml")
    scene = replace(scene, image=scene.image.model_copy(update={"width": PAGE[0], "height": PAGE[1]}))
    return target_from_sample(simvision.render_sample(scene, 0, 0))


def polygon_points(t: Target) -> np.ndarray:
    """All polygon points of the page as one (N, 2) array: the keypoints an albumentations peer carries."""
    polys = [q for q in t.polygons if q is not None]
    return np.concatenate(polys).astype(np.float32) if polys else np.zeros((0, 2), np.float32)


def without_labels(t: Target, layers: int) -> Target:
    h, w = t.shape
    return t.with_(maps=np.zeros((layers, h, w), np.int32), polygons=())


# ---------------------------------------------------------------- peers


def albu_geometric(make: Callable[[Target, Params], A.BasicTransform], points: bool = False) -> Prepare:
    """Image + every id map (``masks=``, nearest) through one Compose; with ``points`` also every polygon point
    (``keypoints=``), which is what our effects carry."""

    def prepare(t: Target, p: Params) -> tuple[Call, Call]:
        kp = A.KeypointParams(format="xy", remove_invisible=False) if points else None
        compose = A.Compose([make(t, p)], keypoint_params=kp, seed=0)
        data: dict[str, np.ndarray] = {"image": t.image, "masks": t.maps}
        if points:
            data["keypoints"] = polygon_points(t)
        return lambda: compose(**data), lambda: compose.set_random_seed(0)

    return prepare


def albu_image(make: Callable[[Target, Params], A.BasicTransform]) -> Prepare:
    def prepare(t: Target, p: Params) -> tuple[Call, Call]:
        compose = A.Compose([make(t, p)], seed=0)
        return lambda: compose(image=t.image), lambda: compose.set_random_seed(0)

    return prepare


def augraphy(name: str, **kwargs: Any) -> Prepare:
    """An Augraphy augmentation by class name, forced on, image only (its mask path is 3-7x slower and snaps
    linearly warped ids to the nearest id, see shared/MEASURED.md)."""

    def prepare(t: Target, p: Params) -> tuple[Call, Call]:
        import augraphy as ag  # optional; imported only once it is known to be installed

        aug = getattr(ag, name)(**kwargs)

        def reseed() -> None:
            random.seed(0)
            np.random.seed(0)  # noqa: NPY002, TID251 - Augraphy's own draws use the global numpy RNG

        return lambda: aug(t.image, force=True), reseed

    return prepare


def elastic_alpha(shape: tuple[int, int], amplitude: float) -> float:
    """albumentations' alpha at which its largest displacement (sigma 50) equals ``amplitude`` px."""
    dx, dy = fgeo.generate_displacement_fields(
        shape, 1.0, ELASTIC_SIGMA, False, (0, 0), np.random.default_rng(0), "gaussian"
    )
    return amplitude / max(float(np.abs(dx).max()), float(np.abs(dy).max()), 1e-9)


def elastic(t: Target, p: Params) -> A.BasicTransform:
    """Elastic at sigma 50, as strong as the wrinkle; keypoints by the 'direct' inverse map ('mask' draws and
    searches one full-frame mask per point)."""
    alpha = elastic_alpha(t.shape, p["amplitude"])
    return A.ElasticTransform(alpha=alpha, sigma=ELASTIC_SIGMA, keypoint_remapping_method="direct", p=1)


def optical(t: Target, p: Params) -> A.BasicTransform:
    """The same radial k in albumentations' camera model (which our lens uses for its maps)."""
    return A.OpticalDistortion(
        distort_limit=(p["k"], p["k"]), mode="camera", keypoint_remapping_method="direct", p=1
    )


def white_range(p: Params) -> tuple[int, int]:
    """PlanckianJitter's range must contain its white point (6000 K blackbody, 6500 K CIED): span ours to it."""
    white = 6000 if p["mode"] == "blackbody" else 6500
    return min(p["temperature"], white), max(p["temperature"], white)


AREA_LINEAR = {"downscale": cv2.INTER_AREA, "upscale": cv2.INTER_LINEAR}  # what our downscale uses
ALBU_IDS = "ids only (nearest)"
ALBU_POINTS = "yes: ids (nearest) + points"
IMAGE_ONLY = "no: image only"
PHOTOMETRIC = "n/a: photometric"
FLOOR = "bound: kernels only (bench/floors.py)"


def peers() -> dict[str, list[Peer]]:
    """Closest peer(s) per effect name; params are translated from ours where the peer has the same knob."""
    al, ag = "albumentations", "augraphy"
    return {
        "wrinkle": [
            Peer("ElasticTransform s=50", al, ALBU_IDS, albu_geometric(elastic)),
            Peer("ElasticTransform s=50 +points", al, ALBU_POINTS, albu_geometric(elastic, points=True), slow=True),
            Peer("NoiseTexturize", ag, IMAGE_ONLY, augraphy("NoiseTexturize")),
        ],
        "fold": [Peer("Folding", ag, IMAGE_ONLY, lambda t, p: augraphy("Folding", fold_count=len(p["folds"]))(t, p))],
        "curl": [Peer("BookBinding", ag, IMAGE_ONLY, augraphy("BookBinding", use_cache_images=0))],
        "ink_bleed": [Peer("InkBleed", ag, PHOTOMETRIC, augraphy("InkBleed"))],
        "thermal_fade": [
            Peer("InkMottling", ag, PHOTOMETRIC, augraphy("InkMottling")),
            Peer("LowInkRandomLines", ag, PHOTOMETRIC, augraphy("LowInkRandomLines")),
        ],
        "stain": [Peer("Stains", ag, PHOTOMETRIC, augraphy("Stains"))],
        "torn_edge": [
            Peer("CoarseDropout strip", al, "yes: ids cleared (fill_mask=0)", albu_geometric(
                lambda t, p: A.CoarseDropout(
                    num_holes_range=(1, 1), hole_height_range=(p["depth"], p["depth"]),
                    hole_width_range=(1.0, 1.0), fill_mask=0, p=1))),
        ],
        "camera": [
            Peer("Perspective", al, ALBU_IDS, albu_geometric(lambda t, p: A.Perspective(p=1))),
            Peer("Perspective +points", al, ALBU_POINTS, albu_geometric(lambda t, p: A.Perspective(p=1), points=True)),
        ],
        "lens": [
            Peer("OpticalDistortion", al, ALBU_IDS, albu_geometric(optical)),
            Peer("OpticalDistortion +points", al, ALBU_POINTS, albu_geometric(optical, points=True), slow=True),
        ],
        "lighting_gradient": [Peer("LightingGradient", ag, PHOTOMETRIC, augraphy("LightingGradient"))],
        "color_temperature": [
            Peer("PlanckianJitter", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.PlanckianJitter(mode=p["mode"], temperature_limit=white_range(p), p=1))),
        ],
        "shadow": [Peer("ShadowCast", ag, PHOTOMETRIC, augraphy("ShadowCast"))],
        "glare": [
            Peer("RandomSunFlare", al, PHOTOMETRIC, albu_image(lambda t, p: A.RandomSunFlare(p=1))),
            Peer("ReflectedLight", ag, PHOTOMETRIC, augraphy("ReflectedLight")),
        ],
        "gaussian_blur": [
            Peer("GaussianBlur", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.GaussianBlur(blur_limit=0, sigma_limit=(p["sigma"], p["sigma"]), p=1))),
        ],
        "motion_blur": [
            Peer("MotionBlur", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.MotionBlur(blur_limit=(p["length"] | 1, p["length"] | 1), p=1))),
        ],
        "defocus": [
            Peer("Defocus", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.Defocus(
                    radius=(p["radius"], p["radius"]), alias_blur=(p["alias_blur"], p["alias_blur"]), p=1))),
        ],
        "gaussian_noise": [
            Peer("GaussNoise", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.GaussNoise(std_range=(p["sigma"] / 255, p["sigma"] / 255), p=1))),
        ],
        "shot_noise": [
            Peer("ShotNoise", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.ShotNoise(scale_range=(p["scale"], p["scale"]), p=1))),
        ],
        "jpeg": [
            Peer("ImageCompression", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.ImageCompression(quality_range=(p["quality"], p["quality"]), p=1))),
        ],
        "downscale": [
            Peer("Downscale", al, PHOTOMETRIC, albu_image(
                lambda t, p: A.Downscale(scale_range=(p["scale"], p["scale"]), interpolation_pair=AREA_LINEAR, p=1))),
        ],
    }  # fmt: skip


def with_floors(table: dict[str, list[Peer]]) -> dict[str, list[Peer]]:
    """Each effect's peers plus, where bench/floors.py has one, its floor: the kernels any implementation must run
    (the fastest an effect can be, so peer ms / floor ms bounds the ratio any implementation can reach)."""
    out = {k: list(v) for k, v in table.items()}
    for name, (what, make) in FLOORS.items():
        out.setdefault(name, []).append(
            Peer(what, "floor", FLOOR, lambda t, p, make=make: (make(t, p), lambda: None))
        )
    return out


# ---------------------------------------------------------------- timing


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


@dataclass(frozen=True)
class Schedule:
    runs: int  # timed calls per round, after one warm-up
    rounds: int  # passes over every effect; medians pool all of them
    clock: Callable[[], float]  # process_time: CPU time, which other work on the machine does not inflate


def time_interleaved(calls: dict[str, tuple[Call, Call]], sched: Schedule, timings: Timings) -> None:
    """``sched.runs`` calls of each in turn (re-seeded, untimed, before each), so that load on a shared machine
    falls on all of them alike. A key already in ``timings.errors`` is left out."""
    calls = {k: v for k, v in calls.items() if k not in timings.errors}
    for key, (call, reseed) in list(calls.items()):
        if key in timings.samples:
            continue
        try:  # warm-up (imports, numba compilation, caches); a call that fails is reported, not timed
            reseed()
            call()
        except Exception as exc:  # effects and peers change under us; report and go on
            timings.errors[key] = error_text(exc)
            del calls[key]
    for _ in range(sched.runs):
        for key, (call, reseed) in calls.items():
            reseed()
            t0 = sched.clock()
            call()
            timings.add(key, sched.clock() - t0)


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """Refuse every connection while timing: a peer that tries to download (fonts, textures) fails loudly."""
    real = socket.socket.connect

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("bench/augment.py: network access refused while benchmarking")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = real  # type: ignore[method-assign]


def have_augraphy() -> bool:
    try:
        import augraphy  # noqa: F401
    except ImportError:
        return False
    return True


def code_version() -> str:
    """The commit measured, and whether ``simvision/augment`` had uncommitted changes (the effects move fast)."""
    root = Path(__file__).resolve().parents[1]  # the checkout (scene files live in the package now)

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "simvision/augment")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"{head}" + (" + uncommitted changes in simvision/augment" if dirty else "")


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on: platform, CPU model and count, memory, Python."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "arch": platform.machine(),
        "cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
    }
    with contextlib.suppress(OSError):
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu_model"] = next(
            (ln.split(":", 1)[1].strip() for ln in cpu.splitlines() if "model name" in ln), None
        )
    with contextlib.suppress(OSError, StopIteration, ValueError):
        mem = Path("/proc/meminfo").read_text().splitlines()
        info["memory_gib"] = round(
            int(next(ln for ln in mem if ln.startswith("MemTotal")).split()[1]) / 2**20, 1
        )
    return info


# ---------------------------------------------------------------- the two tables


def effect_params(effects: list[Effect], shape: tuple[int, int]) -> dict[str, Params]:
    return {
        e.name: e.sample(np.random.default_rng(zlib.crc32(e.name.encode())), e.config(), shape)
        for e in effects
    }


def peer_table(
    t: Target, effects: list[Effect], sched: Schedule, with_augraphy: bool, records: list[dict] | None = None
) -> list[list[str]]:
    """The peer table as text rows; with ``records``, also one dict per row (numbers in ms) appended to it."""
    table = with_floors(peers())
    params = effect_params(effects, t.shape)
    timings = Timings()
    calls: dict[str, dict[str, tuple[Call, Call]]] = {}
    slow: set[str] = set()
    for e in effects:
        calls[e.name] = {e.name: (lambda e=e: e.apply(t, params[e.name]), lambda: None)}
        for peer in table.get(e.name, []):
            key = f"{e.name}/{peer.name}"
            if peer.library == "augraphy" and not with_augraphy:
                continue
            if peer.slow:
                slow.add(key)
            try:
                calls[e.name][key] = peer.prepare(t, params[e.name])
            except Exception as exc:  # a peer that cannot take our params is reported, not fatal
                timings.errors[key] = error_text(exc)
    for r in range(sched.rounds):
        for e in effects:
            time_interleaved(
                {k: c for k, c in calls[e.name].items() if r == 0 or k not in slow}, sched, timings
            )
    rows = []
    for e in effects:
        ours = timings.ms(e.name)
        ours_text = timings.text(e.name)
        kind = "geometric" if e.geometric else "photometric"
        if e.name not in table:
            rows.append([e.name, kind, ours_text, "(no peer)", "", "", ""])
            if records is not None:
                records.append(
                    {"effect": e.name, "kind": kind, "ours_ms": ours, "error": timings.errors.get(e.name)}
                )
        for peer in table.get(e.name, []):
            key = f"{e.name}/{peer.name}"
            peer_ms = timings.ms(key)
            ratio = f"{peer_ms / ours:.2f}x" if peer_ms is not None and ours else "n/a"
            labels = peer.labels if peer_ms is not None else "n/a"
            name = f"{peer.library} {peer.name}" + ("†" if peer.slow and sched.rounds > 1 else "")
            rows.append([e.name, kind, ours_text, name, timings.text(key), ratio, labels])
            if records is not None:
                records.append({
                    "effect": e.name, "kind": kind, "ours_ms": ours, "peer": f"{peer.library} {peer.name}",
                    "peer_ms": peer_ms, "ratio": peer_ms / ours if peer_ms is not None and ours else None,
                    "peer_labels": labels, "peer_calls": len(timings.samples.get(key, [])),
                    "error": timings.errors.get(key) or timings.errors.get(e.name),
                })  # fmt: skip
    return rows


def bounds(records: list[dict]) -> list[dict]:
    """For each effect with a floor row: each other peer's ms over the floor's ms (the best ratio reachable)."""
    out = []
    for floor in (r for r in records if r.get("peer", "").startswith("floor ") and r.get("peer_ms")):
        for r in records:
            if r["effect"] == floor["effect"] and r is not floor and r.get("peer_ms") and r.get("ours_ms"):
                out.append({
                    "effect": r["effect"], "peer": r["peer"], "floor": floor["peer"], "bound": r["peer_ms"] / floor["peer_ms"],
                    "ours": r["peer_ms"] / r["ours_ms"], "ours_over_floor": r["ours_ms"] / floor["peer_ms"],
                })  # fmt: skip
    return out


def label_cost_table(
    t: Target, effects: list[Effect], sched: Schedule, records: list[dict] | None = None
) -> tuple[list[list[str]], bool]:
    """Geometric effects with all labels, without polygons, and without maps and polygons. An apply that needs at
    least one map layer gets one zero layer; the cost of all ``L`` layers is then scaled from the ``L - 1`` that
    were removed (flagged with ``*``). With ``records``, one dict per row (ms) is appended to it."""
    params = effect_params(effects, t.shape)
    layers = len(t.maps)
    timings = Timings()
    fallback: dict[str, bool] = {}
    calls: dict[str, dict[str, tuple[Call, Call]]] = {}
    for e in effects:
        p = params[e.name]
        try:
            e.apply(without_labels(t, 0), p)
            fallback[e.name] = False
        except Exception:  # e.g. np.stack of zero map layers
            fallback[e.name] = True
        bare = without_labels(t, 1 if fallback[e.name] else 0)
        calls[e.name] = {
            f"{e.name}/full": (lambda e=e, p=p: e.apply(t, p), lambda: None),
            f"{e.name}/nopoly": (lambda e=e, p=p: e.apply(t.with_(polygons=()), p), lambda: None),
            f"{e.name}/bare": (lambda e=e, p=p, bare=bare: e.apply(bare, p), lambda: None),
        }
    for _ in range(sched.rounds):
        for e in effects:
            time_interleaved(calls[e.name], sched, timings)
    rows = []
    for e in effects:
        full, nopoly, bare = (timings.ms(f"{e.name}/{k}") for k in ("full", "nopoly", "bare"))
        if full is None or nopoly is None or bare is None:
            errors = [timings.errors[k] for k in calls[e.name] if k in timings.errors]
            rows.append([e.name, *["n/a"] * 6, errors[0] if errors else ""])
            continue
        polys = full - nopoly
        maps = (nopoly - bare) * layers / max(layers - 1, 1) if fallback[e.name] else nopoly - bare
        flag = "*" if fallback[e.name] else ""
        rows.append([
            e.name, fmt(full), fmt(nopoly), fmt(bare) + flag, fmt(polys), fmt(maps) + flag,
            fmt(polys + maps) + flag, f"{100 * (polys + maps) / full:.0f}%",
        ])  # fmt: skip
        if records is not None:
            records.append({
                "effect": e.name, "full_ms": full, "no_polygons_ms": nopoly, "no_labels_ms": bare,
                "polygons_ms": polys, "maps_ms": maps, "labels_share": (polys + maps) / full,
                "one_zero_layer_kept": fallback[e.name],
            })  # fmt: skip
    return rows, any(fallback.values())


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="timed calls per round, after one warm-up")
    ap.add_argument("--rounds", type=int, default=3, help="passes over all effects; medians pool every pass")
    ap.add_argument("--effects", nargs="*", help="only these effects (default: every registered one)")
    ap.add_argument("--no-label-cost", action="store_true", help="skip the with/without labels table")
    ap.add_argument(
        "--clock", choices=list(CLOCKS), default="wall", help="wall: perf_counter; cpu: process_time"
    )
    ap.add_argument("--json", type=Path, help="also write the tables, machine and versions to this JSON file")
    ap.add_argument("--note", default="", help="free text stored in the JSON (what was measured, and why)")
    args = ap.parse_args()
    load_start = os.getloadavg()
    sched = Schedule(args.runs, args.rounds, CLOCKS[args.clock])

    os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # before Augraphy imports numba
    cv2.setNumThreads(1)
    wanted = args.effects or list(EFFECTS)
    missing = [n for n in wanted if n not in EFFECTS]
    effects = [EFFECTS[n] for n in wanted if n in EFFECTS]
    with_augraphy = have_augraphy()

    t = build_page()
    h, w = t.shape
    print(f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs "
          f"({len(os.sched_getaffinity(0))} usable), python {platform.python_version()}")  # fmt: skip
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"versions: numpy {np.__version__}, opencv {cv2.__version__}, albumentations {version('albumentations')}, "
        f"augraphy {version('augraphy')}"
    )
    print(f"code: {code_version()}")
    print(
        f"page: {w}x{h} receipt (scene receipt.yaml, seed 0, index 0), {len(t.maps)} id-map layers, "
        f"{sum(q is not None for q in t.polygons)} polygons / {len(polygon_points(t))} points; one thread "
        f"(cv2.setNumThreads(1), NUMBA_NUM_THREADS={os.environ['NUMBA_NUM_THREADS']})"
    )
    print(f"timing: {args.clock} clock ({sched.clock.__name__}), median of {args.runs * args.rounds} calls "
          f"({args.rounds} round(s) x {args.runs}), ours and its peers interleaved, after one warm-up each")  # fmt: skip
    print("params: each effect's default config, sampled once with np.random.default_rng(crc32(name))")
    if missing:
        print(f"skipped (not in EFFECTS): {', '.join(missing)}")
    if not with_augraphy:
        print("augraphy is not installed: its peers read n/a (make bench-augment installs it in .venv-bench)")
    print()

    peer_records: list[dict] = []
    label_records: list[dict] = []
    json_path = args.json.resolve() if args.json else None  # before the chdir below
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp), no_network():
        rows = peer_table(t, effects, sched, with_augraphy, peer_records)
        bound_records: list[dict] = []
        print(
            "ratio = peer ms / our ms (> 1: ours is faster). Ours: geometric effects move ids + polygons exactly."
        )
        print_table(["effect", "kind", "ours ms", "peer", "peer ms", "ratio", "peer carries labels"], rows)
        if args.rounds > 1 and any("†" in row[3] for row in rows):
            print(f"† seconds per call: timed in the first round only ({args.runs} calls)")
        bound_records = bounds(peer_records)
        if bound_records:
            print(
                "\nbounds: peer ms / floor ms = the most any implementation can beat that peer by on this page"
            )
            for b in bound_records:
                print(f"  {b['effect']}: {b['peer']} / floor = {b['bound']:.1f}x (ours {b['ours']:.1f}x; "
                      f"ours takes {b['ours_over_floor']:.1f}x the floor)")  # fmt: skip
        geometric = [e for e in effects if e.geometric]
        if geometric and not args.no_label_cost:
            print()
            print(f"Cost of exact labels (geometric effects; {len(t.maps)} map layers, "
                  f"{sum(q is not None for q in t.polygons)} polygons):")  # fmt: skip
            label_rows, flagged = label_cost_table(t, geometric, sched, label_records)
            print_table(
                ["effect", "full ms", "no polygons", "no labels", "polygons", "maps", "labels", "share"],
                label_rows,
            )
            if flagged:
                print(
                    "* apply needs >= 1 map layer: 'no labels' keeps one zero layer; 'maps' is scaled from the "
                    f"{len(t.maps) - 1} removed layer(s) to all {len(t.maps)}"
                )
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if json_path is not None:
        result = {
            "note": args.note,
            "machine": machine_info(),
            "load_average": {"start": list(load_start), "end": list(os.getloadavg())},
            "versions": {
                "numpy": np.__version__,
                "opencv": cv2.__version__,
                "albumentations": version("albumentations"),
                "augraphy": version("augraphy"),
            },
            "code": code_version(),
            "page": {
                "size": [w, h],
                "scene": "receipt.yaml, seed 0, index 0",
                "map_layers": len(t.maps),
                "polygons": sum(q is not None for q in t.polygons),
                "polygon_points": len(polygon_points(t)),
            },
            "timing": {
                "clock": args.clock,
                "runs": args.runs,
                "rounds": args.rounds,
                "statistic": "median",
                "threads": 1,
                "slow_peers": "timed in the first round only",
            },
            "skipped": missing,
            "peers": peer_records,
            "bounds": bound_records,
            "label_cost": label_records,
        }
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=1) + "\n")
        print(f"written: {json_path}")


if __name__ == "__main__":
    main()
