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
)  # fmt: skip
