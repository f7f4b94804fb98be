"""The realism benchmark's statistics measure what their names say (bench/realism_features.py, bench/realism.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    # bench/ is scripts, not a package: load the files themselves
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rf = _load("realism_features")
realism = _load("realism")


def pink_noise(rng: np.random.Generator, size: int = 256) -> np.ndarray:
    """uint8 image whose amplitude spectrum falls as 1/f (power as 1/f^2), random phases."""
    fy, fx = np.meshgrid(np.fft.fftfreq(size), np.fft.fftfreq(size), indexing="ij")
    f = np.hypot(fx, fy)
    f[0, 0] = 1.0
    spectrum = rng.normal(size=(size, size)) + 1j * rng.normal(size=(size, size))
    img = np.real(np.fft.ifft2(spectrum / f))
    img = (img - img.mean()) / img.std()
    return np.clip(128 + 30 * img, 0, 255).astype(np.uint8)


def test_spectrum_slope_of_pink_noise_is_minus_two() -> None:
    slope, _ = rf.spectrum_slope(pink_noise(np.random.default_rng(0)))
    assert slope == pytest.approx(-2.0, abs=0.2)


def test_spectrum_slope_of_white_noise_is_flat() -> None:
    white = np.random.default_rng(1).integers(0, 256, (256, 256)).astype(np.uint8)
    slope, hf = rf.spectrum_slope(white)
    assert abs(slope) < 0.2 and hf > 0.3


def test_noise_sigma_tracks_added_noise() -> None:
    rng = np.random.default_rng(2)
    yy, xx = np.mgrid[0:240, 0:320]
    base = 60 + 0.3 * xx + 0.2 * yy + 20 * np.sin(xx / 40.0)  # smooth content the estimator must ignore
    estimates = []
    for sigma in (0.0, 2.0, 5.0, 10.0):
        img = np.clip(base + rng.normal(0, sigma, base.shape), 0, 255).round().astype(np.uint8)
        estimates.append(rf.noise_sigma(img))
    assert estimates[0] < 0.6
    assert estimates == sorted(estimates)
    for sigma, est in zip((2.0, 5.0, 10.0), estimates[1:], strict=True):
        assert est == pytest.approx(sigma, rel=0.2)


def test_flat_regions_and_prepare() -> None:
    flat = np.full((300, 500, 3), 90, np.uint8)
    noisy = np.random.default_rng(3).integers(0, 256, (300, 500, 3)).astype(np.uint8)
    out = rf.prepare(flat, (64, 48))
    assert out.shape == (48, 64, 3)
    grey_flat, grey_noisy = rf.prepare(flat, (64, 48))[..., 0], rf.prepare(noisy, (64, 48))[..., 0]
    assert rf.detail_features(grey_flat)["flat_3x3"] == 1.0
    assert rf.detail_features(grey_noisy)["flat_3x3"] < 0.05
    # centre crop: a wide image keeps its middle columns
    wide = np.zeros((100, 400, 3), np.uint8)
    wide[:, 200:] = 255
    half = rf.prepare(wide, (40, 30))
    assert half[:, :18].max() == 0 and half[:, 22:].min() == 255


def test_features_are_finite_and_named() -> None:
    img = np.dstack([pink_noise(np.random.default_rng(k), 128) for k in range(3)])
    feats = rf.image_features(img)
    assert list(feats) == rf.feature_names()
    assert [n for group in rf.feature_groups().values() for n in group] == rf.feature_names()
    assert all(np.isfinite(v) for v in feats.values())


def test_classifier_auc_separable_and_null() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(80, 10))
    y = np.r_[np.zeros(40), np.ones(40)]
    assert realism.cv_auc(x, y)["auc"] < 0.75
    x[40:, :3] += 4.0
    assert realism.cv_auc(x, y)["auc"] == 1.0
    assert realism.auc(np.array([1.0, 2, 3, 4]), np.array([0, 0, 1, 1])) == 1.0
    assert realism.frechet(x, x) == pytest.approx(0.0, abs=1e-6)
