"""Procedural backgrounds a receipt lies on: wood, fabric, stone, plain, white_cloth, linen. Pure functions of (kind, size, rng).

Each texture is a grey shade field in [0,1] (float32) tinted between a dark and a light colour. The soft textures
are made at half resolution and upsampled; the tint is applied per channel straight to uint8 (no float RGB image).
"""

from __future__ import annotations

import cv2
import numpy as np


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: int) -> np.ndarray:
    """Value noise in [0,1]: a coarse random grid upsampled with bicubic interpolation.

    Large cells go bicubic to 8 samples per cell, then linear the rest of the way: cubic upsampling by large
    factors is slow, and linear steps a few pixels apart on a field that smooth are invisible.
    """
    gh, gw = max(2, h // cell + 2), max(2, w // cell + 2)
    grid = rng.random((gh, gw), dtype=np.float32)
    step = cell // 8
    if step >= 2:
        grid = cv2.resize(grid, (-(-w // step), -(-h // step)), interpolation=cv2.INTER_CUBIC)
    up = cv2.resize(grid, (w, h), interpolation=cv2.INTER_LINEAR if step >= 2 else cv2.INTER_CUBIC)
    return np.clip(up, 0, 1, out=up)


def _fractal(rng: np.random.Generator, h: int, w: int, cells: tuple[int, ...]) -> np.ndarray:
    acc = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for c in cells:
        cv2.scaleAdd(_smooth_noise(rng, h, w, c), amp, acc, dst=acc)
        total += amp
        amp *= 0.5
    return acc * np.float32(1 / total)


def _tint(shade: np.ndarray, dark: np.ndarray, light: np.ndarray) -> np.ndarray:
    """(H,W,3) uint8: dark + shade x (light - dark), per channel, rounded and saturated."""
    chans = [
        cv2.convertScaleAbs(shade, alpha=float(hi - lo), beta=float(lo))
        for lo, hi in zip(dark, light, strict=True)
    ]
    return cv2.merge(chans)


def background(kind: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """(H,W,3) uint8 RGB. Textures are made at half resolution and upsampled (they are soft)."""
    if kind == "plain":  # a vertical gradient: made at full size directly, it is cheap
        top = rng.uniform(30, 220, 3).astype(np.float32)
        bottom = np.clip(top * rng.uniform(0.6, 1.1), 0, 255)
        t = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        column = cv2.convertScaleAbs(top * (1 - t) + bottom * t)  # (h, 3)
        return cv2.resize(column[:, None, :], (w, h), interpolation=cv2.INTER_NEAREST)
    small = _texture(kind, (h + 1) // 2, (w + 1) // 2, rng)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _wood_shade(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Growth rings running across the rows, bent by low-frequency noise, over fine fibre noise."""
    grain_noise = _smooth_noise(rng, h, w, 96) * np.float32(1.2) + _smooth_noise(rng, h, w, 12) * np.float32(
        0.15
    )
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    freq = np.float32(rng.uniform(18, 40))
    phase = np.float32(2 * np.pi) * (y * freq + grain_noise)
    rings = np.sin(phase, out=phase)
    rings = rings * np.float32(0.5) + np.float32(0.5)
    fine = _smooth_noise(rng, h, w, 3)
    return cv2.scaleAdd(fine, 0.35, cv2.multiply(cv2.multiply(rings, rings), rings, scale=0.65))


def _texture(kind: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """(h,w,3) uint8 texture of a kind other than plain."""
    if kind == "wood":
        base = np.array(rng.choice([[92, 58, 34], [140, 96, 60], [170, 128, 84], [70, 50, 40]]), np.float32)
        light = np.clip(base * 1.45, 0, 255)
        # Half of the planks run the other way: make the rings along the other axis and turn the shade field.
        across = rng.random() < 0.5
        shade = _wood_shade(rng, w, h).T if across else _wood_shade(rng, h, w)
        return _tint(np.ascontiguousarray(shade), base, light)
    if kind == "fabric":
        base = np.array(rng.uniform(40, 200, 3), np.float32)
        period = rng.uniform(3.0, 6.0)
        # the weave is separable: sin(x) sin(y) is an outer product of one row and one column
        xs = np.sin(2 * np.pi * np.arange(w, dtype=np.float32) / np.float32(period))
        ys = np.sin(2 * np.pi * np.arange(h, dtype=np.float32) / np.float32(period))
        weave = np.outer(ys * np.float32(0.25), xs) + np.float32(0.5)
        shade = weave * np.float32(0.6) + _fractal(rng, h, w, (64, 16)) * np.float32(0.4)
        return _tint(shade, base * 0.7, np.clip(base * 1.3, 0, 255))
    if kind == "stone":
        base = np.array(rng.uniform(90, 190) * np.ones(3) + rng.uniform(-15, 15, 3), np.float32)
        shade = _fractal(rng, h, w, (128, 32, 8, 2))
        return _tint(shade, base * 0.6, np.clip(base * 1.35, 0, 255))
    if kind in ("white_cloth", "linen"):
        return _cloth(kind, h, w, rng)
    raise ValueError(f"unknown background {kind!r}")


def _cloth(kind: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A pale tablecloth: a white cotton cloth (about 225..248 grey, a faint cool or warm cast) or an off-white
    linen (beige, coarser slubby weave). Both have a fine weave, soft folds (broad shading bands) and creases (thin
    darker lines where the cloth was folded in its packet), so a white receipt on them shows little contrast."""
    if kind == "white_cloth":
        level = rng.uniform(225, 248)
        cast = rng.choice([[-2, 0, 4], [3, 1, -3], [0, 0, 0]]) * rng.uniform(0.5, 1.5)
        period, weave_amp, slub_amp = rng.uniform(2.5, 4.0), 0.18, 0.05
    else:
        level = rng.uniform(200, 228)
        cast = np.array([10.0, 4.0, -10.0]) * rng.uniform(0.6, 1.2)
        period, weave_amp, slub_amp = rng.uniform(3.5, 5.5), 0.28, 0.25
    light = np.clip(level + cast + 6, 0, 255).astype(np.float32)
    xs = np.sin(2 * np.pi * np.arange(w, dtype=np.float32) / np.float32(period))
    ys = np.sin(2 * np.pi * np.arange(h, dtype=np.float32) / np.float32(period * rng.uniform(0.9, 1.1)))
    # threads cross as a plain weave: warp up where weft is down; slubs thicken single threads along rows
    slub = _smooth_noise(rng, h, 1, 6)[:, :1] * _smooth_noise(rng, 1, w, 40)[:1, :]
    weave = np.outer(ys, xs) * np.float32(weave_amp) + slub * np.float32(slub_amp)
    folds = _fractal(rng, h, w, (max(h, w) // 2, max(h, w) // 6))
    shade = np.float32(0.55) + weave + (folds - np.float32(0.5)) * np.float32(0.9)
    for _ in range(int(rng.integers(0, 3))):  # creases: a thin soft dark line with a lit ridge beside it
        line = np.zeros((h, w), np.float32)
        horizontal = rng.random() < 0.5
        pos = rng.uniform(0.15, 0.85) * (h if horizontal else w)
        tilt = rng.uniform(-0.04, 0.04) * (w if horizontal else h)
        a, b = ((0, pos), (w, pos + tilt)) if horizontal else ((pos, 0), (pos + tilt, h))
        cv2.line(line, (round(a[0]), round(a[1])), (round(b[0]), round(b[1])), 1.0, 2, cv2.LINE_AA)
        line = cv2.GaussianBlur(line, (0, 0), rng.uniform(1.5, 3.0))
        shade -= line * np.float32(rng.uniform(0.3, 0.7))
    dark = light * np.float32(0.86)  # shade 1 is the lit cloth, 0 a fold's shadow 14 % darker
    return _tint(np.clip(shade, 0, 1), dark, light)
