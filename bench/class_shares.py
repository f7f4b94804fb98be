"""Pixel share per class of synthetic street frames against real Cityscapes label maps, side by side.

    .venv/bin/python bench/class_shares.py REAL_LABELS SYNTH_DATASET [--json OUT]
    .venv/bin/python bench/class_shares.py REAL_LABELS --scene scenes/street.yaml [-n 24] [--seed 1] [--json OUT]

``REAL_LABELS``: a folder of Cityscapes ``labelIds`` PNGs (searched recursively; ``*labelIds*.png`` if there are
any, else every ``*.png``), e.g. predicted labels of dashcam sequences; nothing real is in the repository.
``SYNTH_DATASET``: the output folder of ``simvision generate`` of a street scene (its ``records/*.json``: each
instance's exact RLE mask, turned into Cityscapes labelIds as the ``cityscapes`` writer does); or ``--scene``:
render ``-n`` frames of a scene file in this process (``render_sample``, seed ``--seed``, indices 0..n-1).

Both sides are compared in Cityscapes' label space (``simvision.writers.cityscapes.LABELS``: ``static`` is its
void 4, ``animal`` and ``dynamic`` its 5, ``ego_vehicle`` its 1). Predicted label maps usually call the ego bonnet
road, so the table also has a ``road+ego`` row, and the distances are over classes with ego vehicle folded into
road: total variation (half the L1 distance of the two share vectors) and Jensen-Shannon divergence (base 2, 0..1).
Shares are the mean over frames of each frame's share (every frame weighs the same whatever its size). The fields
of view differ (Cityscapes ~49 x 26 deg at 2:1, the shipped street scenes ~62-90 deg wide at 4:3), so some
difference in sky, road and building shares is the camera, not the scene.

Also per frame: how many traffic signs, traffic lights and poles show and how tall they are, as a share of the
frame height (synthetic: instances with visible pixels, the height of their box; real: connected regions of the
class of at least ``--min-px`` pixels on the map downsampled to 512 wide (the maps have no instances for these
classes, so touching signs count as one); synthetic instances count from the same share of the frame up. Prints a table; ``--json`` writes everything.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np

from simvision.writers.cityscapes import LABELS

# Cityscapes labelIds (cityscapesScripts labels.py)
NAMES = {
    0: "unlabeled", 1: "ego vehicle", 2: "rectification border", 3: "out of roi", 4: "static", 5: "dynamic",
    6: "ground", 7: "road", 8: "sidewalk", 9: "parking", 10: "rail track", 11: "building", 12: "wall",
    13: "fence", 14: "guard rail", 15: "bridge", 16: "tunnel", 17: "pole", 18: "polegroup", 19: "traffic light",
    20: "traffic sign", 21: "vegetation", 22: "terrain", 23: "sky", 24: "person", 25: "rider", 26: "car",
    27: "truck", 28: "bus", 29: "caravan", 30: "trailer", 31: "train", 32: "motorcycle", 33: "bicycle",
}  # fmt: skip
EGO, ROAD = 1, 7
THIN = {"traffic sign": 20, "traffic light": 19, "pole": 17}  # the furniture counted per frame
WIDTH = 512  # real maps are downsampled (nearest) to this width for the per-frame counts


def _shares(label: np.ndarray) -> np.ndarray:
    return np.bincount(label.ravel(), minlength=256)[:256] / label.size


def _real(folder: Path, min_px: int) -> tuple[list[np.ndarray], dict[str, list]]:
    files = sorted(folder.rglob("*labelIds*.png")) or sorted(folder.rglob("*.png"))
    if not files:
        sys.exit(f"REAL_LABELS: no PNG label maps under {folder}")
    shares, things = [], {k: [] for k in THIN}
    for f in files:
        label = cv2.imread(str(f), cv2.IMREAD_UNCHANGED)
        if label is None or label.ndim != 2:
            sys.exit(f"REAL_LABELS: {f} is not a single-channel labelIds PNG")
        shares.append(_shares(label))
        h, w = label.shape
        small = cv2.resize(label, (WIDTH, round(h * WIDTH / w)), interpolation=cv2.INTER_NEAREST)
        for name, lid in THIN.items():
            n, _, stats, _ = cv2.connectedComponentsWithStats((small == lid).astype(np.uint8), connectivity=8)
            keep = stats[1:][stats[1:, cv2.CC_STAT_AREA] >= min_px]
            things[name].append((keep[:, cv2.CC_STAT_HEIGHT] / small.shape[0]).tolist())
    return shares, things


def _min_area(min_px: int, h: int, w: int) -> float:
    """The smallest synthetic instance counted: the real regions' ``min_px`` as the same share of the frame."""
    return min_px / (WIDTH * WIDTH / 2) * h * w  # real maps are 2:1, so 512 x 256 after downsampling


def _record_frames(folder: Path, min_px: int) -> tuple[list[np.ndarray], dict[str, list]]:
    from simvision.writers.cityscapes import maps

    files = sorted((folder / "records").glob("*.json"))
    if not files:
        sys.exit(f"SYNTH_DATASET: no records/*.json under {folder} (the output folder of simvision generate)")
    shares, things = [], {k: [] for k in THIN}
    for f in files:
        record = json.loads(f.read_text())
        shares.append(_shares(maps(record)[0]))
        for name in THIN:
            things[name].append(
                [
                    (i["bbox"][3] - i["bbox"][1]) / record["height"]  # [x0, y0, x1, y1]
                    for i in record["instances"]
                    if i["class"] == name
                    and i["area"] >= _min_area(min_px, record["height"], record["width"])
                ]
            )
    return shares, things


def _scene_frames(
    scene_file: str, n: int, seed: int, min_px: int
) -> tuple[list[np.ndarray], dict[str, list]]:
    from simvision.sample import render_sample
    from simvision.scene import load_scene

    scene = load_scene(Path(scene_file))
    shares, things = [], {k: [] for k in THIN}
    for i in range(n):
        s = render_sample(scene, seed, i, page_map=False)
        lut = np.zeros(len(s.classes), np.uint8)
        for k, name in enumerate(s.classes):
            lut[k] = LABELS[name][0] if name in LABELS else 0
        shares.append(_shares(lut[s.class_map]))
        h = s.image.shape[0]
        for name in THIN:
            rows = np.flatnonzero(s.instances.class_id == s.classes.index(name))
            heights = []
            for r in rows:
                m = s.mask(int(r))
                ys = np.flatnonzero(m.any(axis=1))
                if m.sum() >= _min_area(min_px, *m.shape):
                    heights.append((ys[-1] - ys[0] + 1) / h)
            things[name].append(heights)
    return shares, things


def _fold(mean: np.ndarray) -> np.ndarray:
    out = mean.copy()
    out[ROAD] += out[EGO]
    out[EGO] = 0.0
    return out


def _distances(p: np.ndarray, q: np.ndarray) -> dict[str, float]:
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / m[nz])))

    return {"total_variation": float(0.5 * np.abs(p - q).sum()), "jensen_shannon": 0.5 * kl(p) + 0.5 * kl(q)}


def _summary(things: dict[str, list]) -> dict[str, dict[str, float]]:
    out = {}
    for name, frames in things.items():
        counts = np.array([len(f) for f in frames])
        heights = np.array([h for f in frames for h in f])
        out[name] = {
            "per_frame_mean": float(counts.mean()) if len(counts) else 0.0,
            "frames_with_any": float((counts > 0).mean()) if len(counts) else 0.0,
            "height_median": float(np.median(heights)) if len(heights) else 0.0,
            "height_p90": float(np.percentile(heights, 90)) if len(heights) else 0.0,
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("real", type=Path, help="folder of Cityscapes labelIds PNGs")
    ap.add_argument("synth", type=Path, nargs="?", help="a generated street dataset folder")
    ap.add_argument("--scene", help="render this scene file instead of reading a dataset")
    ap.add_argument("-n", type=int, default=24, help="--scene: frames to render")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-px", type=int, default=6, help="smallest real region counted, pixels at 512 wide")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    a = ap.parse_args()
    if (a.synth is None) == (a.scene is None):
        ap.error("give either SYNTH_DATASET or --scene")
    real_s, real_t = _real(a.real, a.min_px)
    synth_s, synth_t = (
        _record_frames(a.synth, a.min_px) if a.synth else _scene_frames(a.scene, a.n, a.seed, a.min_px)
    )
    real, synth = np.mean(real_s, axis=0), np.mean(synth_s, axis=0)
    ids = [i for i in range(256) if real[i] > 0 or synth[i] > 0]
    rows = [(NAMES.get(i, str(i)), float(synth[i]), float(real[i])) for i in ids]
    rows.append(("road+ego", float(synth[ROAD] + synth[EGO]), float(real[ROAD] + real[EGO])))
    dist = _distances(_fold(synth), _fold(real))
    thin = {"synthetic": _summary(synth_t), "real": _summary(real_t)}

    print(f"{'class':22s} {'synthetic %':>11s} {'real %':>8s} {'ratio':>7s}")
    for name, s, r in sorted(rows, key=lambda x: -x[2]):
        ratio = f"{s / r:7.2f}" if r > 0 else "      -"
        print(f"{name:22s} {100 * s:11.2f} {100 * r:8.2f} {ratio}")
    print(
        f"frames: synthetic {len(synth_s)}, real {len(real_s)}; ego folded into road: total variation "
        f"{dist['total_variation']:.4f}, Jensen-Shannon {dist['jensen_shannon']:.4f}"
    )
    print(
        f"\n{'per frame':14s} {'':9s} {'count':>6s} {'any':>5s} {'h med':>6s} {'h p90':>6s}  (h: share of frame height)"
    )
    for name in THIN:
        for side in ("synthetic", "real"):
            t = thin[side][name]
            print(
                f"{name:14s} {side:9s} {t['per_frame_mean']:6.2f} {t['frames_with_any']:5.2f} "
                f"{t['height_median']:6.3f} {t['height_p90']:6.3f}"
            )
    if a.json:
        a.json.write_text(
            json.dumps(
                {
                    "real": str(a.real),
                    "synthetic": str(a.synth) if a.synth else {"scene": a.scene, "n": a.n, "seed": a.seed},
                    "frames": {"synthetic": len(synth_s), "real": len(real_s)},
                    "shares": {name: {"synthetic": s, "real": r} for name, s, r in rows},
                    "distance": dist,
                    "per_frame": thin,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
