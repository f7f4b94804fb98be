"""The camera's image pipeline: scene-linear radiance -> the (H,W,3) uint8 frame the camera stores.

The stages a real automotive camera runs, each set by the image's :class:`~simvision.world.spec.ImagingSpec`:

1. optics (:func:`simvision.render.sensor.optics`): lens blur, chromatic aberration, vignetting, veiling glare;
2. auto exposure by metering: the luminance mean weighted towards the road (the lower, central part of the frame;
   the sky counts a fifth as much), brought to mid grey, plus the world's ``exposure`` compensation. The gain is
   limited to what the camera can reach, so a dark scene is exposed brighter, a night street only up to the
   limit, and a bright sky over a road exposed for clips;
3. sensor noise at that gain (:func:`simvision.render.sensor.sensor_noise`), the read noise rising with the
   analogue gain past the shutter's reach;
4. grey-world auto white balance that removes only part of the cast (``awb``), with a residual error;
5. the colour matrix's saturation;
6. the tone curve, per channel as cameras apply it: a power toe (``contrast``) and a shoulder that reaches white
   at ``white_ev`` stops above mid grey (Lottes' curve, "Advanced techniques and optimization of HDR color
   pipelines", GDC 2016, with shoulder 1), so highlights past it clip; then the sRGB encoding;
7. sharpening (an unsharp mask of about a pixel, as camera ISPs apply) and the camera's own JPEG.

Every renderer sends its linear frame through :func:`develop` (the 2D projection's shading, Blender's linear
beauty pass), so both get the same camera. Labels are untouched: only the image changes.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.render.sensor import optics, sensor_noise
from simvision.world.spec import ImagingSpec

MID = 0.18  # exposure-scaled mid grey: the metered luminance maps to it
# The gain a clear, sunny street gets (linear radiance of the World's scale, Blender's physical lights, to
# exposure-scaled units). The auto exposure's limits are set from it: down to 3 stops below (snow in sunshine),
# up to the image's ``max_gain_ev`` above; the first SHUTTER_EV stops up come from a longer shutter (no extra
# noise), the rest from analogue gain.
SUN_GAIN = 1.0
MIN_GAIN_EV = -3.0
SHUTTER_EV = 2.0
SKY_WEIGHT = 0.2  # metering weight of the frame's top third against the rest
LUMA = np.array([0.2126, 0.7152, 0.0722], np.float32)  # Rec. 709 luminance of linear RGB


def metering_weights(h: int, w: int) -> np.ndarray:
    """(H,W) float32 weights summing to 1: the lower two thirds count fully, the top third SKY_WEIGHT, and
    columns fall off towards the sides (a centre-weighted meter that exposes for the road ahead)."""
    rows = np.where(np.arange(h) < h / 3, SKY_WEIGHT, 1.0).astype(np.float32)
    cx = (np.arange(w, dtype=np.float32) - w / 2) / (w / 2)
    cols = 0.4 + 0.6 * np.exp(-(cx * cx) / (2 * 0.45**2))
    wts = rows[:, None] * cols[None, :]
    return (wts / wts.sum()).astype(np.float32)


def meter(img: np.ndarray) -> float:
    """The weighted mean luminance of a linear (H,W,3) frame (:func:`metering_weights`)."""
    h, w = img.shape[:2]
    return float(((img @ LUMA) * metering_weights(h, w)).sum())


def exposure_gain(metered: float, compensation_ev: float, imaging: ImagingSpec) -> float:
    """The auto exposure's gain: metered luminance to mid grey, shifted by ``compensation_ev`` stops, within the
    camera's reach (MIN_GAIN_EV .. ``max_gain_ev`` stops around SUN_GAIN)."""
    want = MID * 2.0**compensation_ev / max(metered, 1e-9)
    return float(np.clip(want, SUN_GAIN * 2.0**MIN_GAIN_EV, SUN_GAIN * 2.0**imaging.max_gain_ev))


def white_balance_gains(x: np.ndarray, imaging: ImagingSpec) -> np.ndarray:
    """(3,) channel gains of a grey-world white balance that removes the share ``awb`` of the frame's cast
    (measured on pixels below white: clipped ones carry no colour), times its residual error ``wb_error``. The
    statistics come from every fourth pixel each way, as a camera's AWB reads a coarse grid."""
    white = MID * 2.0**imaging.white_ev
    flat = x[::4, ::4].reshape(-1, 3)
    ok = flat.max(axis=1) < white
    means = flat[ok].mean(axis=0) if ok.sum() > 64 else flat.mean(axis=0)
    means = np.maximum(means, 1e-6)
    gains = (means[1] / means) ** imaging.awb
    gains *= 2.0 ** np.array([imaging.wb_error[0], 0.0, imaging.wb_error[1]])
    return np.clip(gains, 0.5, 2.0).astype(np.float32)


def tone_curve(x: np.ndarray, imaging: ImagingSpec) -> np.ndarray:
    """Exposure-scaled linear -> display-linear 0..1 (Lottes' curve, shoulder 1): ``y = x^a / (b x^a + c)`` with
    mid grey to ``mid_grey`` and ``MID * 2^white_ev`` to 1; brighter values clip."""
    a, mo = imaging.contrast, imaging.mid_grey
    m, hi = MID**a, (MID * 2.0**imaging.white_ev) ** a
    b = (hi * mo - m) / ((hi - m) * mo)
    c = hi * m * (1 - mo) / ((hi - m) * mo)
    xa = np.power(np.maximum(x, 0), np.float32(a))
    return np.minimum(xa / (np.float32(b) * xa + np.float32(c)), 1)


def encode_srgb(y: np.ndarray) -> np.ndarray:
    """Display-linear 0..1 -> sRGB 0..1 (float)."""
    return np.where(y <= 0.0031308, 12.92 * y, 1.055 * np.power(np.maximum(y, 0), 1 / 2.4) - 0.055)


def develop(
    linear: np.ndarray,
    imaging: ImagingSpec,
    compensation_ev: float,
    seed: int,
    noise: float = 1.0,
) -> tuple[np.ndarray, dict[str, float]]:
    """(H,W,3) float32 scene-linear radiance -> ((H,W,3) uint8 sRGB frame, what the camera chose: exposure gain in
    stops over SUN_GAIN and the white balance's red and blue gains). ``noise`` scales the sensor's noise."""
    w = linear.shape[1]
    img = optics(linear, imaging.blur_px, imaging.flare)
    gain = exposure_gain(meter(img), compensation_ev, imaging)
    ev = float(np.log2(gain / SUN_GAIN))
    x = sensor_noise(img * np.float32(gain), seed, noise, 2.0 ** max(ev - SHUTTER_EV, 0.0))
    wb = white_balance_gains(x, imaging)
    x *= wb
    if imaging.saturation != 1:
        luma = (x @ LUMA)[..., None]
        x = np.maximum(luma + np.float32(imaging.saturation) * (x - luma), 0)
    s = encode_srgb(tone_curve(x, imaging)).astype(np.float32)
    if imaging.sharpen > 0:
        soft = cv2.GaussianBlur(s, (0, 0), 1.0 * w / 640)
        s += np.float32(imaging.sharpen) * (s - soft)
    image = np.clip(s * 255 + 0.5, 0, 255).astype(np.uint8)
    if imaging.jpeg_quality:
        ok, buf = cv2.imencode(".jpg", image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, imaging.jpeg_quality])
        image = np.ascontiguousarray(cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1])
    chosen = {
        "exposure_ev": round(ev, 3),
        "wb_red": round(float(wb[0]), 4),
        "wb_blue": round(float(wb[2]), 4),
    }
    return image, chosen
