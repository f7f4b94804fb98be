"""Road users: moving and parked vehicles, two-wheelers with riders, pedestrians and animals, each a detailed
procedural asset (:mod:`simvision.scenes.street.assets`) whose footprint placement reserves."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import assets, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import TrafficParams
from simvision.scenes.street.spec import LampSpec, LayoutSpec
from simvision.world.assets import animals as animals_lib
from simvision.world.assets import cyclists, people

TRIES = 12  # placement attempts per object; a fixed count keeps the draw sequence independent of outcomes


def lane_t(layout: LayoutSpec, lane: int) -> float:
    return -layout.road_half + (lane + 0.5) * layout.lane_width


def camera_lane(layout: LayoutSpec) -> int:
    """The right-hand lane next to the centre line (lanes with t < 0 run towards +s)."""
    return max(0, layout.lanes // 2 - 1)


def _s_range(layout: LayoutSpec) -> tuple[float, float]:
    return 5.0, min(layout.length - 15.0, 110.0)


def _lights(
    b: SceneBuilder, layout: LayoutSpec, pos: np.ndarray, yaw: float, size: tuple, forward: bool
) -> None:
    """Head-light spots ahead of the vehicle's front face and dim red tail-light points behind."""
    ln, w, _ = size
    fx, fy = np.cos(yaw), np.sin(yaw)
    for side in (-1, 1):
        lx, ly = -fy * side * w * 0.36, fx * side * w * 0.36
        front = pos + np.array([fx * (ln / 2 + 0.1) + lx, fy * (ln / 2 + 0.1) + ly, 0.7])
        back = pos + np.array([-fx * (ln / 2 + 0.1) + lx, -fy * (ln / 2 + 0.1) + ly, 0.8])
        b.lamps.append(
            LampSpec(
                kind="spot",
                position=tuple(front.round(3)),
                direction=(float(fx), float(fy), -0.08),
                color=(1.0, 0.95, 0.85),
                power_w=120.0,
                spot_deg=50.0,
                radius=0.05,
            )
        )
        b.lamps.append(
            LampSpec(
                kind="point", position=tuple(back.round(3)), color=(1.0, 0.05, 0.02), power_w=4.0, radius=0.05
            )
        )


def vehicles(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams, lights_on: bool
) -> None:
    lo, hi = _s_range(layout)
    counts = {"car": p.car.sample(rng), "truck": p.truck.sample(rng), "bus": p.bus.sample(rng)}
    for kind, n in counts.items():
        for _ in range(n):
            asset = assets.vehicle(rng, kind)
            size = assets.footprint(asset)
            materials = assets.materials(asset, lights_on)
            for _ in range(TRIES):
                lane = int(rng.integers(layout.lanes))
                s = float(rng.uniform(lo + (3 if lane == camera_lane(layout) else 0), hi))
                t = lane_t(layout, lane) + float(rng.uniform(-0.3, 0.3))
                pos = road.to_world(layout, s, t, 0.0)
                yaw = road.yaw_along(layout, s) + (0.0 if t < 0 else np.pi) + float(rng.normal(0, 0.03))
                if b.try_place(pos, yaw, size[0], size[1], margin=0.6):
                    b.add(kind, asset["params"]["body"], pos, yaw, size, materials, asset=asset)
                    if lights_on:
                        _lights(b, layout, pos, yaw, size, t < 0)
                    break
    for _ in range(p.parked_car.sample(rng)):
        asset = assets.vehicle(rng, "parked_car")
        size = assets.footprint(asset)
        materials = assets.materials(asset, False)
        for _ in range(TRIES):
            side = -1 if rng.random() < 0.6 else 1
            s = float(rng.uniform(lo, hi))
            t = side * (layout.road_half - size[1] / 2 - 0.2)
            pos = road.to_world(layout, s, t, 0.0)
            yaw = road.yaw_along(layout, s) + (0.0 if side < 0 else np.pi)
            if b.try_place(pos, yaw, size[0], size[1], margin=0.3):
                b.add(
                    "car", asset["params"]["body"], pos, yaw, size, materials, tags=("parked",), asset=asset
                )
                break


def two_wheelers(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams, lights_on: bool = False
) -> None:
    """A bicycle or motorcycle and its rider: two objects (their own classes) in one group, one local frame."""
    lo, hi = _s_range(layout)
    for kind, n in (("bicycle", p.bicycle.sample(rng)), ("motorcycle", p.motorcycle.sample(rng))):
        for _ in range(n):
            params = cyclists.sample_cycle(rng, kind)
            cycle, rider = assets.ref("cycle", params), assets.ref("rider", params)
            size, rider_size = assets.footprint(cycle), assets.footprint(rider)
            reserve = (max(size[0], rider_size[0]), max(size[1], rider_size[1]))
            for _ in range(TRIES):
                forward = rng.random() < 0.75
                edge = -layout.road_half + 0.9 if forward else layout.road_half - 0.9
                s = float(rng.uniform(lo + 3, hi))
                t = edge + float(rng.uniform(-0.2, 0.4 if kind == "motorcycle" else 0.2)) * (
                    1 if forward else -1
                )
                pos = road.to_world(layout, s, t, 0.0)
                yaw = road.yaw_along(layout, s) + (0.0 if forward else np.pi)
                if b.try_place(pos, yaw, reserve[0], reserve[1] + 0.1, margin=0.4):
                    g = b.new_group()
                    b.add(
                        kind, kind, pos, yaw, size, assets.materials(cycle, lights_on), group=g, asset=cycle
                    )
                    b.add(
                        "rider",
                        "rider",
                        pos,
                        yaw,
                        rider_size,
                        assets.materials(rider, False),
                        group=g,
                        asset=rider,
                    )
                    break


def pedestrians(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams, rain: bool = False
) -> None:
    """People on the sidewalks (standing, or walking along it) and crossing the road (crossing pose, looking along
    the road); children some of the time, umbrellas in the rain."""
    lo, hi = _s_range(layout)
    for _ in range(p.pedestrian.sample(rng)):
        crossing = rng.random() < p.crossing_pedestrian_prob
        pose = "cross" if crossing else ("walk" if rng.random() < 0.6 else "stand")
        asset = assets.ref("person", people.sample_person(rng, pose=pose, rain=rain))
        size = assets.footprint(asset)
        materials = assets.materials(asset, False)
        for _ in range(TRIES):
            s = float(rng.uniform(lo + 2, min(hi, 60.0)))
            along = road.yaw_along(layout, s)
            if crossing:
                t = float(rng.uniform(-layout.road_half + 0.5, layout.road_half - 0.5))
                z, yaw = 0.0, along + (np.pi / 2 if rng.random() < 0.5 else -np.pi / 2)
            else:
                side = -1 if rng.random() < 0.5 else 1
                t = side * float(
                    rng.uniform(layout.road_half + 0.5, layout.road_half + layout.sidewalk_width - 0.4)
                )
                heading = along + (0.0 if rng.random() < 0.5 else np.pi) + float(rng.normal(0, 0.1))
                z, yaw = road.KERB, heading if pose == "walk" else float(rng.uniform(0, 2 * np.pi))
            pos = road.to_world(layout, s, t, z)
            if b.try_place(pos, yaw, size[0], size[1], margin=0.15):
                tags = ("on_road",) if crossing else ()
                b.add("person", "person", pos, yaw, size, materials, tags=tags, asset=asset)
                break


def animals(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams) -> None:
    """``p.animal`` animals (any species of the asset library) in an image that has any (``p.animal_prob``)."""
    if rng.random() >= p.animal_prob:
        return
    lo, hi = _s_range(layout)
    for _ in range(p.animal.sample(rng)):
        species = p.animal_species.sample(rng)
        on_road = rng.random() < p.animal_on_road_prob
        asset = assets.ref("animal", animals_lib.sample_animal(rng, species))
        size = assets.footprint(asset)
        materials = assets.materials(asset, False)
        for _ in range(TRIES):
            s = float(rng.uniform(lo + 3, min(hi, 50.0)))
            if on_road:
                t, z = float(rng.uniform(-layout.road_half + 0.5, layout.road_half - 0.5)), 0.0
            else:
                side = -1 if rng.random() < 0.5 else 1
                t = side * (layout.road_half + float(rng.uniform(0.4, max(0.5, layout.sidewalk_width - 0.4))))
                z = road.KERB
            pos = road.to_world(layout, s, t, z)
            yaw = float(rng.uniform(0, 2 * np.pi))
            if b.try_place(pos, yaw, size[0], size[1], margin=0.2):
                tags = (species, "animal_on_road") if on_road else (species,)
                b.add("animal", species, pos, yaw, size, materials, tags=tags, asset=asset)
                break
