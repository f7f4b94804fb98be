"""Speed and memory of ``simvision compare``: image statistics per image on one core, and a whole comparison.

    .venv/bin/python bench/compare.py [-n 200] [--size 640x480] [--json out.json]
    .venv/bin/python bench/compare.py --scenes -n 12     # also: street vs street (seed 0/1) vs street_night_rain

Fabricates ``n`` photo-like JPEGs (gradient, boxes, noise; q85) and ``n`` flat PNG renders at ``--size`` with COCO
labels (seeded), then times per image: decode, ``prepare`` (crop + resize to the working size) and each statistics
group, against a reference (decode + resize alone: what any pipeline pays). Then the whole ``compare`` of the two
sets (load, statistics, classifier, diversity, HTML), its wall time and the process's peak RSS. Aim: <= 5 ms of
statistics per image on one core. ``--scenes`` renders small street sets and prints the AUCs (minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from simvision.compare import features as F
from simvision.compare.imagestats import SIZE, colour_hist, jpeg_quality
from simvision.compare.run import compare


def fabricate(root: Path, style: str, n: int, size: tuple[int, int]) -> Path:
    w, h = size
    (root / "images").mkdir(parents=True)
    doc: dict = {"images": [], "annotations": [], "categories": [{"id": 1, "name": "car"}]}
    for i in range(n):
        rng = np.random.default_rng([i, style == "photo"])
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        img = np.stack([120 + 60 * yy / h, 100 + 50 * xx / w, np.full_like(xx, 110)], -1)
        for _ in range(int(rng.integers(2, 8))):
            bw, bh = rng.uniform(0.05, 0.3) * w, rng.uniform(0.05, 0.3) * h
            x, y = rng.uniform(0, w - bw), rng.uniform(0, h - bh)
            img[int(y) : int(y + bh), int(x) : int(x + bw)] = rng.uniform(20, 235, 3)
            doc["annotations"].append(
                {
                    "id": len(doc["annotations"]) + 1,
                    "image_id": i + 1,
                    "category_id": 1,
                    "bbox": [x, y, bw, bh],
                }
            )
        if style == "photo":
            img = img + rng.normal(0, 4, img.shape)
        name = f"images/{i:05d}.{'jpg' if style == 'photo' else 'png'}"
        params = [cv2.IMWRITE_JPEG_QUALITY, 85] if style == "photo" else []
        cv2.imwrite(str(root / name), np.clip(img, 0, 255).astype(np.uint8), params)
        doc["images"].append({"id": i + 1, "file_name": name, "width": w, "height": h})
    (root / "coco.json").write_text(json.dumps(doc))
    return root / "coco.json"


def per_image(paths: list[Path]) -> dict[str, float]:
    """Median CPU ms per image of each step, one thread."""
    steps: dict[str, list[float]] = {}

    def timed(name: str, fn: Callable, *a):  # noqa: ANN202, ANN002
        t = time.process_time()  # CPU time: a shared machine's wall clock counts other people's work
        r = fn(*a)
        steps.setdefault(name, []).append((time.process_time() - t) * 1000)
        return r

    for p in paths:
        data = timed("read file", p.read_bytes)
        bgr = timed("decode", cv2.imdecode, np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        small = timed("prepare (crop, resize)", F.prepare, bgr, SIZE)
        rgb = timed("to RGB", cv2.cvtColor, small, cv2.COLOR_BGR2RGB)
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        timed("colour", F.colour_features, rgb)
        for g in F.GREY_GROUPS:
            timed(g.__name__.removesuffix("_features"), g, grey)
        timed("colour histograms", colour_hist, rgb)
        timed("jpeg quality", jpeg_quality, data)
    med = {k: float(np.median(v)) for k, v in steps.items()}
    med["statistics (all after decode)"] = sum(v for k, v in med.items() if k not in ("read file", "decode"))
    return med


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=200, help="images per set")
    ap.add_argument("--size", default="640x480")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--scenes", action="store_true", help="also compare rendered street sets")
    args = ap.parse_args()
    cv2.setNumThreads(1)  # one core
    size = tuple(int(v) for v in args.size.split("x"))
    res: dict = {"n": args.n, "size": list(size), "working_size": list(SIZE)}
    with tempfile.TemporaryDirectory() as tmp:
        real = fabricate(Path(tmp) / "real", "photo", args.n, size)
        synth = fabricate(Path(tmp) / "synth", "render", args.n, size)
        sample = sorted((Path(tmp) / "real" / "images").iterdir())[:50]
        sample += sorted((Path(tmp) / "synth" / "images").iterdir())[:50]
        res["ms_per_image"] = per_image(sample)
        t, c = time.perf_counter(), time.process_time()
        n = compare(synth, real, max_images=None)
        res["compare_wall_s"] = time.perf_counter() - t
        res["compare_cpu_s"] = time.process_time() - c
        res["compare_cpu_ms_per_image"] = res["compare_cpu_s"] * 1000 / (2 * args.n)
        res["auc_fabricated"] = n["images"]["classifier"]["auc"]
        if args.scenes:
            res["scenes"] = scenes(Path(tmp), args.n)
    res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for k, v in res["ms_per_image"].items():
        print(f"{k:32s} {v:8.2f} ms")
    rest = {k: v for k, v in res.items() if k != "ms_per_image"}
    print(json.dumps(rest, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


def scenes(tmp: Path, n: int) -> dict[str, float]:
    """AUC of street (seed 1) and street_night_rain against street (seed 0), rendered at 160x120."""
    from simvision.pipeline import generate
    from simvision.scene import default_scene_dir, load_scene

    made = {}
    for name, file, seed in (
        ("day0", "street.yaml", 0),
        ("day1", "street.yaml", 1),
        ("night", "street_night_rain.yaml", 0),
    ):
        scene = load_scene(default_scene_dir() / file).with_size("160x120")
        generate(scene, tmp / name, n=n, seed=seed, workers=0, formats=("coco",))
        made[name] = tmp / name
    out = {}
    for name in ("day1", "night"):
        c = compare(made[name], made["day0"], max_images=None)
        out[f"{name}_vs_day0_auc"] = c["images"]["classifier"]["auc"]
        out[f"{name}_vs_day0_findings"] = [f["statistic"] for f in c["image_findings"][:5]]
    return out


if __name__ == "__main__":
    sys.exit(main())
