"""How the print head puts the text on paper (``params.look.printer``): a change to the glyph coverage image before
words get their masks, so a word's mask stays exactly its inked pixels.

``thermal`` (the default) leaves the coverage as drawn. The others, each a pure function of the coverage, the font
size and a seeded rng:

- ``dot_matrix``: impact printers build glyphs from dots of a 9-pin head: the coverage is sampled on a dot grid
  of row pitch ``px / 9`` (at least 2.2 px) and half that between columns (the head fires at half-dot steps), and
  a dot struck where a cell is at least 30% covered, as a round dot of 0.45 row pitch radius. The ribbon wears unevenly: dot strength varies per dot (0.7-1) and in slow bands.
- ``head_fault``: a thermal head with dead elements: 1-4 columns 1-2 px wide print nothing down the whole paper,
  thin white streaks through every line they cross.
- ``carbon``: a carbon copy: strokes spread by the pressure (Gaussian, sigma 0.6-1.1 px), uneven pressure (soft
  field 0.6-1) and a faint carbon haze under :data:`~simvision.scenes.receipt.typeset.INK_THRESHOLD` (never a
  mask pixel); its blue/purple tint is the ink colour the generator picks.
- ``inkjet``: ink bleeds into the paper: a halo around strokes (Gaussian, sigma 0.6-1.0 px, at 0.8 strength) and
  feathering along the paper's fibres (fine random field).

Ink that bleeds past a glyph belongs to the word whose region it falls in (``typeset``): still its ink.
"""

from __future__ import annotations

from typing import Literal, get_args

import cv2
import numpy as np

Printer = Literal["thermal", "dot_matrix", "head_fault", "carbon", "inkjet"]
PRINTERS: tuple[str, ...] = get_args(Printer)

DOT_ROWS = 9  # pins of the head: dot rows per em (7 for capitals, 2 more for descenders)
MIN_PITCH = 2.2  # px: finer dots merge into strokes at this resolution
HAZE = 40  # carbon haze coverage ceiling (< INK_THRESHOLD = 64: never ink in a mask)


def _soft(rng: np.random.Generator, shape: tuple[int, int], cell: int, lo: float) -> np.ndarray:
    """float32 field of slow random variation in [lo, 1] (bilinear over a grid of ``cell`` px)."""
    h, w = shape
    grid = (rng.random((h // cell + 2, w // cell + 2)) * (1 - lo) + lo).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_LINEAR)


def dot_matrix(cov: np.ndarray, px: int, rng: np.random.Generator) -> np.ndarray:
    h, w = cov.shape
    pitch = max(MIN_PITCH, px / DOT_ROWS)  # between the pins (rows)
    step = pitch / 2  # the head fires at half-dot steps as it moves along the line (columns)
    gh, gw = int(np.ceil(h / pitch)), int(np.ceil(w / step))
    # mean coverage of each dot cell (area resampling of the coverage onto the grid)
    cells = cv2.resize(cov, (gw, gh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    struck = cells >= 0.3
    strength = rng.uniform(0.7, 1.0, size=(gh, gw)).astype(np.float32)
    ys, xs = np.nonzero(struck)
    # each struck dot an impulse at its cell centre, then stamped as a round dot with a soft 1 px rim
    iy = np.clip(np.floor((ys + 0.5) * pitch + 0.5).astype(int), 0, h - 1)  # half up: even row spacing
    ix = np.clip(np.floor((xs + 0.5) * step + 0.5).astype(int), 0, w - 1)
    impulses = np.zeros((h, w), np.float32)
    impulses[iy, ix] = strength[ys, xs]
    radius = 0.45 * pitch
    r = int(np.ceil(radius)) + 1
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    dot = np.clip(radius + 0.5 - np.sqrt(yy**2 + xx**2), 0.0, 1.0).astype(np.float32)
    # stamp every dot (overlapping dots: the stronger one, as a grey-level dilation by the dot's profile)
    out = np.zeros((h, w), np.float32)
    padded = np.pad(impulses, r)
    for dy, dx in zip(*np.nonzero(dot), strict=True):
        np.maximum(
            out, padded[2 * r - dy : 2 * r - dy + h, 2 * r - dx : 2 * r - dx + w] * dot[dy, dx], out=out
        )
    ribbon = _soft(rng, (h, w), max(8, 3 * px), 0.55)  # worn ribbon: bands of lighter print
    return np.clip(out * ribbon * 255.0, 0, 255).astype(np.uint8)


def head_fault(cov: np.ndarray, px: int, rng: np.random.Generator) -> np.ndarray:
    h, w = cov.shape
    out = cov.copy()
    for _ in range(int(rng.integers(1, 5))):
        x = int(rng.integers(0, w))
        out[:, x : x + int(rng.integers(1, 3))] = 0
    return out


def carbon(cov: np.ndarray, px: int, rng: np.random.Generator) -> np.ndarray:
    h, w = cov.shape
    spread = cv2.GaussianBlur(cov.astype(np.float32), (0, 0), float(rng.uniform(0.6, 1.1)))
    pressure = _soft(rng, (h, w), max(8, 2 * px), 0.6)
    ink = np.clip(spread * 1.25 * pressure, 0, 255)
    haze = _soft(rng, (h, w), max(8, 4 * px), 0.0) ** 3 * HAZE  # smudges of carbon, mostly nothing
    return np.maximum(ink, haze).astype(np.uint8)


def inkjet(cov: np.ndarray, px: int, rng: np.random.Generator) -> np.ndarray:
    h, w = cov.shape
    f = cov.astype(np.float32)
    halo = cv2.GaussianBlur(f, (0, 0), float(rng.uniform(0.6, 1.0))) * 0.8
    fibres = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), 0.7)
    feather = cv2.GaussianBlur(f, (0, 0), 1.6) * np.clip((fibres - 0.45) * 4.0, 0.0, 1.0) * 0.7
    return np.clip(np.maximum(f, np.maximum(halo, feather)), 0, 255).astype(np.uint8)


_EFFECTS = {"dot_matrix": dot_matrix, "head_fault": head_fault, "carbon": carbon, "inkjet": inkjet}


def apply_printer(cov: np.ndarray, printer: str, px: int, rng: np.random.Generator) -> np.ndarray:
    """The coverage ``printer`` leaves of the drawn glyph coverage ``cov`` (uint8, paper coordinates)."""
    if printer == "thermal":
        return cov
    try:
        effect = _EFFECTS[printer]
    except KeyError:
        raise ValueError(f"unknown printer {printer!r}; allowed: {list(PRINTERS)}") from None
    return effect(cov, px, rng)
