"""Run SynthDoG's template page by page and time each page; started by ``bench/synthdog_peer.py``.

Runs under a Python that has ``synthtiger`` installed (its own venv: SynthDoG's dependencies pin an old numpy and
Pillow). Imports nothing from simvision. It drives the template the way the ``synthtiger`` command does with
``-w 0`` (``synthtiger.generator`` in this process, then ``template.save`` of each page), except that it waits on
standard input for how many pages to make next, so that its rounds can alternate with simvision's in one run.
Protocol: read a line ``K``; make K pages; print one line ``RESULT {json}`` with each page's CPU and wall seconds
(generate + save: image composition, effects, JPEG and metadata). An empty line or end of input ends it.
Usage: ``python bench/synthdog_driver.py SYNTHDOG_DIR [--config config_en.yaml] --out DIR [--seed 0]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("synthdog", help="SynthDoG's folder (holding template.py and resources/)")
    ap.add_argument("--config", default="config_en.yaml")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    import synthtiger

    os.chdir(args.synthdog)  # its config names resources/ relative to its folder
    config = synthtiger.read_config(args.config)
    template = synthtiger.read_template("template.py", "SynthDoG", config)
    pages = synthtiger.generator(
        "template.py", "SynthDoG", config=config, count=None, worker=0, seed=args.seed
    )
    template.init_save(args.out)
    for line in sys.stdin:
        if not line.strip():
            break
        cpu, wall = [], []
        for _ in range(int(line)):
            c0, w0 = time.process_time(), time.perf_counter()
            idx, data = next(pages)
            template.save(args.out, data, idx)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        h, w = data["image"].shape[:2]
        print("RESULT " + json.dumps({"cpu": cpu, "wall": wall, "last_size": [w, h]}), flush=True)
    template.end_save(args.out)


if __name__ == "__main__":
    main()
