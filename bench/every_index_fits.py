"""Does every index of every shipped scene sample and lay out? The check of
``tests/scenes/receipt/test_every_index_fits.py`` over many more indices (no rendering).

    python bench/every_index_fits.py -n 3000                     # every shipped scene, indices 0..2999
    python bench/every_index_fits.py -n 20000 --scenes receipt --seed 7

Prints, per scene, the indices checked, the failures (index and error) and the CPU seconds; exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "scenes" / "receipt"))

from test_every_index_fits import failures  # noqa: E402

from simvision.scene import all_scene_files, load_scene  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=3000, help="indices 0..n-1 of each scene")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--scenes", default="", help="comma list of scene file stems (default: every shipped scene)"
    )
    args = ap.parse_args()
    wanted = set(filter(None, args.scenes.split(",")))
    status = 0
    for path in all_scene_files():
        if wanted and path.stem not in wanted:
            continue
        scene = load_scene(path)
        t = time.process_time()
        bad = failures(scene, list(range(args.n)), args.seed)
        status |= bool(bad)
        print(
            f"{path.stem}: {args.n} indices, {len(bad)} failed {bad[:10]}, {time.process_time() - t:.0f} CPU-s"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
