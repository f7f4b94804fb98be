"""Street vegetation: trees of four species-like shapes and clipped hedges, crowns made of leaf clusters.

A crown is not one closed ellipsoid: it is many small irregular blobs (jittered icosahedra, 20 triangles each)
grouped into lobes at the ends of the branches, so sky and facade show through between lobes, the silhouette is
ragged and each cluster takes one of three leaf tones (slots ``leaf``, ``leaf_dark``, ``leaf_light``: lower and
inner clusters darker, upper outer ones lighter); small loose sprigs and tiny leaf tufts (tetrahedra half out of
the clusters' skin) fray the outline at the scale of a few pixels. The trunk is lathed and tapers into the crown,
with a branch running from it to every lobe. Species (estimates from common European street plantings, not cited):

- ``round``: a broad-leaved street tree (lime, maple): 8-15 m, crown 5-10 m wide from 30-42 % of the height;
- ``columnar``: a poplar or cypress: 8-16 m, a narrow pointed crown 2-3.5 m wide from low on the trunk;
- ``plane``: a mature plane tree: 12-20 m, a wide crown 7-12 m of big lobes, light mottled bark;
- ``young``: a newly planted street tree: 3-5 m, a thin trunk tied to a wooden stake, a small sparse crown.

Hedges are a clipped box of dense clusters over a darker core. Every random choice of a build comes from the
params' ``seed``, so a mesh is a pure function of its params. Slots: leaf, bark, leaf_dark, leaf_light, stake.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset
from simvision.world.assets.primitives import block, lathe, tube
from simvision.world.mesh import Mesh

Species = Literal["round", "columnar", "plane", "young"]
SPECIES: tuple[str, ...] = ("round", "columnar", "plane", "young")
SLOTS: tuple[str, ...] = ("leaf", "bark", "leaf_dark", "leaf_light", "stake")
S = {n: i for i, n in enumerate(SLOTS)}
RGB = tuple[float, float, float]

# per species: height (m), crown width (m), crown base as a share of the height, trunk radius (m), lobes,
# clusters per lobe
SHAPES: dict[str, dict[str, tuple[float, float]]] = {
    "round": {"height": (8.0, 15.0), "width": (5.0, 10.0), "base": (0.3, 0.42), "trunk": (0.15, 0.3),
              "lobes": (6, 10), "per_lobe": (5, 8)},
    "columnar": {"height": (8.0, 16.0), "width": (2.0, 3.5), "base": (0.08, 0.18), "trunk": (0.12, 0.22),
                 "lobes": (7, 11), "per_lobe": (4, 6)},
    "plane": {"height": (12.0, 20.0), "width": (7.0, 12.0), "base": (0.25, 0.38), "trunk": (0.25, 0.4),
              "lobes": (6, 9), "per_lobe": (7, 10)},
    "young": {"height": (3.0, 5.0), "width": (1.4, 2.4), "base": (0.4, 0.55), "trunk": (0.04, 0.07),
              "lobes": (4, 6), "per_lobe": (3, 5)},
}  # fmt: skip
# linear RGB: street foliage in photos is a dull, greyish green (dust, shade, leaves seen edge-on)
LEAVES: tuple[RGB, ...] = ((0.05, 0.11, 0.03), (0.07, 0.13, 0.04), (0.04, 0.08, 0.03), (0.09, 0.12, 0.05))
AUTUMN: RGB = (0.22, 0.16, 0.03)
BARK: tuple[RGB, ...] = ((0.09, 0.07, 0.05), (0.12, 0.1, 0.08), (0.06, 0.05, 0.04))
PLANE_BARK: RGB = (0.26, 0.23, 0.16)  # plane trees shed bark in pale patches


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TreeParams(_Params):
    species: Species
    height: float  # metres, ground to crown top
    crown_width: float  # metres, crown diameter
    crown_base: float  # metres, where the crown starts
    trunk_radius: float
    lobes: int  # leaf-cluster groups at branch ends
    per_lobe: int  # clusters per lobe
    seed: int  # cluster jitter, branch layout
    leaf: RGB
    bark: RGB


class HedgeParams(_Params):
    length: float
    depth: float
    height: float
    seed: int
    leaf: RGB


def _round(rng: np.random.Generator, lo: float, hi: float, nd: int = 3) -> float:
    return float(np.round(rng.uniform(lo, hi), nd))


def _colour(c: np.ndarray) -> RGB:
    return tuple(float(np.round(min(max(v, 0.0), 1.0), 4)) for v in c)  # type: ignore[return-value]


def sample_tree(rng: np.random.Generator, species: str) -> TreeParams:
    s = SHAPES[species]
    height = _round(rng, *s["height"])
    leaf = np.asarray(LEAVES[int(rng.integers(len(LEAVES)))])
    if species != "columnar" and rng.random() < 0.08:
        leaf = np.asarray(AUTUMN)
    if species == "columnar":
        leaf = leaf * [0.75, 0.9, 1.1]  # cypress and poplar read darker, bluer
    bark = np.asarray(PLANE_BARK if species == "plane" else BARK[int(rng.integers(len(BARK)))])
    return TreeParams(
        species=species,  # type: ignore[arg-type]
        height=height,
        crown_width=_round(rng, *s["width"]),
        crown_base=float(np.round(height * rng.uniform(*s["base"]), 3)),
        trunk_radius=_round(rng, *s["trunk"]),
        lobes=int(rng.integers(s["lobes"][0], s["lobes"][1] + 1)),
        per_lobe=int(rng.integers(s["per_lobe"][0], s["per_lobe"][1] + 1)),
        seed=int(rng.integers(2**31)),
        leaf=_colour(leaf * rng.uniform(0.85, 1.15, 3)),
        bark=_colour(bark * rng.uniform(0.85, 1.15, 3)),
    )


def sample_hedge(rng: np.random.Generator, length: float | None = None) -> HedgeParams:
    leaf = np.asarray(LEAVES[int(rng.integers(len(LEAVES)))]) * rng.uniform(0.8, 1.1, 3)
    return HedgeParams(
        length=float(np.round(length if length is not None else rng.uniform(2.0, 8.0), 3)),
        depth=_round(rng, 0.5, 1.0),
        height=_round(rng, 0.7, 1.6),
        seed=int(rng.integers(2**31)),
        leaf=_colour(leaf),
    )


def tree_colours(p: TreeParams) -> dict[str, RGB]:
    leaf = np.asarray(p.leaf)
    return {
        "leaf": p.leaf,
        "leaf_dark": _colour(leaf * 0.55),
        "leaf_light": _colour(leaf * [1.45, 1.4, 1.1]),  # sunlit leaves go yellower as well as brighter
        "bark": p.bark,
        "stake": (0.32, 0.22, 0.12),
    }


def hedge_colours(p: HedgeParams) -> dict[str, RGB]:
    leaf = np.asarray(p.leaf)
    return {"leaf": p.leaf, "leaf_dark": _colour(leaf * 0.5), "leaf_light": _colour(leaf * [1.4, 1.35, 1.1])}


def _icosahedron() -> tuple[np.ndarray, np.ndarray]:
    t = (1 + 5**0.5) / 2
    v = np.array([[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t],
                  [0, -1, -t], [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]], np.float64)  # fmt: skip
    f = np.array([[0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4],
                  [11, 10, 2], [10, 7, 6], [7, 1, 8], [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8],
                  [3, 8, 9], [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1]], np.int32)  # fmt: skip
    return v / np.linalg.norm(v, axis=1, keepdims=True), f


ICO_V, ICO_F = _icosahedron()


def _random_rotations(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n,3,3) proper rotations from unit quaternions (orientation kept, so outward faces stay outward)."""
    q = rng.standard_normal((n, 4))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    w, x, y, z = q.T
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
        ],
        axis=1,
    )


def clusters(rng: np.random.Generator, centres: np.ndarray, radii: np.ndarray, slots: np.ndarray) -> Mesh:
    """Irregular closed blobs (jittered, randomly turned icosahedra, a little flattened) at (n,3) ``centres``.

    Each vertex's distance from its centre is jittered by +-25 %: the blob stays star-shaped about its centre,
    so it stays closed and wound outward."""
    n = len(centres)
    jitter = rng.uniform(0.75, 1.25, (n, len(ICO_V), 1))
    local = ICO_V[None] * jitter
    local = np.einsum("nij,nvj->nvi", _random_rotations(rng, n), local)
    local = local * np.array([1.0, 1.0, 0.8]) * radii[:, None, None]
    verts = (local + centres[:, None, :]).reshape(-1, 3)
    faces = (ICO_F[None] + (np.arange(n) * len(ICO_V))[:, None, None]).reshape(-1, 3).astype(np.int32)
    return Mesh(verts, faces, np.repeat(np.asarray(slots, np.int8), len(ICO_F)))


def _octahedron() -> tuple[np.ndarray, np.ndarray]:
    v = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], np.float64)
    f = np.array(
        [[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]], np.int32
    )
    return v, f


OCT_V, OCT_F = _octahedron()


def sprigs(rng: np.random.Generator, centres: np.ndarray, radii: np.ndarray, slots: np.ndarray) -> Mesh:
    """Small jittered octahedra (8 triangles): the loose twigs of leaves that make a crown's outline ragged."""
    n = len(centres)
    local = OCT_V[None] * rng.uniform(0.6, 1.4, (n, len(OCT_V), 1))
    local = np.einsum("nij,nvj->nvi", _random_rotations(rng, n), local) * radii[:, None, None]
    verts = (local + centres[:, None, :]).reshape(-1, 3)
    faces = (OCT_F[None] + (np.arange(n) * len(OCT_V))[:, None, None]).reshape(-1, 3).astype(np.int32)
    return Mesh(verts, faces, np.repeat(np.asarray(slots, np.int8), len(OCT_F)))


def _tetrahedron() -> tuple[np.ndarray, np.ndarray]:
    v = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], np.float64) / 3**0.5
    f = np.array([[0, 1, 2], [0, 3, 1], [0, 2, 3], [1, 3, 2]], np.int32)  # wound outward
    return v, f


TET_V, TET_F = _tetrahedron()


def tufts(rng: np.random.Generator, centres: np.ndarray, radii: np.ndarray, slots: np.ndarray) -> Mesh:
    """Tiny jittered tetrahedra (4 triangles): single leaf tufts standing out of a crown's surface, the fine
    ragged fringe of its outline (a few pixels each at street distances, sky between them)."""
    n = len(centres)
    local = TET_V[None] * rng.uniform(0.7, 1.3, (n, len(TET_V), 1))
    local = np.einsum("nij,nvj->nvi", _random_rotations(rng, n), local) * radii[:, None, None]
    verts = (local + centres[:, None, :]).reshape(-1, 3)
    faces = (TET_F[None] + (np.arange(n) * len(TET_V))[:, None, None]).reshape(-1, 3).astype(np.int32)
    return Mesh(verts, faces, np.repeat(np.asarray(slots, np.int8), len(TET_F)))


def _envelope(p: TreeParams, zt: np.ndarray) -> np.ndarray:
    """Crown radius at relative crown height ``zt`` (0 at the crown base, 1 at the top) per species."""
    a = p.crown_width / 2
    zt = np.clip(zt, 0.0, 1.0)
    if p.species == "columnar":  # widest a third of the way up, a pointed top
        return a * np.sin(np.pi * np.minimum(zt / 0.35, 1) / 2) ** 0.7 * (1 - np.maximum(zt - 0.35, 0) / 0.7)
    if p.species == "plane":  # a broad dome, flat below
        return a * np.sqrt(np.clip(1 - ((zt - 0.35) / 0.68) ** 2, 0.0, 1.0))
    return a * np.sqrt(np.clip(1 - ((zt - 0.5) / 0.52) ** 2, 0.0, 1.0))


def _lobe_centres(rng: np.random.Generator, p: TreeParams, crown_h: float) -> np.ndarray:
    """Lobe centres spread over the crown: heights stratified, headings a golden-angle spiral with jitter."""
    n = p.lobes
    zt = (np.arange(n) + rng.uniform(0.15, 0.85, n)) / n * 0.8 + 0.1
    ang = np.arange(n) * 2.39996 + rng.uniform(0, 2 * np.pi)
    reach = _envelope(p, zt) * rng.uniform(0.5, 0.8, n)
    z = p.crown_base + zt * crown_h
    return np.column_stack([reach * np.cos(ang), reach * np.sin(ang), z])


def build_tree(p: TreeParams) -> Asset:
    rng = np.random.default_rng(p.seed)
    crown_h = p.height - p.crown_base
    r = p.trunk_radius
    top = p.crown_base + crown_h * (0.75 if p.species == "columnar" else 0.35)
    trunk = lathe(
        (0.0, 0.0, 0.0),
        "z",
        np.array([[0.0, r * 1.25], [0.3, r], [p.crown_base, r * 0.85], [top, r * 0.45]]),
        7,
        S["bark"],
    )
    parts = [trunk]
    lobes = _lobe_centres(rng, p, crown_h)
    scale = float(np.clip(p.crown_width / 4.0, 0.55, 3.0))
    if p.species == "columnar":
        scale = float(np.clip(p.crown_width / 2.5, 0.5, 0.9))
    for c in lobes:  # a branch from the trunk up and out to each lobe
        z0 = min(max(p.crown_base + 0.1, c[2] - float(rng.uniform(0.8, 2.0)) * scale), top - 0.05)
        start = np.array([0.0, 0.0, z0])
        mid = (start + c) / 2 + [0, 0, 0.15 * scale]
        rad = max(r * 0.4, 0.025)
        parts.append(tube(np.array([start, mid, c]), np.array([rad, rad * 0.75, rad * 0.5]), 5, S["bark"]))
    # clusters around each lobe centre, kept inside the crown envelope
    per = p.per_lobe
    centres, radii = [], []
    for c in lobes:
        spread = 0.75 * scale * (1.3 if p.species == "plane" else 1.0)
        d = rng.standard_normal((per, 3)) * spread * [1.0, 1.0, 0.7]
        centres.append(c + d)
        radii.append(rng.uniform(0.38, 0.6, per) * scale)
    cen, rad = np.concatenate(centres), np.concatenate(radii)
    zt = (cen[:, 2] - p.crown_base) / crown_h
    horiz = np.hypot(cen[:, 0], cen[:, 1])
    limit = np.maximum(_envelope(p, zt) - rad * 0.6, 0.05)
    shrink = np.minimum(1.0, limit / np.maximum(horiz, 1e-6))
    cen[:, :2] *= shrink[:, None]
    cen[:, 2] = np.clip(cen[:, 2], p.crown_base + rad * 0.8, p.height - rad * 1.05)
    # tones: lower and inner clusters in shade, upper outer ones catching light, the rest mixed
    zt = (cen[:, 2] - p.crown_base) / crown_h
    outer = np.hypot(cen[:, 0], cen[:, 1]) / max(p.crown_width / 2, 1e-6)
    light = zt + 0.5 * outer + rng.normal(0, 0.25, len(cen))
    slots = np.where(light < 0.55, S["leaf_dark"], np.where(light > 1.0, S["leaf_light"], S["leaf"]))
    if p.species != "young":  # a few big shaded blobs fill the crown's middle: gaps open at its edges only
        zt = np.linspace(0.25, 0.7, 4) + rng.uniform(-0.05, 0.05, 4)
        core = np.column_stack([rng.normal(0, 0.1, (4, 2)) * p.crown_width, p.crown_base + zt * crown_h])
        core_r = np.minimum(_envelope(p, zt) * 0.55, crown_h * 0.2)
        cen = np.concatenate([cen, core])
        rad = np.concatenate([rad, core_r])
        slots = np.concatenate([slots, np.full(4, S["leaf_dark"])])
    parts.append(clusters(rng, cen, rad, slots))
    # sprigs just outside each lobe's clusters, on its outer side: a ragged outline with sky between the tufts
    k = 5
    out_dir = np.column_stack([lobes[:, 0], lobes[:, 1], np.zeros(len(lobes))])
    out_dir /= np.maximum(np.linalg.norm(out_dir, axis=1, keepdims=True), 1e-6)
    jitter = rng.standard_normal((len(lobes), k, 3)) * [0.45, 0.45, 0.4]
    sp = lobes[:, None] + (out_dir[:, None] * 0.8 + jitter) * scale
    sp = sp.reshape(-1, 3)
    zt = (sp[:, 2] - p.crown_base) / crown_h
    lim = np.maximum(_envelope(p, zt) * 1.08, 0.1)
    horiz = np.hypot(sp[:, 0], sp[:, 1])
    sp[:, :2] *= np.minimum(1.0, lim / np.maximum(horiz, 1e-6))[:, None]
    sr = rng.uniform(0.13, 0.22, len(sp)) * scale
    sp[:, 2] = np.clip(sp[:, 2], p.crown_base + sr, p.height - sr * 1.4)
    tone = np.where(rng.random(len(sp)) < 0.5, S["leaf"], S["leaf_light"])
    parts.append(sprigs(rng, sp, sr, tone))
    # leaf tufts on the crown's surface: out of the outer half of the clusters, just past their skin
    outer = np.flatnonzero(np.hypot(cen[:, 0], cen[:, 1]) + (cen[:, 2] - p.crown_base) / crown_h * 0.3 * p.crown_width
                           >= np.median(np.hypot(cen[:, 0], cen[:, 1])))  # fmt: skip
    nt = min(8 * len(lobes), 80)
    host = outer[rng.integers(len(outer), size=nt)]
    d = rng.standard_normal((nt, 3))
    d[:, :2] += cen[host, :2] / np.maximum(np.hypot(cen[host, 0], cen[host, 1]), 1e-6)[:, None]  # outward
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    tp = cen[host] + d * rad[host, None] * rng.uniform(0.9, 1.15, (nt, 1))  # half out of the skin
    tr = rng.uniform(0.07, 0.13, nt) * scale
    tp[:, 2] = np.clip(tp[:, 2], p.crown_base + tr, p.height - tr)
    tone = np.where(rng.random(nt) < 0.6, S["leaf_light"], S["leaf"])
    parts.append(tufts(rng, tp, tr, tone))
    if p.species == "young":  # a stake beside the trunk, tied to it
        x = r + 0.06
        parts.append(lathe((x, 0.0, 0.0), "z", np.array([[0.0, 0.03], [1.8, 0.03]]), 6, S["stake"]))
        parts.append(
            tube(np.array([[0.0, 0.0, 1.5], [x / 2, 0.0, 1.5], [x, 0.0, 1.5]]), 0.015, 4, S["stake"])
        )
    mesh = Mesh.merge(*parts)
    v = mesh.vertices
    size = (float(2 * np.abs(v[:, 0]).max()), float(2 * np.abs(v[:, 1]).max()), float(v[:, 2].max()))
    return Asset(mesh, SLOTS, size)


def build_hedge(p: HedgeParams) -> Asset:
    """A clipped hedge along x: a dark core box, its top and long sides covered in leaf clusters."""
    rng = np.random.default_rng(p.seed)
    ln, d, h = p.length, p.depth, p.height
    br = float(np.clip(min(d, h) * 0.35, 0.15, 0.3))  # cluster radius
    core = block(-ln / 2 + br, ln / 2 - br, -d / 2 + br, d / 2 - br, 0.0, h - br, S["leaf_dark"])
    # points on the top and both long sides, about one cluster per 0.2 m^2 (the core fills the gaps)
    n_top = max(4, int(ln * d / 0.2))
    n_side = max(4, int(ln * h / 0.2))
    top = np.column_stack([rng.uniform(-ln / 2, ln / 2, n_top), rng.uniform(-d / 2, d / 2, n_top),
                           np.full(n_top, h)])  # fmt: skip
    sides = []
    for s in (-1, 1):
        sides.append(np.column_stack([rng.uniform(-ln / 2, ln / 2, n_side), np.full(n_side, s * d / 2),
                                      rng.uniform(0, h, n_side)]))  # fmt: skip
    pts = np.concatenate([top, *sides])
    rad = rng.uniform(0.8, 1.2, len(pts)) * br
    reach = rad * 1.25  # the farthest a jittered blob vertex gets from its centre
    lo = np.column_stack([-ln / 2 + reach, -d / 2 + reach, reach * 0.8 + 0.01])
    hi = np.column_stack([ln / 2 - reach, d / 2 - reach, h - reach * 0.8])
    cen = np.clip(pts, lo, np.maximum(hi, lo))
    light = cen[:, 2] / h + rng.normal(0, 0.3, len(cen))
    slots = np.where(light < 0.35, S["leaf_dark"], np.where(light > 1.0, S["leaf_light"], S["leaf"]))
    mesh = Mesh.merge(core, clusters(rng, cen, rad, slots))
    v = mesh.vertices
    size = (float(2 * np.abs(v[:, 0]).max()), float(2 * np.abs(v[:, 1]).max()), float(v[:, 2].max()))
    return Asset(mesh, SLOTS, size)
