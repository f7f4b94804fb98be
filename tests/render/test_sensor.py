"""The camera sensor on a display-referred frame (what Blender's tonemapped beauty pass gets): deterministic, adds
grain of the measured size to flat areas, keeps the frame's tones."""

from __future__ import annotations

import numpy as np

from simvision.render.sensor import BLENDER_NOISE, sensor_display


def _frame() -> np.ndarray:
    img = np.zeros((120, 160, 3), np.uint8)
    img[:60] = (150, 170, 200)  # sky
    img[60:] = (90, 90, 95)  # road
    img[70:100, 40:80] = (30, 30, 32)  # a dark car
    return img


def test_same_seed_same_bytes_other_seed_other_grain():
    a, b, c = (sensor_display(_frame(), s, BLENDER_NOISE) for s in (3, 3, 4))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_flat_patches_get_grain_and_tones_stay():
    src, out = _frame(), sensor_display(_frame(), 7, BLENDER_NOISE)
    patch = out[85:95, 50:70].astype(float)  # inside the dark car, away from edges
    assert patch.std() > 0.2  # a denoised render's flat patch gets the camera's grain ...
    centre = (slice(20, 100), slice(30, 130))  # vignetting darkens only the corners
    assert (
        np.abs(out[centre].astype(float) - src[centre]).mean() < 4.0
    )  # ... and nothing a viewer sees as changed
    grey = out[62:68, 60:100].astype(float)
    assert grey.std() < 3.0  # grain of about a grey level, not a noise frame
