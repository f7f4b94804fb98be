"""Road users: moving and parked vehicles, two-wheelers with riders, pedestrians and animals."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import palette, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import TrafficParams
from simvision.scenes.street.spec import LampSpec, LayoutSpec

TRIES = 12  # placement attempts per object; a fixed count keeps the draw sequence independent of outcomes
VEHICLES = {  # kind: (length, width, height) ranges
    "car": ((3.9, 4.9), (1.7, 1.9), (1.4, 1.6)),
    "truck": ((6.0, 9.0), (2.3, 2.5), (3.0, 3.6)),
    "bus": ((10.5, 12.5), (2.5, 2.55), (3.0, 3.3)),
}
ANIMAL_SIZES = {"dog": ((0.6, 1.0), (0.25, 0.35), (0.45, 0.8)), "deer": ((1.4, 1.9), (0.4, 0.5), (1.5, 1.9))}


def _size(rng: np.random.Generator, ranges: tuple) -> tuple[float, float, float]:
    return tuple(float(rng.uniform(lo, hi)) for lo, hi in ranges)


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
            size = _size(rng, VEHICLES[kind])
            materials = palette.vehicle(rng, lights_on)
            variant = int(rng.integers(6))
            for _ in range(TRIES):
                lane = int(rng.integers(layout.lanes))
                s = float(rng.uniform(lo + (3 if lane == camera_lane(layout) else 0), hi))
                t = lane_t(layout, lane) + float(rng.uniform(-0.3, 0.3))
                pos = road.to_world(layout, s, t, 0.0)
                yaw = road.yaw_along(layout, s) + (0.0 if t < 0 else np.pi) + float(rng.normal(0, 0.03))
                if b.try_place(pos, yaw, size[0], size[1], margin=0.6):
                    b.add(kind, kind, pos, yaw, size, materials, variant)
                    if lights_on:
                        _lights(b, layout, pos, yaw, size, t < 0)
                    break
    for _ in range(p.parked_car.sample(rng)):
        size = _size(rng, VEHICLES["car"])
        materials = palette.vehicle(rng, False)
        variant = int(rng.integers(6))
        for _ in range(TRIES):
            side = -1 if rng.random() < 0.6 else 1
            s = float(rng.uniform(lo, hi))
            t = side * (layout.road_half - size[1] / 2 - 0.2)
            pos = road.to_world(layout, s, t, 0.0)
            yaw = road.yaw_along(layout, s) + (0.0 if side < 0 else np.pi)
            if b.try_place(pos, yaw, size[0], size[1], margin=0.3):
                b.add("car", "car", pos, yaw, size, materials, variant, tags=("parked",))
                break


def two_wheelers(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams) -> None:
    lo, hi = _s_range(layout)
    for kind, n in (("bicycle", p.bicycle.sample(rng)), ("motorcycle", p.motorcycle.sample(rng))):
        for _ in range(n):
            size = (1.75, 0.5, 1.05) if kind == "bicycle" else (2.1, 0.75, 1.15)
            rider_h = float(rng.uniform(1.6, 1.9))
            frame = (
                palette.vehicle(rng, False)
                if kind == "motorcycle"
                else (palette.metal(rng), *palette.vehicle(rng, False)[1:])
            )
            clothes = palette.person(rng)
            for _ in range(TRIES):
                forward = rng.random() < 0.75
                edge = -layout.road_half + 0.9 if forward else layout.road_half - 0.9
                s = float(rng.uniform(lo + 3, hi))
                t = edge + float(rng.uniform(-0.2, 0.4 if kind == "motorcycle" else 0.2)) * (
                    1 if forward else -1
                )
                pos = road.to_world(layout, s, t, 0.0)
                yaw = road.yaw_along(layout, s) + (0.0 if forward else np.pi)
                if b.try_place(pos, yaw, size[0], size[1] + 0.3, margin=0.4):
                    g = b.new_group()
                    b.add(kind, kind, pos, yaw, size, frame, group=g)
                    saddle = pos + np.array([-0.15 * np.cos(yaw), -0.15 * np.sin(yaw), 0.0])
                    b.add("rider", "rider", saddle, yaw, (0.4, 0.5, rider_h), clothes, group=g)
                    break


def pedestrians(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams) -> None:
    lo, hi = _s_range(layout)
    for _ in range(p.pedestrian.sample(rng)):
        h = float(rng.uniform(1.5, 1.95))
        size = (0.28, 0.5, h)
        materials = palette.person(rng)
        crossing = rng.random() < p.crossing_pedestrian_prob
        for _ in range(TRIES):
            s = float(rng.uniform(lo + 2, min(hi, 60.0)))
            if crossing:
                t = float(rng.uniform(-layout.road_half + 0.5, layout.road_half - 0.5))
                z, yaw = 0.0, road.yaw_along(layout, s) + (np.pi / 2 if rng.random() < 0.5 else -np.pi / 2)
            else:
                side = -1 if rng.random() < 0.5 else 1
                t = side * float(
                    rng.uniform(layout.road_half + 0.5, layout.road_half + layout.sidewalk_width - 0.4)
                )
                z, yaw = road.KERB, float(rng.uniform(0, 2 * np.pi))
            pos = road.to_world(layout, s, t, z)
            if b.try_place(pos, yaw, 0.5, 0.6, margin=0.15):
                b.add(
                    "person",
                    "person",
                    pos,
                    yaw,
                    size,
                    materials,
                    int(rng.integers(2)),
                    tags=("on_road",) if crossing else (),
                )
                break


def animals(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams) -> None:
    if rng.random() >= p.animal_prob:
        return
    species = p.animal.sample(rng)
    on_road = rng.random() < p.animal_on_road_prob
    size = _size(rng, ANIMAL_SIZES[species])
    materials = palette.animal(rng, species)
    lo, hi = _s_range(layout)
    for _ in range(TRIES):
        s = float(rng.uniform(lo + 3, min(hi, 50.0)))
        if on_road:
            t, z = float(rng.uniform(-layout.road_half + 0.5, layout.road_half - 0.5)), 0.0
        else:
            side = -1 if rng.random() < 0.5 else 1
            t, z = side * (layout.road_half + float(rng.uniform(0.4, layout.sidewalk_width - 0.4))), road.KERB
        pos = road.to_world(layout, s, t, z)
        yaw = float(rng.uniform(0, 2 * np.pi))
        if b.try_place(pos, yaw, size[0], size[1], margin=0.2):
            tags = (species, "animal_on_road") if on_road else (species,)
            b.add(
                "animal",
                "animal",
                pos,
                yaw,
                size,
                materials,
                variant=1 if species == "deer" else 0,
                tags=tags,
            )
            return
