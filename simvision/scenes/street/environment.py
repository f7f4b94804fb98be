"""Light and weather sampling: sun from the time of day, sky, and weather intensities."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street.config import LightParams, WeatherParams
from simvision.scenes.street.spec import SunSpec, WeatherSpec


def sun_elevation(hours: float) -> float:
    """A mid-latitude summer day: the sun peaks at 60 degrees at noon, sets at 18:00, lowest at midnight."""
    return float(60.0 * np.sin(np.pi * (hours - 6.0) / 12.0))


def sample_sun(rng: np.random.Generator, p: LightParams, hours: float, weather: str) -> SunSpec:
    elevation = sun_elevation(hours)
    sky = p.sky.sample(rng)
    heading = p.sun_heading_deg.sample(rng)
    if weather != "clear":
        sky = "overcast"  # rain, snow and fog come with an overcast sky
    day = float(np.clip((elevation + 6.0) / 16.0, 0.0, 1.0))  # 0 at civil dusk, 1 from 10 degrees up
    if sky == "overcast":
        strength, sky_strength = 0.0, 0.003 + 0.9 * day**2
    else:
        strength, sky_strength = 4.0 * float(np.clip(np.sin(np.deg2rad(max(elevation, 0.0))) * 4, 0, 1)), 0.25
    return SunSpec(
        elevation_deg=round(elevation, 3),
        heading_deg=round(heading, 3),
        sky=sky,
        strength=round(strength, 4),
        sky_strength=round(sky_strength, 4),
    )


def sample_weather(rng: np.random.Generator, p: WeatherParams) -> WeatherSpec:
    kind = p.kind.sample(rng)
    intensity = p.intensity.sample(rng)
    density, height = p.fog_density.sample(rng), p.fog_height.sample(rng)
    seed = int(rng.integers(2**31))
    wet = {"clear": 0.0, "rain": 0.4 + 0.6 * intensity, "fog": 0.2, "snow": 0.15}[kind]
    return WeatherSpec(
        kind=kind,
        intensity=round(intensity, 4),
        wetness=round(wet, 4),
        fog_density=round(density * intensity, 5) if kind == "fog" else 0.0,
        fog_height=round(height, 3) if kind == "fog" else 0.0,
        snow_cover=round(intensity, 4) if kind == "snow" else 0.0,
        particles=int(round({"rain": 2500, "snow": 1500}.get(kind, 0) * intensity)),
        particle_seed=seed,
    )
