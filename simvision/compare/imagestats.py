"""Per-image statistics for ``compare``: the realism features (:mod:`simvision.compare.features`) on a common
working size, colour histograms, and the file's JPEG quality estimated from its quantisation table.

Every image is centre-cropped and resized to ``SIZE`` first, so resolution and aspect are not what tells the sets
apart (they are reported separately, from the labels' image sizes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from simvision.compare.features import image_features, prepare

SIZE = (256, 192)
COLOUR_BINS = 8
# The IJG (libjpeg) luminance table at quality 50, in zig-zag order as a DQT segment stores it; other qualities
# scale it by 5000/q (q < 50) or 200 - 2q (q >= 50) percent.
IJG_LUMA = np.array([
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58,
    51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103,
    62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
], np.float64)  # fmt: skip


def jpeg_quality(data: bytes) -> float:
    """The IJG quality (1..100) whose luminance table is nearest the file's first one; 100 for a file that is not a
    JPEG (lossless). A table from another encoder gives the IJG quality of the same average step."""
    if data[:2] != b"\xff\xd8":
        return 100.0
    k = 2
    while k + 4 <= len(data):
        if data[k] != 0xFF:
            break
        marker, length = data[k + 1], int.from_bytes(data[k + 2 : k + 4], "big")
        if marker == 0xDB:
            precision = data[k + 4] >> 4
            n = 128 if precision else 64
            raw = data[k + 5 : k + 5 + n]
            table = np.frombuffer(raw, ">u2" if precision else np.uint8).astype(np.float64)
            scale = float((table / IJG_LUMA).mean()) * 100.0  # percent of the quality-50 table
            q = (200.0 - scale) / 2.0 if scale <= 100.0 else 5000.0 / scale
            return float(np.clip(round(q), 1, 100))
        if marker in (0xDA, 0xD9):  # start of scan / end: no table before it
            break
        k += 2 + length
    return 100.0


def colour_hist(rgb: np.ndarray) -> dict[str, float]:
    """Each channel's histogram in COLOUR_BINS bins, as shares of the pixels."""
    out: dict[str, float] = {}
    shift = 8 - int(np.log2(COLOUR_BINS))
    for k, c in enumerate("rgb"):
        h = np.bincount((rgb[..., k] >> shift).ravel(), minlength=COLOUR_BINS) / (rgb.shape[0] * rgb.shape[1])
        out.update({f"hist_{c}_{b}": float(v) for b, v in enumerate(h)})
    return out


def image_statistics(path: Path, size: tuple[int, int] = SIZE) -> dict[str, float]:
    """Every statistic of one image file, in a fixed order."""
    data = path.read_bytes()
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"cannot read image {path}")
    rgb = cv2.cvtColor(
        prepare(bgr, size), cv2.COLOR_BGR2RGB
    )  # resize first: the same pixels, a fraction of the work
    return image_features(rgb) | colour_hist(rgb) | {"jpeg_quality": jpeg_quality(data)}


def statistics_matrix(
    paths: Sequence[Path], progress: Callable[[int], None] | None = None
) -> tuple[np.ndarray, list[str]]:
    """(N, F) statistics of the files and the F names."""
    rows, names = [], []
    for k, p in enumerate(paths):
        f = image_statistics(p)
        names = names or list(f)
        rows.append(list(f.values()))
        if progress:
            progress(k + 1)
    return np.asarray(rows, np.float64).reshape(len(rows), len(names)), names


def pick(n: int, limit: int | None) -> list[int]:
    """``limit`` indices evenly spaced over ``n`` (all when n <= limit): deterministic, spread over sequences."""
    if limit is None or n <= limit:
        return list(range(n))
    return sorted({int(i) for i in np.linspace(0, n - 1, limit).round()})
