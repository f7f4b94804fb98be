"""Camera sensor basics for the 2D renderer, applied to linear radiance before tonemapping.

Lens blur (a Gaussian of ~0.4 px: real lenses and demosaicing never give a pixel-sharp edge), vignetting (cos^4-like
fall-off towards the corners), veiling glare (a little of the frame's mean light everywhere), lateral chromatic aberration (red and blue magnified slightly differently), and
shot + read noise (variance linear in the signal) in exposure-scaled units, so midtones get about half a grey level of
noise after tonemapping (real cameras denoise before they encode). Deterministic: the noise comes from the world's ``render_seed``.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.rng import rng_for

BLUR_SIGMA = 0.4  # px at 640 wide
VIGNETTE = 0.28  # relative fall-off in the corners
# Measured with bench/realism.py (40 street.yaml frames against 110 real dashcam frames): at twice these sigmas
# (SHOT 2e-4, READ 0.8e-3) the frames had half again the real share of weak gradients and a Frechet distance of
# 204.0; at these, 178.4; at 0.7x these, 183.0. Real cameras denoise before they encode.
SHOT = 0.5e-4  # noise variance per unit of exposure-scaled signal
READ = 0.4e-3  # read noise sigma, exposure-scaled units
GRAIN = 0.7  # px: demosaicing and the camera's denoiser leave noise correlated over a few pixels
ABERRATION = 0.6  # px of red/blue shift in the corners
PEDESTAL = 0.003  # exposure-scaled flare floor: stray light and the camera's black level keep shadows above 0
# Noise scale for Blender's denoised frames, measured with bench/realism.py (24 street_dashcam_blender frames against
# 110 real dashcam frames): Frechet distance 118.0 without the sensor, 145.0 at twice these sigmas, 101.2 at half
# of them (this scale), 104.1 at a fifth.
BLENDER_NOISE = 0.5
GLARE = (
    0.015  # share of the mean image radiance scattered evenly over the frame (veiling glare: no true black)
)


def sensor(linear: np.ndarray, gain: float, seed: int, noise: float = 1.0) -> np.ndarray:
    """(H,W,3) float32 linear radiance -> the same after optics and sensor noise (still linear, unscaled).

    ``gain``: what the tonemapper multiplies radiance by (noise is calibrated in those units: 1 = mid grey).
    ``noise`` scales the noise's standard deviation (shot and read noise alike)."""
    h, w = linear.shape[:2]
    img = cv2.GaussianBlur(linear.astype(np.float32), (0, 0), BLUR_SIGMA * w / 640)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = (xx - w / 2) / (w / 2), (yy - h / 2) / (w / 2)
    r2 = cx * cx + cy * cy
    corner = 1 + (h / w) ** 2
    if ABERRATION > 0:
        k = ABERRATION / (w / 2) / corner
        for ch, sign in ((0, 1.0), (2, -1.0)):
            scale = 1 + sign * k
            img[..., ch] = cv2.remap(
                img[..., ch],
                (xx - w / 2) * scale + w / 2,
                (yy - h / 2) * scale + h / 2,
                cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE,
            )
    img *= (1 - VIGNETTE * r2 / corner)[..., None]
    img += GLARE * img.reshape(-1, 3).mean(axis=0)
    gain = np.float32(gain)
    x = np.maximum(img * gain, 0) + np.float32(PEDESTAL)
    rng = rng_for(seed, 0, "render")
    sigma = np.sqrt(SHOT * x + READ * READ) * np.float32(noise)
    grain = cv2.GaussianBlur(rng.standard_normal(x.shape, dtype=np.float32), (0, 0), GRAIN * w / 640)
    x += sigma * grain * np.float32(2 * np.sqrt(np.pi) * GRAIN * w / 640)  # unit variance again
    return np.maximum(x, 0) / gain


def _srgb_to_linear(image: np.ndarray) -> np.ndarray:
    x = image.astype(np.float32) / np.float32(255)
    return np.where(x <= 0.04045, x / np.float32(12.92), ((x + np.float32(0.055)) / np.float32(1.055)) ** 2.4)


def _linear_to_srgb(x: np.ndarray) -> np.ndarray:
    s = np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(np.maximum(x, 0), 1 / 2.4) - 0.055)
    return np.clip(s * 255 + 0.5, 0, 255).astype(np.uint8)


def sensor_display(image: np.ndarray, seed: int, noise: float = 1.0) -> np.ndarray:
    """The same optics and sensor on a display-referred (H,W,3) uint8 image (a renderer that tonemaps itself, as
    Blender's view transform does): undo the sRGB curve, apply :func:`sensor` with the display's own scale (mid
    grey about 0.2, as the 2D tonemapper's input), and encode again."""
    return _linear_to_srgb(sensor(_srgb_to_linear(image).astype(np.float32), 1.0, seed, noise))
