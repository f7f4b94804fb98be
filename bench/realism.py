"""Measured realism: how easily simple image statistics tell synthetic images from real photographs.

    .venv/bin/python bench/realism.py REAL_DIR SYNTH_DIR [SYNTH_DIR ...] [--size 640x480] [--json out.json]

REAL_DIR: a folder of real photographs (searched recursively; nothing real ships with the repo). Each SYNTH_DIR: a
simvision dataset (its images/ folder is used) or any image folder. Every image is centre-cropped to the aspect of
`--size` and resized to it, so resolution is not a giveaway; then `realism_features.image_features` gives ~80
statistics. For each synthetic set against the real one it reports:

- ROC AUC of an L2 logistic regression (C=1, features standardised on the training folds) under stratified 5-fold
  cross-validation: 0.5 = the statistics cannot tell the sets apart, 1.0 = every image is given away;
- the single-feature AUC of each statistic (a threshold on it alone; direction-free, 0.5..1) and the statistics
  side by side (real mean/std, synthetic mean/std, standardised difference), sorted by how much they give away;
- the Frechet distance between the two feature sets (features standardised by the real set), and as a reference
  the distance between two random halves of the real set (what sampling noise alone gives).

Logistic regression, AUC and the folds are numpy (Newton's method on ~80 features is instant): scikit-learn is not
a dependency of the project and would be one only for this.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from scipy import linalg

from simvision.compare.classifier import auc, cv_auc, feature_table, standardise  # noqa: F401 - auc: a public name here
from simvision.compare.features import feature_groups, feature_names, image_features, prepare

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})


def list_images(folder: Path, limit: int | None = None) -> list[Path]:
    """Images of a folder: a simvision dataset's images/ if there is one, else every image below it, sorted.

    `limit` keeps that many, evenly spaced over the sorted list (deterministic, and it spreads over sequences).
    """
    root = folder / "images" if (folder / "images").is_dir() else folder
    paths = sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    if limit is not None and len(paths) > limit:
        keep = np.linspace(0, len(paths) - 1, limit).round().astype(int)
        paths = [paths[k] for k in keep]
    return paths


def load_features(paths: Sequence[Path], size: tuple[int, int]) -> np.ndarray:
    """(N, F) feature matrix; unreadable files are an error (a silent skip would change N unnoticed)."""
    rows = []
    for p in paths:
        bgr = cv2.imread(str(p), cv2.IMREAD_COLOR)
        if bgr is None:
            raise ValueError(f"cannot read image {p}")
        feats = image_features(cv2.cvtColor(prepare(bgr, size), cv2.COLOR_BGR2RGB))
        rows.append(list(feats.values()))
    return np.asarray(rows, np.float64)


def frechet(a: np.ndarray, b: np.ndarray) -> float:
    """Frechet distance between Gaussians fitted to two feature sets (the FID formula on these statistics)."""
    mu = a.mean(0) - b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    with warnings.catch_warnings():
        # fewer images than features: the covariances are singular, the square root is still defined
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(ca @ cb)
    return float(mu @ mu + np.trace(ca + cb - 2.0 * np.real(root)))


def compare(real: np.ndarray, synth: np.ndarray, names: Sequence[str], folds: int = 5, seed: int = 0) -> dict:
    """Everything reported for one synthetic set against the real one."""
    x = np.vstack([real, synth])
    y = np.r_[np.zeros(len(real)), np.ones(len(synth))]
    cv = cv_auc(x, y, folds, seed)
    rs, ss = standardise(real, synth)
    half = np.random.default_rng(seed).permutation(len(real))
    ha, hb = rs[half[: len(real) // 2]], rs[half[len(real) // 2 :]]
    table = feature_table(real, synth, names)
    # which kind of statistic gives the set away: the same classifier on each group alone
    groups = {
        group: float(cv_auc(x[:, [names.index(n) for n in members]], y, folds, seed)["auc"])
        for group, members in feature_groups().items()
    }
    single = np.array([float(row["auc"]) for row in table])
    return {
        "n_real": len(real),
        "n_synth": len(synth),
        "auc": cv["auc"],
        "fold_aucs": cv["fold_aucs"],
        "group_aucs": groups,
        "frechet": frechet(rs, ss),
        "frechet_real_halves": frechet(ha, hb),
        # same sample size as one real half, so the two numbers carry the same small-sample bias
        "frechet_real_half_vs_synth": frechet(ha, ss[: len(hb)]),
        # the classifier saturates at 1.0 long before the images are close: these keep moving after it has
        "feature_auc_median": float(np.median(single)),
        "features_auc_over_0.9": int((single > 0.9).sum()),
        "features": table,
    }


def parse_size(text: str) -> tuple[int, int]:
    w, h = text.lower().split("x")
    return int(w), int(h)


def print_report(name: str, res: dict, top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 130)
    fa = ", ".join(f"{a:.2f}" for a in res["fold_aucs"])
    console.print(
        f"\n[bold]{name}[/bold]: {res['n_synth']} synthetic vs {res['n_real']} real - "
        f"logistic regression ROC AUC [bold]{res['auc']:.3f}[/bold] (folds {fa})\n"
        f"Frechet distance {res['frechet']:.1f} (real half vs synthetic {res['frechet_real_half_vs_synth']:.1f}; "
        f"real half vs real half {res['frechet_real_halves']:.1f})\n"
        f"single-feature AUC: median {res['feature_auc_median']:.3f}, "
        f"{res['features_auc_over_0.9']} of {len(res['features'])} statistics over 0.9\n"
        "AUC by group alone: " + ", ".join(f"{g} {a:.3f}" for g, a in res["group_aucs"].items())
    )
    table = Table(title=f"statistics that give {name} away (top {top} by single-feature AUC)")
    for col in ("feature", "AUC", "std diff", "real mean", "real std", "synth mean", "synth std"):
        table.add_column(col, justify="left" if col == "feature" else "right")
    for row in res["features"][:top]:
        table.add_row(
            str(row["feature"]),
            f"{row['auc']:.3f}",
            f"{row['std_diff']:+.2f}",
            *(f"{row[k]:.4g}" for k in ("real_mean", "real_std", "synth_mean", "synth_std")),
        )
    console.print(table)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("real", type=Path, help="folder of real photographs (searched recursively)")
    ap.add_argument("synthetic", type=Path, nargs="+", help="simvision dataset folders or image folders")
    ap.add_argument(
        "--size", type=parse_size, default=(640, 480), help="common WIDTHxHEIGHT (default 640x480)"
    )
    ap.add_argument(
        "--max-images", type=int, default=None, help="per set, evenly spaced over the sorted files"
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0, help="fold assignment and real-half split")
    ap.add_argument("--top", type=int, default=15, help="rows of the per-feature table")
    ap.add_argument("--json", type=Path, default=None, help="write every number here")
    args = ap.parse_args(argv)
    cv2.setNumThreads(1)  # a shared machine: one core per benchmark

    names = feature_names()
    t0 = time.perf_counter()
    real_paths = list_images(args.real, args.max_images)
    if len(real_paths) < 2 * args.folds:
        ap.error(f"{args.real}: {len(real_paths)} images; need at least {2 * args.folds}")
    real = load_features(real_paths, args.size)
    out: dict = {
        "real": str(args.real),
        "size": list(args.size),
        "features": names,
        "sets": {},
    }
    for folder in args.synthetic:
        paths = list_images(folder, args.max_images)
        if len(paths) < args.folds:
            ap.error(f"{folder}: {len(paths)} images; need at least {args.folds}")
        res = compare(real, load_features(paths, args.size), names, args.folds, args.seed)
        out["sets"][str(folder)] = res
        print_report(str(folder), res, args.top)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
