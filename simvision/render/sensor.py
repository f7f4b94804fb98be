"""The camera's optics and sensor, on linear radiance: the first stages of :mod:`simvision.render.develop`.

:func:`optics`: lens blur (a Gaussian of about half a pixel: real lenses and demosaicing never give a pixel-sharp
edge), lateral chromatic aberration (red and blue magnified slightly differently), vignetting (cos^4-like fall-off
towards the corners) and veiling glare (a share of the frame's mean light everywhere: no true black, lifted most in
bright scenes). :func:`sensor_noise`: shot + read noise (variance linear in the signal) in exposure-scaled units
(mid grey 0.18), so midtones get about half a grey level of noise after the tone curve (real cameras denoise before
they encode); read noise grows with the analogue gain a dark scene needs. Deterministic: the noise comes from the
world's ``render_seed``.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.rng import rng_for

VIGNETTE = 0.28  # relative fall-off in the corners
# Measured with bench/realism.py (40 street.yaml frames against 110 real dashcam frames): at twice these sigmas
# (SHOT 2e-4, READ 0.8e-3) the frames had half again the real share of weak gradients and a Frechet distance of
# 204.0; at these, 178.4; at 0.7x these, 183.0. Real cameras denoise before they encode.
SHOT = 0.5e-4  # noise variance per unit of exposure-scaled signal
READ = 0.4e-3  # read noise sigma, exposure-scaled units, at base gain
GRAIN = 0.7  # px: demosaicing and the camera's denoiser leave noise correlated over a few pixels
ABERRATION = 0.6  # px of red/blue shift in the corners
PEDESTAL = 0.003  # exposure-scaled flare floor: stray light and the camera's black level keep shadows above 0
# Noise scale for Blender's denoised frames, measured with bench/realism.py (24 street_dashcam_blender frames against
# 110 real dashcam frames): Frechet distance 118.0 without the sensor, 145.0 at twice these sigmas, 101.2 at half
# of them (this scale), 104.1 at a fifth.
BLENDER_NOISE = 0.5


def optics(linear: np.ndarray, blur_px: float, flare: float) -> np.ndarray:
    """(H,W,3) float32 linear radiance -> the same after the lens: blur (``blur_px`` at 640 wide), chromatic
    aberration, vignetting and veiling glare (``flare``: the share of the mean radiance added everywhere)."""
    h, w = linear.shape[:2]
    img = linear.astype(np.float32)
    if blur_px > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur_px * w / 640)
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
    img += np.float32(flare) * img.reshape(-1, 3).mean(axis=0)
    return img


def sensor_noise(x: np.ndarray, seed: int, noise: float = 1.0, iso: float = 1.0) -> np.ndarray:
    """Exposure-scaled (H,W,3) float32 signal -> the same with the black-level pedestal and the sensor's grain.

    ``noise`` scales the noise's standard deviation; ``iso``: the analogue gain over base (>= 1), which raises the
    read noise (as its square root: the camera's denoiser takes back part of it)."""
    w = x.shape[1]
    x = np.maximum(x, 0) + np.float32(PEDESTAL)
    rng = rng_for(seed, 0, "render")
    sigma = np.sqrt(SHOT * x + np.float32(READ * READ * max(iso, 1.0))) * np.float32(noise)
    grain = cv2.GaussianBlur(rng.standard_normal(x.shape, dtype=np.float32), (0, 0), GRAIN * w / 640)
    x += sigma * grain * np.float32(2 * np.sqrt(np.pi) * GRAIN * w / 640)  # unit variance again
    return np.maximum(x, 0)
