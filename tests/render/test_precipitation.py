"""Rain as photographs show it: short, thin, faint streaks whose length, opacity and count follow the intensity,
a veil of contrast loss, and labels (id map, depth) untouched."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from simvision.render.precipitation import ALPHA, STREAK_PX, VEIL, rain, streak_layer
from simvision.render.world2d import render_world_2d
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world
from simvision.world.world import weather_particles


def _segments(n: int, length: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` vertical streaks ``length`` px long scattered over a 640x480 frame, at 3..30 m."""
    rng = np.random.default_rng(seed)
    a = np.column_stack([rng.uniform(20, 620, n), rng.uniform(20, 300, n)])
    return np.stack([a, a + [2.0, length]], axis=1), rng.uniform(3, 30, n)


@pytest.mark.parametrize("intensity", [0.3, 1.0])
def test_streaks_are_short_thin_and_faint(intensity: float) -> None:
    uv, depth = _segments(40, 120.0)  # far too long: the cap shortens them
    layer = streak_layer(uv, depth, intensity, 480, 640)
    peak = ALPHA[0] + (ALPHA[1] - ALPHA[0]) * intensity
    assert 0.3 * peak < layer.max() <= peak + 1e-6
    cap = STREAK_PX[0] + (STREAK_PX[1] - STREAK_PX[0]) * intensity
    n, _, stats, _ = cv2.connectedComponentsWithStats((layer > 0.02 * peak).astype(np.uint8))
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    single = widths < 12  # streaks that did not merge with a neighbour
    assert heights[single].max() <= cap + 8  # the cap plus the soft ends of the blur
    assert np.median(widths[single]) <= 6  # thin


def test_heavier_rain_is_longer_denser_and_more_veiled() -> None:
    img = np.full((480, 640, 3), 60, np.uint8)
    img[:, 320:] = 140
    uv, depth = _segments(200, 60.0)
    light = rain(img, uv[:50], depth[:50], 0.3)
    heavy = rain(img, uv, depth, 1.0)
    change = lambda out: np.abs(out.astype(int) - img).mean()  # noqa: E731
    assert 0 < change(light) < change(heavy) < 20  # faint: a few grey levels over the frame
    contrast = lambda out: float(out[:, 400:].mean() - out[:, :200].mean())  # noqa: E731
    assert contrast(heavy) < contrast(light) < 80  # the veil lowers contrast with intensity
    assert contrast(heavy) > 80 * (1 - VEIL[1]) - 6


def test_world_streaks_scale_with_intensity() -> None:
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("160x120")
    spec = sample(rng_for(0, 0, "scene"), scene.params, scene_canvas(scene))
    w = spec.weather.model_copy(update={"kind": "rain"})
    lengths = []
    for intensity in (0.3, 1.0):
        seg = weather_particles(
            w.model_copy(update={"intensity": intensity, "particles": 300}), (0, 0, 1.5), 0.0
        )
        lengths.append(np.linalg.norm(seg[:, 1] - seg[:, 0], axis=1).max())
    assert lengths[0] < lengths[1] <= 0.13  # ~1/120 s of a 7-9 m/s drop


def test_rain_leaves_labels_alone() -> None:
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("320x240")
    spec = sample(rng_for(0, 0, "scene"), scene.params, scene_canvas(scene))
    wet = spec.model_copy(
        update={
            "weather": spec.weather.model_copy(update={"kind": "rain", "intensity": 1.0, "particles": 2500})
        }
    )
    world = compile_world(wet)
    dry = dataclasses.replace(world, particles=np.zeros((0, 2, 3)))
    a, b = render_world_2d(world), render_world_2d(dry)
    assert len(world.particles) == 2500
    assert np.array_equal(a.maps[0], b.maps[0]) and np.array_equal(a.depth, b.depth)
    assert np.array_equal(a.instances.instance_id, b.instances.instance_id)
    assert np.array_equal(a.instances.boxes, b.instances.boxes)
    diff = np.abs(a.image.astype(int) - b.image).mean(axis=-1)
    assert 0 < diff.mean() < 15 and np.percentile(diff, 99.9) < 90
