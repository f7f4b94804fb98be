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


def _order_stats_u8(x: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """The values of rank ``ranks`` (0-based, in sorted order) of a uint8 array, by counting instead of sorting."""
    cum = np.cumsum(np.bincount(x.ravel(), minlength=256))
    return np.searchsorted(cum, ranks, side="right").astype(np.float64)


def percentile_u8(x: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """``np.percentile(x, qs)`` (linear interpolation) of a uint8 array, exactly, from its histogram."""
    pos = np.asarray(qs, np.float64) / 100.0 * (x.size - 1)
    lo = np.floor(pos).astype(np.int64)
    v = _order_stats_u8(x, np.concatenate([lo, np.minimum(lo + 1, x.size - 1)]))
    a, b = v[: len(lo)], v[len(lo) :]
    return a + (pos - lo) * (b - a)


def _median_int(x: np.ndarray, offset: int) -> int:
    """Twice the median of an integer array whose values lie in [-offset, offset] (an integer, so exact)."""
    n = x.size
    cum = np.cumsum(np.bincount((x.ravel() + offset).astype(np.intp), minlength=2 * offset + 1))
    lo, hi = np.searchsorted(cum, [(n - 1) // 2, n // 2], side="right")
    return int(lo + hi) - 2 * offset


def percentile_f(x: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """``np.percentile(x, qs)`` (linear interpolation) with one partition for every rank needed."""
    flat = x.ravel()
    pos = np.asarray(qs, np.float64) / 100.0 * (flat.size - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, flat.size - 1)
    part = np.partition(flat, np.unique(np.concatenate([lo, hi])))
    a, b = part[lo].astype(np.float64), part[hi].astype(np.float64)
    return a + (pos - lo) * (b - a)


def colour_features(rgb: np.ndarray) -> dict[str, float]:
    """Channel moments, HSV saturation, Hasler-Suesstrunk colourfulness and saturation-weighted hue entropy."""
    out: dict[str, float] = {}
    mean, std = cv2.meanStdDev(rgb)
    for k, c in enumerate("rgb"):
        out[f"{c}_mean"] = float(mean[k, 0]) / 255.0
        out[f"{c}_std"] = float(std[k, 0]) / 255.0
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV_FULL)
    sat8 = np.ascontiguousarray(hsv[..., 1])
    m, sd = cv2.meanStdDev(sat8)
    out["sat_mean"] = float(m[0, 0]) / 255.0
    out["sat_std"] = float(sd[0, 0]) / 255.0
    out["sat_p90"] = float(percentile_u8(sat8, (90,))[0]) / 255.0
    # opponent channels in grey levels (int16 exact), scaled to [0, 1] units
    r, g, b = (rgb[..., k].astype(np.int16) for k in range(3))
    rg, yb2 = r - g, r + g - 2 * b  # yb2 = 2 * yellow-blue
    (mrg,), (srg,) = (v.ravel() for v in cv2.meanStdDev(rg.astype(np.float32)))
    (myb,), (syb,) = (v.ravel() / 2.0 for v in cv2.meanStdDev(yb2.astype(np.float32)))
    out["colourfulness"] = float(np.hypot(srg, syb) + 0.3 * np.hypot(mrg, myb)) / 255.0
    hue_hist = np.bincount(
        (hsv[..., 0].ravel().astype(np.int32) * 18) // 256, weights=sat8.ravel() / 255.0, minlength=18
    )
    out["hue_entropy"] = _entropy(hue_hist)
    return out


def _hist_moments(counts: np.ndarray, values: np.ndarray) -> tuple[float, float, float, float]:
    """`_moments` of the values a histogram counts (mean, std, skewness, excess kurtosis), from the histogram."""
    w = counts / counts.sum()
    m = float(w @ values)
    d = values - m
    d2 = d * d
    var = float(w @ d2)
    s = math.sqrt(max(var, 0.0))
    if s < EPS:
        return m, s, 0.0, 0.0
    return m, s, float(w @ (d2 * d)) / s**3, float(w @ (d2 * d2)) / var**2 - 3.0


def grey_features(grey: np.ndarray) -> dict[str, float]:
    """Grey-level moments, robust range, clipping and a 16-bin histogram with its entropy (grey uint8).
    Everything comes from the 256-bin histogram (exact for uint8)."""
    counts = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    m, s, sk, ku = _hist_moments(counts, np.arange(256) / 255.0)
    p1, p99 = percentile_u8(grey, (1, 99))
    hist = counts.reshape(16, 16).sum(1) / grey.size
    out = {"grey_mean": m, "contrast_rms": s, "grey_skew": sk, "grey_kurtosis": ku}
    out["contrast_p1_p99"] = float(p99 - p1) / 255.0
    out["clip_low"] = float(counts[:3].sum()) / grey.size
    out["clip_high"] = float(counts[253:].sum()) / grey.size
    out.update({f"grey_hist_{k:02d}": float(v) for k, v in enumerate(hist)})
    out["grey_entropy"] = _entropy(counts)
    return out


def noise_sigma(grey: np.ndarray) -> float:
    """Noise standard deviation in grey levels: MAD of Immerkaer's high-pass residual.

    The kernel cancels constant, linear and quadratic intensity, so what is left in most pixels is noise; the median
    ignores the edges. Its response to white noise of std s has std 6s, hence the division.
    """
    k = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
    # integer kernel on uint8: the residual is an exact int16 in [-4080, 4080]; medians by counting (exact)
    r = cv2.filter2D(grey, cv2.CV_16S, k, borderType=cv2.BORDER_REFLECT)[1:-1, 1:-1].astype(np.int32)
    med2 = _median_int(r, 4080)  # 2 x median
    mad2 = _median_int(np.abs(2 * r - med2), 16320)  # 2 x median of |2r - 2 med| = 4 x MAD
    return 1.4826 * (mad2 / 4.0) / 6.0


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
    # Canny's own 3x3 Sobel, computed once for both thresholds (the same edges as cv2.Canny(grey, lo, hi))
    dx = cv2.Sobel(grey, cv2.CV_16S, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE)
    dy = cv2.Sobel(grey, cv2.CV_16S, 0, 1, ksize=3, borderType=cv2.BORDER_REPLICATE)
    for lo, hi in ((50, 150), (100, 200)):
        out[f"edges_canny_{lo}_{hi}"] = np.count_nonzero(cv2.Canny(dx, dy, lo, hi)) / grey.size
    unit = g / 255.0
    # kernels cut at 3 sigma (OpenCV's default for float images reaches 4 sigma: a third more work)
    blurred = [cv2.GaussianBlur(unit, (2 * math.ceil(3 * s) + 1,) * 2, s) for s in DOG_SIGMAS]
    for k in range(len(DOG_SIGMAS) - 1):
        out[f"dog_band_{k}"] = float((blurred[k] - blurred[k + 1]).std())
    return out


def gradient_features(grey: np.ndarray) -> dict[str, float]:
    """Sobel gradient magnitude statistics and histograms, magnitude-weighted orientation histogram (8 bins)."""
    g = grey.astype(np.float32) / 255.0
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag, ang = cv2.cartToPolar(gx, gy, angleInDegrees=True)
    m, sd = cv2.meanStdDev(mag)
    out = {"grad_mean": float(m[0, 0]), "grad_std": float(sd[0, 0])}
    for q, v in zip((50, 90, 99), percentile_f(mag, (50, 90, 99)), strict=True):  # one partition, not three
        out[f"grad_p{q}"] = float(v)
    # Heavy tails of the derivative distribution are the most stable natural-image statistic.
    out["grad_log_kurtosis"] = math.log10(max(_moments(gx)[3] + 3.0, EPS))
    at_least = [mag.size] + [int(np.count_nonzero(mag >= e)) for e in GRAD_EDGES[1:-1]] + [0]
    out.update(
        {f"grad_hist_{k}": (at_least[k] - at_least[k + 1]) / mag.size for k in range(len(at_least) - 1)}
    )
    # OpenCV's angle (about 0.3 degrees accurate) is ~40x faster than arctan2; a bin spans 22.5 degrees, and
    # opposite directions share one (an edge's orientation, not its sign)
    obin = (ang * np.float32(1 / 22.5)).astype(np.int32) % 8
    ohist = np.bincount(obin.ravel(), weights=mag.ravel(), minlength=8)
    ohist = ohist / max(float(ohist.sum()), EPS)
    out.update({f"orient_hist_{k}": float(v) for k, v in enumerate(ohist)})
    out["orient_entropy"] = _entropy(ohist)
    return out


def _lbp_lut() -> np.ndarray:
    """Rotation-invariant uniform code of each 8-bit neighbour pattern: its number of ones when the ring has at
    most two 0/1 transitions, else 9."""
    bits = (np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1
    transitions = np.abs(bits - np.roll(bits, 1, axis=1)).sum(1)
    return np.where(transitions <= 2, bits.sum(1), 9).astype(np.uint8)


LBP_LUT = _lbp_lut()
LBP_RING = ((0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0))


def lbp_features(grey: np.ndarray) -> dict[str, float]:
    """Histogram of rotation-invariant uniform LBP codes (8 neighbours, radius 1): 0-8 ones, 9 non-uniform."""
    c = grey[1:-1, 1:-1]
    h, w = grey.shape
    pattern = np.zeros(c.shape, np.uint8)
    for k, (dy, dx) in enumerate(LBP_RING):
        pattern |= (grey[dy : h - 2 + dy, dx : w - 2 + dx] >= c).view(np.uint8) << np.uint8(k)
    hist = np.bincount(LBP_LUT[pattern].ravel(), minlength=10).astype(np.float64) / c.size
    return {f"lbp_{k}": float(v) for k, v in enumerate(hist)}


@functools.lru_cache(maxsize=8)
def _rings(shape: tuple[int, int], band: tuple[float, float]) -> tuple[np.ndarray, ...]:
    """Per image shape (all images of a set are prepared to one size, so computed once): the Hann window, the
    ring index and weight of each in-band coefficient of the half spectrum (``rfft2``: columns other than 0 and
    the Nyquist one stand for two coefficients), the weights of the coefficients above 0.25 cycles/pixel and of
    all coefficients, the ring edges and the coefficient count per ring."""
    h, w = shape
    win = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)
    fy, fx = np.meshgrid(np.fft.fftfreq(h), np.fft.rfftfreq(w), indexing="ij")
    r = np.hypot(fx, fy).ravel()
    twice = np.full(fx.shape, 2.0)
    twice[:, 0] = 1.0
    if w % 2 == 0:
        twice[:, -1] = 1.0
    twice = twice.ravel()
    edges = np.geomspace(band[0], band[1], 25)
    idx = np.digitize(r, edges) - 1
    sel = np.flatnonzero((idx >= 0) & (idx < len(edges) - 1))
    counts = np.bincount(idx[sel], weights=twice[sel], minlength=len(edges) - 1)
    high = np.flatnonzero(r > 0.25)
    return win, sel, idx[sel], twice[sel], high, twice[high], twice, edges, counts


def spectrum_slope(grey: np.ndarray, band: tuple[float, float] = SPECTRUM_BAND) -> tuple[float, float]:
    """(slope of log power against log radial frequency, share of power above 0.25 cycles/pixel).

    Hann-windowed, mean removed, power averaged in 24 log-spaced rings inside `band`; a 1/f amplitude spectrum
    gives a slope of -2. The image is real, so the half spectrum (``rfft2``) holds every coefficient once or twice.
    """
    g = grey.astype(np.float32)
    win, sel, ring, w_ring, high, w_high, twice, edges, counts = _rings(g.shape, band)
    p = np.abs(np.fft.rfft2((g - g.mean()) * win)).ravel().astype(np.float64) ** 2
    sums = np.bincount(ring, weights=p[sel] * w_ring, minlength=len(edges) - 1)
    centres = np.sqrt(edges[:-1] * edges[1:])
    keep = (counts > 0) & (sums > 0)
    if keep.sum() < 2:
        return 0.0, 0.0
    slope = float(np.polyfit(np.log10(centres[keep]), np.log10(sums[keep] / counts[keep]), 1)[0])
    # elementwise sums, not BLAS dot products: a threaded BLAS on a busy machine spins for milliseconds
    total = float((p * twice).sum() - p[0])
    hf = float((p[high] * w_high).sum()) / max(total, EPS)
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
