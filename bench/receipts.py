"""Receipts per second per core, with labels and files written, against the raw limit on the same pages.

The raw limit is a reference cost for these pages: drawing the same words with Pillow's ``ImageDraw.text`` on a
page of the same size, plus encoding it as JPEG (simvision draws text from cached glyph bitmaps, which is cheaper
than Pillow's per-call layout and hinting). Both run in this one process, on the same samples, so the ratio is fair
on a shared machine. Usage: ``python bench/receipts.py [-n 60] [--warmup N] [--scene ...]``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from simvision.fonts import fonts, truetype
from simvision.io import encode_image
from simvision.sample import render_sample, sample_name, write_entry
from simvision.scene import default_scene_dir, load_scene
from simvision.writers.registry import wants_arrays

FORMATS = ("coco", "yolo")


def raw_limit(words: list[tuple[str, float, float]], size: tuple[int, int], font_path: Path, px: int) -> None:
    img = Image.new("RGB", size, (245, 245, 240))
    draw = ImageDraw.Draw(img)
    font = truetype(font_path, px)
    for text, x, y in words:
        draw.text((x, y), text, font=font, fill=(20, 20, 20))
    encode_image(np.asarray(img), "jpg", 95)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=60)
    ap.add_argument("--scene", default=str(default_scene_dir() / "receipt.yaml"))
    ap.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="samples rendered before timing; the glyph cache fills over a process's first few hundred receipts, "
        "so a large warm-up measures the steady state of a long generation run",
    )
    args = ap.parse_args()
    cv2.setNumThreads(1)
    scene = load_scene(args.scene)
    for i in range(args.warmup):  # warm caches (fonts, glyphs, imports)
        render_sample(scene, 0, 10_000 + i)
    t_render = t_write = t_raw = 0.0
    n_words = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            t0 = time.perf_counter()
            s = render_sample(scene, 0, i, page_map=wants_arrays(FORMATS))  # as `simvision generate` does
            t1 = time.perf_counter()
            write_entry(Path(tmp), s, sample_name(i), scene, FORMATS)
            t2 = time.perf_counter()
            spec = s.meta["spec"]
            rows = np.flatnonzero(s.instances.class_id == 2)
            words = [(s.instances.text[r], *s.instances.boxes[r][:2]) for r in rows]
            n_words += len(words)
            t3 = time.perf_counter()
            raw_limit(
                words,
                (spec["width"], spec["height"]),
                fonts()[spec["font_id"]].regular,
                s.meta["font_px_used"],
            )
            t4 = time.perf_counter()
            t_render += t1 - t0
            t_write += t2 - t1
            t_raw += t4 - t3
    n = args.n
    total = t_render + t_write
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"scene {scene.name}: {n} receipts at {scene.image.width}x{scene.image.height}, {n_words / n:.0f} words each"
    )
    print(
        f"  render {1000 * t_render / n:.1f} ms + write {1000 * t_write / n:.1f} ms = {1000 * total / n:.1f} ms/receipt"
    )
    print(f"  throughput {n / total:.1f} receipts/s/core (aim >= 20)")
    print(
        f"  raw limit (Pillow text + JPEG, same words and size) {1000 * t_raw / n:.1f} ms/page = {n / t_raw:.1f} pages/s"
    )
    print(f"  ratio simvision / raw limit: {total / t_raw:.2f}x the time")
    print(f"  peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
