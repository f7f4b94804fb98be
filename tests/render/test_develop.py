"""The camera's image pipeline (render.develop): metering exposes a dark scene brighter, deterministic grain, a
sky over a road exposed for clips, white balance keeps part of the cast, and the 2D and Blender paths share it."""

from __future__ import annotations

import numpy as np
import pytest

from simvision.render.develop import MID, SUN_GAIN, develop, exposure_gain, meter, tone_curve
from simvision.world.spec import ImagingSpec

BASE = dict(max_gain_ev=5.0, flare=0.015, awb=0.8, contrast=1.3, white_ev=2.8, mid_grey=0.16, saturation=0.9)


def cam(**kw) -> ImagingSpec:
    """A camera with set parameters (not the defaults, which follow the scene file's ranges)."""
    return ImagingSpec(**{**BASE, **kw})


CAM = cam(jpeg_quality=90)


def street(scale: float = 1.0) -> np.ndarray:
    """A linear street-like frame: bright sky in the top third, a grey road, a dark car."""
    img = np.zeros((120, 160, 3), np.float32)
    img[:40] = (1.6, 1.8, 2.2)  # sky
    img[40:] = (0.12, 0.12, 0.125)  # road
    img[70:100, 40:80] = (0.02, 0.02, 0.022)  # a dark car
    return img * np.float32(scale)


def grey(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float64) @ [0.299, 0.587, 0.114]


def test_a_dark_scene_is_exposed_brighter_up_to_the_camera_s_reach():
    day, dusk = develop(street(), CAM, 0.0, 1), develop(street(1 / 8), CAM, 0.0, 1)
    assert dusk[1]["exposure_ev"] == pytest.approx(
        day[1]["exposure_ev"] + 3, abs=0.05
    )  # metering, not a gain
    assert abs(grey(dusk[0]).mean() - grey(day[0]).mean()) < 8  # ... so both come out alike
    night = develop(street(1 / 4096), CAM, 0.0, 1)
    assert night[1]["exposure_ev"] == pytest.approx(CAM.max_gain_ev)  # past the reach: dark stays dark
    assert grey(night[0]).mean() < grey(day[0]).mean() / 4
    brighter = develop(street(), CAM, 0.7, 1)  # compensation shifts the exposure
    assert brighter[1]["exposure_ev"] == pytest.approx(day[1]["exposure_ev"] + 0.7, abs=1e-3)


def test_the_meter_exposes_for_the_road_and_lets_the_sky_clip():
    img = street()
    assert meter(img) < 0.5 * float(
        img.reshape(-1, 3).mean(axis=0) @ [0.2126, 0.7152, 0.0722]
    )  # the sky counts less
    out, _ = develop(img, CAM, 0.0, 1)
    assert (out[5:30, 20:140].max(axis=-1) >= 254).mean() > 0.9  # the sky clips
    assert grey(out[5:30, 20:140]).mean() > 235  # ... near white
    road = grey(out[105:115, 90:150]).mean()
    assert 50 < road < 160  # the road sits in the midtones
    assert grey(out[80:90, 50:70]).mean() < road / 2  # the toe keeps the dark car dark


def test_gain_stays_in_the_camera_s_range():
    assert exposure_gain(1e-9, 0.0, CAM) == pytest.approx(SUN_GAIN * 2**CAM.max_gain_ev)
    assert exposure_gain(1e9, 0.0, CAM) == pytest.approx(SUN_GAIN / 8)
    assert exposure_gain(MID, 0.0, CAM) == pytest.approx(1.0)


def test_tone_curve_maps_mid_grey_and_clips_white():
    curve = cam(contrast=1.25, white_ev=3.0, mid_grey=0.14)
    y = tone_curve(np.array([0.0, MID, MID * 2**3, MID * 2**5], np.float32), curve)
    assert y[0] == 0 and y[1] == pytest.approx(0.14, rel=1e-4) and y[2] == pytest.approx(1.0) and y[3] == 1.0
    xs = np.geomspace(1e-4, MID * 8, 200).astype(np.float32)
    assert (np.diff(tone_curve(xs, curve)) > 0).all()


def test_white_balance_keeps_part_of_the_cast():
    warm = street() * np.array([1.3, 1.0, 0.7], np.float32)
    full = develop(warm, cam(awb=1.0, jpeg_quality=0), 0.0, 1)[0].astype(float)
    part = develop(warm, cam(awb=0.3, jpeg_quality=0), 0.0, 1)[0].astype(float)
    road = (slice(105, 115), slice(90, 150))
    assert abs(full[road][..., 0].mean() - full[road][..., 2].mean()) < 6  # grey world neutralises the road
    assert part[road][..., 0].mean() - part[road][..., 2].mean() > 15  # a weak one leaves it warm


def test_same_seed_same_bytes_other_seed_other_grain_only():
    a, b, c = (develop(street(), CAM, 0.0, s)[0] for s in (3, 3, 4))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.abs(a.astype(int) - c).mean() < 2
    raw = develop(street(), cam(jpeg_quality=0), 0.0, 3)[0]
    patch = raw[85:95, 50:70].astype(float)  # inside the dark car
    assert patch.std() > 0.2  # the camera's grain


def test_saturation_scales_chroma():
    img = street()
    img[40:] = (0.2, 0.08, 0.05)  # a red wall
    dull = develop(img, cam(saturation=0.5, awb=0.0), 0.0, 1)[0].astype(float)
    vivid = develop(img, cam(saturation=1.0, awb=0.0), 0.0, 1)[0].astype(float)
    chroma = lambda im: float((im[60:110].max(axis=-1) - im[60:110].min(axis=-1)).mean())  # noqa: E731
    assert chroma(dull) < 0.75 * chroma(vivid)
