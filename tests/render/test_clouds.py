"""Clouds in the 2D renderer's sky (issue 15): the kernel equals its numpy reference to the bit, a clear or broken
sky is not uniform, cover grows with the cover parameter, overcast is a textured layer, all deterministic."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simvision.render import clouds
from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample
from simvision.scenes.street.geometry import compile_world


def _upper_sky(n: int = 160) -> np.ndarray:
    """(n*n,3) unit directions over the upper sky, elevations 3..60 degrees, all around."""
    az, el = np.meshgrid(np.linspace(0, 2 * np.pi, n), np.deg2rad(np.linspace(3, 60, n)))
    d = np.stack([np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.sin(el)], axis=-1)
    return d.reshape(-1, 3).astype(np.float32)


def _blue(d: np.ndarray) -> np.ndarray:
    return np.tile(np.array([0.3, 0.5, 0.9], np.float32), (len(d), 1))


@pytest.fixture(scope="module")
def world():
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("160x120")
    return compile_world(sample(rng_for(0, 0, "scene"), scene.params, scene_canvas(scene)))


def test_cloud_kernel_is_the_numpy_clouds_to_the_bit():
    rng = np.random.default_rng(3)
    d = rng.normal(size=(20000, 3))
    d[:, 2] = np.abs(d[:, 2]) * rng.choice([1, -0.01], len(d))  # mostly above the horizon, some just below
    d = (d / np.linalg.norm(d, axis=1, keepdims=True)).astype(np.float32)
    sky = rng.uniform(0, 1, (len(d), 3)).astype(np.float32)
    for cover, overcast, pix, seed in (
        (0.1, False, 1 / 500, 0),
        (0.55, False, 1 / 200, 12345),
        (1.0, True, 1 / 800, 7),
    ):
        new = clouds.clouds(sky, d, cover, overcast, pix, seed)
        ref = clouds.clouds_numpy(sky, d, cover, overcast, pix, seed)
        assert new.dtype == ref.dtype == np.float32 and np.array_equal(new, ref)


def test_a_clear_or_broken_sky_has_clouds_and_cover_grows_with_the_parameter():
    d = _upper_sky()
    sky = _blue(d)
    covered = []
    for cover in (0.05, 0.2, 0.4, 0.6, 0.9):
        out = clouds.clouds(sky, d, cover, False, 1 / 500, 42)
        grey = out.mean(axis=1)
        cloudy = np.abs(out[:, 2] - out[:, 0]) < 0.9 * (0.9 - 0.3)  # less blue than the clear sky
        covered.append(float(cloudy.mean()))
        if cover >= 0.2:
            assert grey.std() / grey.mean() > 0.05, cover  # not uniform
    assert all(b > a for a, b in zip(covered, covered[1:], strict=False)), covered
    assert covered[0] < 0.2 and covered[-1] > 0.7, covered


def test_overcast_is_a_textured_grey_layer_and_clouds_fade_into_the_horizon_haze():
    d = _upper_sky()
    grey = np.full((len(d), 3), 0.5, np.float32)
    out = clouds.clouds(grey, d, 1.0, True, 1 / 500, 9)
    assert 0.02 < out[:, 0].std() / out[:, 0].mean() < 0.2  # textured, not blotted out
    assert np.allclose(out.mean(), 0.5, atol=0.05)  # the sky's brightness is kept on average
    low = np.array([[0.0, 1.0, 0.0]], np.float32)  # at the horizon: the haze, no clouds
    assert np.array_equal(clouds.clouds(_blue(low), low, 0.9, False, 1 / 500, 9), _blue(low))


def test_clouds_are_deterministic_by_seed_and_the_world_gives_them_a_cover(world):
    d = _upper_sky(60)
    a = clouds.clouds(_blue(d), d, 0.4, False, 1 / 500, 5)
    assert np.array_equal(a, clouds.clouds(_blue(d), d, 0.4, False, 1 / 500, 5))
    assert not np.array_equal(a, clouds.clouds(_blue(d), d, 0.4, False, 1 / 500, 6))
    clear = dataclasses.replace(world, sun=world.sun.model_copy(update={"sky": "clear"}))
    overcast = dataclasses.replace(world, sun=world.sun.model_copy(update={"sky": "overcast"}))
    assert clouds.cloud_cover(overcast) == 1.0
    lo, hi = clouds.CLEAR_COVER
    assert lo <= clouds.cloud_cover(clear) <= hi
    assert clouds.cloud_cover(clear) == clouds.cloud_cover(clear)
    covers = {clouds.cloud_cover(dataclasses.replace(clear, render_seed=s)) for s in range(20)}
    assert len(covers) == 20  # frames differ


def test_clouds_change_only_the_sky_colour_of_a_render(world, monkeypatch):
    from simvision.render import world2d

    day = world.sun.model_copy(update={"sky": "clear", "elevation_deg": 40.0})
    w = dataclasses.replace(
        world, sun=day, weather=world.weather.model_copy(update={"fog_density": 0.0, "particles": 0})
    )
    cover = 0.6
    monkeypatch.setattr(world2d, "cloud_cover", lambda _: cover)
    cloudy = world2d.render_world_2d(w)
    monkeypatch.setattr(world2d, "clouds", lambda sky, *_: sky)
    plain = world2d.render_world_2d(w)
    assert np.array_equal(cloudy.maps, plain.maps) and np.array_equal(cloudy.depth, plain.depth)
    sky = plain.maps[0] == len(w.objects) + 1
    assert sky.sum() > 100
    tri_map = world2d.rasterize_world(w)[3]
    bare = world2d._background(w, tri_map)
    monkeypatch.undo()
    monkeypatch.setattr(world2d, "cloud_cover", lambda _: cover)
    sky_radiance = world2d._background(w, tri_map)
    changed = np.abs(sky_radiance - bare).max(axis=-1) > 0
    assert not changed[tri_map >= 0].any()  # nothing but the sky changes (the sensor's glare then spreads it)
    assert changed[tri_map < 0].mean() > 0.2  # and clouds are in it
    diff = np.abs(cloudy.image.astype(int) - plain.image.astype(int)).sum(axis=-1)
    assert (diff[sky] > 6).mean() > 0.1
