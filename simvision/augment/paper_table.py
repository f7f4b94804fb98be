"""Filling the table where paper went (curl, torn edge): the renderer's bare table when it gave one (exact);
otherwise the nearby table mirrored, with its slow colour and grain."""

from __future__ import annotations

import cv2
import numpy as np

from simvision.augment.light import blend_towards, downsample, paper_box
from simvision.augment.target import Target


def near_paper(surface: np.ndarray, px: int = 14, along: np.ndarray | None = None) -> np.ndarray:
    """Paper grown by ``px`` (bool), to cover its anti-aliased rim and the soft shadow it casts on the table;
    grown only towards the axis direction nearest ``along`` when given."""
    kernel, anchor = np.ones((2 * px + 1, 2 * px + 1), np.uint8), (-1, -1)
    if along is not None:
        wide = abs(along[0]) >= abs(along[1])
        kernel = np.ones((3, px + 1) if wide else (px + 1, 3), np.uint8)
        forward = (along[0] if wide else along[1]) > 0
        anchor = (px if forward else 0, 1) if wide else (1, px if forward else 0)
    return cv2.dilate((surface > 0).astype(np.uint8), kernel, anchor=anchor) > 0


def table_colour(image: np.ndarray, near: np.ndarray, step: int = 8) -> np.ndarray:
    """(h/step, w/step, 3) float32 slow colour of the table everywhere, paper included: normalised convolution of
    the table pixels at two widths, the table's mean where none is near."""
    small = downsample(image, step).astype(np.float32)
    w = (downsample((~near).astype(np.float32), step) > 0.99).astype(np.float32)
    mean = (small * w[..., None]).sum((0, 1)) / max(float(w.sum()), 1.0) if w.any() else np.full(3, 90.0)
    out = np.broadcast_to(mean.astype(np.float32), small.shape).copy()
    for sigma, need in ((8.0, 0.05), (2.0, 0.3)):  # wide first, so the near estimate wins where it exists
        den = cv2.GaussianBlur(w, (0, 0), sigma)
        num = cv2.GaussianBlur(small * w[..., None], (0, 0), sigma)
        k = np.clip(den / need, 0, 1)[..., None]
        out = k * num / np.maximum(den, 1e-6)[..., None] + (1 - k) * out
    return out


def upsample_box(coarse: np.ndarray, step: int, box: tuple[int, int, int, int]) -> np.ndarray:
    """The part ``box`` = (x, y, w, h) of a coarse field bilinearly upsampled ``step`` times (as the full frame)."""
    x, y, bw, bh = box
    c0, r0 = max(x // step - 1, 0), max(y // step - 1, 0)
    c1, r1 = min((x + bw) // step + 2, coarse.shape[1]), min((y + bh) // step + 2, coarse.shape[0])
    up = cv2.resize(
        coarse[r0:r1, c0:c1], ((c1 - c0) * step, (r1 - r0) * step), interpolation=cv2.INTER_LINEAR
    )
    return up[y - step * r0 : y - step * r0 + bh, x - step * c0 : x - step * c0 + bw]


def table_fill(
    t: Target, image: np.ndarray, alpha: np.ndarray, near: np.ndarray, seed: int, at: tuple[int, int] = (0, 0)
) -> np.ndarray:
    """Blend ``alpha`` (a field whose first pixel is at ``at``) of ``image`` towards the bare table where paper
    went (``near``: the paper grown over its rim and shadow). Texture: the table of ``t`` mirrored across the nearest of four axis-aligned lines just outside the
    paper's box (and again at the frame's edge), which continues the real table, unrotated and pixel-exact, across
    the fill's edge; grain where every mirror image lands on paper. Slow colour: that of the table around."""
    ax, ay, bw, bh = cv2.boundingRect((alpha > 0).astype(np.uint8))
    alpha = alpha[ay : ay + bh, ax : ax + bw]
    x, y = ax + at[0], ay + at[1]
    paper = paper_box(t.surface)
    if bw == 0 or paper is None:
        return image
    if t.backdrop is not None:  # the renderer gave the bare table: show exactly what is under the paper
        region = (slice(y, y + bh), slice(x, x + bw))
        out = image.copy()
        out[region] = blend_towards(image[region], np.ascontiguousarray(alpha), t.backdrop[region])
        return out
    h, w = t.shape
    wx, wy = max(x - 160, 0) // 8 * 8, max(y - 160, 0) // 8 * 8  # the table around the fill, on the 8-px grid
    window = (slice(wy, min(y + bh + 160, h)), slice(wx, min(x + bw + 160, w)))
    slow = upsample_box(table_colour(t.image[window], near[window]), 8, (x - wx, y - wy, bw, bh))
    noise = np.random.default_rng(seed).standard_normal((bh, bw)).astype(np.float32)
    patch = slow + 8.0 * cv2.GaussianBlur(noise, (0, 0), 1)[..., None]
    best = np.full((bh, bw), np.inf, np.float32)
    # per pixel, the nearest mirror line (right, left, below, above the paper) whose image is table
    for axis, sign in ((1, 1), (1, -1), (0, 1), (0, -1)):
        size, edge = (
            (w, paper[2] if sign > 0 else paper[0]) if axis else (h, paper[3] if sign > 0 else paper[1])
        )
        line = int(edge) + 16 * sign
        room = size - 1 - line if sign > 0 else line
        if room <= 24:
            continue
        gap = ((line - np.arange(x, x + bw)) if axis else (line - np.arange(y, y + bh))) * sign
        fold = np.mod(gap, 2 * room)
        src = line + sign * np.where(fold > room, 2 * room - fold, fold)  # mirrored again at the frame's edge
        if axis:  # a vertical line: mirror columns
            gap2, cand, hit = gap[None, :], t.image[y : y + bh][:, src], near[y : y + bh][:, src]
        else:
            gap2, cand, hit = gap[:, None], t.image[src][:, x : x + bw], near[src][:, x : x + bw]
        ok = ~hit & (gap2 < best)
        patch[ok] = cand[ok]
        best = np.where(ok, gap2, best)
    coarse = cv2.resize(patch, (max(bw // 8, 1), max(bh // 8, 1)), interpolation=cv2.INTER_AREA)
    patch += slow - cv2.resize(
        cv2.GaussianBlur(coarse, (0, 0), 2.0), (bw, bh), interpolation=cv2.INTER_LINEAR
    )
    out = image.copy()
    region = (slice(y, y + bh), slice(x, x + bw))
    out[region] = blend_towards(
        image[region], np.ascontiguousarray(alpha), np.clip(patch, 0, 255).astype(np.uint8)
    )
    return out
