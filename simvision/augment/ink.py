"""Ink effects on the paper: thermal print fading unevenly, and ink wicking into the paper's fibres.

Both are photometric (the maps stay bit-identical: the labelled strokes are where the ink was printed) and work only
inside the paper's box, relative to the paper's own colour, so the table around the receipt is never touched. They
form the ``ink`` stage, which runs before the paper is bent or shaded: measured after a wrinkle, the shaded facets
would pass for ink."""

from __future__ import annotations

from typing import Annotated, Literal

import cv2
import numpy as np

from simvision.augment.base import Effect, EffectConfig, Params, range_field, seed_from
from simvision.augment.light import paper_box, smooth_noise, upsample
from simvision.augment.target import Target
from simvision.distributions import FloatRange, within


def paper_colour(image: np.ndarray, surface: np.ndarray) -> np.ndarray:
    """RGB of the bare paper: the 75th percentile of fully-paper pixels on an 8x subsample (ink is darker and
    sparse, so it barely moves it); on a sliver of paper that the subsample misses, of every paper pixel; light
    grey-white when there is no paper."""
    paper = image[::8, ::8][surface[::8, ::8] > 0.99]
    if len(paper) < 16:
        paper = image[surface > 0.5]
    return np.percentile(paper, 75, axis=0) if len(paper) else np.full(3, 235.0)


def _paper_region(t: Target) -> tuple[tuple[int, int, int, int], np.ndarray] | None:
    """The paper's box (x0, y0, x1, y1) and the paper inside it as uint8 (255 = paper); None without paper."""
    box = paper_box(t.surface)
    if box is None:
        return None
    x0, y0, x1, y1 = (int(v) for v in box)
    return (x0, y0, x1, y1), cv2.convertScaleAbs(t.surface[y0:y1, x0:x1], alpha=255)


# ---------------------------------------------------------------- thermal fade


class ThermalFadeConfig(EffectConfig):
    name: Literal["thermal_fade"] = "thermal_fade"
    strength: Annotated[FloatRange, within(0, 1)] = range_field(0.2, 0.6, "mean fading of the ink")
    spread: Annotated[FloatRange, within(0, 1)] = range_field(0.2, 0.45, "patchiness of the fading")
    scale: Annotated[FloatRange, within(1, 10000)] = range_field(80.0, 300.0, "size of faded patches, px")


def _sample_fade(rng: np.random.Generator, c: ThermalFadeConfig, shape: tuple[int, int]) -> Params:
    return {
        "strength": c.strength.sample(rng),
        "spread": c.spread.sample(rng),
        "scale": c.scale.sample(rng),
        "ramp": float(rng.uniform(0, 0.3)),
        "ramp_angle": float(rng.uniform(0, 360)),
        "seed": seed_from(rng),
    }


def _apply_fade(t: Target, p: Params) -> Target:
    """Thermal print fading unevenly: dark pixels move towards the paper colour by a smooth random amount (patches,
    a slow ramp and fine mottling), on the paper only (worked in the paper's box); the paper keeps its texture. The
    fade is worked in uint8 (1/255 steps, the output's own resolution)."""
    region = _paper_region(t)
    if region is None:
        return t
    (x0, y0, x1, y1), paper8 = region
    image = t.image[y0:y1, x0:x1]
    bh, bw = paper8.shape
    rng = np.random.default_rng(p["seed"])
    step = 4
    noise = smooth_noise(
        rng, (-(-bh // step), -(-bw // step)), p["scale"] / step, octaves=3, persistence=0.45
    )
    a = np.radians(p["ramp_angle"])
    ys, xs = (np.mgrid[0 : noise.shape[0], 0 : noise.shape[1]].astype(np.float32) + np.float32(0.5)) * step
    ramp = ((xs - bw / 2) * np.cos(a) + (ys - bh / 2) * np.sin(a)) / max(t.frame[2:])
    fade = np.clip(p["strength"] + p["spread"] * noise + 2 * p["ramp"] * ramp, 0, 0.97).astype(np.float32)
    half = (-(-bh // 2), -(-bw // 2))
    mottled = upsample(fade, half) * (1 + 0.15 * smooth_noise(rng, half, 3.0))  # strokes fade unevenly too
    alpha = cv2.resize(cv2.convertScaleAbs(np.minimum(mottled, 0.97), alpha=255), (bw, bh))
    alpha = cv2.multiply(alpha, paper8, scale=1 / 255)
    colour = paper_colour(t.image, t.surface)
    ink = cv2.subtract((*(float(c) for c in colour), 0.0), image)  # saturates: brighter-than-paper stays
    out = t.image.copy()
    lift = cv2.multiply(ink, cv2.cvtColor(alpha, cv2.COLOR_GRAY2RGB), scale=1 / 255)
    cv2.add(image, lift, out[y0:y1, x0:x1])
    return t.with_(image=out)


# ---------------------------------------------------------------- ink bleed


class InkBleedConfig(EffectConfig):
    name: Literal["ink_bleed"] = "ink_bleed"
    spread: Annotated[FloatRange, within(0, 50)] = range_field(
        0.5, 1.2, "how far the ink wicks into the paper, px (gaussian sigma)"
    )
    strength: Annotated[FloatRange, within(0, 1)] = range_field(
        0.5, 0.9, "darkness of the wicked ink, relative to the stroke it came from"
    )
    fibre: Annotated[FloatRange, within(0, 1)] = range_field(
        0.3, 0.8, "unevenness of the wicking along the paper's fibres"
    )
    fibre_px: Annotated[FloatRange, within(0.5, 200)] = range_field(3.0, 8.0, "length of a fibre, px")


GRAIN = 16  # grey levels below the paper's colour that are texture of the paper, not ink


def _sample_bleed(rng: np.random.Generator, c: InkBleedConfig, shape: tuple[int, int]) -> Params:
    return {
        "spread": c.spread.sample(rng),
        "strength": c.strength.sample(rng),
        "fibre": c.fibre.sample(rng),
        "fibre_px": c.fibre_px.sample(rng),
        "fibre_angle": float(rng.uniform(0, 180)),
        "seed": seed_from(rng),
    }


def _fibres(
    rng: np.random.Generator, shape: tuple[int, int], length: float, angle: float, amount: float
) -> np.ndarray:
    """(h, w) uint8 factor ``1 + amount * noise`` in [0, 2] as 0..254 (127 is 1): white noise (unit std) at half
    resolution smeared by a line kernel ``length`` px long along ``angle`` (paper fibres run mostly one way, the
    machine direction), then upsampled."""
    h2, w2 = -(-shape[0] // 2), -(-shape[1] // 2)
    noise = rng.integers(0, 256, (h2, w2), np.uint8)  # uniform: mean 127.5, std 73.9
    k = max(int(np.ceil(length / 2)) | 1, 3)
    kernel = np.zeros((k, k), np.float32)
    a, c = np.radians(angle), (k - 1) / 2
    ends = [(round(c + s * c * np.cos(a)), round(c + s * c * np.sin(a))) for s in (-1, 1)]
    cv2.line(kernel, ends[0], ends[1], 1.0, 1, cv2.LINE_AA)
    kernel *= np.float32(127 * amount / (73.9 * np.sqrt(float((kernel**2).sum()))))  # std 127 * amount out
    delta = 127 - 127.5 * float(kernel.sum())  # mean 127
    streaks = cv2.filter2D(noise, cv2.CV_32F, kernel, delta=delta, borderType=cv2.BORDER_REFLECT)
    factor = cv2.convertScaleAbs(np.clip(streaks, 0, 254))  # clipped: convertScaleAbs would flip negatives
    return cv2.resize(factor, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)


def _apply_bleed(t: Target, p: Params) -> Target:
    """Ink wicking into the paper: each stroke's ink density (paper grey minus pixel grey, less the paper's grain)
    is spread by a gaussian of ``spread`` px, made uneven along the fibres, and darkens the paper around the stroke
    where the spread ink is darker than what is printed there (strokes thicken and their edges feather; no pixel
    gets lighter). Worked in uint8 on the bounding box of the ink, on the paper only."""
    paper = _paper_region(t)
    if paper is None:
        return t
    (x0, y0, x1, y1), paper8 = paper
    colour = paper_colour(t.image, t.surface).astype(np.uint8)[None, None]
    white = int(cv2.cvtColor(colour, cv2.COLOR_RGB2GRAY)[0, 0])
    grey = cv2.cvtColor(t.image[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    density = cv2.multiply(cv2.subtract(white, grey), paper8, scale=1 / 255)  # the table is not ink
    ink = cv2.subtract(density, GRAIN)  # the paper's own grain does not wick
    ys = np.flatnonzero(ink.max(1) > 8)  # rows and columns holding ink (1-px strokes too)
    xs = np.flatnonzero(ink.max(0) > 8)
    if len(xs) == 0:
        return t
    pad = int(np.ceil(3 * p["spread"])) + 2
    bx0, by0 = max(int(xs[0]) - pad, 0), max(int(ys[0]) - pad, 0)
    bx1, by1 = min(int(xs[-1]) + 1 + pad, x1 - x0), min(int(ys[-1]) + 1 + pad, y1 - y0)
    region = (slice(by0, by1), slice(bx0, bx1))
    d = density[region]
    wick = cv2.GaussianBlur(ink[region], (0, 0), p["spread"])
    rng = np.random.default_rng(p["seed"])
    uneven = _fibres(rng, d.shape, p["fibre_px"], p["fibre_angle"], p["fibre"])  # factor in [0, 2] as 0..254
    spread = cv2.multiply(wick, uneven, scale=p["strength"] / 127)
    dark = cv2.multiply(cv2.subtract(spread, d), paper8[region], scale=1 / 255)  # where darker than the print
    out = t.image.copy()
    view = out[y0 + by0 : y0 + by1, x0 + bx0 : x0 + bx1]
    cv2.subtract(view, cv2.cvtColor(dark, cv2.COLOR_GRAY2RGB), view)
    return t.with_(image=out)


EFFECTS = (
    Effect("thermal_fade", "ink", False, ThermalFadeConfig, _sample_fade, _apply_fade,
           "Uneven fading of thermal print towards the paper colour"),
    Effect("ink_bleed", "ink", False, InkBleedConfig, _sample_bleed, _apply_bleed,
           "Ink wicking into the paper's fibres: strokes thicken and their edges feather unevenly"),
)  # fmt: skip
