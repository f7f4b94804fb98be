"""Sensor and lens-free optics effects: blur (gaussian, motion, defocus), noise (gaussian, shot), JPEG, downscale.

All photometric: the id maps are untouched. Where albumentations 2.0 has the operation, its functional form is the
implementation (``albumentations.augmentations.*.functional``); the samplers here only draw parameters.
"""

from __future__ import annotations

from typing import Annotated, Literal

import cv2
import numpy as np
from albumentations.augmentations.blur import functional as fblur
from albumentations.augmentations.pixel import functional as fpix
from pydantic import Field

from simvision.augment.base import Effect, EffectConfig, Params, range_field, seed_from
from simvision.augment.target import Target
from simvision.distributions import FloatRange, IntRange, within


class GaussianBlurConfig(EffectConfig):
    name: Literal["gaussian_blur"] = "gaussian_blur"
    sigma: Annotated[FloatRange, within(0, 50)] = range_field(0.3, 1.2)


class MotionBlurConfig(EffectConfig):
    name: Literal["motion_blur"] = "motion_blur"
    length: Annotated[IntRange, within(1, 200)] = Field(
        default_factory=lambda: IntRange(min=3, max=9), description="streak length, px"
    )


class DefocusConfig(EffectConfig):
    name: Literal["defocus"] = "defocus"
    radius: Annotated[IntRange, within(1, 100)] = Field(default_factory=lambda: IntRange(min=1, max=3))


class GaussianNoiseConfig(EffectConfig):
    name: Literal["gaussian_noise"] = "gaussian_noise"
    sigma: Annotated[FloatRange, within(0, 255)] = range_field(2.0, 8.0, "std dev in 0..255 units")


class ShotNoiseConfig(EffectConfig):
    name: Literal["shot_noise"] = "shot_noise"
    scale: Annotated[FloatRange, within(0.001, 10)] = range_field(
        0.02, 0.1, "Poisson scale (larger = noisier)"
    )


class JpegConfig(EffectConfig):
    name: Literal["jpeg"] = "jpeg"
    quality: Annotated[IntRange, within(1, 100)] = Field(default_factory=lambda: IntRange(min=40, max=90))


class DownscaleConfig(EffectConfig):
    name: Literal["downscale"] = "downscale"
    scale: Annotated[FloatRange, within(0.05, 1)] = range_field(0.5, 0.9, "down then back up")


class LowLightConfig(EffectConfig):
    name: Literal["low_light"] = "low_light"
    lux: Annotated[FloatRange, within(1, 100_000)] = range_field(
        1, 60, "scene illuminance, lux (drawn log-uniform); every other setting follows from it"
    )
    kelvin: Annotated[FloatRange, within(1500, 7000)] = range_field(
        2400, 3300, "colour temperature of the lamps (sodium/tungsten/warm LED)"
    )
    shake: Annotated[FloatRange, within(0, 20)] = range_field(
        0.5, 3, "hand shake, image px per 1/30 s of exposure"
    )


class FaxConfig(EffectConfig):
    name: Literal["fax"] = "fax"
    scale: Annotated[FloatRange, within(0.2, 1)] = range_field(
        0.75, 1.0, "horizontal scan resolution / the image's"
    )
    fine_p: float = Field(
        default=0.4, ge=0, le=1, description="chance of fine mode (square pixels; standard: 0.6x the lines)"
    )
    dither_p: float = Field(
        default=0.35, ge=0, le=1, description="chance of ordered dither instead of a threshold"
    )
    threshold: Annotated[FloatRange, within(0.2, 0.95)] = range_field(
        0.7, 0.85, "black below this fraction of the local paper white"
    )
    streaks: Annotated[IntRange, within(0, 20)] = Field(
        default_factory=lambda: IntRange(min=0, max=4), description="vertical scanner streaks"
    )
    dropouts: Annotated[IntRange, within(0, 20)] = Field(
        default_factory=lambda: IntRange(min=0, max=3), description="lines lost in transmission"
    )


def _image_only(fn):  # noqa: ANN001, ANN202 - small adapter
    def apply(t: Target, params: Params) -> Target:
        return t.with_(image=fn(t.image, params))

    return apply


def motion_kernel(length: int, angle_deg: float) -> np.ndarray:
    """A normalised line kernel of ``length`` px at ``angle_deg`` (odd size, centred)."""
    size = length if length % 2 else length + 1
    k = np.zeros((size, size), np.float32)
    c = (size - 1) / 2
    dx, dy = (
        np.cos(np.radians(angle_deg)) * (length - 1) / 2,
        np.sin(np.radians(angle_deg)) * (length - 1) / 2,
    )
    cv2.line(k, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1, cv2.LINE_AA)
    return k / k.sum()


def _shot_noise(img: np.ndarray, p: Params) -> np.ndarray:
    """Poisson (photon) noise in linear light, as albumentations' ``shot_noise`` models it (counts = linear / scale),
    drawn with the normal approximation Poisson(l) ~ l + sqrt(l) N(0,1): albumentations' exact draw took ~250 ms on
    a 600x1400 page, this ~25 ms, and at the counts involved (l >= 1/scale >> 1 on paper) they agree."""
    rng = np.random.default_rng(p["seed"])
    linear = cv2.pow(img.astype(np.float32) * np.float32(1 / 255), 2.2)
    sigma = cv2.sqrt(linear * np.float32(p["scale"]))  # std of counts*scale = sqrt(linear*scale)
    noisy = linear + sigma * rng.standard_normal(size=img.shape, dtype=np.float32)
    return cv2.convertScaleAbs(cv2.pow(np.clip(noisy, 0, 1), 1 / 2.2), alpha=255.0)


def _noise(img: np.ndarray, p: Params) -> np.ndarray:
    """Sensor noise: luminance noise per pixel plus weaker colour noise at half resolution (as a demosaiced
    sensor shows it); a third of the random draws of independent per-channel noise, same total sigma."""
    rng = np.random.default_rng(p["seed"])
    h, w = img.shape[:2]
    luma = rng.standard_normal(size=(h, w), dtype=np.float32) * np.float32(p["sigma"] * 0.9)
    half = ((h + 1) // 2, (w + 1) // 2, 3)
    chroma = rng.standard_normal(size=half, dtype=np.float32) * np.float32(
        p["sigma"] * 0.55
    )  # upsampling smooths it to ~0.41 sigma
    noise = cv2.resize(chroma, (w, h), interpolation=cv2.INTER_LINEAR) + luma[..., None]
    return cv2.add(img, noise, dtype=cv2.CV_8U)


# ---------------------------------------------------------------- a phone in low light (coupled settings)

BASE_ISO, MAX_ISO = 50.0, 1600.0
TARGET_LUX_S = 250 / 60  # lux x seconds the auto exposure wants at ISO 50 (a desk at 250 lux, 1/60 s)
MAX_EXPOSURE_S = 1 / 15  # longest hand-held exposure a phone picks (with stabilisation)


def low_light_settings(lux: float, kelvin: float, shake: float) -> dict[str, float]:
    """What a phone's auto exposure and white balance do at ``lux``: exposure time grows first (up to 1/8 s),
    then ISO (up to 1600); light beyond that reach is lost, and the exposure is biased down by up to 1.5 stops in
    dim light (phones keep a night scene looking like night), so the image darkens. Noise grows as sqrt(ISO); the
    motion streak with the exposure time; auto white balance corrects only part of a warm lamp's cast, less in
    dimmer light (phones keep some warmth to preserve the mood), so the image is warmer the darker it is."""
    need = TARGET_LUX_S / lux  # seconds at base ISO
    exposure = float(np.clip(need, 1 / 120, MAX_EXPOSURE_S))
    iso = float(np.clip(BASE_ISO * need / exposure, BASE_ISO, MAX_ISO))
    reached = exposure * iso / BASE_ISO / need  # 1: fully exposed, < 1: under
    dim = float(np.clip(np.log10(250 / lux) / np.log10(250), 0, 1))  # 0 at 250 lux, 1 at 1 lux
    residual_k = kelvin + (6500 - kelvin) * (0.8 - 0.45 * dim)  # the white point AWB settles on
    return {
        "exposure_s": exposure,
        "iso": iso,
        "gain": float((min(1.0, reached) * 2 ** (-1.5 * dim)) ** (1 / 2.2)),
        "noise_sigma": float(1.5 * np.sqrt(iso / BASE_ISO)),
        "motion_px": float(shake * exposure * 30),
        "defocus_sigma": float(0.3 + 0.6 * dim),  # wide aperture, hunting autofocus
        "kelvin": float(residual_k),
        "denoise": float(np.clip((iso - 400) / 1200, 0, 1)),  # phones smear noise at high ISO
    }


def _sample_low_light(rng: np.random.Generator, c: LowLightConfig, shape: tuple[int, int]) -> Params:
    lux = float(np.exp(rng.uniform(np.log(c.lux.min), np.log(c.lux.max))))
    settings = low_light_settings(lux, c.kelvin.sample(rng), c.shake.sample(rng))
    return {"lux": lux, **settings, "angle": float(rng.uniform(0, 180)), "seed": seed_from(rng)}


def _warm(img: np.ndarray, kelvin: float) -> np.ndarray:
    """Per-channel gains of a ``kelvin`` light rendered with a 6500 K white point (Tanner Helland's fit of the
    blackbody sRGB colour), normalised to keep the green channel."""
    k = kelvin / 100
    r = 255.0 if k <= 66 else 329.7 * (k - 60) ** -0.1332
    g = 99.47 * np.log(k) - 161.1 if k <= 66 else 288.1 * (k - 60) ** -0.0755
    b = 255.0 if k >= 66 else (0.0 if k <= 19 else 138.5 * np.log(k - 10) - 305.0)
    rgb = np.clip([r, g, b], 1, 255) / np.array([255.0, 254.0, 250.0])  # 6500 K's own colour is ~white
    rgb = rgb / rgb[1]
    return cv2.multiply(img, (*(float(v) for v in rgb), 0.0), dtype=cv2.CV_8U)


def _apply_low_light(t: Target, p: Params) -> Target:
    """Warm cast, under-exposure, blur (hand shake over the exposure, soft focus), sensor noise at the ISO, and
    the phone's noise reduction smearing it: all from one light level (see :func:`low_light_settings`)."""
    img = _warm(t.image, p["kelvin"])
    img = cv2.convertScaleAbs(img, alpha=p["gain"])
    if p["motion_px"] >= 1.5:
        img = fblur.convolve(img, motion_kernel(round(p["motion_px"]) + 1, p["angle"]))
    img = cv2.GaussianBlur(img, (0, 0), p["defocus_sigma"])
    img = _noise(img, {"sigma": p["noise_sigma"], "seed": p["seed"]})
    if p["denoise"] > 0:
        smooth = cv2.bilateralFilter(img, 5, 12 + 30 * p["denoise"], 3)
        img = cv2.addWeighted(img, 1 - p["denoise"] * 0.7, smooth, p["denoise"] * 0.7, 0)
    return t.with_(image=img)


# ---------------------------------------------------------------- fax / photocopy

_BAYER4 = (np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) + 0.5) / 16


def _sample_fax(rng: np.random.Generator, c: FaxConfig, shape: tuple[int, int]) -> Params:
    h, w = shape
    return {
        "scale": c.scale.sample(rng),
        "fine": bool(rng.random() < c.fine_p),
        "dither": bool(rng.random() < c.dither_p),
        "threshold": c.threshold.sample(rng),
        "streaks": [[float(rng.uniform(0, 1)), int(rng.integers(1, 3)), float(rng.uniform(0.3, 1))]
                    for _ in range(c.streaks.sample(rng))],
        "dropouts": [[float(rng.uniform(0, 1)), int(rng.integers(1, 4)), int(rng.integers(2))]
                     for _ in range(c.dropouts.sample(rng))],
        "seed": seed_from(rng),
    }  # fmt: skip


def _apply_fax(t: Target, p: Params) -> Target:
    """A fax (or a cheap photocopy): grey, scanned at fax resolution (standard mode has about half the lines of fine mode),
    made black or white by a threshold or a 4x4 ordered dither (halftone for greys), vertical streaks where dust
    sat on the scanner's line sensor, whole lines lost (white) or smeared (black) in transmission, then printed
    back at the image's size with square, hard pixels."""
    h, w = t.shape
    g = cv2.cvtColor(t.image, cv2.COLOR_RGB2GRAY)
    sw = max(8, round(w * p["scale"]))
    sh = max(8, round(h * p["scale"] * (1.0 if p["fine"] else 0.6)))
    small = cv2.resize(g, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    # the scanner's automatic background control: grey paper and shading are levelled to white (the paper's
    # local white is the brightest nearby pixel, smoothed), so the threshold sees ink against white
    white = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15)))
    white = cv2.GaussianBlur(white, (0, 0), 8)
    small = cv2.divide(small, np.maximum(white, np.float32(0.2)))
    rng = np.random.default_rng(p["seed"])
    small += rng.standard_normal(small.shape, dtype=np.float32) * np.float32(
        0.02
    )  # paper grain, sensor noise
    if p["dither"]:
        thr = np.tile(_BAYER4, (-(-sh // 4), -(-sw // 4)))[:sh, :sw]
        # flat paper and solid ink stay flat; greys (shading, faded print) get halftoned
        thr = np.minimum(p["threshold"] + (thr - 0.5) * 0.4, np.float32(0.92))
    else:
        thr = np.float32(p["threshold"])
    black = small < thr
    for x, width, strength in p["streaks"]:
        x0 = int(x * sw)
        col = rng.random((sh, 1)) < strength  # a dusty streak breaks up along its length
        black[:, x0 : x0 + width] |= col
    for y, rows, dark in p["dropouts"]:
        y0 = int(y * sh)
        black[y0 : y0 + rows] = bool(dark)
    out = np.where(black, 0, 255).astype(np.uint8)
    out = cv2.resize(out, (w, h), interpolation=cv2.INTER_NEAREST)
    return t.with_(image=cv2.merge([out, out, out]))


EFFECTS = (
    Effect(
        "gaussian_blur", "sensor", False, GaussianBlurConfig,
        lambda rng, c, shape: {"sigma": c.sigma.sample(rng)},
        _image_only(lambda img, p: cv2.GaussianBlur(img, (0, 0), p["sigma"])),
        "Gaussian blur (slight focus miss)",
    ),
    Effect(
        "motion_blur", "sensor", False, MotionBlurConfig,
        lambda rng, c, shape: {"length": c.length.sample(rng), "angle": float(rng.uniform(0, 180))},
        _image_only(lambda img, p: fblur.convolve(img, motion_kernel(p["length"], p["angle"]))),
        "Linear motion blur (hand shake)",
    ),
    Effect(
        "defocus", "sensor", False, DefocusConfig,
        lambda rng, c, shape: {"radius": c.radius.sample(rng), "alias_blur": float(rng.uniform(0.1, 0.5))},
        _image_only(lambda img, p: fblur.defocus(img, p["radius"], p["alias_blur"])),
        "Disc (defocus) blur",
    ),
    Effect(
        "gaussian_noise", "sensor", False, GaussianNoiseConfig,
        lambda rng, c, shape: {"sigma": c.sigma.sample(rng), "seed": seed_from(rng)},
        _image_only(_noise),
        "Additive Gaussian sensor noise",
    ),
    Effect(
        "shot_noise", "sensor", False, ShotNoiseConfig,
        lambda rng, c, shape: {"scale": c.scale.sample(rng), "seed": seed_from(rng)},
        _image_only(_shot_noise),
        "Poisson shot noise (low light)",
    ),
    Effect(
        "jpeg", "sensor", False, JpegConfig,
        lambda rng, c, shape: {"quality": c.quality.sample(rng)},
        _image_only(lambda img, p: fpix.image_compression(img, p["quality"], ".jpg")),
        "JPEG compression artefacts",
    ),
    Effect(
        "downscale", "sensor", False, DownscaleConfig,
        lambda rng, c, shape: {"scale": c.scale.sample(rng)},
        _image_only(lambda img, p: fpix.downscale(img, p["scale"], cv2.INTER_AREA, cv2.INTER_LINEAR)),
        "Downscale and upscale (low resolution sensor)",
    ),
    Effect(
        "low_light", "sensor", False, LowLightConfig, _sample_low_light, _apply_low_light,
        "A phone in dim light: one lux level gives the warm cast, under-exposure, shake blur and ISO noise",
    ),
    Effect(
        "fax", "sensor", False, FaxConfig, _sample_fax, _apply_fax,
        "Fax or photocopy: low resolution, black-and-white (threshold or dither), streaks, lost lines",
    ),
)  # fmt: skip
