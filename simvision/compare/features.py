"""Image statistics for the realism benchmark (`bench/realism.py`): one flat vector of named floats per image.

Every statistic is one that differs between photographs and flat-shaded renders: colour and saturation moments, the
grey-level histogram, contrast, sharpness (Laplacian variance), a noise estimate (MAD of a high-pass residual),
exactly flat regions, gradient magnitude and orientation histograms, edge density, rotation-invariant uniform local
binary patterns, band energies of a difference-of-Gaussians pyramid and the slope of the radially averaged power
spectrum (natural images fall as about 1/f^2). Images are brought to one size first (`prepare`: centre crop to the
target aspect, then area resize) so that resolution, aspect and JPEG block size are not what tells sets apart.
Pure functions of the pixels; no randomness.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import cv2
import numpy as np

EPS = 1e-8
# Spectrum fit range in cycles per pixel: below it the window and the scene layout dominate, above it the
# resize filter and JPEG quantisation do.
SPECTRUM_BAND = (0.01, 0.35)
# Gradient magnitude bin edges (grey in [0, 1], Sobel 3x3 scaled to unit step response).
GRAD_EDGES = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, np.inf)
DOG_SIGMAS = (0.6, 1.2, 2.4, 4.8, 9.6)


def prepare(rgb: np.ndarray, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """Centre crop to the aspect of `size` (width, height), then resize to it (area filter): uint8 RGB."""
    w, h = size
    ih, iw = rgb.shape[:2]
    if iw * h > ih * w:  # too wide: crop width
        cw, ch = round(ih * w / h), ih
    else:
        cw, ch = iw, round(iw * h / w)
    x0, y0 = (iw - cw) // 2, (ih - ch) // 2
    crop = rgb[y0 : y0 + ch, x0 : x0 + cw]
    interp = cv2.INTER_AREA if cw >= w else cv2.INTER_CUBIC
    return cv2.resize(crop, (w, h), interpolation=interp)


def _moments(x: np.ndarray) -> tuple[float, float, float, float]:
    """Mean, std, skewness and excess kurtosis of a flat array."""
    x = x.astype(np.float64).ravel()
    m, s = float(x.mean()), float(x.std())
    if s < EPS:
        return m, s, 0.0, 0.0
    z = (x - m) / s
    z2 = z * z  # products, not z**3 and z**4: numpy's pow is several times slower on 50k values
    return m, s, float((z2 * z).mean()), float((z2 * z2).mean() - 3.0)


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0] / max(float(p.sum()), EPS)
    return float(-(p * np.log2(p)).sum())


def colour_features(rgb: np.ndarray) -> dict[str, float]:
    """Channel moments, HSV saturation, Hasler-Suesstrunk colourfulness and saturation-weighted hue entropy."""
    f = rgb.astype(np.float32) / 255.0
    out: dict[str, float] = {}
    for k, c in enumerate("rgb"):
        out[f"{c}_mean"] = float(f[..., k].mean())
        out[f"{c}_std"] = float(f[..., k].std())
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV_FULL)
    sat = hsv[..., 1].astype(np.float32) / 255.0
    out["sat_mean"] = float(sat.mean())
    out["sat_std"] = float(sat.std())
    out["sat_p90"] = float(np.percentile(sat, 90))
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    rg, yb = r - g, 0.5 * (r + g) - b
    out["colourfulness"] = float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))
    hue_hist = np.bincount(
        (hsv[..., 0].ravel().astype(np.int32) * 18) // 256, weights=sat.ravel(), minlength=18
    )
    out["hue_entropy"] = _entropy(hue_hist)
    return out


def grey_features(grey: np.ndarray) -> dict[str, float]:
    """Grey-level moments, robust range, clipping and a 16-bin histogram with its entropy (grey uint8)."""
    m, s, sk, ku = _moments(grey / 255.0)
    p1, p99 = np.percentile(grey, (1, 99))
    hist = np.bincount(grey.ravel() // 16, minlength=16).astype(np.float64) / grey.size
    out = {"grey_mean": m, "contrast_rms": s, "grey_skew": sk, "grey_kurtosis": ku}
    out["contrast_p1_p99"] = float(p99 - p1) / 255.0
    out["clip_low"] = float((grey <= 2).mean())
    out["clip_high"] = float((grey >= 253).mean())
    out.update({f"grey_hist_{k:02d}": float(v) for k, v in enumerate(hist)})
    out["grey_entropy"] = _entropy(np.bincount(grey.ravel(), minlength=256).astype(np.float64))
    return out


def noise_sigma(grey: np.ndarray) -> float:
    """Noise standard deviation in grey levels: MAD of Immerkaer's high-pass residual.

    The kernel cancels constant, linear and quadratic intensity, so what is left in most pixels is noise; the median
    ignores the edges. Its response to white noise of std s has std 6s, hence the division.
    """
    k = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
    r = cv2.filter2D(grey.astype(np.float32), -1, k, borderType=cv2.BORDER_REFLECT)[1:-1, 1:-1]
    mad = float(np.median(np.abs(r - np.median(r))))
    return 1.4826 * mad / 6.0


def detail_features(grey: np.ndarray) -> dict[str, float]:
    """Sharpness, noise, exactly flat regions, edge density and difference-of-Gaussians band energies."""
    g = grey.astype(np.float32)
    out = {"sharpness_log_lapvar": math.log10(float(cv2.Laplacian(g, cv2.CV_32F, ksize=3).var()) + 1.0)}
    out["noise_sigma"] = noise_sigma(grey)
    # Renders have large areas of one exact value; a sensor never does (noise, demosaicing, JPEG).
    for k in (3, 7):
        kernel = np.ones((k, k), np.uint8)
        span = cv2.dilate(grey, kernel) - cv2.erode(grey, kernel)
        out[f"flat_{k}x{k}"] = float((span == 0).mean())
    out["edges_canny_50_150"] = float((cv2.Canny(grey, 50, 150) > 0).mean())
    out["edges_canny_100_200"] = float((cv2.Canny(grey, 100, 200) > 0).mean())
    blurred = [cv2.GaussianBlur(g / 255.0, (0, 0), s) for s in DOG_SIGMAS]
    for k in range(len(DOG_SIGMAS) - 1):
        out[f"dog_band_{k}"] = float((blurred[k] - blurred[k + 1]).std())
    return out


def gradient_features(grey: np.ndarray) -> dict[str, float]:
    """Sobel gradient magnitude statistics and histograms, magnitude-weighted orientation histogram (8 bins)."""
    g = grey.astype(np.float32) / 255.0
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = np.hypot(gx, gy)
    out = {"grad_mean": float(mag.mean()), "grad_std": float(mag.std())}
    for q, v in zip(
        (50, 90, 99), np.percentile(mag, (50, 90, 99)), strict=True
    ):  # one partial sort, not three
        out[f"grad_p{q}"] = float(v)
    # Heavy tails of the derivative distribution are the most stable natural-image statistic.
    out["grad_log_kurtosis"] = math.log10(max(_moments(gx)[3] + 3.0, EPS))
    hist, _ = np.histogram(mag, bins=np.array(GRAD_EDGES))
    out.update({f"grad_hist_{k}": float(v) / mag.size for k, v in enumerate(hist)})
    # OpenCV's phase (about 0.3 degrees accurate) is ~40x faster than arctan2; a bin spans 22.5 degrees
    ang = (cv2.phase(gx, gy) % np.pi) / np.pi * 8.0
    ohist = np.bincount(np.minimum(ang.astype(np.int32), 7).ravel(), weights=mag.ravel(), minlength=8)
    ohist = ohist / max(float(ohist.sum()), EPS)
    out.update({f"orient_hist_{k}": float(v) for k, v in enumerate(ohist)})
    out["orient_entropy"] = _entropy(ohist)
    return out


def lbp_features(grey: np.ndarray) -> dict[str, float]:
    """Histogram of rotation-invariant uniform LBP codes (8 neighbours, radius 1): 0-8 ones, 9 non-uniform."""
    c = grey[1:-1, 1:-1]
    h, w = grey.shape
    ring = ((0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0))
    bits = np.stack([grey[dy : h - 2 + dy, dx : w - 2 + dx] >= c for dy, dx in ring]).astype(np.int8)
    ones = bits.sum(0)
    transitions = np.abs(bits - np.roll(bits, 1, axis=0)).sum(0)
    code = np.where(transitions <= 2, ones, 9)
    hist = np.bincount(code.ravel(), minlength=10).astype(np.float64) / code.size
    return {f"lbp_{k}": float(v) for k, v in enumerate(hist)}


@functools.lru_cache(maxsize=8)
def _rings(
    shape: tuple[int, int], band: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hann window, radial frequency, ring index, in-band mask and ring edges of one image shape: the same for
    every image of a set (all are prepared to one size), so computed once."""
    h, w = shape
    win = np.outer(np.hanning(h), np.hanning(w))
    fy, fx = np.meshgrid(np.fft.fftfreq(h), np.fft.fftfreq(w), indexing="ij")
    r = np.hypot(fx, fy)
    edges = np.geomspace(band[0], band[1], 25)
    idx = np.digitize(r.ravel(), edges) - 1
    ok = (idx >= 0) & (idx < len(edges) - 1)
    return win, r, idx, ok, edges


def spectrum_slope(grey: np.ndarray, band: tuple[float, float] = SPECTRUM_BAND) -> tuple[float, float]:
    """(slope of log power against log radial frequency, share of power above 0.25 cycles/pixel).

    Hann-windowed, mean removed, power averaged in 24 log-spaced rings inside `band`; a 1/f amplitude spectrum
    gives a slope of -2.
    """
    g = grey.astype(np.float64)
    win, r, idx, ok, edges = _rings(g.shape, band)
    p = np.abs(np.fft.fft2((g - g.mean()) * win)) ** 2
    sums = np.bincount(idx[ok], weights=p.ravel()[ok], minlength=len(edges) - 1)
    counts = np.bincount(idx[ok], minlength=len(edges) - 1)
    centres = np.sqrt(edges[:-1] * edges[1:])
    keep = (counts > 0) & (sums > 0)
    if keep.sum() < 2:
        return 0.0, 0.0
    slope = float(np.polyfit(np.log10(centres[keep]), np.log10(sums[keep] / counts[keep]), 1)[0])
    total = float(p.sum() - p[0, 0])
    hf = float(p[r > 0.25].sum()) / max(total, EPS)
    return slope, hf


def spectrum_features(grey: np.ndarray) -> dict[str, float]:
    slope, hf = spectrum_slope(grey)
    return {"spectrum_slope": slope, "spectrum_hf_share": hf}


GREY_GROUPS: tuple[Callable[[np.ndarray], dict[str, float]], ...] = (
    grey_features,
    detail_features,
    gradient_features,
    lbp_features,
    spectrum_features,
)


def feature_groups() -> dict[str, list[str]]:
    """Feature names by the function that computes them (colour, grey, detail, gradient, lbp, spectrum)."""
    card = np.zeros((48, 64, 3), np.uint8)
    card[:, 32:] = 200
    grey = card[..., 0]
    groups = {"colour": list(colour_features(card))}
    for group in GREY_GROUPS:
        groups[group.__name__.removesuffix("_features")] = list(group(grey))
    return groups


def image_features(rgb: np.ndarray) -> dict[str, float]:
    """Every statistic of one prepared uint8 RGB image, in a fixed order."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    out = colour_features(rgb)
    for group in GREY_GROUPS:
        out.update(group(grey))
    return out


def feature_names() -> list[str]:
    """The names `image_features` returns, in order (computed on a small test card)."""
    card = np.zeros((48, 64, 3), np.uint8)
    card[:, 32:] = 200
    return list(image_features(card))
