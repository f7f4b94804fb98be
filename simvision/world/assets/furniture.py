"""Street furniture: litter bins, bollards, benches, hydrants, bus shelters, traffic cones, works barriers and
garden fences.

One parametric builder for all seven kinds (``FurnitureParams.kind``), each from a handful of closed, outward-wound
parts (blocks, lathed bodies) so both renderers draw them and the shading sees proper normals. Sizes come from
common street furniture (estimates, not cited): a post-mounted bin ~0.5 m wide and 0.9-1.1 m high, bollards
0.8-1.1 m, a bench 1.5-2 m long, hydrants 0.6-0.9 m, a bus shelter 3-4.5 m long and 2.4-2.7 m high, cones
0.5-0.9 m, a barrier 1.2-2 m long and ~1 m high, a front-garden fence 0.8-1.3 m high in runs of a few metres. The mesh fills ``size`` (length along x, width along y, height).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset
from simvision.world.assets.primitives import block, lathe
from simvision.world.mesh import Mesh

Kind = Literal["bin", "bollard", "bench", "hydrant", "shelter", "traffic_cone", "barrier", "fence"]
KINDS: tuple[str, ...] = ("bin", "bollard", "bench", "hydrant", "shelter", "traffic_cone", "barrier", "fence")
SLOTS: tuple[str, ...] = ("body", "metal", "dark", "accent", "glass", "wood")
S = {n: i for i, n in enumerate(SLOTS)}
RGB = tuple[float, float, float]
# (length, width, height) ranges per kind, metres
SIZES: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "bin": ((0.45, 0.6), (0.45, 0.6), (0.85, 1.1)),
    "bollard": ((0.14, 0.24), (0.14, 0.24), (0.8, 1.1)),
    "bench": ((1.5, 2.0), (0.55, 0.7), (0.8, 0.9)),
    "hydrant": ((0.32, 0.42), (0.32, 0.42), (0.6, 0.9)),
    "shelter": ((3.0, 4.5), (1.3, 1.7), (2.4, 2.7)),
    "traffic_cone": ((0.3, 0.42), (0.3, 0.42), (0.5, 0.9)),
    "barrier": ((1.2, 2.0), (0.4, 0.6), (0.95, 1.1)),
    "fence": ((2.0, 8.0), (0.06, 0.1), (0.8, 1.3)),
}
BODY_COLOURS: dict[str, tuple[RGB, ...]] = {
    "bin": ((0.02, 0.06, 0.02), (0.02, 0.02, 0.02), (0.25, 0.25, 0.26), (0.03, 0.05, 0.2)),
    "bollard": ((0.02, 0.02, 0.02), (0.3, 0.3, 0.31), (0.02, 0.04, 0.02)),
    "bench": ((0.02, 0.04, 0.02), (0.02, 0.02, 0.02), (0.3, 0.3, 0.31)),
    "hydrant": ((0.6, 0.03, 0.02), (0.75, 0.55, 0.02), (0.7, 0.7, 0.68)),
    "shelter": ((0.2, 0.2, 0.21), (0.02, 0.03, 0.06), (0.02, 0.08, 0.03)),
    "traffic_cone": ((0.9, 0.25, 0.02), (0.85, 0.12, 0.02)),
    "barrier": ((0.75, 0.03, 0.02), (0.85, 0.5, 0.02)),
    # painted white pickets, weathered wood, dark green or anthracite metal
    "fence": ((0.7, 0.7, 0.66), (0.2, 0.13, 0.07), (0.02, 0.05, 0.03), (0.04, 0.04, 0.045)),
}


class FurnitureParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Kind
    size: tuple[float, float, float]
    style: int  # 0 or 1: a second shape of the kind (wheelie bin, bench without back, shelter with an advert)
    colour: RGB


def sample_furniture(rng: np.random.Generator, kind: str) -> FurnitureParams:
    size = tuple(float(np.round(rng.uniform(lo, hi), 3)) for lo, hi in SIZES[kind])
    if kind in ("bin", "bollard", "hydrant", "traffic_cone"):
        size = (size[0], size[0], size[2])  # round in plan
    options = BODY_COLOURS[kind]
    base = np.asarray(options[int(rng.integers(len(options)))]) * rng.uniform(0.9, 1.1, 3)
    return FurnitureParams(
        kind=kind,  # type: ignore[arg-type]
        size=size,  # type: ignore[arg-type]
        style=int(rng.integers(2)),
        colour=tuple(float(np.round(min(c, 1.0), 4)) for c in base),  # type: ignore[arg-type]
    )


def _post(r0: float, r1: float, z0: float, z1: float, slot: int, segments: int = 10) -> Mesh:
    """A lathed round post (or cone, r0 != r1) along z."""
    return lathe((0.0, 0.0, 0.0), "z", np.array([[z0, r0], [z1, r1]]), segments, slot)


def _bin(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    if style:  # a wheelie bin: tapered box, lid overhanging at the front, two wheels at the back
        lid = block(-ln / 2, ln / 2, -w / 2, w / 2, h - 0.05, h, S["body"])
        body = block(-ln / 2 + 0.04, ln / 2 - 0.06, -w / 2 + 0.03, w / 2 - 0.03, 0.08, h - 0.05, S["body"])
        wheels = [
            lathe(
                (-ln / 2 + 0.1, s * (w / 2 - 0.05), 0.09),
                "y",
                np.array([[-0.04, 0.09], [0.04, 0.09]]),
                10,
                S["dark"],
            )  # fmt: skip
            for s in (-1, 1)
        ]
        foot = block(ln / 2 - 0.12, ln / 2 - 0.06, -w / 4, w / 4, 0.0, 0.08, S["dark"])
        return [lid, body, *wheels, foot]
    r = min(ln, w) / 2
    post = _post(0.035, 0.035, 0.0, h * 0.45, S["metal"], 8)
    body = _post(r * 0.92, r, h * 0.3, h * 0.93, S["body"], 14)
    lid = _post(r * 0.98, r * 0.6, h * 0.93, h, S["metal"], 14)
    return [post, body, lid]


def _bollard(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    r = min(ln, w) / 2
    shaft = _post(r, r * (0.8 if style else 1.0), 0.0, h * 0.8, S["body"])
    band = _post(r * 0.82 if style else r, r * 0.8 if style else r, h * 0.8, h * 0.88, S["accent"])
    cap = _post(r * 0.8 if style else r, r * 0.45, h * 0.88, h, S["body"])
    return [shaft, band, cap]


def _bench(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    seat_z = 0.45
    parts = []
    for k in range(3):  # seat slats along the length
        y0 = -w / 2 + 0.02 + k * (w - 0.1) / 3
        parts.append(block(-ln / 2, ln / 2, y0, y0 + (w - 0.1) / 3 - 0.02, seat_z - 0.04, seat_z, S["wood"]))
    for x in (-ln / 2 + 0.15, ln / 2 - 0.15):  # legs / side frames
        parts.append(block(x - 0.03, x + 0.03, -w / 2 + 0.05, w / 2 - 0.1, 0.0, seat_z - 0.04, S["body"]))
        if not style:
            parts.append(block(x - 0.03, x + 0.03, w / 2 - 0.1, w / 2 - 0.04, 0.0, h, S["body"]))
    if not style:  # a backrest of two slats
        for z in (h - 0.3, h - 0.13):
            parts.append(block(-ln / 2, ln / 2, w / 2 - 0.04, w / 2, z, z + 0.11, S["wood"]))
    return parts


def _hydrant(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    r = min(ln, w) / 2
    base = _post(r * 0.85, r * 0.85, 0.0, 0.06, S["body"], 12)
    barrel = _post(r * 0.5, r * 0.45, 0.06, h * 0.8, S["body"], 12)
    bonnet = lathe((0, 0, 0), "z", np.array([[h * 0.8, r * 0.55], [h * 0.92, r * 0.4], [h, r * 0.12]]), 12,
                   S["accent"] if style else S["body"])  # fmt: skip
    nozzles = [
        lathe((0, 0, h * 0.6), "x", np.array([[0.0, 0.06], [s * (r - 0.01), 0.06]])[::s], 8, S["body"])
        for s in (-1, 1)
    ]
    front = lathe((0, 0, h * 0.55), "y", np.array([[-(w / 2 - 0.01), 0.08], [0.0, 0.08]]), 8, S["accent"])
    return [base, barrel, bonnet, *nozzles, front]


def _shelter(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    """Open to the road (local -y): four posts, a roof, a glass back wall, glass side walls, an advert panel at the
    +x end (style 1) and a bench along the back."""
    t = 0.05
    parts = [
        block(-ln / 2, ln / 2, -w / 2, w / 2, h - 0.12, h, S["metal"]),  # roof
        block(-ln / 2 + 0.05, ln / 2 - 0.05, -w / 2 + 0.05, w / 2 - 0.05, h - 0.16, h - 0.12, S["dark"]),
    ]
    for x in (-ln / 2 + 0.05, ln / 2 - 0.05):
        for y in (-w / 2 + 0.25, w / 2 - 0.05):
            parts.append(block(x - t, x + t, y - t, y + t, 0.0, h - 0.16, S["body"]))
    parts.append(block(-ln / 2 + 0.1, ln / 2 - 0.1, w / 2 - 0.07, w / 2 - 0.04, 0.15, h - 0.3, S["glass"]))
    panel = S["accent"] if style else S["glass"]
    parts.append(block(ln / 2 - 0.07, ln / 2 - 0.04, -w / 2 + 0.32, w / 2 - 0.12, 0.15, h - 0.3, panel))
    parts.append(
        block(-ln / 2 + 0.04, -ln / 2 + 0.07, -w / 2 + 0.32, w / 2 - 0.12, 0.15, h - 0.3, S["glass"])
    )
    seat = Mesh.merge(*_bench(ln * 0.5, 0.45, 0.46, 1))
    parts.append(Mesh(seat.vertices + [0.0, w / 2 - 0.35, 0.0], seat.faces, seat.slots))
    return parts


def _cone(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    r = min(ln, w) / 2
    base = block(-ln / 2, ln / 2, -w / 2, w / 2, 0.0, 0.03, S["dark"])
    z = np.array([0.03, 0.45, 0.6, 0.72, 1.0]) * h
    rad = r * np.array([0.62, 0.38, 0.3, 0.24, 0.08])
    bands = np.array([S["body"], S["accent"], S["body"], S["body"]])
    if style:  # two reflective bands
        bands = np.array([S["body"], S["accent"], S["body"], S["accent"]])
    body = lathe((0, 0, 0), "z", np.column_stack([z, rad]), 12, bands)
    return [base, body]


def _barrier(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    """A works barrier: two feet, two posts, a striped plank (alternate stripes of body and accent colour) and,
    with style 1, a second plank."""
    parts = []
    for x in (-ln / 2 + 0.08, ln / 2 - 0.08):
        parts.append(block(x - 0.08, x + 0.08, -w / 2, w / 2, 0.0, 0.06, S["dark"]))
        parts.append(block(x - 0.025, x + 0.025, -0.025, 0.025, 0.06, h, S["metal"]))
    planks = ((h - 0.25, h - 0.02), (h * 0.35, h * 0.35 + 0.2)) if style else ((h - 0.25, h - 0.02),)
    n = max(3, int(round(ln / 0.35)))
    edges = np.linspace(-ln / 2, ln / 2, n + 1)
    for z0, z1 in planks:
        for k in range(n):
            slot = S["body"] if k % 2 == 0 else S["accent"]
            parts.append(block(edges[k], edges[k + 1], -0.05, -0.025, z0, z1, slot))
    return parts


def _fence(ln: float, w: float, h: float, style: int) -> list[Mesh]:
    """A front-garden fence along x: posts every ~2 m, two rails and upright pickets ~0.12 m apart (style 0), or
    posts and horizontal boards with gaps between them (style 1)."""
    posts = np.linspace(-ln / 2 + 0.04, ln / 2 - 0.04, max(2, int(np.ceil(ln / 2.0)) + 1))
    parts = [block(x - 0.04, x + 0.04, -w / 2, w / 2, 0.0, h, S["body"]) for x in posts]
    if style == 0:
        for z in (0.15 * h, 0.75 * h):
            parts.append(block(-ln / 2, ln / 2, 0.0, w / 2 - 0.005, z, z + 0.05, S["body"]))
        for x in np.arange(-ln / 2 + 0.1, ln / 2 - 0.05, 0.12):
            parts.append(block(x - 0.035, x + 0.035, -w / 2 + 0.01, 0.0, 0.05, h - 0.04, S["body"]))
    else:
        for z in np.arange(0.1, h - 0.1, 0.2):
            parts.append(block(-ln / 2, ln / 2, -w / 2 + 0.01, w / 2 - 0.01, z, z + 0.12, S["body"]))
    return parts


BUILD = {
    "bin": _bin,
    "bollard": _bollard,
    "bench": _bench,
    "hydrant": _hydrant,
    "shelter": _shelter,
    "traffic_cone": _cone,
    "barrier": _barrier,
    "fence": _fence,
}


def build_furniture(p: FurnitureParams) -> Asset:
    ln, w, h = p.size
    mesh = Mesh.merge(*BUILD[p.kind](ln, w, h, p.style))
    # a backless bench stops at its seat: the declared height is the mesh's
    return Asset(mesh, SLOTS, (ln, w, float(mesh.vertices[:, 2].max())), {})


def furniture_colours(p: FurnitureParams) -> dict[str, RGB]:
    accent = {
        "bollard": (0.85, 0.85, 0.8),
        "traffic_cone": (0.9, 0.9, 0.88),
        "barrier": (0.9, 0.9, 0.88),
        "hydrant": (0.75, 0.75, 0.72),
        "shelter": (0.75, 0.7, 0.55),  # a lit advert panel
    }.get(p.kind, (0.5, 0.5, 0.5))
    return {
        "body": p.colour,
        "metal": (0.32, 0.32, 0.33),
        "dark": (0.03, 0.03, 0.03),
        "accent": accent,
        "glass": (0.1, 0.12, 0.13),
        "wood": (0.25, 0.15, 0.08) if p.kind != "shelter" else (0.3, 0.3, 0.31),
    }
