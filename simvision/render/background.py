"""Procedural backgrounds a receipt lies on: wood, fabric, stone, plain. Pure functions of (kind, size, rng)."""

from __future__ import annotations

import cv2
import numpy as np


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: int) -> np.ndarray:
    """Value noise in [0,1]: a coarse random grid upsampled with bicubic interpolation."""
    gh, gw = max(2, h // cell + 2), max(2, w // cell + 2)
    grid = rng.random((gh, gw), dtype=np.float32)
    up = cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(up, 0, 1)


def _fractal(rng: np.random.Generator, h: int, w: int, cells: tuple[int, ...]) -> np.ndarray:
    acc = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for c in cells:
        acc += amp * _smooth_noise(rng, h, w, c)
        total += amp
        amp *= 0.5
    return acc / total


def _tint(shade: np.ndarray, dark: np.ndarray, light: np.ndarray) -> np.ndarray:
    return (dark[None, None, :] + shade[..., None] * (light - dark)[None, None, :]).astype(np.float32)


def background(kind: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """(H,W,3) uint8 RGB. Textures are made at half resolution and upsampled (they are soft)."""
    small = cv2.convertScaleAbs(_texture(kind, (h + 1) // 2, (w + 1) // 2, rng))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _texture(kind: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "wood":
        base = np.array(rng.choice([[92, 58, 34], [140, 96, 60], [170, 128, 84], [70, 50, 40]]), np.float32)
        light = np.clip(base * 1.45, 0, 255)
        grain_noise = _smooth_noise(rng, h, w, 96) * 1.2 + _smooth_noise(rng, h, w, 12) * 0.15
        y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        freq = rng.uniform(18, 40)
        rings = 0.5 + 0.5 * np.sin(2 * np.pi * (y * freq + grain_noise))
        fine = _smooth_noise(rng, h, w, 3)
        shade = 0.65 * rings**3 + 0.35 * fine
        img = _tint(shade, base, light)
        if rng.random() < 0.5:
            img = np.ascontiguousarray(np.transpose(cv2.resize(img, (h, w)), (1, 0, 2)))
        return img
    if kind == "fabric":
        base = np.array(rng.uniform(40, 200, 3), np.float32)
        period = rng.uniform(3.0, 6.0)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        weave = 0.5 + 0.25 * np.sin(2 * np.pi * xx / period) * np.sin(2 * np.pi * yy / period)
        shade = 0.6 * weave + 0.4 * _fractal(rng, h, w, (64, 16))
        return _tint(shade, base * 0.7, np.clip(base * 1.3, 0, 255))
    if kind == "stone":
        base = np.array(rng.uniform(90, 190) * np.ones(3) + rng.uniform(-15, 15, 3), np.float32)
        shade = _fractal(rng, h, w, (128, 32, 8, 2))
        return _tint(shade, base * 0.6, np.clip(base * 1.35, 0, 255))
    if kind == "plain":
        top = rng.uniform(30, 220, 3).astype(np.float32)
        bottom = np.clip(top * rng.uniform(0.6, 1.1), 0, 255)
        t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        return np.broadcast_to(top * (1 - t) + bottom * t, (h, w, 3)).astype(np.float32)
    raise ValueError(f"unknown background {kind!r}")
