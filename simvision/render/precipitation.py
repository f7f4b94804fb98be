"""Rain streaks and snow flakes over the 2D renderer's tonemapped image (image only: labels never see them).

Rain in a photograph is faint: a drop falls ~7-9 m/s, so within a dashcam's short exposure it smears into a short
thin streak along its fall direction as the camera sees it; near drops are out of focus (soft and fainter), far
ones shrink to a pixel or two and fade into a veil that lowers the contrast of the whole frame. Streaks are
drawn as antialiased lines into a coverage layer whose opacity and length are capped by the rain's intensity,
softened along their own direction, then blended towards a lit colour taken from the blurred frame around them
(bright against dark facades, all but invisible against the sky).
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.world.world import World

STREAK_PX = (
    5.0,
    14.0,
)  # longest streak at 480 rows: intensity 0 and 1 (longer ones are cut around the middle)
ALPHA = (0.1, 0.22)  # peak opacity of a streak in focus, intensity 0 and 1
NEAR = 4.0  # metres: closer drops are out of focus (blurred more, fainter)
VEIL = (0.03, 0.09)  # share of the frame's contrast lost to the spray, intensity 0 and 1


def _lerp(pair: tuple[float, float], t: float) -> float:
    return pair[0] + (pair[1] - pair[0]) * float(np.clip(t, 0.0, 1.0))


def streak_layer(uv: np.ndarray, depth: np.ndarray, intensity: float, height: int, width: int) -> np.ndarray:
    """(H,W) float32 opacity 0..1 of rain streaks whose image endpoints are ``uv`` (P,2,2) at camera depths
    ``depth`` (P,) metres. Streaks longer than the cap are shortened about their middle."""
    scale = height / 480.0
    cap = _lerp(STREAK_PX, intensity) * scale
    a, b = uv[:, 0], uv[:, 1]
    d = b - a
    ln = np.linalg.norm(d, axis=1)
    keep = np.minimum(1.0, cap / np.maximum(ln, 1e-6))[:, None]
    mid = (a + b) / 2
    a, b = mid - d * keep / 2, mid + d * keep / 2
    peak = _lerp(ALPHA, intensity)
    far_fade = np.clip(1.3 - depth / 25.0, 0.25, 1.0)
    layers = []
    for near in (False, True):
        sel = (depth < NEAR) if near else (depth >= NEAR)
        layer = np.zeros((height, width), np.uint8)
        for (x0, y0), (x1, y1), f in zip(
            a[sel].tolist(), b[sel].tolist(), far_fade[sel].tolist(), strict=True
        ):
            level = int(round(255 * f * (0.6 if near else 1.0)))
            p0 = (round(x0 * 16), round(y0 * 16))
            p1 = (round(x1 * 16), round(y1 * 16))
            cv2.line(layer, p0, p1, level, 1, cv2.LINE_AA, shift=4)
        sigma = (1.6 if near else 0.5) * scale
        layers.append(cv2.GaussianBlur(layer.astype(np.float32) / 255.0, (0, 0), sigma))
    direction = d.sum(axis=0)
    if np.linalg.norm(direction) > 0:  # soften along the fall direction: motion blur, not a drawn line
        direction = direction / np.linalg.norm(direction)
        k = np.zeros((5, 5), np.float32)
        for s in np.linspace(-2, 2, 5):
            k[int(round(2 + s * direction[1])), int(round(2 + s * direction[0]))] += 1
        k /= k.sum()
        layers = [cv2.filter2D(x, -1, k) for x in layers]
    # soft layers are dimmer than the drawn lines: scale back so a streak's core reaches ``peak``
    return np.clip((layers[0] * 1.6 + layers[1] * 2.0) * peak, 0, peak).astype(np.float32)


def rain(image: np.ndarray, uv: np.ndarray, depth: np.ndarray, intensity: float) -> np.ndarray:
    """``image`` (H,W,3) uint8 with rain streaks and the spray's veil of contrast loss."""
    h, w = image.shape[:2]
    img = image.astype(np.float32)
    grey = img.mean(axis=(0, 1), keepdims=True).mean(axis=-1, keepdims=True)
    veil = _lerp(VEIL, intensity)
    img = img * (1 - veil) + (grey * 1.1 + 10) * veil
    alpha = streak_layer(uv, depth, intensity, h, w)[..., None]
    lit = np.minimum(cv2.GaussianBlur(img, (0, 0), 6 * w / 640) * 1.15 + 40, 255)
    out = img + alpha * (lit - img)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def snow(image: np.ndarray, uv: np.ndarray) -> np.ndarray:
    """``image`` with snow flakes: small soft white discs."""
    over = image.copy()
    for (x0, y0), _ in uv.tolist():
        cv2.circle(over, (round(x0), round(y0)), 1, (245, 245, 245), -1, cv2.LINE_AA)
    return cv2.addWeighted(image, 0.55, over, 0.45, 0)


def precipitate(world: World, image: np.ndarray) -> np.ndarray:
    """The world's weather particles drawn over its rendered ``image`` (unchanged without any)."""
    seg = world.particles
    if len(seg) == 0:
        return image
    cam = world.pinhole()
    pc = cam.to_camera(seg.reshape(-1, 3)).reshape(-1, 2, 3)
    ok = (pc[:, :, 2] > cam.clip_start).all(axis=1)
    uv = cam.project(pc[ok])
    if world.weather.kind == "rain":
        return rain(image, uv, pc[ok, :, 2].mean(axis=1), world.weather.intensity)
    return snow(image, uv)
