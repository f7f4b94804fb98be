"""People where real street images show them: in pairs and small groups walking together (or waiting at the kerb,
facing the road), and at the doors of parked cars."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import assets, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import PeopleParams
from simvision.scenes.street.spec import LayoutSpec, ObjectSpec
from simvision.world.assets import people

TRIES = 12
DOOR_CLEARANCE = (
    0.35  # metres between a car's side and the person at its door (parked cars reserve 0.1 + 0.1)
)


def _person(rng: np.random.Generator, pose: str, rain: bool) -> tuple[dict, tuple, tuple]:
    asset = assets.ref("person", people.sample_person(rng, pose=pose, rain=rain))
    return asset, assets.footprint(asset), assets.materials(asset, False)


def at_car(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, car: ObjectSpec, rain: bool
) -> bool:
    """A person standing at a front or rear door of parked ``car``, facing it: on the road side (the driver of a
    left-hand-drive car parked with the traffic) or the kerb side (a passenger, on the sidewalk). Returns whether
    one was placed."""
    asset, size, materials = _person(rng, "stand", rain)
    ln, w = car.size[0], car.size[1]
    road_side = rng.random() < 0.6
    x = float(rng.uniform(-0.15, 0.3)) * ln  # between the rear and the front door
    y = w / 2 + DOOR_CLEARANCE + size[1] / 2
    # the car's local +y is its left; a car parked at the right kerb (yaw along +s) has the road on its left
    c, s_ = np.cos(car.yaw), np.sin(car.yaw)
    for sign in (1, -1) if road_side else (-1, 1):
        local = np.array([x, sign * y])
        xy = np.array(car.position[:2]) + [c * local[0] - s_ * local[1], s_ * local[0] + c * local[1]]
        on_kerb = _on_sidewalk(layout, xy)
        pos = np.array([xy[0], xy[1], road.KERB if on_kerb else 0.0])
        yaw = car.yaw - sign * np.pi / 2 + float(rng.normal(0, 0.2))  # facing the car
        if b.try_place(pos, yaw, size[0], size[1], margin=0.02):
            b.add(
                "person", "person", pos, yaw, size, materials, group=car.group, tags=("at_car",), asset=asset
            )
            return True
    return False


def _on_sidewalk(layout: LayoutSpec, xy: np.ndarray) -> bool:
    """Whether a ground point lies beyond the kerb (nearest centreline point by a coarse search along ``s``)."""
    s = np.linspace(layout.start, layout.length, 2000)
    pts = road.to_world(layout, s, 0.0)[:, :2]
    return bool(np.min(np.hypot(*(pts - xy).T)) > layout.road_half)


def _ground_distance(layout: LayoutSpec, a: tuple[float, float], b: tuple[float, float]) -> float:
    pa, pb = road.to_world(layout, *a), road.to_world(layout, *b)
    return float(np.hypot(*(pa - pb)[:2]))


def group(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    p: PeopleParams,
    size: int,
    s_range: tuple[float, float],
    rain: bool,
) -> int:
    """A group of ``size`` people on one sidewalk: walking along it with one heading (side by side or one behind
    another), or standing at the kerb facing the road. Each member stands ``p.group_spacing`` from the groupmate
    it joins and no nearer than its minimum to any other. Returns how many were placed."""
    walking = rng.random() < 0.75
    side = -1 if rng.random() < 0.5 else 1
    inner, outer = layout.road_half + 0.4, layout.road_half + layout.sidewalk_width - 0.4
    placed: list[tuple[float, float]] = []  # (s, t) of the members
    heading = 0.0 if rng.random() < 0.5 else np.pi  # relative to the road's direction
    tag = ("group", "walking" if walking else "waiting")
    g = b.new_group()
    for k in range(size):
        asset, fp, materials = _person(rng, "walk" if walking else "stand", rain)
        for _ in range(TRIES):
            if k == 0:
                s = float(rng.uniform(*s_range))
                t = side * (
                    float(rng.uniform(inner, outer)) if walking else inner + float(rng.uniform(0, 0.4))
                )
            else:
                s0, t0 = placed[int(rng.integers(len(placed)))]
                d = p.group_spacing.sample(rng)
                if walking:  # beside (across the sidewalk) or behind/ahead (along it)
                    a = float(rng.choice([np.pi / 2, -np.pi / 2, 0.0, np.pi], p=[0.35, 0.35, 0.15, 0.15]))
                else:  # along the kerb, a step back from it
                    a = float(rng.choice([0.0, np.pi])) + float(rng.normal(0, 0.3))
                a += float(rng.normal(0, 0.15))
                s, t = s0 + d * np.cos(a) / (1.0 - layout.curvature * t0), t0 + d * np.sin(a)
                if not inner <= abs(t) <= outer or np.sign(t) != side:
                    continue
                if min(_ground_distance(layout, (s, t), q) for q in placed) < p.group_spacing.min:
                    continue
            along = road.yaw_along(layout, s)
            if walking:
                yaw = along + heading + float(rng.normal(0, 0.08))
            else:  # facing across the road: local +x towards the centreline
                yaw = along + (np.pi / 2 if side < 0 else -np.pi / 2) + float(rng.normal(0, 0.25))
            pos = road.to_world(layout, s, t, road.KERB)
            if b.try_place(pos, yaw, fp[0], fp[1], margin=0.02):
                b.add("person", "person", pos, yaw, fp, materials, group=g, tags=tag, asset=asset)
                placed.append((s, t))
                break
        else:
            if k == 0:
                return 0
    return len(placed)
