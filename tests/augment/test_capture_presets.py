"""Capture-condition presets (issue 17): each gives exact labels; the conditions show in the pixels as described."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from simvision.augment.effects import EFFECTS
from simvision.augment.legibility import grey
from simvision.augment.policy import AugmentConfig
from simvision.augment.presets import CAPTURE, PRESETS
from simvision.augment.sensor import low_light_settings
from simvision.augment.target import target_from_sample
from simvision.pipeline import generate
from simvision.quality.verify import verify
from simvision.render.background import background
from simvision.sample import render_sample, render_spec, sample_spec
from simvision.scene import default_scene_dir, load_scene

INDICES = (0, 1, 2)


@pytest.fixture(scope="module")
def capture():
    return load_scene(default_scene_dir() / "receipt_capture.yaml")


def render(scene, preset: str, index: int):
    return render_sample(scene.with_augment(preset), seed=4, index=index)


def paper_and_table(s) -> tuple[np.ndarray, np.ndarray]:
    """Bool masks of the bare paper (no print near it) and of the table."""
    ink = (s.maps[1:] > 0).any(axis=0).astype(np.uint8)
    near_ink = cv2.dilate(ink, np.ones((7, 7), np.uint8)) > 0
    paper = (s.maps[0] > 0) & ~near_ink
    table = cv2.erode((s.maps[0] == 0).astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    return paper, table


def noise_level(s) -> float:
    """Robust std of the fine residual (grey minus its 5x5 median) on bare paper."""
    g = grey(s.image)
    resid = g - cv2.medianBlur(s.image, 5).mean(axis=2).astype(np.float32)
    paper, _ = paper_and_table(s)
    r = resid[cv2.erode(paper.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0]
    return float(1.4826 * np.median(np.abs(r - np.median(r))))


def test_capture_presets_are_registered():
    assert set(CAPTURE) <= set(PRESETS)
    assert {"white_on_white", "night_counter", "flash", "daylight_outdoor", "flatbed_scan", "fax"} == set(
        CAPTURE
    )


@pytest.mark.parametrize("preset", CAPTURE)
def test_preset_dataset_verifies(tmp_path, capture, preset):
    out = tmp_path / preset
    summary = generate(capture.with_augment(preset), out, n=2, seed=1, workers=1, formats="coco")
    assert not summary.failures, summary.failures
    report = verify(out)
    assert report.ok, report.problems[:5]


def test_night_is_darker_noisier_and_warmer_than_daylight(capture):
    for i in INDICES:
        night, day = render(capture, "night_counter", i), render(capture, "daylight_outdoor", i)
        pn, _ = paper_and_table(night)
        pd, _ = paper_and_table(day)
        gn, gd = grey(night.image)[pn].mean(), grey(day.image)[pd].mean()
        assert gn < gd - 25, (i, gn, gd)
        assert noise_level(night) > noise_level(day), (i, noise_level(night), noise_level(day))
        warm_n = night.image[pn][:, 0].astype(float).mean() - night.image[pn][:, 2].astype(float).mean()
        warm_d = day.image[pd][:, 0].astype(float).mean() - day.image[pd][:, 2].astype(float).mean()
        assert warm_n > warm_d + 8, (i, warm_n, warm_d)


def test_low_light_settings_are_coupled():
    """Less light: longer exposure (more shake blur) or higher ISO (more noise), darker and warmer; never less."""
    prev = None
    for lux in (60, 20, 6, 2, 1):
        s = low_light_settings(lux, 2700, 2.0)
        if prev is not None:
            assert s["noise_sigma"] >= prev["noise_sigma"] and s["motion_px"] >= prev["motion_px"]
            assert s["gain"] < prev["gain"] and s["kelvin"] < prev["kelvin"]
            assert s["defocus_sigma"] > prev["defocus_sigma"]
        prev = s
    assert low_light_settings(1, 2700, 2.0)["iso"] > 4 * low_light_settings(60, 2700, 2.0)["iso"]


def test_flash_lights_a_hot_spot_and_darkens_the_corners(receipt_scene):
    """On a flat grey card the flash's light peaks where it points (near the centre) and falls into dark corners."""
    clean = target_from_sample(render_sample(receipt_scene, seed=3, index=0))
    flat = clean.with_(image=np.full_like(clean.image, 128), surface=np.zeros_like(clean.surface))
    flash = EFFECTS["flash"]
    for k in range(3):
        p = flash.sample(np.random.default_rng(k), flash.config(), flat.shape)
        g = grey(flash.apply(flat, p).image)
        h, w = g.shape
        y, x = np.unravel_index(np.argmax(g), g.shape)
        assert abs(x / w - p["center"][0]) < 0.05 and abs(y / h - p["center"][1]) < 0.05
        assert g.max() > 150
        ch, cw = h // 10, w // 10
        corners = [g[:ch, :cw], g[:ch, -cw:], g[-ch:, :cw], g[-ch:, -cw:]]
        assert max(c.mean() for c in corners) < 122 and g.max() > max(c.mean() for c in corners) + 40


def test_flash_preset_darkens_corners_and_blows_out_the_paper(capture):
    """The same sample with and without its flash step: darker corners, a blown-out reflection on the paper."""
    scene = capture.with_augment("flash")
    for i in INDICES:
        spec = sample_spec(scene, 4, i)
        plan = render_sample(scene, seed=4, index=i).meta["augment"]
        lit = render_spec(scene, spec, 4, i, plan)
        unlit = render_spec(scene, spec, 4, i, [step for step in plan if step["effect"] != "flash"])
        diff = cv2.GaussianBlur(
            (grey(lit.image) + 8) / (grey(unlit.image) + 8), (0, 0), 9
        )  # the flash's gain
        h, w = diff.shape
        ch, cw = h // 8, w // 8
        corners = np.mean(
            [d.mean() for d in (diff[:ch, :cw], diff[:ch, -cw:], diff[-ch:, :cw], diff[-ch:, -cw:])]
        )
        centre = diff[h // 3 : -h // 3, w // 3 : -w // 3].mean()
        assert corners < 0.9 and corners < centre - 0.15, (i, corners, centre)
        paper, _ = paper_and_table(lit)
        blown = (grey(lit.image) >= 248) & (grey(lit.image) > grey(unlit.image) + 8) & paper
        assert blown.sum() > 150, (i, int(blown.sum()))  # the flash's mirror image, blown out


def test_white_on_white_has_less_paper_table_contrast(receipt_scene):
    white = load_scene(default_scene_dir() / "receipt_white.yaml")

    def contrast(s) -> float:
        paper, table = paper_and_table(s)
        lab = cv2.cvtColor(s.image, cv2.COLOR_RGB2LAB).astype(np.float32)
        if table.sum() < 500:
            return float("nan")
        return float(np.linalg.norm(np.median(lab[paper], 0) - np.median(lab[table], 0)))

    ww = [contrast(render_sample(white, seed=4, index=i)) for i in range(6)]
    default = [contrast(render_sample(receipt_scene, seed=4, index=i)) for i in range(6)]
    # a sample whose paper fills the frame has no table to compare with (NaN)
    assert np.nanmedian(ww) < 25 and np.nanmedian(ww) < np.nanmedian(default) / 3, (ww, default)


def test_fax_is_binary_and_low_resolution_text_is_marked(capture):
    for i in INDICES:
        s = render(capture, "fax", i)
        g = grey(s.image)
        assert ((g <= 8) | (g >= 247)).mean() > 0.99
    fax = {"name": "fax", "scale": {"min": 0.3, "max": 0.3}, "fine_p": 0, "streaks": {"min": 0, "max": 0}}
    coarse = replace(capture, augment=AugmentConfig.model_validate({"effects": [fax]}))
    s = render_sample(coarse, seed=4, index=0)
    words = np.array([c == "word" for c in np.array(s.classes)[s.instances.class_id]])
    illegible = np.array([r == "illegible" for r in s.instances.attrs["ignore_reason"]])
    assert illegible[words].mean() > 0.8, "text scanned at a third of the resolution must be marked illegible"


def test_presets_choice_draws_one_preset_per_sample(capture):
    plans = set()
    for i in range(12):
        s = render_sample(capture, seed=2, index=i)
        plans.add(tuple(step["effect"] for step in s.meta["augment"]))
    assert len(plans) >= 4
    a = render_sample(capture, seed=2, index=5)
    b = render_sample(capture, seed=2, index=5)
    assert np.array_equal(a.image, b.image)


def test_presets_choice_is_validated():
    with pytest.raises(ValueError, match="unknown choice"):
        AugmentConfig.model_validate({"presets": {"choices": {"faks": 1}}})
    with pytest.raises(ValueError, match="both given"):
        AugmentConfig.model_validate({"preset": "scan", "presets": {"choices": {"fax": 1}}})
    assert "presets" not in AugmentConfig(preset="scan").model_dump()  # other scenes keep their digest


@pytest.mark.parametrize("kind", ["white_cloth", "linen"])
def test_pale_cloth_backgrounds(kind):
    a = background(kind, 300, 200, np.random.default_rng(7))
    assert np.array_equal(a, background(kind, 300, 200, np.random.default_rng(7)))
    g = grey(a)
    assert g.mean() > (215 if kind == "white_cloth" else 185) and 1 < g.std() < 20
    if kind == "linen":  # beige: red over blue
        assert a[..., 0].mean() > a[..., 2].mean() + 8
