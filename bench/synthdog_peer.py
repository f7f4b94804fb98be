"""Receipts per second against SynthDoG's pages per second, on the same core, in one run.

SynthDoG (Clova's donut, folder ``synthdog``, built on ``synthtiger``) is not shipped or installed with simvision:
give its folder and a Python that has ``synthtiger`` (see ``make bench-synthdog``). The whole run is pinned to one
core (``os.sched_setaffinity``, inherited by the SynthDoG subprocess; BLAS/OpenMP/OpenCV one thread on both sides),
and rounds alternate: ``--receipts`` simvision receipts per scene (rendered, labelled and written as
``bench/receipts.py`` counts them: ``render_sample`` + ``write_entry`` with COCO and YOLO), then ``--pages``
SynthDoG pages (``template.generate`` + ``template.save``: JPEG and metadata line), so load from other processes
hits both alike. Prints CPU ms per item and items/s per core (CPU time), wall as well, and the ratio
receipts/s over pages/s (issue 17's aim: >= 40x).
Usage: ``python bench/synthdog_peer.py SYNTHDOG_DIR --python VENV/bin/python [--rounds 3] [--pages 4]
[--receipts 30] [--scene scenes/receipt.yaml ...] [--core 0]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_THREAD = {
    k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")
}
os.environ.update(ONE_THREAD)  # before numpy / cv2 load

import cv2  # noqa: E402

from simvision.sample import render_sample, sample_name, write_entry  # noqa: E402
from simvision.scene import default_scene_dir, load_scene  # noqa: E402
from simvision.writers.registry import wants_arrays  # noqa: E402


class SynthDoG:
    """The driver subprocess (``bench/synthdog_driver.py``) under SynthDoG's Python, asked for pages round by round."""

    def __init__(self, python: str, folder: str, config: str, out: str, seed: int) -> None:
        driver = Path(__file__).with_name("synthdog_driver.py")
        cmd = [python, str(driver), folder, "--config", config, "--out", out, "--seed", str(seed)]
        env = {**os.environ, **ONE_THREAD, "OPENCV_FOR_THREADS_NUM": "1"}
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def pages(self, k: int) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{k}\n")
        self.proc.stdin.flush()
        for line in self.proc.stdout:
            if line.startswith("RESULT "):
                return json.loads(line[7:])
        raise RuntimeError(f"SynthDoG driver ended (exit {self.proc.wait()}) before answering")

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.write("\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


FORMATS = ("coco", "yolo")


def receipts(scene, start: int, n: int, out: Path, page_map: bool = False) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of each of ``n`` receipts from index ``start``, rendered and written as ``simvision
    generate`` does them (the dewarping page map only when a format writes it; ``page_map``: always)."""
    cpu, wall = [], []
    page_map = page_map or wants_arrays(FORMATS)
    for i in range(start, start + n):
        c0, w0 = time.process_time(), time.perf_counter()
        s = render_sample(scene, 0, i, page_map=page_map)
        write_entry(out, s, sample_name(i), scene, FORMATS)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return cpu, wall


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def per_s(times: list[float]) -> float:
    return len(times) / sum(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("synthdog", help="SynthDoG's folder (template.py, config_en.yaml, resources/)")
    ap.add_argument("--python", required=True, help="a Python with synthtiger installed")
    ap.add_argument("--config", default="config_en.yaml")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pages", type=int, default=4, help="SynthDoG pages per round")
    ap.add_argument("--receipts", type=int, default=30, help="receipts per scene per round")
    ap.add_argument("--warmup", type=int, default=2, help="untimed SynthDoG pages first (imports, resources)")
    ap.add_argument(
        "--receipt-warmup", type=int, default=20, help="untimed receipts of each scene first (glyphs)"
    )
    ap.add_argument("--scene", nargs="+", default=[str(default_scene_dir() / "receipt.yaml")])
    ap.add_argument("--core", type=int, default=0)
    ap.add_argument(
        "--page-map",
        action="store_true",
        help="make every receipt's dewarping page map, which COCO and YOLO do not write (as before 2026-12-07)",
    )
    args = ap.parse_args()
    os.sched_setaffinity(0, {args.core})
    cv2.setNumThreads(1)
    scenes = [load_scene(p) for p in args.scene]
    with tempfile.TemporaryDirectory() as tmp:
        peer = SynthDoG(args.python, str(Path(args.synthdog).absolute()), args.config, f"{tmp}/synthdog", 0)
        try:
            peer.pages(args.warmup)
            for sc in scenes:
                receipts(sc, 100_000, args.receipt_warmup, Path(tmp) / f"warm_{sc.name}", args.page_map)
            ours = {sc.name: ([], []) for sc in scenes}
            theirs: tuple[list[float], list[float]] = ([], [])
            sizes = []
            for r in range(args.rounds):
                for sc in scenes:
                    c, w = receipts(sc, r * args.receipts, args.receipts, Path(tmp) / sc.name, args.page_map)
                    ours[sc.name][0].extend(c)
                    ours[sc.name][1].extend(w)
                got = peer.pages(args.pages)
                theirs[0].extend(got["cpu"])
                theirs[1].extend(got["wall"])
                sizes.append(got["last_size"])
                print(
                    f"round {r + 1}/{args.rounds}: "
                    + ", ".join(
                        f"{k} {1000 * statistics.mean(v[0][-args.receipts :]):.0f}" for k, v in ours.items()
                    )
                    + f", SynthDoG {1000 * statistics.mean(got['cpu']):.0f} CPU ms/item",
                    flush=True,
                )
        finally:
            peer.close()
    load = os.getloadavg()
    print(
        f"core {args.core} of {os.cpu_count()} ({cpu_model()}), "
        f"load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {args.rounds} rounds alternating"
    )
    sd_cpu, sd_wall = theirs
    print(
        f"  SynthDoG ({args.config}, {len(sd_cpu)} pages, last sizes {sizes}): {1000 * statistics.mean(sd_cpu):.0f} "
        f"CPU ms/page (median {1000 * statistics.median(sd_cpu):.0f}) = {per_s(sd_cpu):.3f} pages/s/core "
        f"(wall {per_s(sd_wall):.3f})"
    )
    for sc in scenes:
        cpu, wall = ours[sc.name]
        print(
            f"  {sc.name} ({sc.image.width}x{sc.image.height}, {len(cpu)} receipts): "
            f"{1000 * statistics.mean(cpu):.1f} CPU ms/receipt (median {1000 * statistics.median(cpu):.1f}) = "
            f"{per_s(cpu):.1f} receipts/s/core (wall {per_s(wall):.1f}); "
            f"ratio {per_s(cpu) / per_s(sd_cpu):.0f}x SynthDoG (wall {per_s(wall) / per_s(sd_wall):.0f}x; aim >= 40x)"
        )


if __name__ == "__main__":
    sys.exit(main())
