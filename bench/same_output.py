"""Do two versions of simvision write the same datasets? Generate every shipped scene with the code of a git ref
and with the working tree, in this environment, and compare the trees byte for byte (``progress.jsonl`` is left
out: it holds times and process ids).

    python bench/same_output.py --ref 4e6fef9            # exit 1 and list the files that differ
    python bench/same_output.py --ref HEAD~3 --new HEAD --scenes receipt,street -n 2

A restructuring must print ``identical``; a change that alters outputs on purpose says so in its commit.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = {  # scene -> formats (every writer of its kind), chosen so each writer runs
    "receipt": "coco,yolo-seg,hf,cord,sroie",
    "receipt_photo": "coco,yolo,hf,cord,sroie,dewarp",
    "receipt_restaurant_eu": "coco,yolo,cord,sroie",
    "receipt_supermarket": "coco,yolo,cord,sroie",
    "receipt_capture": "coco,yolo,hf,cord,sroie,dewarp",
    "receipt_cord_id": "coco,yolo,cord",
    "receipt_ja": "coco,yolo,cord",
    "receipt_multi": "coco,yolo,hf",
    "receipt_sroie_my": "coco,yolo,sroie",
    "receipt_template": "coco,yolo,cord",
    "receipt_white": "coco,yolo-seg,cord,dewarp",
    "street": "coco,yolo,hf,kitti,cityscapes,bdd100k",
    "street_fog_dusk": "coco,yolo-seg,kitti,cityscapes,bdd100k",
    "street_night_rain": "coco,kitti",
    "street_dashcam_blender": "coco,kitti",
}
BLENDER = {
    "street_night_rain",
    "street_dashcam_blender",
}  # one sample each: Blender frames take tens of CPU-s
SKIP = {"progress.jsonl"}


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in SKIP and p.name != ".lock"
    }


def generate_all(code: Path, out: Path, scenes: list[str], n: int, seed: int = 3) -> None:
    env = {**os.environ, "PYTHONPATH": str(code)}
    for name in scenes:
        cmd = [sys.executable, "-m", "simvision", "generate", str(code / "scenes" / f"{name}.yaml"), "--out",
               str(out / name), "-n", str(1 if name in BLENDER else n), "--seed", str(seed), "--workers", "1",
               "--format", CONFIG[name], "--split", "train=0.5,val=0.5", "--quiet"]  # fmt: skip
        subprocess.run(cmd, env=env, check=True, cwd=code)


def generate_at(ref: str | None, out: Path, scenes: list[str], n: int, work: Path, seed: int = 3) -> None:
    """Generate with the code of ``ref`` (a temporary git worktree), or of the working tree when None."""
    if ref is None:
        generate_all(ROOT, out, scenes, n, seed)
        return
    code = work / f"code-{out.name}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(code), ref], check=True)
    try:
        generate_all(code, out, scenes, n, seed)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(code)], check=True)


def compare(ref: str, new: str | None, scenes: list[str], n: int, work: Path, seed: int = 3) -> list[str]:
    generate_at(ref, work / "old", scenes, n, work, seed)
    generate_at(new, work / "new", scenes, n, work, seed)
    a, b = tree_digest(work / "old"), tree_digest(work / "new")
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ref", required=True, help="git ref whose outputs are the reference")
    ap.add_argument("--new", default=None, help="git ref to compare (default: the working tree)")
    ap.add_argument("--scenes", default=",".join(CONFIG), help="comma list of shipped scene names")
    ap.add_argument("-n", type=int, default=3, help="samples per scene (Blender scenes: 1)")
    ap.add_argument("--seed", type=int, default=3, help="the runs' --seed")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        diff = compare(args.ref, args.new, args.scenes.split(","), args.n, Path(tmp), args.seed)
    if diff:
        print(f"{len(diff)} file(s) differ from {args.ref}:", *diff[:40], sep="\n  ")
        return 1
    print(f"{args.new or 'working tree'} identical to {args.ref}: {args.scenes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
