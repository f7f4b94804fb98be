"""Light effects: brightness gradients, white balance, cast shadows and specular glare.

All photometric: the id maps and polygons are untouched. Every smooth field (gain, shadow mask, glare) is built at a
fraction of the frame size and upsampled with ``cv2.resize``, then applied with saturating uint8 OpenCV arithmetic,
so an effect costs a few full-frame passes and no float copy of the image. The field helpers here are shared with
:mod:`simvision.augment.paper`.
"""

from __future__ import annotations

from typing import Annotated, Literal

import cv2
import numpy as np
from albumentations.augmentations.pixel import functional as fpix
from pydantic import Field

from simvision.augment.base import Effect, EffectConfig, Params, range_field
from simvision.augment.target import Target
from simvision.distributions import FloatRange, IntRange, within

FIELD_STEP = 4  # smooth fields are computed on a grid this many times coarser than the frame


# ---------------------------------------------------------------- field helpers (shared with paper.py)


def smooth_noise(
    rng: np.random.Generator, shape: tuple[int, int], scale: float, octaves: int = 1, persistence: float = 0.5
) -> np.ndarray:
    """(H, W) float32 value noise of about unit std: gaussian knots every ``scale`` px, bicubic in between;
    each further octave halves the knot spacing and multiplies the amplitude by ``persistence``."""
    h, w = shape
    out = np.zeros(shape, np.float32)
    amp, norm = 1.0, 0.0
    for o in range(octaves):
        step = max(scale / 2**o, 2.0)
        gh, gw = int(h / step) + 4, int(w / step) + 4
        knots = rng.standard_normal((gh, gw)).astype(np.float32)
        up = cv2.resize(knots, (round(gw * step), round(gh * step)), interpolation=cv2.INTER_CUBIC)
        off = round(step)  # skip the first knot cell, where bicubic runs into the border
        out += amp * up[off : off + h, off : off + w]
        norm += amp * amp
        amp *= persistence
    return out / np.float32(np.sqrt(norm) * 0.8)  # bicubic knots lose ~20% of their std


def coarse_grid(shape: tuple[int, int], step: int = FIELD_STEP) -> tuple[np.ndarray, np.ndarray]:
    """Full-frame pixel coordinates (x, y) of the centres of a coarse grid's cells, as broadcastable rows/columns."""
    h, w = shape
    gh, gw = -(-h // step), -(-w // step)
    xs = (np.arange(gw, dtype=np.float32) + 0.5) * step - 0.5
    ys = (np.arange(gh, dtype=np.float32) + 0.5) * step - 0.5
    return xs[None, :], ys[:, None]


def upsample(field: np.ndarray, shape: tuple[int, int], step: int | None = None) -> np.ndarray:
    """A coarse float32 field resized (bilinear) to ``shape``; with ``step``, cell (i, j) of the field is exactly
    the ``step`` x ``step`` pixels at (i, j) * step (the field covers the frame, as :func:`downsample` makes it)."""
    if step is None:
        return cv2.resize(field, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    up = cv2.resize(field, None, fx=step, fy=step, interpolation=cv2.INTER_LINEAR)
    return up[: shape[0], : shape[1]]


def downsample(field: np.ndarray, step: int = FIELD_STEP) -> np.ndarray:
    """Area-average a full-frame field onto the coarse grid of :func:`coarse_grid`."""
    h, w = field.shape[:2]
    return cv2.resize(field, (-(-w // step), -(-h // step)), interpolation=cv2.INTER_AREA)


def attenuate(image: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """``image * gain`` for a coarse gain field in [0, 1], upsampled to the frame. Worked in uint8 throughout (the
    gain in 1/255 steps, the output's own resolution), so no full-frame float array is ever made."""
    g8 = np.clip(gain * 255 + 0.5, 0, 255).astype(np.uint8)
    up = cv2.resize(cv2.merge([g8, g8, g8]), (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(image, up, scale=1 / 255)


def modulate(image: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """``image * gain`` with a (H, W) or (H, W, 3) float32 gain, rounded and saturated to uint8 in one pass."""
    g3 = cv2.merge([gain, gain, gain]) if gain.ndim == 2 else gain
    return cv2.multiply(image, g3, dtype=cv2.CV_8U)


def screen(image: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Screen towards white, ``255 - (255 - image) * (1 - alpha)``, for a coarse alpha field in [0, 1]."""
    return cv2.bitwise_not(attenuate(cv2.bitwise_not(image), 1.0 - alpha))


def blend_towards(
    image: np.ndarray, alpha: np.ndarray, colour: np.ndarray | tuple[float, float, float]
) -> np.ndarray:
    """``image + alpha * (colour - image)`` for a (H, W) float32 alpha in [0, 1]; colour is an RGB triple or an
    image of the same shape."""
    a3 = cv2.merge([alpha, alpha, alpha])
    src = colour if isinstance(colour, np.ndarray) else (*(float(c) for c in colour), 0.0)
    diff = cv2.subtract(src, image, dtype=cv2.CV_16S)
    return cv2.add(image, cv2.multiply(diff, a3, dtype=cv2.CV_32F), dtype=cv2.CV_8U)


def paper_box(surface: np.ndarray) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) of the paper (``surface`` > 0.5), from a subsample; None when there is no paper."""
    sub = surface[::4, ::4]
    ys, xs = np.nonzero(sub > 0.5)
    if len(xs) == 0:
        return None
    return float(xs.min() * 4), float(ys.min() * 4), float(xs.max() * 4 + 4), float(ys.max() * 4 + 4)


def _in_box(t: Target, fx: float, fy: float) -> tuple[float, float]:
    """A point given as fractions of the paper's box (of the output frame when there is no paper)."""
    fx0, fy0, fw, fh = t.frame
    x0, y0, x1, y1 = paper_box(t.surface) or (fx0, fy0, fx0 + fw, fy0 + fh)
    return x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)


# ---------------------------------------------------------------- configs


class LightingGradientConfig(EffectConfig):
    name: Literal["lighting_gradient"] = "lighting_gradient"
    strength: Annotated[FloatRange, within(0, 1)] = range_field(0.15, 0.5, "darkening at the far side")
    radial_p: float = Field(
        default=0.4, ge=0, le=1, description="chance of a radial (spot) rather than linear ramp"
    )


class ColorTemperatureConfig(EffectConfig):
    name: Literal["color_temperature"] = "color_temperature"
    # albumentations tabulates 3000..15000 K
    temperature: Annotated[IntRange, within(3000, 15000)] = Field(
        default_factory=lambda: IntRange(min=3000, max=9000), description="kelvin"
    )
    modes: list[Literal["blackbody", "cied"]] = Field(
        default_factory=lambda: ["blackbody", "cied"], min_length=1
    )


class ShadowConfig(EffectConfig):
    name: Literal["shadow"] = "shadow"
    darkness: Annotated[FloatRange, within(0, 1)] = range_field(0.25, 0.6, "fraction of light blocked")
    size: Annotated[FloatRange, within(0.01, 5)] = range_field(0.4, 0.8, "hand/object width / frame width")
    penumbra: Annotated[FloatRange, within(0, 1)] = range_field(
        0.01, 0.05, "edge blur sigma / shorter frame side"
    )
    hand_p: float = Field(default=0.6, ge=0, le=1, description="chance of a hand rather than an object")


class GlareConfig(EffectConfig):
    name: Literal["glare"] = "glare"
    strength: Annotated[FloatRange, within(0, 1)] = range_field(0.5, 0.95, "whitening at the centre")
    size: Annotated[FloatRange, within(0.01, 5)] = range_field(
        0.15, 0.45, "semi-major axis / shorter frame side"
    )


class FlashConfig(EffectConfig):
    name: Literal["flash"] = "flash"
    hot: Annotated[FloatRange, within(0, 1)] = range_field(0.25, 0.6, "brightening at the hot spot (screen)")
    falloff: Annotated[FloatRange, within(0.05, 5)] = range_field(
        0.3, 0.55, "hot spot radius / frame diagonal (inverse-square falloff)"
    )
    vignette: Annotated[FloatRange, within(0, 1)] = range_field(0.2, 0.4, "darkening at the frame corners")
    specular: Annotated[FloatRange, within(0, 1)] = range_field(
        0.85, 1.0, "whitening at the centre of the flash's mirror image on glossy paper"
    )


class ExposureConfig(EffectConfig):
    name: Literal["exposure"] = "exposure"
    ev: Annotated[FloatRange, within(-3, 3)] = range_field(-0.3, 0.3, "exposure change, stops")
    flare: Annotated[FloatRange, within(0, 0.6)] = range_field(
        0.0, 0.1, "veiling glare: fraction of white added everywhere (lifts blacks, flattens contrast)"
    )


# ---------------------------------------------------------------- lighting gradient


def _sample_gradient(rng: np.random.Generator, c: LightingGradientConfig, shape: tuple[int, int]) -> Params:
    radial = bool(rng.random() < c.radial_p)
    return {
        "kind": "radial" if radial else "linear",
        "strength": c.strength.sample(rng),
        "angle": float(rng.uniform(0, 360)),
        "center": [float(rng.uniform(-0.2, 1.2)), float(rng.uniform(-0.2, 1.2))],
        "radius": float(rng.uniform(0.5, 1.3)),
        "gamma": float(rng.uniform(0.7, 2.0)),
    }


def _apply_gradient(t: Target, p: Params) -> Target:
    """Gain 1 on the lit side falling to ``1 - strength`` across the output frame: a window or lamp off to one
    side (a radial falloff around ``center``, in frame fractions, or a linear ramp at ``angle``)."""
    x0, y0, w, h = t.frame
    xs, ys = coarse_grid(t.shape)
    xs, ys = xs - x0, ys - y0
    if p["kind"] == "linear":
        a = np.radians(p["angle"])
        s = np.cos(a) * xs + np.sin(a) * ys
        corners = [np.cos(a) * x + np.sin(a) * y for x in (0, w) for y in (0, h)]
        dark = np.clip((s - min(corners)) / (max(corners) - min(corners)), 0, 1)
    else:
        r = np.hypot(xs - p["center"][0] * w, ys - p["center"][1] * h) / (p["radius"] * np.hypot(w, h))
        dark = np.minimum(r, 1.0)
    gain = 1.0 - p["strength"] * np.power(dark, p["gamma"]).astype(np.float32)
    return t.with_(image=attenuate(t.image, gain))


# ---------------------------------------------------------------- colour temperature


def _sample_temperature(
    rng: np.random.Generator, c: ColorTemperatureConfig, shape: tuple[int, int]
) -> Params:
    return {"temperature": c.temperature.sample(rng), "mode": c.modes[int(rng.integers(len(c.modes)))]}


def _apply_temperature(t: Target, p: Params) -> Target:
    return t.with_(image=fpix.planckian_jitter(t.image, p["temperature"], p["mode"]))


# ---------------------------------------------------------------- cast shadow


def _sample_shadow(rng: np.random.Generator, c: ShadowConfig, shape: tuple[int, int]) -> Params:
    return {
        "shape": "hand" if rng.random() < c.hand_p else "object",
        "edge": int(rng.integers(4)),  # 0 top, 1 right, 2 bottom, 3 left
        "along": float(rng.uniform(0.15, 0.85)),
        "reach": float(rng.uniform(0.2, 0.55)),
        "tilt": float(rng.uniform(-30, 30)),
        "size": c.size.sample(rng),
        "darkness": c.darkness.sample(rng),
        "penumbra": c.penumbra.sample(rng),
        "fingers": [float(v) for v in rng.uniform(0.75, 1.1, 4)],
        "spread": float(rng.uniform(2, 10)),
        "thumb": int(rng.choice([-1, 1])),
        "radii": [float(v) for v in rng.uniform(0.55, 1.0, 7)],
    }


def _shadow_mask(
    shape: tuple[int, int], frame: tuple[int, int, int, int], p: Params, step: int
) -> np.ndarray:
    """Coarse (H/step, W/step) uint8 mask of the occluder, entering from an edge of the output ``frame``, drawn
    in axes (d into the frame, q across)."""
    x0, y0, w, h = frame
    mask = np.zeros((-(-shape[0] // step), -(-shape[1] // step)), np.uint8)
    edge = p["edge"]
    inward = np.radians([90, 180, 270, 0][edge] + p["tilt"])
    d = np.array([np.cos(inward), np.sin(inward)])
    q = np.array([-d[1], d[0]])
    entry = [(p["along"] * w, 0), (w, p["along"] * h), (p["along"] * w, h), (0, p["along"] * h)][edge]
    extent = h if edge in (0, 2) else w
    size = p["size"] * min(w, h)
    base = (np.array(entry, np.float64) + (x0, y0)) / step
    reach, s = p["reach"] * extent / step, size / step

    def pt(u: float, v: float) -> tuple[int, int]:
        x, y = base + u * d + v * q
        return int(round(x * 16)), int(round(y * 16))  # 4 fractional bits for cv2 drawing

    def ellipse(u: float, v: float, a: float, b: float, ang: float) -> None:
        axes = (int(a * 16), int(b * 16))
        cv2.ellipse(
            mask, pt(u, v), axes, np.degrees(np.arctan2(d[1], d[0])) + ang, 0, 360, 255, -1, cv2.LINE_AA, 4
        )

    if p["shape"] == "hand":
        palm = reach - 0.35 * s
        arm = np.array([pt(-s, -0.28 * s), pt(palm, -0.33 * s), pt(palm, 0.33 * s), pt(-s, 0.28 * s)])
        cv2.fillConvexPoly(mask, arm, 255, cv2.LINE_AA, 4)
        ellipse(palm, 0.0, 0.32 * s, 0.36 * s, 0.0)
        for i, length in enumerate(p["fingers"]):
            v = (i - 1.5) * 0.16 * s
            ang = (i - 1.5) * p["spread"]
            ln = 0.3 * s * length
            ellipse(
                palm + 0.25 * s + ln * np.cos(np.radians(ang)),
                v + ln * np.sin(np.radians(ang)),
                ln,
                0.07 * s,
                ang,
            )
        ellipse(palm - 0.05 * s, p["thumb"] * 0.38 * s, 0.22 * s, 0.07 * s, p["thumb"] * 55.0)
    else:
        n = len(p["radii"])
        ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
        r = np.asarray(p["radii"]) * 0.5 * s
        centre = reach - 0.5 * s
        poly = np.array([pt(centre + ri * np.cos(a), ri * np.sin(a)) for ri, a in zip(r, ang, strict=True)])
        cv2.fillPoly(mask, [poly], 255, cv2.LINE_AA, 4)
    return mask


def _apply_shadow(t: Target, p: Params) -> Target:
    """Darken the light blocked by a hand or object held over the page; the penumbra is a gaussian edge blur."""
    step = FIELD_STEP
    mask = _shadow_mask(t.shape, t.frame, p, step).astype(np.float32) / 255.0
    sigma = max(p["penumbra"] * min(t.frame[2:]) / step, 0.5)
    gain = 1.0 - p["darkness"] * cv2.GaussianBlur(mask, (0, 0), sigma)
    return t.with_(image=attenuate(t.image, gain))


# ---------------------------------------------------------------- glare


def _sample_glare(rng: np.random.Generator, c: GlareConfig, shape: tuple[int, int]) -> Params:
    return {
        "center": [float(rng.uniform(0.1, 0.9)), float(rng.uniform(0.1, 0.9))],
        "size": c.size.sample(rng),
        "aspect": float(rng.uniform(0.4, 1.0)),
        "angle": float(rng.uniform(0, 180)),
        "strength": c.strength.sample(rng),
        "core": float(rng.uniform(0.2, 0.6)),
    }


def _apply_glare(t: Target, p: Params) -> Target:
    """Screen a soft elliptical highlight (broad halo plus a tight hot core) over the image, mostly on the paper,
    which is glossy; the table reflects a quarter as much. The centre is placed in the paper's box."""
    cx, cy = _in_box(t, *p["center"])
    a = p["size"] * min(t.frame[2:])
    b = a * p["aspect"]
    xs, ys = coarse_grid(t.shape)
    th = np.radians(p["angle"])
    u = ((xs - cx) * np.cos(th) + (ys - cy) * np.sin(th)) / a
    v = (-(xs - cx) * np.sin(th) + (ys - cy) * np.cos(th)) / b
    r2 = u * u + v * v
    blob = (1 - p["core"]) * np.exp(-r2) + p["core"] * np.exp(-6.0 * r2)
    gloss = 0.25 + 0.75 * downsample(t.surface)
    alpha = np.minimum(p["strength"] * blob * gloss, 0.97).astype(np.float32)
    return t.with_(image=screen(t.image, alpha))


# ---------------------------------------------------------------- on-camera flash


def _sample_flash(rng: np.random.Generator, c: FlashConfig, shape: tuple[int, int]) -> Params:
    return {
        # the flash sits beside the lens, so its hot spot lands near, not at, the frame centre
        "center": [float(rng.uniform(0.35, 0.65)), float(rng.uniform(0.3, 0.6))],
        "hot": c.hot.sample(rng),
        "falloff": c.falloff.sample(rng),
        "vignette": c.vignette.sample(rng),
        "specular": c.specular.sample(rng),
        "spec_size": float(rng.uniform(0.05, 0.12)),
        "spec_aspect": float(rng.uniform(0.6, 1.0)),
        "angle": float(rng.uniform(0, 180)),
    }


def _apply_flash(t: Target, p: Params) -> Target:
    """A phone's flash a hand-span above the receipt: light falls off as 1 / (1 + r^2) from the hot spot (the
    ambient light is much weaker, so the frame edges go dark), the lens vignettes (cos^4 of the field angle), and
    glossy thermal paper mirrors the flash as a small blown-out spot (mostly on the paper: the table is matte)."""
    x0, y0, w, h = t.frame
    xs, ys = coarse_grid(t.shape)
    diag = float(np.hypot(w, h))
    cx, cy = x0 + p["center"][0] * w, y0 + p["center"][1] * h
    r2 = ((xs - cx) ** 2 + (ys - cy) ** 2) / (p["falloff"] * diag) ** 2
    fall = 1.0 / (1.0 + r2)  # 1 at the hot spot
    rc2 = ((xs - (x0 + w / 2)) ** 2 + (ys - (y0 + h / 2)) ** 2) / (diag / 2) ** 2  # 1 at the corners
    cos4 = 1.0 / (1.0 + rc2 * ((1 - p["vignette"]) ** -0.5 - 1)) ** 2  # cos^4 with corners at 1 - vignette
    gain = np.clip((0.55 + 0.45 * fall) * cos4, 0, 1).astype(np.float32)
    image = attenuate(t.image, gain)
    a = p["spec_size"] * min(w, h)
    th = np.radians(p["angle"])
    u = ((xs - cx) * np.cos(th) + (ys - cy) * np.sin(th)) / a
    v = (-(xs - cx) * np.sin(th) + (ys - cy) * np.cos(th)) / (a * p["spec_aspect"])
    gloss = 0.15 + 0.85 * downsample(t.surface)
    spot = p["specular"] * np.exp(-((u * u + v * v) ** 2))  # a flat-topped (super-gaussian) mirror image
    core = 1.0 / (1.0 + 4.0 * r2) ** 2  # the over-lit patch right under the flash, tighter than the falloff
    alpha = np.minimum(p["hot"] * core + spot * gloss, 0.98).astype(np.float32)
    return t.with_(image=screen(image, alpha))


# ---------------------------------------------------------------- exposure and veiling glare


def _sample_exposure(rng: np.random.Generator, c: ExposureConfig, shape: tuple[int, int]) -> Params:
    return {"ev": c.ev.sample(rng), "flare": c.flare.sample(rng)}


def _apply_exposure(t: Target, p: Params) -> Target:
    """Scale the (gamma-encoded) image by 2^(ev / 2.2) and add veiling glare: ``out = flare * 255 + (1 - flare) *
    gain * image``, saturating (an overexposed white cloth and white paper both clip to 255)."""
    gain = float(2.0 ** (p["ev"] / 2.2)) * (1.0 - p["flare"])
    return t.with_(image=cv2.convertScaleAbs(t.image, alpha=gain, beta=255.0 * p["flare"]))


EFFECTS = (
    Effect("lighting_gradient", "light", False, LightingGradientConfig, _sample_gradient, _apply_gradient,
           "Smooth linear or radial brightness falloff across the frame"),
    Effect("color_temperature", "light", False, ColorTemperatureConfig, _sample_temperature, _apply_temperature,
           "White-balance shift along the Planckian locus (albumentations planckian_jitter)"),
    Effect("shadow", "light", False, ShadowConfig, _sample_shadow, _apply_shadow,
           "Soft cast shadow of a hand or object entering from a frame edge"),
    Effect("glare", "light", False, GlareConfig, _sample_glare, _apply_glare,
           "Specular highlight on glossy paper: a soft bright ellipse"),
    Effect("flash", "light", False, FlashConfig, _sample_flash, _apply_flash,
           "On-camera flash: hot spot with inverse-square falloff, vignetting, specular spot on glossy paper"),
    Effect("exposure", "light", False, ExposureConfig, _sample_exposure, _apply_exposure,
           "Exposure change in stops plus veiling glare (lifted blacks, flat contrast)"),
)  # fmt: skip
