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
    spacing = p.lamp_spacing.sample(rng)
    height = float(rng.uniform(7.0, 9.0))
    reach = min(layout.road_half * 0.7, float(rng.uniform(1.2, 2.5)))
    for side, offset in ((-1, 0.0), (1, spacing / 2)):
        for s0, s1 in road.blocks(layout):
            for s in np.arange(s0 + 2 + offset, s1 - 2, spacing):
                t = side * (layout.road_half + 0.5)
                pos = road.to_world(layout, s, t, road.KERB)
                yaw = road.yaw_along(layout, s) + (np.pi if side < 0 else 0.0)
                if not b.try_place(pos, yaw, 0.4, 0.4, margin=0.1):
                    continue
                b.add("pole", "lamp_post", pos, yaw, (0.3, reach, height), palette.lamp_post(rng, lit))
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


def signs(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: StreetFurnitureParams) -> None:
    for _ in range(p.sign_count.sample(rng)):
        s = float(rng.uniform(8, min(layout.length - 10, 90)))
        side = -1 if rng.random() < 0.7 else 1
        t = side * (layout.road_half + 0.35)
        pos = road.to_world(layout, s, t, road.KERB)
        yaw = road.yaw_along(layout, s) + (
            np.pi if side < 0 else 0.0
        )  # the face (+x) looks at oncoming traffic
        if not b.try_place(pos, yaw, 0.3, 0.3, margin=0.1):
            continue
        g = b.new_group()
        plate = float(rng.uniform(0.55, 0.8))
        pole_h = float(rng.uniform(2.0, 2.6))
        b.add("pole", "pole", pos, yaw, (0.07, 0.07, pole_h), (palette.metal(rng),), group=g)
        face = road.to_world(layout, s, t, road.KERB + pole_h) + np.array(
            [*(0.06 * np.array([np.cos(yaw), np.sin(yaw)])), 0.0]
        )
        b.add(
            "traffic sign",
            "sign",
            face,
            yaw,
            (0.04, plate, plate),
            palette.sign(rng),
            int(rng.integers(4)),
            group=g,
        )


def traffic_lights(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec) -> None:
    if layout.junction_at is None:
        return
    stop = layout.junction_at - layout.cross_width / 2 - layout.sidewalk_width / 2
    lit = int(rng.integers(3))
    for s, side in ((stop, -1), (layout.junction_at + layout.cross_width / 2 + layout.sidewalk_width / 2, 1)):
        t = side * (layout.road_half + 0.6)
        pos = road.to_world(layout, s, t, road.KERB)
        yaw = road.yaw_along(layout, s) + np.pi
        if not b.try_place(pos, yaw, 0.4, 0.4, margin=0.1):
            continue
        g = b.new_group()
        h = float(rng.uniform(3.0, 4.2))
        b.add("pole", "pole", pos, yaw, (0.12, 0.12, h), (palette.metal(rng),), group=g)
        housing = pos + np.array([0.25 * np.cos(yaw), 0.25 * np.sin(yaw), h - 0.95])
        b.add(
            "traffic light",
            "traffic_light",
            housing,
            yaw,
            (0.3, 0.34, 0.95),
            palette.traffic_light(lit),
            lit,
            group=g,
        )


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
