"""Static street furniture: buildings, street lamps, traffic lights and signs, and the kerbside assets
(bins, hydrants, bollards, benches, bus shelters, road-works cones and barriers). Trees, hedges and verges:
:mod:`.vegetation`."""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import assets, palette, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import StreetFurnitureParams
from simvision.scenes.street.spec import LampSpec, LayoutSpec
from simvision.world.assets import furniture as furniture_lib
from simvision.world.assets import signs as signs_lib


def buildings(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams, lit: bool
) -> None:
    """An urban street's terrace of buildings at the back of the sidewalk (0-1.5 m behind it, now and then a
    passage between two), shops or front doors on the ground floor. A suburban street's houses behind their front
    gardens: :mod:`.suburb`."""
    base = layout.road_half + layout.sidewalk_width
    for s0, s1 in road.blocks(layout):
        for side in (-1, 1):
            s = s0 + float(rng.uniform(0, 3))
            while s < s1 - 4:
                width = min(float(rng.uniform(8, 22)), s1 - s)
                depth = float(rng.uniform(10, 18))
                height = p.building_height.sample(rng)
                setback = float(rng.uniform(0.0, 1.5))
                sc = s + width / 2
                t = side * (base + setback + depth / 2)
                pos = road.to_world(layout, sc, t, road.KERB)
                # local +x along the road, so size = (width along road, depth, height); the front (local -y,
                # shops and doors) faces the road
                yaw = road.yaw_along(layout, sc) + (np.pi if side < 0 else 0.0)
                if b.try_place(pos, yaw, width, depth, margin=-0.05):
                    b.add(
                        "building",
                        "building",
                        pos,
                        yaw,
                        (width, depth, height),
                        palette.building(rng, lit),
                        int(rng.integers(4)),
                    )
                s += width + (float(rng.uniform(0.5, 4)) if rng.random() < 0.4 else 0.0)


def lamps(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams, lit: bool
) -> None:
    """Lamp posts along both kerbs, staggered; ``p.lamp_sign_prob`` of them carry sign plates at 2-2.5 m."""
    spacing = p.lamp_spacing.sample(rng)
    height = float(rng.uniform(7.0, 9.0))
    reach = min(layout.road_half * 0.7, float(rng.uniform(1.2, 2.5)))
    radius = float(rng.uniform(0.08, 0.12))  # 16-24 cm at the foot
    for side, offset in ((-1, 0.0), (1, spacing / 2)):
        for s0, s1 in road.blocks(layout):
            for s in np.arange(s0 + 2 + offset, s1 - 2, spacing):
                t = side * (layout.road_half + 0.5)
                pos = road.to_world(layout, s, t, road.KERB)
                yaw = road.yaw_along(layout, s) + (np.pi if side < 0 else 0.0)
                if not b.try_place(pos, yaw, 0.4, 0.4, margin=0.1):
                    continue
                g = b.new_group()
                b.add(
                    "pole",
                    "lamp_post",
                    pos,
                    yaw,
                    (2 * radius, reach, height),
                    palette.lamp_post(rng, lit),
                    group=g,
                )
                if 0 < s < SIGN_REACH and rng.random() < p.lamp_sign_prob:
                    plates = min(2, p.sign_plates.sample(rng))
                    _plates(rng, b, layout, s, t, _sign_yaw(rng, layout, s, side), radius, plates, g)
                if lit:
                    head = road.to_world(layout, s, t - side * (reach + 0.05), road.KERB + height - 0.3)
                    b.lamps.append(
                        LampSpec(
                            kind="spot",
                            position=tuple(head.round(3)),
                            power_w=1000.0,
                            spot_deg=130.0,
                            radius=0.15,
                        )
                    )


PLATE_TOP = 4.0  # metres over the sidewalk: the highest a stack's top plate's bottom edge reaches
SIGN_REACH = 120.0  # metres ahead of the camera that get signs (farther ones are a pixel or two)


def _sign_yaw(
    rng: np.random.Generator, layout: LayoutSpec, s: float, side: int, ours: bool | None = None
) -> float:
    """The yaw of a plate at the kerb of ``side``: its face (+x) towards the traffic of the near lanes (towards
    the camera on the right kerb, away from it on the left), or towards the camera (``ours``; by default a
    third of the left kerb's plates, as one-way streets and both-sides parking rules have them), turned a few
    degrees off square."""
    if ours is None:
        ours = side < 0 or rng.random() < 0.35
    return road.yaw_along(layout, s) + (np.pi if ours else 0.0) + float(rng.uniform(-0.12, 0.12))


def _plates(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    s: float,
    t: float,
    yaw: float,
    radius: float,
    count: int,
    group: int,
    designs: tuple[str, ...] = (),
    z0: float | None = None,
) -> float:
    """``count`` sign plates stacked on the pole at road coordinates (s, t) (its radius ``radius``), the lowest
    one's bottom edge 2.0-2.5 m above the sidewalk (``z0``), 5 cm apart; ``designs``: the top plate's choices.
    Returns the top edge's height above the sidewalk."""
    z = float(rng.uniform(2.0, 2.5)) if z0 is None else z0
    # a plate the camera's traffic faces never bans it from the street it drives on
    towards = np.cos(yaw - road.yaw_along(layout, s)) < 0
    pool = tuple(d.name for d in signs_lib.DESIGNS if d.name != "no_entry") if towards else ()
    picks = [signs_lib.sample_design(rng, pool) for _ in range(count)]
    if designs:
        picks[-1] = signs_lib.sample_design(rng, designs)
    face = np.array([np.cos(yaw), np.sin(yaw), 0.0]) * (radius + 0.02)
    sizes = [signs_lib.plate_size(rng, design) for design in picks]
    # a tall stack starts lower: the top plate's bottom edge no higher than 4 m
    z = max(min(z, PLATE_TOP - sum(h + 0.05 for _, h in sizes[:-1])), 2.0)
    for k, design in enumerate(picks):
        w, h = sizes[k]
        if k < count - 1 and signs_lib.DESIGNS[design].shape == "rect" and h < 0.4:
            w = min(w, 0.75)  # a supplementary panel no wider than the sign above it
        pos = road.to_world(layout, s, t, road.KERB + z) + face
        b.add("traffic sign", "sign", pos, yaw, (0.03, w, h), palette.sign(rng, design), design, group=group)
        z += h + 0.05
    return z


def _sign_post(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    p: StreetFurnitureParams,
    s: float,
    side: int,
    designs: tuple[str, ...] = (),
    ours: bool | None = None,
) -> bool:
    """A sign post 0.3-0.7 m behind the kerb of ``side`` at ``s`` with its plates (one group)."""
    t = side * (layout.road_half + float(rng.uniform(0.3, 0.7)))
    pos = road.to_world(layout, s, t, road.KERB)
    if not b.try_place(pos, 0.0, 0.25, 0.25, margin=0.15, post=True):
        return False
    g = b.new_group()
    yaw = _sign_yaw(rng, layout, s, side, ours)
    r = float(rng.uniform(0.03, 0.038))  # 60-76 mm tube
    top = _plates(rng, b, layout, s, t, yaw, r, p.sign_plates.sample(rng), g, designs)
    b.add(
        "pole",
        "pole",
        pos,
        yaw,
        (2 * r, 2 * r, top + float(rng.uniform(0.0, 0.15))),
        (palette.metal(rng),),
        group=g,
    )
    return True


def signs(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams) -> None:
    """Sign posts along both kerbs every ``p.sign_spacing`` metres within :data:`SIGN_REACH` of the camera; at a
    junction a priority sign (give way, stop, priority road) before it, with a street-name plate; at a mid-block
    crossing its sign on both approaches."""
    j = layout.junction_at
    if j is not None:
        before = j - layout.cross_width / 2 - layout.sidewalk_width - float(rng.uniform(1.0, 5.0))
        _sign_post(rng, b, layout, p, before, -1, ("yield", "stop", "priority"), ours=True)
        _sign_post(rng, b, layout, p, before, 1, ("street_name",), ours=True)
    if layout.crossing_at is not None:
        c = layout.crossing_at
        _sign_post(rng, b, layout, p, c - float(rng.uniform(2.5, 6.0)), -1, ("crossing",), ours=True)
        _sign_post(rng, b, layout, p, c + float(rng.uniform(2.5, 6.0)), 1, ("crossing",), ours=False)
    for s0, s1 in road.blocks(layout):
        lo, hi = max(s0 + 1.5, 1.0), min(s1 - 1.5, SIGN_REACH)
        for side in (-1, 1):
            s = lo + float(rng.uniform(0.0, p.sign_spacing.max))
            while s < hi:
                _sign_post(rng, b, layout, p, s, side)
                s += p.sign_spacing.sample(rng)


def _light_pole(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    p: StreetFurnitureParams,
    s: float,
    side: int,
    facing: tuple[bool, ...],
    lit: int,
    cross: bool,
    mast: bool,
) -> None:
    """A signal pole behind the kerb of ``side`` at ``s``: a vehicle head facing the camera's direction of travel
    (``facing`` True) and/or the opposite one (False), back to back; with ``cross`` one for the crossing road too;
    a pedestrian head facing across the road; with ``mast`` a cantilever arm over the lanes of ``side`` with one
    or two heads hung from it (facing the traffic of those lanes)."""
    t = side * (layout.road_half + 0.6)
    pos = road.to_world(layout, s, t, road.KERB)
    along = road.yaw_along(layout, s)
    if not b.try_place(pos, along, 0.4, 0.4, margin=0.1):
        return
    g = b.new_group()
    h = float(rng.uniform(5.6, 6.6)) if mast else float(rng.uniform(3.0, 4.2))
    out = along + (np.pi if side < 0 else 0.0)  # the lamp-post convention: local -y reaches over the road
    reach = min(layout.road_half - 0.3, float(rng.uniform(3.0, 6.5))) if mast else 0.0
    if mast:
        b.add("pole", "mast", pos, out, (0.24, reach, h), (palette.metal(rng),), group=g)
    else:
        b.add("pole", "pole", pos, along, (0.12, 0.12, h), (palette.metal(rng),), group=g)
    head = (0.3, float(rng.uniform(0.34, 0.44)), float(rng.uniform(0.95, 1.15)))  # with a backplate or not
    z = road.KERB + min(h, 4.2) - head[2] - (0.4 if mast else 0.0)
    for ours in facing:
        yaw = along + (np.pi if ours else 0.0)
        f = np.array([np.cos(yaw), np.sin(yaw), 0.0])
        state = lit  # both directions of the street share a phase
        at = pos + f * 0.22 + [0, 0, z]
        b.add("traffic light", "traffic_light", at, yaw, head, palette.traffic_light(state), state, group=g)
        if rng.random() < REPEATER_PROB and z - head[2] > road.KERB + 2.0:  # a repeater at eye height
            at = pos + f * 0.22 + [0, 0, road.KERB + float(rng.uniform(2.0, 2.3))]
            small = (head[0], head[1] * 0.8, head[2] * 0.8)
            b.add(
                "traffic light", "traffic_light", at, yaw, small, palette.traffic_light(state), state, group=g
            )
    if cross:
        yaw = (
            along + side * np.pi / 2
        )  # facing away from the road: the crossing road's traffic at this corner
        f = np.array([np.cos(yaw), np.sin(yaw), 0.0])
        state = 2 - lit if lit != 1 else 0
        at = pos + f * 0.22 + [0, 0, z]
        b.add("traffic light", "traffic_light", at, yaw, head, palette.traffic_light(state), state, group=g)
    yaw = along - side * np.pi / 2  # the pedestrian head faces across the road
    f = np.array([np.cos(yaw), np.sin(yaw), 0.0])
    green = lit == 0  # walk while the street's traffic has red
    at = pos + f * 0.18 + [0, 0, road.KERB + float(rng.uniform(2.1, 2.5))]
    b.add(
        "traffic light",
        "pedestrian_light",
        at,
        yaw,
        (0.22, 0.3, 0.62),
        palette.pedestrian_light(green),
        2 if green else 0,
        group=g,
    )
    if mast:
        ours = side < 0
        yaw = along + (np.pi if ours else 0.0)
        for d in (reach - 0.3, reach * 0.55)[: 1 + int(rng.random() < 0.6)]:
            hang = road.to_world(layout, s, t - side * d, road.KERB + h - 0.3 - head[2] - 0.05)
            state = lit  # both directions of the street share a phase
            b.add(
                "traffic light",
                "traffic_light",
                hang,
                yaw,
                head,
                palette.traffic_light(state),
                state,
                group=g,
            )


def traffic_lights(
    rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams
) -> None:
    """Signals at a junction (a pole at each corner: heads for both directions of the street and the crossing
    road, pedestrian heads, a mast over the lanes now and then) and at a signalised mid-block crossing (a pole on
    each side before it, heads back to back)."""
    lit = int(rng.integers(3))
    if layout.junction_at is not None:
        j, hw, sw = layout.junction_at, layout.cross_width / 2, layout.sidewalk_width
        near, far = j - hw - sw / 2, j + hw + sw / 2
        _light_pole(rng, b, layout, p, near, -1, (True,), lit, True, rng.random() < p.mast_prob)
        _light_pole(rng, b, layout, p, far, -1, (True,), lit, True, False)
        _light_pole(rng, b, layout, p, far, 1, (True, False), lit, True, rng.random() < p.mast_prob)
        _light_pole(rng, b, layout, p, near, 1, (False,), lit, True, False)
    elif layout.crossing_at is not None and rng.random() < p.crossing_light_prob:
        c = layout.crossing_at
        _light_pole(rng, b, layout, p, c - 2.5, -1, (True, False), lit, False, rng.random() < p.mast_prob)
        _light_pole(rng, b, layout, p, c + 2.5, 1, (True, False), lit, False, False)
    elif rng.random() < FAR_SIGNAL_PROB and layout.length > 50.0:
        # the next junction down the street (beyond the modelled blocks' detail): its near poles, heads facing
        # the camera's traffic and the oncoming one
        far = float(rng.uniform(40.0, min(90.0, layout.length - 8.0)))
        _light_pole(rng, b, layout, p, far, -1, (True,), lit, False, rng.random() < p.mast_prob)
        _light_pole(rng, b, layout, p, far + float(rng.uniform(0, 3)), 1, (True, False), lit, False, False)


# a street without a junction or a signalised crossing: signals at the next junction ahead
FAR_SIGNAL_PROB = 0.6
REPEATER_PROB = (
    0.5  # a vehicle head on a signal pole with a smaller repeater head under it (German junctions)
)
# street lines of utility poles (estimates from the reference frames): most suburban streets, some urban ones
# (tram and trolley-wire poles)
UTILITY_PROB = {"suburban": 0.8}
UTILITY_PROB_DEFAULT = 0.3
UTILITY_COLOURS = [(0.22, 0.17, 0.12), (0.3, 0.25, 0.19), (0.45, 0.44, 0.41), (0.55, 0.55, 0.52)]


def poles(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec) -> None:
    """Poles with no lamp, sign or signal on them: a line of utility poles (wood or concrete, 8-10.5 m, every
    28-40 m) along a kerb of most suburban streets and some urban ones (steel tram-wire poles, on both kerbs now
    and then), and short posts (parking meters, bike stands, push-button and barrier posts, 1.0-1.6 m) in ones to
    threes along both kerbs."""
    suburban = layout.district == "suburban"
    if rng.random() < UTILITY_PROB.get(layout.district, UTILITY_PROB_DEFAULT):
        first = -1 if rng.random() < 0.5 else 1
        sides = (first,) if suburban or rng.random() < 0.5 else (-1, 1)
        spacing = float(rng.uniform(28.0, 40.0))
        height = float(rng.uniform(8.0, 10.5))
        r = float(rng.uniform(0.11, 0.15)) if suburban else float(rng.uniform(0.09, 0.12))
        pick = (
            int(rng.integers(4)) if suburban else int(rng.integers(2, 4))
        )  # wood or concrete; urban: concrete
        colour = palette.m(UTILITY_COLOURS[pick], 0.85)
        for side in sides:
            for s0, s1 in road.blocks(layout):
                for s in np.arange(s0 + float(rng.uniform(1.0, spacing)), s1 - 1.0, spacing):
                    pos = road.to_world(layout, float(s), side * (layout.road_half + 0.35), road.KERB)
                    if b.try_place(pos, 0.0, 2 * r + 0.1, 2 * r + 0.1, margin=0.1, post=True):
                        yaw = road.yaw_along(layout, float(s))
                        b.add(
                            "pole", "pole", pos, yaw, (2 * r, 2 * r, height), (colour,), group=b.new_group()
                        )
    for s0, s1 in road.blocks(layout):
        lo, hi = max(s0 + 2.0, 2.0), min(s1 - 2.0, 80.0)
        if hi <= lo:
            continue
        for side in (-1, 1):
            for _ in range(int(rng.integers(0, 3))):
                s, n = float(rng.uniform(lo, hi)), int(rng.integers(1, 4))
                r, h = float(rng.uniform(0.03, 0.05)), float(rng.uniform(1.0, 1.6))
                metal = palette.metal(rng)
                for k in range(n):
                    pos = road.to_world(layout, s + 1.2 * k, side * (layout.road_half + 0.3), road.KERB)
                    if b.try_place(pos, 0.0, 2 * r + 0.1, 2 * r + 0.1, margin=0.1, post=True):
                        yaw = road.yaw_along(layout, s)
                        b.add("pole", "pole", pos, yaw, (2 * r, 2 * r, h), (metal,), group=b.new_group())


# Cityscapes labels bins, benches, hydrants, bollards, cones and barriers ``static`` (void: no train id, no
# instances) and a bus shelter ``building`` ("bus stop building" in its guidelines).
FURNITURE_CLASS = {"shelter": "building"}  # a garden fence: ``static`` (the street classes have no ``fence``)
STATIC = "static"


def _item(
    rng: np.random.Generator,
    b: SceneBuilder,
    layout: LayoutSpec,
    kind: str,
    s: float,
    t: float,
    z: float,
    yaw: float,
    margin: float = 0.1,
    tags: tuple[str, ...] = (),
) -> bool:
    """Place one furniture asset of ``kind`` at road coordinates (s, t) if its footprint is free."""
    asset = assets.ref("furniture", furniture_lib.sample_furniture(rng, kind))
    size = assets.footprint(asset)
    pos = road.to_world(layout, s, t, z)
    if not b.try_place(pos, yaw, size[0], size[1], margin=margin):
        return False
    cls = FURNITURE_CLASS.get(kind, STATIC)
    b.add(cls, kind, pos, yaw, size, assets.materials(asset, False), tags=tags, asset=asset)
    return True


def _facing_road(layout: LayoutSpec, s: float, side: int) -> float:
    """Yaw that turns an asset's open side (local -y) towards the road from the sidewalk on ``side``."""
    return road.yaw_along(layout, s) + (np.pi if side < 0 else 0.0)


def kerbside(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec) -> None:
    """Bins and hydrants along the kerb, runs of bollards, a bus stop (shelter or bench) on the sidewalk and, now
    and then, road works: a taper of cones and barriers closing part of the outer lane."""
    h, sw = layout.road_half, layout.sidewalk_width
    for s0, s1 in road.blocks(layout):
        lo, hi = max(s0 + 2.0, 3.0), min(s1 - 2.0, 90.0)
        if hi <= lo:
            continue
        for side in (-1, 1):
            for _ in range(int(rng.integers(0, 3))):  # litter bins at the kerb
                s = float(rng.uniform(lo, hi))
                _item(rng, b, layout, "bin", s, side * (h + 0.45), road.KERB, _facing_road(layout, s, side))
            if rng.random() < 0.35:
                s = float(rng.uniform(lo, hi))
                _item(rng, b, layout, "hydrant", s, side * (h + 0.35), road.KERB, float(rng.uniform(0, 6.28)))
            if rng.random() < 0.3:  # a run of bollards keeping cars off the sidewalk
                s = float(rng.uniform(lo, hi))
                for k in range(int(rng.integers(3, 8))):
                    _item(rng, b, layout, "bollard", s + 1.6 * k, side * (h + 0.25), road.KERB, 0.0, 0.02)
            if rng.random() < 0.15 and sw >= 2.5:  # a bench against the building line
                s = float(rng.uniform(lo, hi))
                _item(
                    rng,
                    b,
                    layout,
                    "bench",
                    s,
                    side * (h + sw - 0.45),
                    road.KERB,
                    _facing_road(layout, s, side),
                )
    if rng.random() < 0.35:
        _bus_stop(rng, b, layout)
    if rng.random() < 0.2:
        _road_works(rng, b, layout)


def _bus_stop(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec) -> None:
    h, sw = layout.road_half, layout.sidewalk_width
    side = -1 if rng.random() < 0.7 else 1
    s0, s1 = road.blocks(layout)[-1] if side > 0 else road.blocks(layout)[0]
    s = float(rng.uniform(max(s0 + 4, 10.0), max(min(s1 - 4, 70.0), max(s0 + 4, 10.0) + 0.1)))
    yaw = _facing_road(layout, s, side)
    if sw >= 2.4:  # a shelter, its back to the building line
        _item(rng, b, layout, "shelter", s, side * (h + sw - 0.95), road.KERB, yaw, 0.05, ("bus_stop",))
    else:
        _item(rng, b, layout, "bench", s, side * (h + sw - 0.4), road.KERB, yaw, 0.05, ("bus_stop",))
    _item(rng, b, layout, "bin", s + 2.8, side * (h + 0.45), road.KERB, yaw)


def _road_works(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec) -> None:
    """Cones tapering in from the kerb of the outer lane (right-hand traffic: t < 0), then barriers along the
    closed length."""
    h = layout.road_half
    side = -1 if rng.random() < 0.6 else 1
    s0 = float(rng.uniform(18.0, 50.0))
    width = min(layout.lane_width * 0.7, 2.4)
    along = road.yaw_along(layout, s0)
    for k in range(6):  # the taper
        t = side * (h - 0.3 - width * k / 5)
        _item(
            rng,
            b,
            layout,
            "traffic_cone",
            s0 + 2.0 * k,
            t,
            0.0,
            float(rng.uniform(0, 6.28)),
            0.05,
            ("road_works",),
        )
    end = s0 + 10.0 + float(rng.uniform(6, 16))
    s = s0 + 11.0
    while s < end:
        yaw = along + (np.pi if side > 0 else 0.0)
        _item(rng, b, layout, "barrier", s, side * (h - 0.3 - width), 0.0, yaw, 0.05, ("road_works",))
        s += 2.2
    _item(
        rng, b, layout, "traffic_cone", end + 1.0, side * (h - 0.3 - width), 0.0, 0.0, 0.05, ("road_works",)
    )
