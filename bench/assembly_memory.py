"""Memory of dataset assembly (coco.json, YOLO lists, hf metadata, manifest.json) against the dataset size.

Renders two samples of a small street scene, replicates their records under new names (hard links: assembly reads
each record once; with ``--tiny`` the records are cut to three instances and no spec first, so 100,000 of them
assemble in minutes), and runs the assembly alone in a fresh process per size, reporting its peak resident memory
(``ru_maxrss``) before and after. Flat assembly keeps the peak within 10% from 1,000 to 100,000 samples.

    python bench/assembly_memory.py [--sizes 1000,10000,100000] [--tiny]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("coco", "yolo", "hf")
SPLITS = (("train", 0.5), ("val", 0.5))
SCENE_SIZE = "160x96"


def scene():  # noqa: ANN201
    from simvision.scene import default_scene_dir, load_scene

    return load_scene(default_scene_dir() / "street.yaml").with_size(SCENE_SIZE)


def template(root: Path) -> Path:
    from simvision.pipeline import generate

    out = root / "template"
    generate(scene(), out, n=2, seed=1, workers=1, formats=",".join(FORMATS), split="train=0.5,val=0.5")
    return out


def fabricate(tpl: Path, out: Path, n: int, tiny: bool) -> None:
    from simvision.record import dumps

    (out / "records").mkdir(parents=True)
    sources = []
    for p in sorted((tpl / "records").glob("*.json")):
        rec = json.loads(p.read_text())
        if tiny:
            rec.update(instances=rec["instances"][:3], spec={}, scene_config={})
        sources.append(out / f"{p.stem}.src")
        sources[-1].write_bytes(dumps(rec))
    for i in range(n):
        os.link(sources[i % len(sources)], out / "records" / f"{i:06d}.json")
    for p in tpl.rglob("*"):  # the two samples' files (read by assemblers that hash files from the disk)
        rel = p.relative_to(tpl)
        if p.is_file() and len(rel.parts) > 1 and rel.parts[0] != "records":
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(p, out / rel)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(out: Path, n: int) -> None:
    """Assembly alone, in this fresh process: resident memory (MB) before it, and its peak while it runs (sampled
    every 5 ms: the process's high-water mark ``ru_maxrss`` is set by the imports, above what assembly adds)."""
    import threading

    from simvision.pipeline import assemble

    sc = scene()
    before, peak, done = rss_mb(), [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss_mb())

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    t = time.perf_counter()
    assemble(out, sc, 1, n, FORMATS, SPLITS)
    secs = time.perf_counter() - t
    done.set()
    watcher.join()
    peak[0] = max(peak[0], rss_mb())
    print(json.dumps({"samples": n, "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak[0], 1),
                      "assembly_mb": round(peak[0] - before, 1), "seconds": round(secs, 1),
                      "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--tiny", action="store_true", help="records cut to 3 instances, no spec (fast at 100k)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--out", default="bench/results/assembly_memory.json")
    args = ap.parse_args()
    if args.child:
        child(Path(args.child[0]), int(args.child[1]))
        return
    root = Path(tempfile.mkdtemp(prefix="bench-assembly-"))
    rows = []
    try:
        tpl = template(root)
        for n in (int(s) for s in args.sizes.split(",")):
            out = root / f"n{n}"
            fabricate(tpl, out, n, args.tiny)
            env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(Path(__file__).parents[1]))}
            run = subprocess.run([sys.executable, __file__, "--child", str(out), str(n)], env=env,
                                 capture_output=True, text=True, check=True)  # fmt: skip
            rows.append({**json.loads(run.stdout.splitlines()[-1]), "tiny_records": args.tiny})
            print(json.dumps(rows[-1]), flush=True)
            shutil.rmtree(out)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
