"""Suburban houses: detached and semi-detached houses and short terraces, and the low walls of their front gardens.

A house is a main block (one or two storeys on a plinth) under a gable or hip roof (ridge along the street, or
across it: a front gable) with eaves overhang, fascia and gutters, barge boards on the gables, chimneys on the
ridge or the party walls, windows with frames, glazing bars, sills and curtains or blinds, a front door with its
steps under a canopy or a porch, on some an integral or side garage with its door, on some a canted bay window
with its own roof. Walls are brick, render (stucco) or timber/vinyl siding, some with a brick ground floor; roofs
tiles or slates. Every part is a closed convex solid wound outward, so both renderers draw the same triangles;
the cladding and roofing are slot names (``brick``, ``render``, ``siding``, ``tiles``, ``slates``) that the
renderers' ``house`` materials texture (courses, laps, tile rows).

Local frame: x along the street, the front faces -y (as a street building's), origin on the ground under the
centre of the footprint. Anchors: ``doors`` (N,3) the ground in front of each front door's steps, ``garage`` (2,3)
the ground at the garage door's two edges. Sizes are common European/US suburban dimensions (estimates, not
cited): units 4.5-13 m wide, 7-10 m deep, storeys 2.5-2.9 m, pitches 22-45 degrees, eaves 0.25-0.6 m.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset
from simvision.world.mesh import Mesh

Form = Literal["detached", "semi", "terrace"]
FORMS: tuple[str, ...] = ("detached", "semi", "terrace")
SLOTS: tuple[str, ...] = (
    "brick",
    "render",
    "siding",
    "tiles",
    "slates",
    "trim",
    "glass",
    "curtain",
    "door",
    "garage",
    "step",
    "dark",
)
S = {n: i for i, n in enumerate(SLOTS)}
RGB = tuple[float, float, float]

# linear RGB; brick reds and browns, buff; render whites, creams, pastels; siding whites, greys, blues, greens
BRICKS: tuple[RGB, ...] = (
    (0.28, 0.09, 0.05),
    (0.22, 0.1, 0.06),
    (0.42, 0.3, 0.18),
    (0.3, 0.2, 0.15),
    (0.33, 0.12, 0.07),
)
RENDERS: tuple[RGB, ...] = (
    (0.56, 0.55, 0.51), (0.58, 0.5, 0.36), (0.64, 0.52, 0.28), (0.45, 0.45, 0.43), (0.62, 0.45, 0.38),
    (0.44, 0.46, 0.47), (0.42, 0.44, 0.36),
)  # fmt: skip
SIDINGS: tuple[RGB, ...] = (
    (0.58, 0.58, 0.56), (0.44, 0.46, 0.46), (0.56, 0.5, 0.38), (0.36, 0.45, 0.55), (0.32, 0.4, 0.3),
    (0.12, 0.13, 0.14), (0.3, 0.07, 0.04), (0.33, 0.19, 0.09),
)  # fmt: skip
TILES: tuple[RGB, ...] = ((0.3, 0.09, 0.045), (0.17, 0.08, 0.05), (0.22, 0.07, 0.04), (0.07, 0.07, 0.075))
SLATES: tuple[RGB, ...] = ((0.045, 0.05, 0.06), (0.08, 0.08, 0.085), (0.1, 0.09, 0.08), (0.06, 0.06, 0.06))
TRIMS: tuple[RGB, ...] = ((0.62, 0.62, 0.6), (0.6, 0.56, 0.48), (0.05, 0.05, 0.055), (0.2, 0.2, 0.21))
DOORS: tuple[RGB, ...] = (
    (0.12, 0.06, 0.03), (0.03, 0.03, 0.035), (0.04, 0.08, 0.18), (0.3, 0.04, 0.03), (0.05, 0.15, 0.07),
    (0.7, 0.7, 0.68),
)  # fmt: skip
GARAGES: tuple[RGB, ...] = ((0.6, 0.6, 0.58), (0.15, 0.09, 0.05), (0.25, 0.25, 0.26), (0.06, 0.06, 0.065))
CURTAINS: tuple[RGB, ...] = ((0.55, 0.5, 0.42), (0.6, 0.6, 0.58), (0.3, 0.2, 0.15), (0.25, 0.28, 0.35))


class HouseParams(BaseModel):
    """Everything a house's look depends on (metres, degrees); ``seed`` draws the per-window details."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    form: Form
    units: int
    unit_width: float
    depth: float
    storeys: int
    storey_height: float
    floor: float  # ground floor level over the ground (the front steps climb it)
    roof: Literal["gable", "hip"]
    ridge: Literal["along", "across"]  # across: a front gable
    pitch: float
    overhang: float
    cladding: Literal["brick", "render", "siding"]
    ground_brick: bool  # a brick ground floor under a rendered or sided upper storey
    roofing: Literal["tiles", "slates"]
    chimneys: int
    garage: Literal["none", "integral", "side"]
    garage_left: bool
    bay: Literal["none", "ground", "full"]
    porch: Literal["none", "canopy", "porch"]
    door_left: bool
    seed: int
    brick: RGB
    wall: RGB
    roof_colour: RGB
    trim: RGB
    door: RGB
    garage_colour: RGB
    curtain: RGB


def _pick(rng: np.random.Generator, options: dict[str, float]) -> str:
    names = list(options)
    w = np.array([options[n] for n in names])
    return names[int(rng.choice(len(names), p=w / w.sum()))]


def _colour(rng: np.random.Generator, options: tuple[RGB, ...], jitter: float = 0.08) -> RGB:
    base = np.asarray(options[int(rng.integers(len(options)))]) * rng.uniform(1 - jitter, 1 + jitter, 3)
    return tuple(float(v) for v in np.clip(base, 0, 1).round(4))  # type: ignore[return-value]


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return round(float(rng.uniform(lo, hi)), 3)


def sample_house(
    rng: np.random.Generator, form: str = "detached", height: float | None = None
) -> HouseParams:
    """One house of ``form``; ``height`` (metres, chimneys included) caps it: the roof flattens, a chimney or a
    storey goes, before it is exceeded."""
    units = {"detached": 1, "semi": 2}.get(form, int(rng.integers(3, 6)))
    garage = "none"
    if form == "detached":
        garage = _pick(rng, {"none": 0.3, "integral": 0.35, "side": 0.35})
    elif form == "semi":
        garage = _pick(rng, {"none": 0.6, "side": 0.4})
    lo, hi = {"detached": (8.0, 13.0), "semi": (5.5, 8.0), "terrace": (4.5, 6.5)}[form]
    if garage == "integral":
        lo = max(lo, 9.5)
    roof = _pick(rng, {"gable": 0.85, "hip": 0.15} if form == "terrace" else {"gable": 0.6, "hip": 0.4})
    cladding = _pick(rng, {"brick": 0.45, "render": 0.35, "siding": 0.2})
    storeys = 1 if form == "detached" and rng.random() < 0.25 else 2
    p = dict(
        form=form,
        units=units,
        unit_width=_u(rng, lo, hi),
        depth=_u(rng, 7.0, 10.0),
        storeys=storeys,
        storey_height=_u(rng, 2.5, 2.9),
        floor=_u(rng, 0.15, 0.6),
        roof=roof,
        ridge="across" if form == "detached" and roof == "gable" and rng.random() < 0.3 else "along",
        pitch=_u(rng, 22.0, 45.0),
        overhang=_u(rng, 0.25, 0.6),
        cladding=cladding,
        ground_brick=bool(cladding != "brick" and storeys == 2 and rng.random() < 0.3),
        roofing=_pick(rng, {"tiles": 0.6, "slates": 0.4}),
        chimneys=int(rng.choice(3, p=[0.4, 0.4, 0.2])) if form == "detached" else int(rng.random() < 0.65),
        garage=garage,
        garage_left=bool(rng.random() < 0.5),
        bay=_pick(
            rng,
            {"none": 0.6, "ground": 0.25, "full": 0.15}
            if form == "detached"
            else {"none": 0.5, "ground": 0.3, "full": 0.2},
        ),  # fmt: skip
        porch=_pick(rng, {"none": 0.25, "canopy": 0.45, "porch": 0.3}),
        door_left=bool(rng.random() < 0.5),
        seed=int(rng.integers(2**31)),
        brick=_colour(rng, BRICKS),
        wall=_colour(rng, RENDERS if cladding == "render" else SIDINGS),
        trim=_colour(rng, TRIMS, 0.04),
        door=_colour(rng, DOORS),
        garage_colour=_colour(rng, GARAGES),
        curtain=_colour(rng, CURTAINS),
    )
    p["roof_colour"] = _colour(rng, TILES if p["roofing"] == "tiles" else SLATES)
    if height is not None:
        _fit(p, height)
    return HouseParams(**p)


def _fit(p: dict, height: float) -> None:
    """Lower the roof pitch, then drop chimneys, then a storey, then shorten the storeys until ``p`` fits."""
    for _ in range(4):
        span = p["depth"] if p["ridge"] == "along" else p["unit_width"] * p["units"]
        walls = p["floor"] + p["storeys"] * p["storey_height"]
        room = height - walls - (0.95 if p["chimneys"] else 0.0) - ROOF_T - 0.05
        rise = span / 2 * np.tan(np.deg2rad(p["pitch"]))
        if rise <= room:
            return
        if room > span / 2 * np.tan(np.deg2rad(15.0)):
            p["pitch"] = round(float(np.rad2deg(np.arctan(room / (span / 2)))) - 0.01, 3)
            return
        if p["chimneys"]:
            p["chimneys"] = 0
        elif p["storeys"] > 1:
            p["storeys"], p["ground_brick"] = 1, False
            p["bay"] = "ground" if p["bay"] == "full" else p["bay"]
        else:
            p["floor"], p["storey_height"] = 0.15, 2.3
            p["pitch"] = 10.0
            return


# --- solids ------------------------------------------------------------------------------------------------------

ROOF_T = 0.18  # roof build-up (rafters, battens, tiles), vertical


def _convex(points: np.ndarray, polys: list[tuple[int, ...]], slot: int) -> Mesh:
    """A closed convex solid from its corner points and face polygons (any winding): each polygon fanned into
    triangles, each triangle turned to face away from the centroid."""
    pts = np.asarray(points, np.float64)
    tris = np.array([(poly[0], poly[i], poly[i + 1]) for poly in polys for i in range(1, len(poly) - 1)])
    t = pts[tris]
    n = np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])
    out = np.einsum("ij,ij->i", n, t.mean(axis=1) - pts.mean(axis=0)) < 0
    tris[out] = tris[out][:, ::-1]
    return Mesh(pts, tris.astype(np.int32), np.full(len(tris), slot, np.int8))


HEXA = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
# the hexahedron's 12 triangles wound outward when its corner axes a, b, c form a right-handed frame (a unit
# cube's, turned by _convex once); a left-handed one takes them reversed
_RIGHT = _convex(
    np.array([(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)], np.float64), HEXA, 0
).faces
_LEFT = _RIGHT[:, ::-1].copy()


def _hexa(corners: np.ndarray, slot: int) -> Mesh:
    """A six-faced convex solid from (2,2,2,3) corners indexed [a][b][c] like a box's (index 4a + 2b + c)."""
    p = np.asarray(corners, np.float64).reshape(8, 3)
    e = p[[4, 2, 1]] - p[0]
    right = (
        e[0, 0] * (e[1, 1] * e[2, 2] - e[1, 2] * e[2, 1])
        - e[0, 1] * (e[1, 0] * e[2, 2] - e[1, 2] * e[2, 0])
        + e[0, 2] * (e[1, 0] * e[2, 1] - e[1, 1] * e[2, 0])
        > 0
    )
    return Mesh(p, _RIGHT if right else _LEFT, np.full(12, slot, np.int8))


def _block(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float, slot: int) -> Mesh:
    c = np.array([[[(x, y, z) for z in (z0, z1)] for y in (y0, y1)] for x in (x0, x1)], np.float64)
    return _hexa(c, slot)


class Wall:
    """A vertical wall face: ``origin`` (x, y) at u = 0 on the ground, ``along`` its horizontal unit direction,
    ``normal`` its outward unit normal; panels stand ``d`` metres proud of it."""

    def __init__(self, origin: tuple[float, float], along: tuple[float, float], normal: tuple[float, float]):
        self.o = np.array([*origin, 0.0])
        self.a = np.array([*along, 0.0])
        self.n = np.array([*normal, 0.0])

    def panel(self, u0: float, u1: float, z0: float, z1: float, d0: float, d1: float, slot: int) -> Mesh:
        c = np.array(
            [
                [[self.o + self.a * u + self.n * d + (0, 0, z) for z in (z0, z1)] for d in (d0, d1)]
                for u in (u0, u1)
            ]
        )
        return _hexa(c, slot)

    def point(self, u: float, d: float) -> np.ndarray:
        return self.o + self.a * u + self.n * d


def _window(
    w: Wall, uc: float, width: float, z0: float, z1: float, rng: np.random.Generator, stone_sill: bool
) -> list[Mesh]:
    """A framed window: frame, glass (drapes at its sides or a blind over its top on some), glazing bars and a
    sill with its drip edge."""
    hw = width / 2
    parts = [w.panel(uc - hw - 0.07, uc + hw + 0.07, z0 - 0.05, z1 + 0.07, -0.02, 0.03, S["trim"])]
    g0, g1, gz0, gz1 = uc - hw, uc + hw, z0, z1
    glass, curtain = S["glass"], S["curtain"]
    r = rng.random()
    if r < 0.3 and width > 0.7:  # drapes drawn to the sides
        k = width * float(rng.uniform(0.15, 0.3))
        parts += [
            w.panel(g0, g0 + k, gz0, gz1, -0.02, 0.035, curtain),
            w.panel(g1 - k, g1, gz0, gz1, -0.02, 0.035, curtain),
        ]
        parts.append(w.panel(g0 + k, g1 - k, gz0, gz1, -0.02, 0.035, glass))
    elif r < 0.45:  # a blind part-way down
        k = gz1 - (gz1 - gz0) * float(rng.uniform(0.15, 0.6))
        parts += [
            w.panel(g0, g1, k, gz1, -0.02, 0.035, curtain),
            w.panel(g0, g1, gz0, k, -0.02, 0.035, glass),
        ]
    else:
        parts.append(w.panel(g0, g1, gz0, gz1, -0.02, 0.035, glass))
    if width > 1.0:
        parts.append(w.panel(uc - 0.03, uc + 0.03, gz0, gz1, -0.02, 0.045, S["trim"]))
    if z1 - z0 > 1.0:
        zt = z0 + 0.7 * (z1 - z0)
        parts.append(w.panel(g0, g1, zt - 0.025, zt + 0.025, -0.02, 0.045, S["trim"]))
    sill = S["step"] if stone_sill else S["trim"]
    parts.append(w.panel(uc - hw - 0.12, uc + hw + 0.12, z0 - 0.11, z0 - 0.05, -0.02, 0.1, sill))
    return parts


def _door(w: Wall, uc: float, floor: float, porch: str, roof_slot: int) -> tuple[list[Mesh], float]:
    """A front door with a glazed panel, its surround, steps up to the floor and a canopy or porch; returns the
    parts and how far they stand out from the wall."""
    parts = [
        w.panel(uc - 0.6, uc + 0.6, floor, floor + 2.25, -0.02, 0.02, S["trim"]),
        w.panel(uc - 0.48, uc + 0.48, floor, floor + 2.12, -0.02, 0.035, S["door"]),
        w.panel(uc - 0.22, uc + 0.22, floor + 1.45, floor + 1.9, -0.02, 0.04, S["glass"]),
    ]
    depth = 0.05
    n = int(round(floor / 0.17))
    landing = 1.6 if porch == "porch" else 1.0
    for k in range(n):  # step k tops out at (k+1) rises; the top one is the landing
        reach = landing + (n - 1 - k) * 0.3
        parts.append(w.panel(uc - 0.75, uc + 0.75, 0.0, floor * (k + 1) / n, -0.02, reach, S["step"]))
        depth = max(depth, reach)
    if porch == "canopy":
        parts.append(w.panel(uc - 0.85, uc + 0.85, floor + 2.45, floor + 2.6, -0.02, 0.95, S["trim"]))
        for s in (-1, 1):  # brackets
            parts.append(
                w.panel(
                    uc + s * 0.78 - 0.04,
                    uc + s * 0.78 + 0.04,
                    floor + 2.05,
                    floor + 2.45,
                    0.0,
                    0.5,
                    S["trim"],
                )
            )
        depth = max(depth, 0.95)
    elif porch == "porch":
        z0, z1 = floor + 2.55, floor + 3.05
        for s in (-1, 1):
            parts.append(w.panel(uc + s * 0.95 - 0.06, uc + s * 0.95 + 0.06, 0.0, z0, 1.5, 1.62, S["trim"]))
        c = np.array(
            [[[w.point(u, d) + (0, 0, z) for z in ((z1 - 0.15, z1) if d < 0.5 else (z0, z0 + 0.15))]
              for d in (0.0, 1.8)] for u in (uc - 1.15, uc + 1.15)]
        )  # fmt: skip
        parts.append(_hexa(c, roof_slot))
        parts.append(w.panel(uc - 1.15, uc + 1.15, z0 - 0.15, z0, 1.45, 1.8, S["trim"]))
        depth = max(depth, 1.8)
    return parts, depth


def _garage_door(w: Wall, uc: float, width: float) -> list[Mesh]:
    return [
        w.panel(uc - width / 2 - 0.1, uc + width / 2 + 0.1, 0.0, 2.25, -0.02, 0.02, S["trim"]),
        w.panel(uc - width / 2, uc + width / 2, 0.0, 2.12, -0.02, 0.04, S["garage"]),
    ]


def _bay(
    w: Wall,
    uc: float,
    width: float,
    z_top: float,
    floor: float,
    storeys: int,
    sh: float,
    slots: tuple[int, int],
    rng,
) -> list[Mesh]:
    """A canted bay: a three-faced projection (walls of slot ``slots[0]``) with a window on each face per storey
    and a lean-to roof (``slots[1]``)."""
    bd, c = 0.65, 0.5
    plan = [(uc - width / 2, 0.0), (uc - width / 2 + c, bd), (uc + width / 2 - c, bd), (uc + width / 2, 0.0)]
    base = np.array([w.point(u, d) for u, d in plan])
    pts = np.concatenate([base, base + (0, 0, z_top)])
    parts = [_convex(pts, [(0, 1, 2, 3), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6)], slots[0])]
    for (u0, d0), (u1, d1) in zip(plan[:-1], plan[1:], strict=True):
        p0, p1 = w.point(u0, d0), w.point(u1, d1)
        along = (p1 - p0)[:2] / np.linalg.norm((p1 - p0)[:2])
        face = Wall(tuple(p0[:2]), tuple(along), (along[1], -along[0]))
        if np.dot(face.n, w.n) < -1e-6:
            face = Wall(tuple(p0[:2]), tuple(along), (-along[1], along[0]))
        span = float(np.linalg.norm((p1 - p0)[:2]))
        for k in range(storeys):
            z0 = floor + k * sh + 0.75
            z1 = min(floor + k * sh + 2.1, z_top - 0.2)
            if span > 0.5 and z1 - z0 > 0.5:
                parts += _window(face, span / 2, span - 0.3, z0, z1, rng, False)
    e = 0.12
    bottom = np.array([w.point(u, d) for u, d in [(uc - width / 2 - e, 0.0), (uc - width / 2 + c - e / 2, bd + e),
                                                     (uc + width / 2 - c + e / 2, bd + e), (uc + width / 2 + e, 0.0)]])  # fmt: skip
    top = np.array([w.point(u, d) for u, d in [(uc - width / 2 - e, 0.0), (uc - width / 2 + c - e / 2, 0.06),
                                                  (uc + width / 2 - c + e / 2, 0.06), (uc + width / 2 + e, 0.0)]])  # fmt: skip
    roof = np.concatenate([bottom + (0, 0, z_top), top + (0, 0, z_top + 0.55)])
    parts.append(
        _convex(
            roof,
            [(0, 1, 2, 3), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6), (3, 0, 4, 7)],
            slots[1],
        )
    )
    return parts


def _roof(p: HouseParams, length: float, span: float, zw: float, chimneys: list[float]) -> list[Mesh]:
    """The roof in its own frame (x in [0, length] along the ridge, y in [0, span]) with eaves at ``zw``: gable
    slabs and gable walls, or a hip; fascia, gutters, barge boards, ridge tiles, chimneys at ``chimneys`` (x)."""
    t = float(np.tan(np.deg2rad(p.pitch)))
    o, roof = p.overhang, S[p.roofing]
    upper = S[p.cladding]
    zr = zw + span / 2 * t + ROOF_T
    ze = zw - o * t  # the eaves' underside
    parts: list[Mesh] = []
    if p.roof == "gable":
        ox = min(o, 0.35)
        for y0, y1, sgn in ((-o, span / 2, 1), (span / 2, span + o, -1)):

            def zu(y: float, sgn: float = sgn) -> float:
                return zw + (y if sgn > 0 else span - y) * t

            c = np.array(
                [[[(x, y, zu(y) + dz) for dz in (0.0, ROOF_T)] for y in (y0, y1)] for x in (-ox, length + ox)]
            )
            parts.append(_hexa(c, roof))
            for x0, x1 in (
                (-ox - 0.03, -ox + 0.01),
                (length + ox - 0.01, length + ox + 0.03),
            ):  # barge boards
                c = np.array(
                    [
                        [[(x, y, zu(y) + dz) for dz in (-0.12, ROOF_T + 0.02)] for y in (y0, y1)]
                        for x in (x0, x1)
                    ]
                )
                parts.append(_hexa(c, S["trim"]))
        gable = np.array(
            [
                (x, y, z)
                for x in (0.0, length)
                for y, z in ((0.0, zw), (span, zw), (span / 2, zw + span / 2 * t))
            ]
        )
        parts.append(_convex(gable, [(0, 1, 2), (3, 4, 5), (0, 1, 4, 3), (1, 2, 5, 4), (2, 0, 3, 5)], upper))
        parts.append(_block(-ox, length + ox, span / 2 - 0.13, span / 2 + 0.13, zr - 0.1, zr + 0.05, roof))
        ends = (-ox, length + ox)
    else:
        a = span / 2 + o
        if length + 2 * o - 2 * a < 0.4:
            a = (length + 2 * o - 0.4) / 2
        lo = [(x, y) for x in (-o, length + o) for y in (-o, span + o)]
        pts = [(x, y, ze) for x, y in lo] + [(x, y, ze + ROOF_T) for x, y in lo]
        pts += [(-o + a, span / 2, zr), (length + o - a, span / 2, zr)]
        polys = [(0, 1, 3, 2), (0, 1, 5, 4), (2, 3, 7, 6), (0, 2, 6, 4), (1, 3, 7, 5),
                 (4, 6, 9, 8), (5, 7, 9, 8), (4, 5, 8), (6, 7, 9)]  # fmt: skip
        parts.append(_convex(np.array(pts), polys, roof))
        parts.append(
            _block(
                -o + a - 0.05,
                length + o - a + 0.05,
                span / 2 - 0.13,
                span / 2 + 0.13,
                zr - 0.1,
                zr + 0.05,
                roof,
            )
        )
        for x0, x1 in ((-o - 0.03, -o + 0.02), (length + o - 0.02, length + o + 0.03)):
            parts.append(_block(x0, x1, -o, span + o, ze - 0.15, ze + ROOF_T, S["trim"]))
        ends = (-o - 0.03, length + o + 0.03)
    for y0, y1, g0, g1 in (
        (-o - 0.03, -o + 0.02, -o - 0.15, -o - 0.03),
        (span + o - 0.02, span + o + 0.03, span + o + 0.03, span + o + 0.15),
    ):
        parts.append(_block(ends[0], ends[1], y0, y1, ze - 0.15, ze + ROOF_T, S["trim"]))  # fascia
        parts.append(_block(ends[0], ends[1], g0, g1, ze - 0.13, ze, S["dark"]))  # gutter
    for x in chimneys:
        cw, cd = 0.55, 0.75
        top = zr + 0.6
        parts.append(
            _block(x - cw / 2, x + cw / 2, span / 2 - cd / 2, span / 2 + cd / 2, zw, top, S["brick"])
        )
        parts.append(
            _block(
                x - cw / 2 - 0.05,
                x + cw / 2 + 0.05,
                span / 2 - cd / 2 - 0.05,
                span / 2 + cd / 2 + 0.05,
                top,
                top + 0.08,
                S["step"],
            )
        )
        for k, dy in enumerate((-0.18, 0.18)[: 1 + int(x * 10) % 2]):
            parts.append(
                _block(
                    x - 0.09,
                    x + 0.09,
                    span / 2 + dy - 0.09,
                    span / 2 + dy + 0.09,
                    top + 0.08,
                    top + 0.35 - 0.05 * k,
                    S["dark"],
                )
            )
    return parts


def _rotated(parts: list[Mesh], width: float) -> list[Mesh]:
    """Parts built with the ridge along x turned a quarter about z onto a front gable: (x, y) -> (width - y, x)."""
    out = []
    for m in parts:
        v = m.vertices
        out.append(Mesh(np.column_stack([width - v[:, 1], v[:, 0], v[:, 2]]), m.faces, m.slots))
    return out


def _free_spans(x0: float, x1: float, taken: list[tuple[float, float]]) -> list[tuple[float, float]]:
    spans, a = [], x0
    for lo, hi in sorted(taken):
        if lo > a:
            spans.append((a, lo))
        a = max(a, hi)
    if x1 > a:
        spans.append((a, x1))
    return spans


def build_house(p: HouseParams) -> Asset:
    rng = np.random.default_rng(p.seed)
    L, W, f, sh = p.units * p.unit_width, p.depth, p.floor, p.storey_height
    zw = f + p.storeys * sh
    upper, lower = S[p.cladding], (S["brick"] if p.ground_brick else S[p.cladding])
    stone = p.cladding == "brick" or p.ground_brick
    parts: list[Mesh] = []
    if p.ground_brick:
        parts += [_block(0, L, 0, W, 0, f + sh, lower), _block(0, L, 0, W, f + sh, zw, upper)]
    else:
        parts.append(_block(0, L, 0, W, 0, zw, upper))
    parts.append(_block(-0.03, L + 0.03, -0.03, W + 0.03, 0, max(f, 0.2), S["step"]))  # plinth
    front = Wall((0.0, 0.0), (1.0, 0.0), (0.0, -1.0))
    doors, garage = [], None
    bay_done = False
    for k in range(p.units):
        x0, x1 = k * p.unit_width, (k + 1) * p.unit_width
        left = p.door_left if p.form == "detached" else p.door_left ^ bool(k % 2)
        taken: list[tuple[float, float]] = []
        if p.form == "detached":
            xd = x0 + p.unit_width * (0.3 if left else 0.7) + float(rng.uniform(-0.4, 0.4))
        else:
            xd = x0 + 1.0 if left else x1 - 1.0
        if p.garage == "integral":
            gw = 2.6
            xg = x1 - 0.5 - gw / 2 if left else x0 + 0.5 + gw / 2
            parts += _garage_door(front, xg, gw)
            taken.append((xg - gw / 2 - 0.5, xg + gw / 2 + 0.5))
            garage = (xg - gw / 2, xg + gw / 2, 0.0)
            xd = float(np.clip(xd, x0 + 1.1, x1 - 1.1))
            if abs(xd - xg) < gw / 2 + 1.3:
                xd = xg + (-1 if xd < xg else 1) * (gw / 2 + 1.3)
        door_parts, reach = _door(front, xd, f, p.porch, S[p.roofing])
        parts += door_parts
        doors.append((xd, -reach))
        taken.append((xd - (1.2 if p.porch == "porch" else 0.9), xd + (1.2 if p.porch == "porch" else 0.9)))
        spans = [(a + 0.45, b - 0.45) for a, b in _free_spans(x0, x1, taken)]
        spans = [(a, b) for a, b in spans if b - a >= 0.7]
        upper_cols = [(xd, 0.7)]
        if garage is not None and k == 0:
            upper_cols.append(((garage[0] + garage[1]) / 2, 1.4))
        for a, b in spans:
            n_win = max(1, int((b - a) // 2.3))
            pitch = (b - a) / n_win
            if p.bay != "none" and not bay_done and b - a >= 2.3 and (p.form != "detached" or not bay_done):
                bw = min(2.8, b - a)
                uc = (a + b) / 2
                z_top = f + sh - 0.25 if p.bay == "ground" else zw - 0.35
                parts += _bay(
                    front,
                    uc,
                    bw,
                    z_top,
                    f,
                    1 if p.bay == "ground" else p.storeys,
                    sh,
                    (lower, S[p.roofing]),
                    rng,
                )
                upper_cols.append((uc, 1.4) if p.bay == "ground" else (uc, 0.0))
                bay_done = p.form == "detached"
                continue
            for j in range(n_win):
                uc = a + (j + 0.5) * pitch
                ww = float(np.clip(pitch - 0.7, 0.6, 1.8))
                parts += _window(front, uc, ww, f + 0.85, f + 2.2, rng, stone)
                upper_cols.append((uc, min(ww, 1.4)))
        if p.form != "detached":
            bay_done = False
        for s in range(1, p.storeys):
            for uc, ww in upper_cols:
                if ww > 0:
                    parts += _window(front, uc, ww, f + s * sh + 0.9, f + s * sh + 2.15, rng, stone)
    ends = {"detached": (0, 1), "semi": (0, 1), "terrace": (0, 1)}[p.form]
    for e in ends:
        wall = Wall((0.0, W), (0.0, -1.0), (-1.0, 0.0)) if e == 0 else Wall((L, 0.0), (0.0, 1.0), (1.0, 0.0))
        side_garage = p.garage == "side" and (e == 0) == p.garage_left
        for s in range(p.storeys):
            if side_garage and s == 0:
                continue
            parts += _window(wall, W * 0.5, 0.9, f + s * sh + 0.9, f + s * sh + 2.1, rng, stone)
    if p.garage == "side":
        gw, gd, gh = 3.3, min(W - 0.4, 6.5), 2.75
        gx0, gx1 = (-gw, 0.0) if p.garage_left else (L, L + gw)
        parts.append(_block(gx0, gx1, 0.4, 0.4 + gd, 0.0, gh, lower))
        parts.append(
            _block(
                gx0 - (0.1 if p.garage_left else 0),
                gx1 + (0 if p.garage_left else 0.1),
                0.28,
                0.4 + gd,
                gh,
                gh + 0.22,
                S["trim"],
            )
        )
        gfront = Wall((gx0, 0.4), (1.0, 0.0), (0.0, -1.0))
        parts += _garage_door(gfront, gw / 2, 2.5)
        garage = ((gx0 + gx1) / 2 - 1.25, (gx0 + gx1) / 2 + 1.25, 0.4)
    # roof and chimneys
    if p.form == "detached":
        chim = [0.7, L - 0.7][: p.chimneys] if p.ridge == "along" else [1.0, W - 1.0][: p.chimneys]
    else:
        chim = [k * p.unit_width for k in range(1, p.units)] if p.chimneys else []
    if p.ridge == "along":
        parts += _roof(p, L, W, zw, chim)
    else:
        parts += _rotated(_roof(p, W, L, zw, chim), L)
        gable_front = Wall((0.0, 0.0), (1.0, 0.0), (0.0, -1.0))
        rise = L / 2 * np.tan(np.deg2rad(p.pitch))
        if rise > 1.6:
            parts += _window(gable_front, L / 2, 0.8, zw + 0.35, zw + min(1.4, rise - 0.5), rng, stone)
    mesh = Mesh.merge(*parts)
    v = mesh.vertices
    lo, hi = v[:, :2].min(axis=0), v[:, :2].max(axis=0)
    centre = np.array([*(lo + hi) / 2, 0.0])
    mesh = Mesh(v - centre, mesh.faces, mesh.slots)
    anchors = {"doors": np.array([(x, y, 0.0) for x, y in doors]) - centre}
    if garage is not None:
        anchors["garage"] = (
            np.array([(garage[0], garage[2] - 0.05, 0.0), (garage[1], garage[2] - 0.05, 0.0)]) - centre
        )
    size = (float(hi[0] - lo[0]), float(hi[1] - lo[1]), float(mesh.vertices[:, 2].max()))
    return Asset(mesh, SLOTS, size, anchors)


def house_colours(p: HouseParams) -> dict[str, RGB]:
    return {
        "brick": p.brick,
        "render": p.wall,
        "siding": p.wall,
        "tiles": p.roof_colour,
        "slates": p.roof_colour,
        "trim": p.trim,
        "glass": (0.02, 0.024, 0.03),
        "curtain": p.curtain,
        "door": p.door,
        "garage": p.garage_colour,
        "step": (0.32, 0.31, 0.29),
        "dark": (0.03, 0.03, 0.032),
    }


# --- front garden walls -----------------------------------------------------------------------------------------


class GardenWallParams(BaseModel):
    """A low front-garden wall ``length`` along x: brick or rendered, with a coping and piers every few metres."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    length: float
    height: float
    thickness: float
    cladding: Literal["brick", "render"]
    pier_spacing: float  # 0: no piers
    colour: RGB
    coping: RGB


def sample_garden_wall(rng: np.random.Generator, length: float | None = None) -> GardenWallParams:
    cladding = "brick" if rng.random() < 0.6 else "render"
    return GardenWallParams(
        length=round(length if length is not None else float(rng.uniform(2.0, 8.0)), 3),
        height=_u(rng, 0.4, 0.9),
        thickness=_u(rng, 0.22, 0.32),
        cladding=cladding,  # type: ignore[arg-type]
        pier_spacing=_u(rng, 2.0, 3.5) if rng.random() < 0.5 else 0.0,
        colour=_colour(rng, BRICKS if cladding == "brick" else RENDERS),
        coping=_colour(rng, ((0.35, 0.34, 0.32), (0.5, 0.5, 0.48), (0.2, 0.1, 0.06)), 0.05),
    )


def build_garden_wall(p: GardenWallParams) -> Asset:
    ln, h, t = p.length, p.height, p.thickness
    body = S[p.cladding]
    parts = [_block(-ln / 2, ln / 2, -t / 2, t / 2, 0.0, h, body)]
    parts.append(_block(-ln / 2, ln / 2, -t / 2 - 0.03, t / 2 + 0.03, h, h + 0.07, S["step"]))
    if p.pier_spacing > 0:
        n = max(1, int(ln // p.pier_spacing))
        for x in np.linspace(-ln / 2 + 0.2, ln / 2 - 0.2, n + 1):
            parts.append(_block(x - 0.2, x + 0.2, -t / 2 - 0.05, t / 2 + 0.05, 0.0, h + 0.2, body))
            parts.append(
                _block(x - 0.24, x + 0.24, -t / 2 - 0.09, t / 2 + 0.09, h + 0.2, h + 0.28, S["step"])
            )
    mesh = Mesh.merge(*parts)
    v = mesh.vertices
    size = (float(2 * np.abs(v[:, 0]).max()), float(2 * np.abs(v[:, 1]).max()), float(v[:, 2].max()))
    return Asset(mesh, SLOTS, size)


def garden_wall_colours(p: GardenWallParams) -> dict[str, RGB]:
    return {"brick": p.colour, "render": p.colour, "step": p.coping}


# --- garden paths -------------------------------------------------------------------------------------------------


class PathsParams(BaseModel):
    """A plot's paved paths as one flat object: ``strips`` (x0, x1, y0, y1) in its local frame, ``height`` thick."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    strips: tuple[tuple[float, float, float, float], ...]
    height: float
    colour: RGB


PATH_SLOTS: tuple[str, ...] = ("slab",)


def sample_paths(rng: np.random.Generator) -> PathsParams:
    """Paths from a gate to one to three front doors, 3-8 m long (the catalog's sample; plots place their own)."""
    n = int(rng.integers(1, 4))
    xs = np.sort(rng.uniform(-6, 6, n)) + np.arange(n) * 1.5
    xs -= xs.mean()
    length = float(rng.uniform(3, 8))
    strips = tuple(
        (round(float(x) - 0.55, 3), round(float(x) + 0.55, 3), -length / 2, length / 2) for x in xs
    )
    return PathsParams(
        strips=strips, height=0.02, colour=_colour(rng, ((0.35, 0.34, 0.32), (0.3, 0.2, 0.14)))
    )


def build_paths(p: PathsParams) -> Asset:
    mesh = Mesh.merge(*(_block(x0, x1, y0, y1, 0.0, p.height, 0) for x0, x1, y0, y1 in p.strips))
    v = mesh.vertices
    size = (float(2 * np.abs(v[:, 0]).max()), float(2 * np.abs(v[:, 1]).max()), float(v[:, 2].max()))
    return Asset(mesh, PATH_SLOTS, size)


def paths_colours(p: PathsParams) -> dict[str, RGB]:
    return {"slab": p.colour}
