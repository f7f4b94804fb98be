"""scenes/street.yaml follows real driving data: over 120 sampled scenes (specs only, nothing rendered) the weather
and time of day come out near BDD100K's shares (clear weather ~72% of the base, nights ~40% with the strata), the
hard cases keep their strata (fog at dusk, rain at night with an animal), and both districts and parked rows on
both kerbs are common."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from simvision.rng import rng_for
from simvision.sample import scene_canvas
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.street.generator import sample

N = 120


@pytest.fixture(scope="module")
def draws():
    scene = load_scene(default_scene_dir() / "street.yaml").with_size("160x120")
    out = []
    for i in range(N):
        stratum, edges = scene.conditions(0, i)
        p = scene.params_for(stratum, edges)
        # the scene stream's draws up to the layout, weather and sun: sample() is cheap without rendering
        out.append((stratum, sample(rng_for(0, i, "scene"), p, scene_canvas(scene))))
    return out


def test_strata_keep_their_names_and_shares():
    scene = load_scene(default_scene_dir() / "street.yaml")
    assert {"night", "night_rain_animal", "fog_dusk"} <= set(scene.balance)
    assert {"heavy_occlusion", "low_sun", "tiny_objects"} <= set(scene.edge_cases)
    assert scene.balance["fog_dusk"].share == pytest.approx(0.10)
    assert scene.balance["night_rain_animal"].share == pytest.approx(0.10)


def test_weather_and_light_follow_driving_data(draws):
    rest = [s for stratum, s in draws if stratum is None]
    weather = Counter(s.weather.kind for s in rest)
    assert weather["clear"] / len(rest) > 0.7  # BDD100K: clear, overcast and partly cloudy 72 of 87 labelled
    assert weather["fog"] / len(rest) < 0.02  # foggy 0.2%: fog comes from its stratum
    night = np.mean([s.sun.elevation_deg < -6 for _, s in draws])
    assert 0.33 <= night <= 0.47  # BDD100K: 40% night
    fog = np.mean([s.weather.kind == "fog" for _, s in draws])
    assert 0.08 <= fog <= 0.13


def test_districts_and_parked_rows_are_common(draws):
    districts = Counter(s.layout.district for _, s in draws)
    assert districts["urban"] > districts["suburban"] > 0.1 * N
    both = np.mean([{np.sign(o.position[0]) for o in s.objects if "parked" in o.tags} == {-1, 1} for _, s in draws
                    if s.layout.kind != "curve"])  # fmt: skip
    assert both > 0.6
