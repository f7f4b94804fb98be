"""The fast image statistics (counting instead of sorting, half spectra, shared Sobel) equal their textbook
definitions, computed here the plain numpy way on photo-like and synthetic-like images."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from simvision.compare import features as F


def images() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:192, 0:256].astype(np.float32)
    smooth = np.stack([60 + 80 * yy / 192, 90 + 60 * xx / 256, 120 + 0 * xx], -1)
    noisy = np.clip(cv2.GaussianBlur(smooth, (0, 0), 1.2) + rng.normal(0, 6, smooth.shape), 0, 255)
    flat = smooth.copy()
    flat[40:120, 30:200] = (200, 40, 40)
    odd = rng.integers(0, 256, (37, 53, 3))  # odd sizes: the median and half-spectrum edge cases
    return [a.astype(np.uint8) for a in (noisy, flat, odd)]


@pytest.mark.parametrize("k", range(3))
def test_counting_percentiles_and_medians_equal_numpy(k: int):
    img = images()[k]
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    qs = (0, 1, 33.3, 50, 90, 99, 100)
    assert np.allclose(F.percentile_u8(grey, qs), np.percentile(grey, qs), rtol=0, atol=1e-9)
    mag = np.random.default_rng(k).gamma(1.0, 0.05, grey.shape).astype(np.float32)
    assert np.allclose(F.percentile_f(mag, qs), np.percentile(mag, qs), rtol=1e-6, atol=0)
    kernel = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
    r = cv2.filter2D(grey.astype(np.float32), -1, kernel, borderType=cv2.BORDER_REFLECT)[1:-1, 1:-1]
    textbook = 1.4826 * float(np.median(np.abs(r - np.median(r)))) / 6.0
    assert F.noise_sigma(grey) == pytest.approx(textbook, rel=0, abs=1e-12)


@pytest.mark.parametrize("k", range(3))
def test_histogram_moments_and_colour_equal_the_definitions(k: int):
    img = images()[k]
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    g = grey.astype(np.float64).ravel() / 255.0
    m, s = g.mean(), g.std()
    z = (g - m) / s
    out = F.grey_features(grey)
    assert out["grey_mean"] == pytest.approx(m, abs=1e-12)
    assert out["contrast_rms"] == pytest.approx(s, abs=1e-12)
    assert out["grey_skew"] == pytest.approx((z**3).mean(), abs=1e-9)
    assert out["grey_kurtosis"] == pytest.approx((z**4).mean() - 3, abs=1e-9)
    assert out["clip_low"] == (grey <= 2).mean() and out["clip_high"] == (grey >= 253).mean()
    hist = np.bincount(grey.ravel() // 16, minlength=16) / grey.size
    assert [out[f"grey_hist_{i:02d}"] for i in range(16)] == pytest.approx(hist.tolist(), abs=1e-15)

    f = img.astype(np.float64) / 255.0
    col = F.colour_features(img)
    for c, name in enumerate("rgb"):
        assert col[f"{name}_mean"] == pytest.approx(f[..., c].mean(), abs=1e-9)
        assert col[f"{name}_std"] == pytest.approx(f[..., c].std(), abs=1e-9)
    sat = cv2.cvtColor(img, cv2.COLOR_RGB2HSV_FULL)[..., 1] / 255.0
    assert col["sat_p90"] == pytest.approx(np.percentile(sat, 90), abs=1e-12)
    rg, yb = f[..., 0] - f[..., 1], 0.5 * (f[..., 0] + f[..., 1]) - f[..., 2]
    colourfulness = math.hypot(rg.std(), yb.std()) + 0.3 * math.hypot(rg.mean(), yb.mean())
    assert col["colourfulness"] == pytest.approx(colourfulness, abs=1e-6)


@pytest.mark.parametrize("k", range(3))
def test_gradient_lbp_and_spectrum_equal_the_definitions(k: int):
    grey = cv2.cvtColor(images()[k], cv2.COLOR_RGB2GRAY)
    g = grey.astype(np.float32) / 255.0
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = np.hypot(gx, gy)
    out = F.gradient_features(grey)
    hist, _ = np.histogram(mag, bins=np.array(F.GRAD_EDGES))
    # cartToPolar's magnitude may differ from hypot in the last bit: at most a pixel or two per bin moves
    assert [out[f"grad_hist_{i}"] for i in range(8)] == pytest.approx(
        (hist / mag.size).tolist(), abs=3 / mag.size
    )
    assert out["grad_p90"] == pytest.approx(np.percentile(mag, 90), rel=1e-5)

    # LBP: the stacked-comparison definition
    c, (h, w) = grey[1:-1, 1:-1], grey.shape
    ring = ((0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0))
    bits = np.stack([grey[dy : h - 2 + dy, dx : w - 2 + dx] >= c for dy, dx in ring]).astype(np.int8)
    code = np.where(np.abs(bits - np.roll(bits, 1, axis=0)).sum(0) <= 2, bits.sum(0), 9)
    lbp = np.bincount(code.ravel(), minlength=10) / code.size
    assert [F.lbp_features(grey)[f"lbp_{i}"] for i in range(10)] == pytest.approx(lbp.tolist(), abs=1e-15)

    # spectrum: the full complex spectrum in float64
    gg = grey.astype(np.float64)
    win = np.outer(np.hanning(gg.shape[0]), np.hanning(gg.shape[1]))
    p = np.abs(np.fft.fft2((gg - gg.mean()) * win)) ** 2
    fy, fx = np.meshgrid(np.fft.fftfreq(gg.shape[0]), np.fft.fftfreq(gg.shape[1]), indexing="ij")
    r = np.hypot(fx, fy)
    edges = np.geomspace(*F.SPECTRUM_BAND, 25)
    idx = np.digitize(r.ravel(), edges) - 1
    ok = (idx >= 0) & (idx < 24)
    sums = np.bincount(idx[ok], weights=p.ravel()[ok], minlength=24)
    counts = np.bincount(idx[ok], minlength=24)
    keep = (counts > 0) & (sums > 0)
    centres = np.sqrt(edges[:-1] * edges[1:])
    slope = np.polyfit(np.log10(centres[keep]), np.log10(sums[keep] / counts[keep]), 1)[0]
    hf = p[r > 0.25].sum() / (p.sum() - p[0, 0])
    got_slope, got_hf = F.spectrum_slope(grey)
    assert got_slope == pytest.approx(slope, abs=1e-4)
    assert got_hf == pytest.approx(hf, rel=1e-4)
