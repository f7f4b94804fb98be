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
import math
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from scipy import linalg
from scipy.stats import rankdata

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realism_features import feature_groups, feature_names, image_features, prepare  # noqa: E402

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
        feats = image_features(prepare(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), size))
        rows.append(list(feats.values()))
    return np.asarray(rows, np.float64)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """ROC AUC (Mann-Whitney U with tied ranks averaged); labels 1 = positive."""
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(scores)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def fit_logreg(x: np.ndarray, y: np.ndarray, c: float = 1.0, iters: int = 100) -> tuple[np.ndarray, float]:
    """L2 logistic regression by Newton's method: minimises C * sum(log-loss) + |w|^2 / 2, intercept free.

    The same objective as scikit-learn's default `LogisticRegression(C=1)`; the penalty keeps it finite on the
    perfectly separable sets this benchmark often sees.
    """
    n, d = x.shape
    xa = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    reg = np.full(d + 1, 1.0 / c)
    reg[-1] = 1e-8  # intercept: unpenalised, a tiny ridge keeps the Hessian invertible
    for _ in range(iters):
        z = xa @ beta
        p = 0.5 * (1.0 + np.tanh(0.5 * z))  # sigmoid without overflow
        grad = xa.T @ (p - y) + reg * beta
        hess = (xa * (p * (1 - p))[:, None]).T @ xa + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def stratified_folds(y: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Fold index per sample: each class shuffled (seeded) and dealt round-robin, so every fold keeps the ratio."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), np.int64)
    for cls in np.unique(y):
        idx = np.flatnonzero(y == cls)
        fold[rng.permutation(idx)] = np.arange(len(idx)) % k
    return fold


def standardise(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Scale every array by the train set's mean and std (constant features: std 1)."""
    mu, sd = train.mean(0), train.std(0)
    sd = np.where(sd < 1e-12, 1.0, sd)
    return [(a - mu) / sd for a in (train, *others)]


def cv_auc(x: np.ndarray, y: np.ndarray, k: int = 5, seed: int = 0, c: float = 1.0) -> dict[str, object]:
    """Out-of-fold AUC of the logistic regression (pooled over folds), and each fold's own AUC."""
    folds = stratified_folds(y, k, seed)
    scores = np.zeros(len(y))
    per_fold = []
    for f in range(k):
        tr, te = folds != f, folds == f
        xtr, xte = standardise(x[tr], x[te])
        w, b = fit_logreg(xtr, y[tr], c)
        scores[te] = xte @ w + b
        per_fold.append(auc(scores[te], y[te]))
    return {"auc": auc(scores, y), "fold_aucs": per_fold}


def frechet(a: np.ndarray, b: np.ndarray) -> float:
    """Frechet distance between Gaussians fitted to two feature sets (the FID formula on these statistics)."""
    mu = a.mean(0) - b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    with warnings.catch_warnings():
        # fewer images than features: the covariances are singular, the square root is still defined
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(ca @ cb)
    return float(mu @ mu + np.trace(ca + cb - 2.0 * np.real(root)))


def feature_table(real: np.ndarray, synth: np.ndarray, names: Sequence[str]) -> list[dict[str, float | str]]:
    """Per statistic: real and synthetic mean/std, standardised difference and single-feature AUC, worst first."""
    y = np.r_[np.zeros(len(real)), np.ones(len(synth))]
    rows: list[dict[str, float | str]] = []
    for j, name in enumerate(names):
        r, s = real[:, j], synth[:, j]
        pooled = math.sqrt(0.5 * (r.var() + s.var()))
        a = auc(np.r_[r, s], y)
        rows.append(
            {
                "feature": name,
                "real_mean": float(r.mean()),
                "real_std": float(r.std()),
                "synth_mean": float(s.mean()),
                "synth_std": float(s.std()),
                "std_diff": float((s.mean() - r.mean()) / pooled) if pooled > 1e-12 else 0.0,
                # direction-free: 1.0 whether synthetic images are all higher or all lower
                "auc": max(a, 1.0 - a) if not math.isnan(a) else 0.5,
                "synth_higher": bool(a >= 0.5),
            }
        )
    rows.sort(key=lambda row: (-float(row["auc"]), -abs(float(row["std_diff"]))))
    return rows


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
