"""Road users: moving and parked vehicles, two-wheelers with riders, pedestrians and animals, each a detailed
procedural asset (:mod:`simvision.scenes.street.assets`) whose footprint placement reserves."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import assets, crowds, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import PeopleParams, TrafficParams
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


def _lights(b: SceneBuilder, pos: np.ndarray, yaw: float, size: tuple, owner: int) -> None:
    """Head-light spots ahead of the vehicle's front face and dim red tail-light points behind, mounted on the
    vehicle ``owner`` (they move with it in a clip)."""
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
                owner=owner,
            )
        )
        b.lamps.append(
            LampSpec(
                kind="point",
                position=tuple(back.round(3)),
                color=(1.0, 0.05, 0.02),
                power_w=4.0,
                radius=0.05,
                owner=owner,
            )
        )


def lane_scale(layout: LayoutSpec, t: float) -> float:
    """World metres per metre of ``s`` at lateral offset ``t`` (a lane on the inside of a curve is shorter)."""
    return 1.0 - layout.curvature * t


def junction_zone(layout: LayoutSpec, clear: float = 3.0) -> tuple[float, float] | None:
    """``s`` interval of the crossing road and its sidewalks (plus ``clear`` metres): nobody parks or queues in it."""
    if layout.junction_at is None:
        return None
    half = layout.cross_width / 2 + layout.sidewalk_width + clear
    return layout.junction_at - half, layout.junction_at + half


def _vehicle(rng: np.random.Generator, kind: str, lights_on: bool) -> tuple[dict, tuple, tuple]:
    asset = assets.vehicle(rng, kind)
    lit = lights_on and kind != "parked_car"
    return asset, assets.footprint(asset), assets.materials(asset, lit)


def _add_vehicle(
    b: SceneBuilder, kind: str, vehicle: tuple, pos: np.ndarray, yaw: float, lights_on: bool, **kw
) -> None:
    asset, size, materials = vehicle
    obj = b.add(kind, asset["params"]["body"], pos, yaw, size, materials, asset=asset, **kw)
    if lights_on:
        _lights(b, pos, yaw, size, obj.id)


def queue(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    p: TrafficParams,
    pool: list[tuple[str, tuple]],
    lights_on: bool,
) -> None:
    """Vehicles waiting in one lane, bumper to bumper ``p.queue_gap`` apart: at a junction's stop line (before the
    crossing road's sidewalk, in either direction), else at a red light or a jam further on. Takes its vehicles
    from the front of ``pool``; the queue ends at the first one that does not fit (the ego car, an animal)."""
    lo, hi = _s_range(layout)
    lane = int(rng.integers(layout.lanes))
    t0 = lane_t(layout, lane)
    forward = t0 < 0  # towards +s
    d = 1.0 if forward else -1.0
    stop = layout.junction_at
    if stop is not None:
        zone = junction_zone(layout, clear=0.0)
        assert zone is not None
        stop = (zone[0] if forward else zone[1]) - d * float(rng.uniform(0.5, 2.0))  # the front bumper
    else:
        stop = float(rng.uniform(lo + 15, hi - 20)) if forward else float(rng.uniform(lo + 25, hi))
    n = min(p.queue_length.sample(rng), len(pool))
    group = b.new_group()
    front = stop  # s of the front bumper of the next vehicle
    for _ in range(n):
        kind, vehicle = pool.pop(0)
        length = vehicle[1][0]
        t = t0 + float(rng.uniform(-0.15, 0.15))
        s = front - d * (length / 2) / lane_scale(layout, t)
        pos = road.to_world(layout, s, t, 0.0)
        yaw = road.yaw_along(layout, s) + (0.0 if forward else np.pi) + float(rng.normal(0, 0.02))
        if not lo - 5 < s < layout.length - 5 or not b.try_place(pos, yaw, length, vehicle[1][1], margin=0.1):
            pool.insert(0, (kind, vehicle))  # placed freely instead
            break
        _add_vehicle(b, kind, vehicle, pos, yaw, lights_on, group=group, tags=("queued",))
        front = s - d * (length / 2 + p.queue_gap.sample(rng)) / lane_scale(layout, t)


def parked_gap(rng: np.random.Generator, p: TrafficParams) -> float:
    """Bumper-to-bumper gap between two parked cars: within ``p.parked_gap``, skewed to its short end (Beta(1.3,
    3), mean ~30% of the range: cars park nose to tail, a few leave a car-door's length)."""
    return p.parked_gap.min + (p.parked_gap.max - p.parked_gap.min) * float(rng.beta(1.3, 3.0))


def parked_rows(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams) -> None:
    """``p.parked_car`` parked cars of mixed bodies along both kerbs (``p.parked_left_share`` of them along the
    left-hand one), in rows of ``p.parked_row`` cars nose to tail: gaps from :func:`parked_gap`, now and then a
    driveway-sized hole (4-12 m, ``p.parked_hole_prob``), a longer break (8-25 m) between rows, none in a
    junction. A kerb's first row starts beside the camera, as on a street where every space is taken."""
    lo, hi = _s_range(layout)
    total = p.parked_car.sample(rng)
    n_left = int(rng.binomial(total, p.parked_left_share))
    zone = junction_zone(layout)
    for side, left in ((-1, total - n_left), (1, n_left)):
        cursor = float(rng.uniform(lo - 9.0, lo + 6.0))  # s of the rear end of the next car (rows run to +s)
        while left > 0 and cursor < hi:
            n = min(p.parked_row.sample(rng), left)
            left -= n
            group = b.new_group()
            for _ in range(n):
                asset, size, materials = _vehicle(rng, "parked_car", False)
                if rng.random() < p.parked_hole_prob:
                    cursor += float(rng.uniform(4.0, 12.0))
                t = side * (layout.road_half - size[1] / 2 - float(rng.uniform(0.15, 0.35)))
                ds = size[0] / lane_scale(layout, t)
                if zone is not None and cursor + ds > zone[0] and cursor < zone[1]:
                    cursor = zone[1]
                if cursor + ds > hi:
                    break
                s = cursor + ds / 2
                pos = road.to_world(layout, s, t, 0.0)
                yaw = road.yaw_along(layout, s) + (0.0 if side < 0 else np.pi) + float(rng.normal(0, 0.01))
                if b.try_place(pos, yaw, size[0], size[1], margin=0.1):
                    b.add(
                        "car", asset["params"]["body"], pos, yaw, size, materials, group=group, tags=("parked",),
                        asset=asset,
                    )  # fmt: skip
                cursor += ds + parked_gap(rng, p) / lane_scale(layout, t)
            cursor += float(rng.uniform(8.0, 25.0))


def vehicles(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams, lights_on: bool
) -> None:
    """Parked rows first (they were there before), then a queue (``p.queue_prob``), then the rest anywhere."""
    lo, hi = _s_range(layout)
    parked_rows(rng, b, layout, p)
    counts = {"car": p.car.sample(rng), "truck": p.truck.sample(rng), "bus": p.bus.sample(rng)}
    pool = [(kind, _vehicle(rng, kind, lights_on)) for kind, n in counts.items() for _ in range(n)]
    pool = [pool[i] for i in rng.permutation(len(pool))]  # a queue of mixed kinds
    if pool and rng.random() < p.queue_prob:
        queue(rng, b, layout, p, pool, lights_on)
    for kind, vehicle in pool:
        length, width = vehicle[1][0], vehicle[1][1]
        for _ in range(TRIES):
            lane = int(rng.integers(layout.lanes))
            s = float(rng.uniform(lo + (3 if lane == camera_lane(layout) else 0), hi))
            t = lane_t(layout, lane) + float(rng.uniform(-0.3, 0.3))
            pos = road.to_world(layout, s, t, 0.0)
            yaw = road.yaw_along(layout, s) + (0.0 if t < 0 else np.pi) + float(rng.normal(0, 0.03))
            if b.try_place(pos, yaw, length, width, margin=0.6):
                _add_vehicle(b, kind, vehicle, pos, yaw, lights_on)
                break


def two_wheelers(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: TrafficParams, lights_on: bool = False
) -> None:
    """A bicycle or motorcycle and its rider: two objects (their own classes) in one group, one local frame; at
    the kerb, or beside the parked cars where a row takes the kerb."""
    lo, hi = _s_range(layout)
    for kind, n in (("bicycle", p.bicycle.sample(rng)), ("motorcycle", p.motorcycle.sample(rng))):
        for _ in range(n):
            params = cyclists.sample_cycle(rng, kind)
            cycle, rider = assets.ref("cycle", params), assets.ref("rider", params)
            size, rider_size = assets.footprint(cycle), assets.footprint(rider)
            reserve = (max(size[0], rider_size[0]), max(size[1], rider_size[1]))
            for _ in range(TRIES):
                forward = rng.random() < 0.75
                # at the kerb, or (half the tries) beside a parked row, a car's width further in
                inset = 0.9 + (
                    float(np.clip(layout.road_half - 1.5, 0.0, 2.3)) if rng.random() < 0.5 else 0.0
                )
                edge = -layout.road_half + inset if forward else layout.road_half - inset
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
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    p: TrafficParams,
    rain: bool = False,
    crowd: PeopleParams | None = None,
) -> None:
    """``p.pedestrian`` people: first at the doors of parked cars (``crowd.at_car_prob`` per car), then, one by
    one, crossing the road (crossing pose, looking along the road), starting a group on the sidewalk
    (``crowd.group_prob``) or alone on it (standing, or walking along it); children some of the time, umbrellas in
    the rain."""
    crowd = crowd or PeopleParams()
    lo, hi = _s_range(layout)
    left = p.pedestrian.sample(rng)
    for car in [o for o in b.objects if "parked" in o.tags]:
        if left > 0 and rng.random() < crowd.at_car_prob:
            left -= int(crowds.at_car(rng, b, layout, car, rain))
    while left > 0:
        crossing = rng.random() < p.crossing_pedestrian_prob
        if not crossing and left >= 2 and rng.random() < crowd.group_prob:
            n = min(crowd.group_size.sample(rng), left)
            placed = crowds.group(rng, b, layout, crowd, n, (lo + 2, min(hi, 60.0)), rain)
            left -= max(placed, 1)  # a group that found no room is given up, as a single person would be
            continue
        left -= 1
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
