"""Which words can still be read after the degradation stage: ink contrast against the paper around each word.

A word's contrast is the paper's grey around it (the median of the non-ink pixels in its box grown by half its
height) minus the grey of its darkest ink (the 10th percentile of its glyph pixels), both in the final image.
Fading, glare, blur and noise all show up in it: faded ink is lighter, blur mixes ink with paper so even the
darkest stroke pixels lighten, glare lifts both. A word below :data:`MIN_CONTRAST` grey levels, or with fewer
than :data:`MIN_INK_PX` glyph pixels left, is marked ``ignore`` with ``ignore_reason: "illegible"``; its pixels,
box, quad and text stay in the record, and every writer treats it as its format's ignore region.

Threshold (tesseract 5.3.0, ``--psm 7``, native resolution, words of >= 3 letters/digits from receipts of
``scenes/receipt.yaml`` under thermal_fade strengths 0.2..0.95; see ``tests/augment/test_legibility.py``): words read
exactly, by contrast band — see README ("Ignored instances") for the measured table.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.types import Instances, Sample

MIN_CONTRAST = 24.0  # grey levels (0..255) between paper and darkest ink, below which a word is illegible
MIN_INK_PX = 12  # glyph pixels: fewer than this cannot hold a readable character
INK_PERCENTILE = 10  # the darkest strokes (a percentile, so a few noisy pixels do not make a word legible)
TEXT_CLASSES = ("word",)


def grey(image: np.ndarray) -> np.ndarray:
    """(H,W) float32 luma (ITU-R BT.601, as OpenCV converts RGB)."""
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)


def text_rows(sample: Sample) -> np.ndarray:
    """(N,) bool: the rows of a text class."""
    ids = [k for k, c in enumerate(sample.classes) if c in TEXT_CLASSES]
    return np.isin(sample.instances.class_id, ids)


def word_contrast(sample: Sample) -> tuple[np.ndarray, np.ndarray]:
    """(N,) float32 contrast in grey levels of each text row (NaN for other rows and words without ink) and (N,)
    int64 glyph pixel counts (0 for other rows)."""
    inst = sample.instances
    g = grey(sample.image)
    h, w = g.shape
    contrast = np.full(len(inst), np.nan, np.float32)
    ink_px = np.zeros(len(inst), np.int64)
    rows = np.flatnonzero(text_rows(sample)).tolist()
    ink_anywhere = np.zeros((h, w), bool)  # the paper around a word is what no word's ink covers
    for layer in {int(inst.layer[r]) for r in rows}:
        ink_anywhere |= sample.maps[layer] != 0
    for r in rows:
        x0, y0, x1, y1 = (int(v) for v in inst.boxes[r])
        pad = max(2, (y1 - y0) // 2)
        X0, Y0, X1, Y1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
        crop = g[Y0:Y1, X0:X1]
        glyphs = sample.maps[int(inst.layer[r]), Y0:Y1, X0:X1] == inst.instance_id[r]
        paper = crop[~ink_anywhere[Y0:Y1, X0:X1]]
        ink_px[r] = int(glyphs.sum())
        if ink_px[r] and paper.size:
            contrast[r] = float(np.median(paper)) - float(np.percentile(crop[glyphs], INK_PERCENTILE))
    return contrast, ink_px


def mark_illegible(sample: Sample) -> Sample:
    """The sample with ``ignore`` / ``ignore_reason`` attrs set on words too faint or too small to read, and each
    word's ``ink_contrast`` (None for other rows); a row already ignored keeps its first reason."""
    inst = sample.instances
    n = len(inst)
    if not text_rows(sample).any():
        return sample
    contrast, ink_px = word_contrast(sample)
    illegible = text_rows(sample) & (
        (np.nan_to_num(contrast, nan=0.0) < MIN_CONTRAST) | (ink_px < MIN_INK_PX)
    )
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
