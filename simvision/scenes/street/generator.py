"""The street generator: ``sample(rng, params, canvas) -> StreetSpec`` and the renderers that draw a spec."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simvision.canvas import Canvas
from simvision.scenekind import SceneKind
from simvision.scenes.street import (
    clutter,
    environment,
    furniture,
    mounts,
    palette,
    suburb,
    traffic,
    vegetation,
)
from simvision.scenes.street.advice import ADVICE
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import CLASSES, STUFF, StreetParams
from simvision.scenes.street.geometry import compile_world
from simvision.scenes.street.motion import MotionSpec, animate, sample_motion
from simvision.scenes.street.report_sections import sections
from simvision.scenes.street.spec import LayoutSpec, StreetSpec
from simvision.scenes.street.stats import STATS
from simvision.world.imaging import sample_imaging


def sample_layout(rng: np.random.Generator, p: StreetParams) -> LayoutSpec:
    kind = p.layout.sample(rng)
    f = p.street
    lanes = f.lanes.sample(rng)
    curvature = 0.0
    if kind == "curve":
        curvature = float(rng.uniform(1 / 300, 1 / 90)) * (1 if rng.random() < 0.5 else -1)
    junction = round(float(rng.uniform(16, 60)), 3) if kind == "junction" else None
    return LayoutSpec(
        kind=kind,
        lanes=lanes,
        lane_width=round(f.lane_width.sample(rng), 3),
        sidewalk_width=round(f.sidewalk_width.sample(rng), 3),
        curvature=round(curvature, 6),
        length=200.0 if kind != "curve" else float(min(200.0, 1.2 / abs(curvature))),
        junction_at=junction,
        cross_width=round(float(rng.uniform(6.5, 9.0)), 3) if junction is not None else 0.0,
        crossing_at=(
            round(float(rng.uniform(12, 50)), 3)
            if junction is None and rng.random() < f.crossing_prob
            else None
        ),
        edge_lines=bool(rng.random() < 0.5),
        surface_seed=int(rng.integers(2**31)),
        district=f.district.sample(rng),
    )


def sample(rng: np.random.Generator, p: StreetParams, canvas: Canvas) -> StreetSpec:
    """Draw one concrete street scene; every random choice comes from ``rng`` (the scene stream)."""
    layout = sample_layout(rng, p)
    hours = p.light.time_of_day.sample(rng)
    weather = environment.sample_weather(rng, p.weather)
    sun = environment.sample_sun(rng, p.light, hours, weather.kind)
    night = sun.elevation_deg < 6 or (
        sun.sky == "overcast" and weather.intensity > 0.7 and weather.kind != "clear"
    )
    lights_on = night or rng.random() < p.light.headlights_on_prob

    b = SceneBuilder()
    camera = mounts.place_camera(rng, b, layout, p.camera, canvas)  # first: its spot is kept free
    surfaces = palette.surfaces(rng)
    for kind in ("road", "sidewalk", "terrain"):
        b.add(kind, kind, (0.0, 0.0, 0.0), 0.0, (0.0, 0.0, 0.0), surfaces[kind])
    furniture.traffic_lights(rng.spawn(1)[0], b, layout, p.street)  # a child stream, as poles and plots
    furniture.lamps(rng, b, layout, p.street, lit=night)
    vegetation.plant(rng, b, layout, p.street)
    furniture.signs(rng, b, layout, p.street)  # after the trees: a post stands in a verge, not in a tree
    furniture.kerbside(rng, b, layout)
    if layout.district == "suburban":
        # houses behind front gardens, paths, driveways; from a child stream, so the draws after them (traffic,
        # the bonnet) do not shift whenever a house gains a detail
        suburb.plots(rng.spawn(1)[0], b, layout, p.street, lit=night)
    else:
        furniture.buildings(rng, b, layout, p.street, lit=night)
    traffic.animals(rng, b, layout, p.traffic)  # first, so the rare class is not crowded out
    furniture.poles(
        rng.spawn(1)[0], b, layout
    )  # after the animals' verges; a child stream: the draws after it stay put
    traffic.vehicles(rng, b, layout, p.traffic, lights_on)
    traffic.two_wheelers(rng, b, layout, p.traffic, lights_on)
    traffic.pedestrians(rng, b, layout, p.traffic, rain=weather.kind == "rain", crowd=p.people)
    clutter.distractors(rng, b, layout, p.distractors)
    render_seed = int(rng.integers(2**31))
    mounts.bonnet(rng, b, camera, p.camera, canvas)  # every other object keeps its id and its draws
    imaging, exposure = sample_imaging(rng, p.camera.imaging)  # last: the scene's draws stay as they were

    return StreetSpec(
        width=canvas.width,
        height=canvas.height,
        camera=camera,
        layout=layout,
        objects=tuple(b.objects),
        lamps=tuple(b.lamps),
        sun=sun,
        weather=weather,
        time_of_day=round(hours, 4),
        exposure=exposure,
        imaging=imaging,
        min_transmittance=p.min_transmittance,
        render_seed=render_seed,
        mount=p.camera.mount,
    )


def render(spec: StreetSpec, settings) -> object:  # noqa: ANN001 - RenderSettings, imported lazily
    """Compile the street into the shared 3D World and draw it with the engine the settings name."""
    world = compile_world(spec)
    if settings.engine == "blender":
        from simvision.render.blender import render_world

        return render_world(world, settings)
    from simvision.render.world2d import render_world_2d

    return render_world_2d(world)


GENERATOR = SceneKind(
    name="street",
    description="Street scenes (3 road layouts, traffic, people, animals) under weather and light",
    classes=CLASSES,
    params_model=StreetParams,
    spec_model=StreetSpec,
    sample=sample,
    render=render,
    renderers=("2d", "blender"),
    stuff=STUFF,
    formats=frozenset({"kitti", "cityscapes", "bdd100k", "mot", "kitti_tracking", "bdd100k_mot"}),
    sample_motion=sample_motion,
    motion_model=MotionSpec,
    animate=animate,
    stats=replace(STATS, sections=sections),
    advice=ADVICE,
)
