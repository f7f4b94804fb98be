"""Distractors: bags, cardboard boxes, parked e-scooters and road debris. Real street images are full of small
objects no detector class covers; they are labeled ``dynamic`` (Cityscapes' void class for movable things), so a
model learns not to fire on them, and the writers that have no such class leave them out.

Meshes are low-poly (local frame as in :mod:`simvision.scenes.street.models`; slot 0 the body, slot 1 a dark
part: handles, wheels, the scooter's stem); ``size`` is the footprint and height the mesh stays inside.
"""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import palette, road
from simvision.scenes.street.builder import SceneBuilder
from simvision.scenes.street.config import DistractorParams
from simvision.scenes.street.spec import LayoutSpec, MaterialSpec
from simvision.world.mesh import Mesh, box, cylinder

Size = tuple[float, float, float]
TRIES = 12
CLASS = "dynamic"
# kind -> (length, width, height) ranges in metres (shopping and sports bags, moving boxes, a stand-up
# e-scooter, a lost board or a tyre tread's worth of debris)
SIZES: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "bag": ((0.3, 0.6), (0.15, 0.3), (0.3, 0.55)),
    "box": ((0.3, 0.7), (0.3, 0.6), (0.25, 0.6)),
    "scooter": ((1.0, 1.2), (0.42, 0.5), (1.05, 1.25)),
    "debris": ((0.3, 1.0), (0.2, 0.6), (0.04, 0.15)),
}
BODY = {
    "bag": [(0.05, 0.05, 0.06), (0.45, 0.05, 0.05), (0.1, 0.15, 0.35), (0.6, 0.5, 0.35)],
    "box": [(0.45, 0.3, 0.15), (0.55, 0.4, 0.22), (0.35, 0.25, 0.12)],
    "scooter": [(0.05, 0.05, 0.05), (0.02, 0.3, 0.15), (0.6, 0.6, 0.6), (0.9, 0.4, 0.02)],
    "debris": [(0.25, 0.2, 0.15), (0.4, 0.4, 0.4), (0.1, 0.1, 0.1)],
}


def bag(size: Size, variant: int) -> Mesh:
    ln, w, h = size
    handle_z = h * 0.78
    body = box(-ln / 2, ln / 2, -w / 2, w / 2, 0.0, handle_z)
    handle = box(-ln * 0.3, ln * 0.3, -0.015, 0.015, handle_z, h, slot=1)
    return Mesh.merge(body, handle)


def carton(size: Size, variant: int) -> Mesh:
    ln, w, h = size
    return Mesh.merge(
        box(-ln / 2, ln / 2, -w / 2, w / 2, 0.0, h * 0.97),
        box(-ln / 2, ln / 2, -0.03, 0.03, h * 0.97, h, slot=1),  # the tape across the lid
    )


def scooter(size: Size, variant: int) -> Mesh:
    """Deck (slot 0) between two wheels, a stem at the front and a handlebar as wide as the footprint."""
    ln, w, h = size
    r = 0.1
    deck = box(-ln / 2 + 0.22, ln / 2 - 0.22, -0.08, 0.08, r, r + 0.06)
    wheels = [cylinder((x, 0.0, r), r, 0.05, "y", 10, slot=1) for x in (-ln / 2 + r, ln / 2 - r)]
    stem = box(ln / 2 - 0.2, ln / 2 - 0.14, -0.025, 0.025, r + 0.06, h - 0.03, slot=1)
    bar = box(ln / 2 - 0.2, ln / 2 - 0.14, -w / 2, w / 2, h - 0.04, h, slot=1)
    return Mesh.merge(deck, *wheels, stem, bar)


def debris(size: Size, variant: int) -> Mesh:
    """A low slab, or a few scattered pieces for odd variants."""
    ln, w, h = size
    if variant % 2 == 0:
        return box(-ln / 2, ln / 2, -w / 2, w / 2, 0.0, h)
    return Mesh.merge(
        box(-ln / 2, 0.0, -w / 2, 0.0, 0.0, h),
        box(0.05, ln / 2, 0.0, w / 2, 0.0, h * 0.7, slot=1),
        box(-0.1, 0.1, 0.05, w / 2, 0.0, h * 0.5),
    )


BUILDERS = {"bag": bag, "box": carton, "scooter": scooter, "debris": debris}


def materials(rng: np.random.Generator, kind: str) -> tuple[MaterialSpec, ...]:
    body = BODY[kind][int(rng.integers(len(BODY[kind])))]
    jitter = tuple(float(np.clip(c * rng.uniform(0.85, 1.15), 0, 1)) for c in body)
    return (palette.m(jitter, 0.7), palette.m((0.03, 0.03, 0.03), 0.5))


def distractors(rng: np.random.Generator, b: SceneBuilder, layout: LayoutSpec, p: DistractorParams) -> None:
    """``p.count`` distractors: scooters parked at the kerb's edge of the sidewalk, bags and boxes anywhere on it,
    debris on the road or the sidewalk; some (``p.on_road_prob``) on the road, near its edges."""
    lo, hi = 6.0, min(layout.length - 15.0, 70.0)
    for _ in range(p.count.sample(rng)):
        kind = p.kind.sample(rng)
        size = tuple(round(float(rng.uniform(*r)), 3) for r in SIZES[kind])
        variant = int(rng.integers(4))
        mats = materials(rng, kind)
        on_road = kind != "scooter" and rng.random() < p.on_road_prob
        for _ in range(TRIES):
            s = float(rng.uniform(lo, hi))
            side = -1 if rng.random() < 0.5 else 1
            if on_road:  # near the kerb, where things fall or are left
                t, z = side * (layout.road_half - float(rng.uniform(0.3, 1.5))), 0.0
            elif kind == "scooter":
                t, z = side * (layout.road_half + float(rng.uniform(0.5, 0.9))), road.KERB
            else:
                t = side * (layout.road_half + float(rng.uniform(0.4, max(0.5, layout.sidewalk_width - 0.3))))
                z = road.KERB
            along = road.yaw_along(layout, s)
            yaw = along + float(rng.normal(0, 0.2)) if kind == "scooter" else float(rng.uniform(0, 2 * np.pi))
            pos = road.to_world(layout, s, t, z)
            if b.try_place(pos, yaw, size[0], size[1], margin=0.1):
                tags = (kind, "on_road") if on_road else (kind,)
                b.add(CLASS, kind, pos, yaw, size, mats, variant, tags=tags)
                break
