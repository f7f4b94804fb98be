"""Which words can still be read after the degradation stage: ink contrast against the paper around each word.

A word's contrast is the paper's grey around it (the median of the non-ink pixels in its box grown by half its
height) minus the median grey of its glyph pixels, both in the final image. Fading, glare, blur and noise all show
in it: faded ink is lighter, blur mixes strokes with paper, glare lifts both. The median, not the darkest pixels:
a word half faded away keeps a few dark pixels, and tesseract's reading follows the median far better. A word below
:data:`MIN_CONTRAST` grey levels, or on a printed line less than :data:`MIN_LINE_PX` tall in the image (a far,
zoomed-out view), is marked ``ignore`` with ``ignore_reason: "illegible"``; its pixels, box, quad and text stay in
the record, and every writer treats it as its format's ignore region.

Threshold: tesseract 5.3.0 (``--psm 7``, one word at native size, exact match of words with >= 3 letters/digits;
813 words of 3 receipts of ``scenes/receipt.yaml`` under thermal_fade 0.8 / 0.9 / 0.95) reads by contrast band:
0-12 grey levels 31%, 12-24 45%, 24-40 60%, >= 40 92%. Below 24 it reads under half of what it reads on crisp
words; between 24 and 40 the print is faint but mostly read, so it stays a label.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.types import Instances, Sample

MIN_CONTRAST = 24.0  # grey levels (0..255) between paper and darkest ink, below which a word is illegible
MIN_LINE_PX = 6.0  # printed line height (the word's quad), px: below it even the capitals are 4 px or less
INK_PERCENTILE = 50  # the strokes' typical grey: a word half faded away still has some dark pixels


def grey(image: np.ndarray) -> np.ndarray:
    """(H,W) float32 luma (ITU-R BT.601, as OpenCV converts RGB)."""
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)


def text_rows(sample: Sample, text_classes: frozenset[str]) -> np.ndarray:
    """(N,) bool: the rows of a text class (the scene kind's ``text_classes``: masks of printed glyphs)."""
    ids = [k for k, c in enumerate(sample.classes) if c in text_classes]
    return np.isin(sample.instances.class_id, ids)


def word_contrast(sample: Sample, text_classes: frozenset[str]) -> np.ndarray:
    """(N,) float32 contrast in grey levels of each text row (NaN for other rows).

    The medians are read off each word's 256-bin histograms of its (integer) grey levels, exactly as ``np.median``
    / ``np.percentile(..., 50)`` of the pixels give them."""
    inst = sample.instances
    g = cv2.cvtColor(sample.image, cv2.COLOR_RGB2GRAY)  # uint8: grey() before its float
    h, w = g.shape
    contrast = np.full(len(inst), np.nan, np.float32)
    rows = np.flatnonzero(text_rows(sample, text_classes)).tolist()
    if not rows:
        return contrast
    ink_anywhere = np.zeros((h, w), bool)  # the paper around a word is what no word's ink covers
    for layer in {int(inst.layer[r]) for r in rows}:
        ink_anywhere |= sample.maps[layer] != 0
    paper = np.logical_not(ink_anywhere).view(np.uint8)
    paper_hist = np.zeros((len(rows), 256), np.float32)
    glyph_hist = np.zeros((len(rows), 256), np.float32)
    boxes = inst.boxes[rows].astype(np.int64).tolist()  # int(v) of each coordinate
    layers, ids = inst.layer[rows].tolist(), inst.instance_id[rows].tolist()
    maps = {layer: sample.maps[layer] for layer in set(layers)}
    for k, ((x0, y0, x1, y1), layer, iid) in enumerate(zip(boxes, layers, ids, strict=True)):
        pad = max(2, (y1 - y0) // 2)
        X0, Y0, X1, Y1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
        if X1 <= X0 or Y1 <= Y0:
            continue
        crop = g[Y0:Y1, X0:X1]
        glyphs = (maps[layer][Y0:Y1, X0:X1] == iid).view(np.uint8)
        glyph_hist[k] = cv2.calcHist([crop], [0], glyphs, [256], [0, 256]).ravel()
        paper_hist[k] = cv2.calcHist([crop], [0], paper[Y0:Y1, X0:X1], [256], [0, 256]).ravel()
    ok = (glyph_hist.sum(axis=1) > 0) & (paper_hist.sum(axis=1) > 0)
    contrast[np.asarray(rows)[ok]] = _hist_median(paper_hist[ok]) - _hist_median(glyph_hist[ok])
    return contrast


def _hist_median(hist: np.ndarray) -> np.ndarray:
    """(K,) float64 medians of (K,256) histograms of grey levels (each row non-empty): the middle value, or the
    mean of the two middle values of an even count, as ``np.median`` and ``np.percentile(..., 50)`` give them."""
    cum = np.cumsum(hist, axis=1)
    total = cum[:, -1]
    lo = (cum <= ((total - 1) // 2)[:, None]).sum(axis=1)  # the value at rank (n - 1) // 2
    hi = (cum <= (total // 2)[:, None]).sum(axis=1)  # the value at rank n // 2
    return (lo + hi) / 2.0


def line_height(quads: np.ndarray) -> np.ndarray:
    """(N,) mean length of the left and right edges of (N,4,2) clockwise quads: the printed line's height, px."""
    left = np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1)
    right = np.linalg.norm(quads[:, 2] - quads[:, 1], axis=1)
    return (left + right) / 2


def mark_illegible(sample: Sample, text_classes: frozenset[str]) -> Sample:
    """The sample with ``ignore`` / ``ignore_reason`` attrs set on words too faint or too small to read, and each
    word's ``ink_contrast`` (None for other rows); a row already ignored keeps its first reason."""
    inst = sample.instances
    n = len(inst)
    text = text_rows(sample, text_classes)
    if not text.any():
        return sample
    contrast = word_contrast(sample, text_classes)
    small = line_height(inst.quads) < MIN_LINE_PX  # a NaN quad compares False: no quad, no size rule
    illegible = text & ((np.nan_to_num(contrast, nan=0.0) < MIN_CONTRAST) | small)
    ignore = inst.attrs["ignore"].astype(bool) if "ignore" in inst.attrs else np.zeros(n, bool)
    reason = inst.attrs["ignore_reason"].copy() if "ignore_reason" in inst.attrs else np.full(n, None, object)
    reason[illegible & ~ignore] = "illegible"
    contrast_col = np.empty(n, object)
    contrast_col[:] = [None if np.isnan(c) else round(float(c), 1) for c in contrast.tolist()]
    attrs = {
        **inst.attrs,
        "ignore": ignore | illegible,
        "ignore_reason": reason,
        "ink_contrast": contrast_col,
    }
    out = Instances(
        inst.instance_id, inst.class_id, inst.layer, inst.boxes, inst.quads, inst.text, attrs, inst.polygons
    )
    return sample.with_(instances=out)
