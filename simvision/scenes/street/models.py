"""Procedural low-poly models, one builder per object kind: ``build(kind, size, variant) -> Mesh`` (local frame).

Local frame: x forward (length), y left (width), z up, origin on the ground under the centre. Material slots index
the object's ``materials``: vehicles 0 paint, 1 glass, 2 tyres, 3 head lights, 4 tail lights; people 0 clothes,
1 skin, 2 trousers; others document their own.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simvision.scenes.street.clutter import BUILDERS as CLUTTER
from simvision.world.assets import signs as sign_designs
from simvision.world.assets.primitives import signed_volume
from simvision.world.mesh import Mesh, box, cylinder, ellipsoid, prism
from simvision.world.world import FACADE_GROUND, FACADE_STOREY

Size = tuple[float, float, float]


def _wheels(ln: float, w: float, r: float, xs: tuple[float, ...], width: float = 0.22) -> list[Mesh]:
    return [
        cylinder((x, side * (w / 2 - width / 2), r), r, width, "y", 10, slot=2)
        for x in xs
        for side in (-1, 1)
    ]


def _lights(ln: float, w: float, z: float, dz: float) -> list[Mesh]:
    """Head lights (slot 3) at the front face, tail lights (slot 4) at the back, set in 2 cm so they are visible."""
    out = []
    for side in (-1, 1):
        y0, y1 = sorted((side * w * 0.28, side * w * 0.44))
        out.append(box(ln / 2 - 0.02, ln / 2 + 0.01, y0, y1, z, z + dz, slot=3))
        out.append(box(-ln / 2 - 0.01, -ln / 2 + 0.02, y0, y1, z, z + dz, slot=4))
    return out


def car(size: Size, variant: int) -> Mesh:
    ln, w, h = size
    r = 0.32
    body_top = h * 0.52
    nose = 0.1 * ln if variant % 2 else 0.05 * ln
    body = prism(
        np.array(
            [
                [-ln / 2, r * 0.6],
                [ln / 2, r * 0.6],
                [ln / 2, body_top - 0.12],
                [ln / 2 - nose, body_top],
                [-ln / 2, body_top],
            ]
        ),
        -w / 2,
        w / 2,
    )
    rear = -0.42 * ln if variant % 3 == 0 else -0.3 * ln  # estate/hatch vs saloon roof line
    cabin = prism(
        np.array([[rear, body_top], [0.25 * ln, body_top], [0.05 * ln, h], [rear + 0.12 * ln, h]]),
        -w * 0.44,
        w * 0.44,
        slot=1,
    )
    return Mesh.merge(
        body, cabin, *_wheels(ln, w, r, (0.32 * ln, -0.32 * ln)), *_lights(ln, w, body_top - 0.22, 0.12)
    )


def truck(size: Size, variant: int) -> Mesh:
    ln, w, h = size
    r = 0.5
    cab_l = 2.2
    cab = box(ln / 2 - cab_l, ln / 2, -w / 2, w / 2, r * 0.8, h * 0.78)
    glass = box(ln / 2 - 0.6, ln / 2 + 0.02, -w * 0.45, w * 0.45, h * 0.5, h * 0.74, slot=1)
    cargo = box(-ln / 2, ln / 2 - cab_l - 0.15, -w / 2, w / 2, r * 0.9, h, slot=0)
    axles = (ln / 2 - 1.3, -ln / 2 + 1.5) if variant % 2 else (ln / 2 - 1.3, -ln / 2 + 1.2, -ln / 2 + 2.5)
    return Mesh.merge(cab, glass, cargo, *_wheels(ln, w, r, axles, 0.3), *_lights(ln, w, r + 0.2, 0.2))


def bus(size: Size, variant: int) -> Mesh:
    ln, w, h = size
    r = 0.5
    hull = box(-ln / 2, ln / 2, -w / 2, w / 2, r * 0.6, h)
    band = box(-ln / 2 + 0.5, ln / 2 + 0.02, -w / 2 - 0.02, w / 2 + 0.02, h * 0.5, h * 0.85, slot=1)
    return Mesh.merge(
        hull, band, *_wheels(ln, w, r, (ln / 2 - 2.4, -ln / 2 + 2.6), 0.3), *_lights(ln, w, 0.7, 0.25)
    )


def _two_wheeler(size: Size, motor: bool) -> Mesh:
    ln, w, h = size
    r = 0.34 if not motor else 0.32
    tyre = 0.05 if not motor else 0.12
    wheels = [cylinder((x, 0, r), r, tyre, "y", 12, slot=2) for x in (ln / 2 - r, -ln / 2 + r)]
    if motor:
        frame = [
            box(-ln * 0.3, ln * 0.3, -w * 0.25, w * 0.25, r * 0.8, h * 0.72),
            box(ln * 0.1, ln * 0.3, -w / 2, w / 2, h * 0.85, h * 0.9),
        ]
        lamp = [box(ln * 0.32, ln * 0.36, -0.08, 0.08, h * 0.7, h * 0.8, slot=3)]
    else:
        frame = [
            box(-ln / 2 + r, ln / 2 - r, -0.03, 0.03, r, r + 0.05),
            box(-0.12, 0.02, -0.03, 0.03, r, h * 0.85),
            box(ln / 2 - r - 0.05, ln / 2 - r + 0.03, -0.03, 0.03, r, h),
            box(ln / 2 - r - 0.08, ln / 2 - r + 0.05, -w / 2, w / 2, h - 0.04, h),
        ]
        lamp = []
    return Mesh.merge(*wheels, *frame, *lamp)


def bicycle(size: Size, variant: int) -> Mesh:
    return _two_wheeler(size, motor=False)


def motorcycle(size: Size, variant: int) -> Mesh:
    return _two_wheeler(size, motor=True)


def person(size: Size, variant: int) -> Mesh:
    """Standing (variant even) or striding person; slots 0 clothes, 1 skin, 2 trousers."""
    ln, w, h = size
    leg = h * 0.47
    stride = 0.0 if variant % 2 == 0 else 0.12
    legs = [
        box(-0.07 + s * stride, 0.07 + s * stride, y0, y0 + w * 0.3, 0, leg, slot=2)
        for s, y0 in ((1, 0.02), (-1, -w * 0.3 - 0.02))
    ]
    torso = box(-ln / 2, ln / 2, -w * 0.38, w * 0.38, leg, h * 0.82)
    arms = [box(-0.05, 0.05, s * w * 0.38, s * w * 0.5, h * 0.45, h * 0.8) for s in (-1, 1)]
    head = ellipsoid((0, 0, h * 0.91), (0.1, 0.09, h * 0.09), slot=1)
    return Mesh.merge(*legs, torso, *arms, head)


def rider(size: Size, variant: int) -> Mesh:
    """A person seated on a two-wheeler (the origin is under the saddle): legs forward, torso leaning."""
    ln, w, h = size
    hip = h * 0.55
    legs = [box(-0.05, 0.3, s * 0.06, s * 0.18, hip - 0.45, hip, slot=2) for s in (-1, 1)]
    torso = box(-0.15, 0.15, -w * 0.38, w * 0.38, hip, h * 0.87)
    arms = [box(0.0, 0.45, s * w * 0.32, s * w * 0.45, h * 0.7, h * 0.8) for s in (-1, 1)]
    head = ellipsoid((0.05, 0, h * 0.93), (0.1, 0.09, h * 0.07), slot=1)
    return Mesh.merge(*legs, torso, *arms, head)


def animal(size: Size, variant: int) -> Mesh:
    """Four-legged animal: variant 0 dog, 1 deer (long legs, neck). Slot 0 coat, 1 darker parts."""
    ln, w, h = size
    deer = variant == 1
    leg = h * (0.55 if deer else 0.45)
    body_top = h * (0.78 if deer else 0.85)
    legs = [
        box(x - 0.04, x + 0.04, y - 0.04, y + 0.04, 0, leg + 0.02, slot=1)
        for x in (ln * 0.32, -ln * 0.32)
        for y in (w * 0.3, -w * 0.3)
    ]
    body = ellipsoid((0, 0, (leg + body_top) / 2), (ln * 0.42, w / 2, (body_top - leg) / 2 + 0.03))
    neck_z = h * (0.88 if deer else 0.8)
    head = ellipsoid((ln * 0.5 - 0.08, 0, neck_z), (0.14 if deer else 0.12, 0.08, 0.09))
    parts = [*legs, body, head]
    if deer:
        parts.append(box(ln * 0.3, ln * 0.42, -0.06, 0.06, body_top - 0.1, neck_z))
    else:
        parts.append(box(-ln / 2 - 0.1, -ln * 0.38, -0.02, 0.02, body_top - 0.1, body_top - 0.04, slot=1))
    return Mesh.merge(*parts)


def tree(size: Size, variant: int) -> Mesh:
    """Trunk (slot 1) and canopy (slot 0): a round deciduous crown, or a cone-ish conifer for odd variants."""
    ln, w, h = size
    trunk_h = h * 0.4
    trunk = cylinder((0, 0, trunk_h / 2), 0.15, trunk_h, "z", 6, slot=1)
    if variant % 2:
        crown = ellipsoid((0, 0, trunk_h + (h - trunk_h) / 2), (ln / 2, w / 2, (h - trunk_h) / 2 + 0.3), 4, 7)
    else:
        crown = ellipsoid((0, 0, trunk_h + (h - trunk_h) * 0.5), (ln / 2, w / 2, (h - trunk_h) * 0.55), 5, 9)
    return Mesh.merge(trunk, crown)


def verge(size: Size, variant: int) -> Mesh:
    """A grass strip (slot 0): a thin slab ``size`` long and wide, its top ``size[2]`` over the ground it lies on."""
    ln, w, h = size
    return box(-ln / 2, ln / 2, -w / 2, w / 2, 0.0, h)


def building(size: Size, variant: int) -> Mesh:
    """A facade box (slot 0) whose front (local -y) faces the street, with a roof slab and cornice (slot 1).

    ``variant`` bit 0: a ground floor of shops (glass, slot 2; a door each, slot 3; a sign board above, slot 4)
    or a residential one (doors with canopies and a ledge); bit 1: balconies (slot 5) on the window rows of the
    ``facade`` texture (:data:`~simvision.world.world.FACADE_STOREY`). Details are placed by a generator seeded
    from the size and variant, so the mesh stays a pure function of them.
    """
    ln, w, h = size
    rng = np.random.default_rng([variant, *(int(round(v * 1000)) for v in size)])
    y = -w / 2  # the front face
    parts = [
        box(-ln / 2, ln / 2, -w / 2, w / 2, 0, h),
        box(-ln / 2 - 0.2, ln / 2 + 0.2, -w / 2 - 0.2, w / 2 + 0.2, h, h + 0.4, slot=1),
        box(-ln / 2 - 0.1, ln / 2 + 0.1, y - 0.12, w / 2 + 0.1, h - 0.6, h - 0.35, slot=1),  # cornice
    ]
    units = max(1, int(round(ln / float(rng.uniform(5.0, 9.0)))))
    edges = np.linspace(-ln / 2 + 0.4, ln / 2 - 0.4, units + 1)
    for x0, x1 in zip(edges[:-1], edges[1:], strict=False):
        door = float(rng.uniform(x0 + 0.3, x1 - 1.4))
        if variant % 2 == 0:  # shops: glass either side of the door, a sign board over the unit
            for a, b in ((x0 + 0.2, door - 0.1), (door + 1.2, x1 - 0.2)):
                if b - a > 0.4:
                    parts.append(box(a, b, y - 0.05, y + 0.01, 0.3, 3.2, slot=2))
            parts.append(box(door, door + 1.1, y - 0.04, y + 0.01, 0.0, 2.4, slot=3))
            parts.append(box(x0 + 0.1, x1 - 0.1, y - 0.14, y + 0.01, 3.35, 3.85, slot=4))
        else:  # a front door with a canopy
            parts.append(box(door, door + 1.1, y - 0.04, y + 0.01, 0.0, 2.3, slot=3))
            parts.append(box(door - 0.2, door + 1.3, y - 0.8, y + 0.01, 2.5, 2.62, slot=1))
    if variant % 2 == 1:
        parts.append(
            box(-ln / 2, ln / 2, y - 0.08, y + 0.01, 3.15, 3.3, slot=1)
        )  # a ledge over the ground floor
    if variant // 2 % 2 == 1:
        kerb = 0.15  # the building stands on the sidewalk: the texture's storeys are in world z
        row = 0 if variant % 2 else 1
        while True:
            z = FACADE_GROUND + (row + 0.2) * FACADE_STOREY - kerb
            if z + 1.1 > h - 0.8:
                break
            for x0, x1 in zip(edges[:-1], edges[1:], strict=False):
                a, b = x0 + 0.4, min(x0 + 0.4 + float(rng.uniform(2.5, 4.0)), x1 - 0.3)
                if b - a < 1.5:
                    continue
                parts.append(box(a, b, y - 0.9, y + 0.01, z - 0.15, z, slot=5))  # slab
                parts.append(box(a, b, y - 0.9, y - 0.86, z, z + 1.0, slot=5))  # railing panel
            row += 1
    return Mesh.merge(*parts)


def lamp_post(size: Size, variant: int) -> Mesh:
    """Pole (``size[0]`` across) with an arm reaching over the road (local -y) and a lamp head (slot 1, emissive at
    night)."""
    ln, w, h = size
    pole = cylinder((0, 0, h / 2), ln / 2, h, "z", 8)
    arm = box(-0.05, 0.05, -w, 0.0, h - 0.12, h - 0.02)
    head = box(-0.2, 0.2, -w - 0.3, -w + 0.2, h - 0.25, h - 0.08, slot=1)
    return Mesh.merge(pole, arm, head)


def pole(size: Size, variant: int) -> Mesh:
    ln, w, h = size
    return cylinder((0, 0, h / 2), ln / 2, h, "z", 6)


def traffic_light(size: Size, variant: int, lenses: int = 3) -> Mesh:
    """Housing (slot 0) facing +x with ``lenses`` lenses: slot 1 lit, slot 2 unlit; ``variant`` the lit one, 0 red,
    1 amber, 2 green (top to bottom)."""
    ln, w, h = size
    housing = box(-ln / 2, ln / 2, -w / 2, w / 2, 0, h)
    lit = variant if lenses == 3 else int(variant > 0)
    discs = [
        cylinder((ln / 2 + 0.015, 0, h * (2 * lenses - 1 - 2 * k) / (2 * lenses)), w * 0.32, 0.03, "x", 8,
                 slot=1 if k == lit else 2)
        for k in range(lenses)
    ]  # fmt: skip
    return Mesh.merge(housing, *discs)


def pedestrian_light(size: Size, variant: int) -> Mesh:
    """A pedestrian head: two lenses, ``variant`` 0 red (top) lit, 2 green (bottom) lit (the vehicle heads'
    numbering, so writers read its colour alike)."""
    return traffic_light(size, variant, lenses=2)


def sign(size: Size, variant: int) -> Mesh:
    """A plate of design ``variant`` (:data:`simvision.world.assets.signs.DESIGNS`: its outline) facing +x,
    ``size`` (thickness, width, height), its bottom edge at z 0: slot 0 the front face (the sign's face, printed
    by its decal), slot 1 the back and the edges (bare metal)."""
    ln, w, h = size
    shape = sign_designs.DESIGNS[variant % len(sign_designs.DESIGNS)].shape
    o = sign_designs.outline(shape, w, h)  # (y, z)
    plate = prism(o, -ln / 2, ln / 2)  # outline in the prism's x-z plane, extruded along its y
    v = plate.vertices[
        :, [1, 0, 2]
    ]  # prism x (across) -> y, prism y (thickness) -> x: the face looks along +x
    faces = plate.faces
    if signed_volume(v, faces) < 0:  # the swap mirrors: wind outward again
        faces = faces[:, ::-1].copy()
    front = np.all(v[faces][:, :, 0] > ln / 2 - 1e-9, axis=1)
    return Mesh(v, faces, np.where(front, 0, 1).astype(np.int8))


def mast(size: Size, variant: int) -> Mesh:
    """A signal mast: a pole ``size[2]`` high and a cantilever arm ``size[1]`` long reaching over the road
    (local -y), the lights hung from it are objects of their own."""
    ln, w, h = size
    pole = cylinder((0, 0, h / 2), ln / 2, h, "z", 8)
    arm = box(-0.06, 0.06, -w, 0.0, h - 0.3, h - 0.15)
    return Mesh.merge(pole, arm)


BUILDERS: dict[str, Callable[[Size, int], Mesh]] = {
    "car": car,
    "truck": truck,
    "bus": bus,
    "bicycle": bicycle,
    "motorcycle": motorcycle,
    "person": person,
    "rider": rider,
    "animal": animal,
    "tree": tree,
    "verge": verge,
    "driveway": verge,  # a paved strip: the same thin slab (a plot's garden paths: one asset, houses.PathsParams)
    "building": building,
    "lamp_post": lamp_post,
    "pole": pole,
    "traffic_light": traffic_light,
    "pedestrian_light": pedestrian_light,
    "sign": sign,
    "mast": mast,
    **CLUTTER,
}


def build(kind: str, size: Size, variant: int) -> Mesh:
    return BUILDERS[kind](size, variant)
