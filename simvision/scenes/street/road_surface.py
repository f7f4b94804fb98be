"""What lies on the asphalt: painted markings and wear, as flat geometry both renderers draw.

Markings (road slot 1, white paint, 1 cm up): a solid or double centre line, dashed lane dividers with worn,
broken dashes, solid edge lines, stop lines and zebra crossings where the crossing road's sidewalks meet the road
(and at a mid-block crossing), lane arrows before a junction. Wear (drawn from ``layout.surface_seed``):
manhole covers and gully grates (slot 2, metal), patches of newer asphalt (slot 3) and sealed cracks (slot 4, tar).
Traffic wear: the bare asphalt itself is cut into lengthwise bands (the same plane: labels and depth as before), in
every lane two darker, polished wheel tracks (slot 6, with softer edges of slot 5) and the centre between them where
cars drip oil (slot 7), and sealed seams (slot 4) beside some lane lines; the textures add the stains, the materials
the tone, so both renderers show them.
Everything is a pure function of the layout, so a record replays to the same road. Markings stay in the ``road``
class, as in Cityscapes (which has no lane-marking class).
"""

from __future__ import annotations

import numpy as np

from simvision.scenes.street import road
from simvision.scenes.street.spec import LayoutSpec
from simvision.world.mesh import Mesh

PAINT, METAL, PATCH, SEALANT = 1, 2, 3, 4  # road material slots (0 is the asphalt)
TRACK_EDGE, TRACK, LANE_CENTRE = (
    5,
    6,
    7,
)  # asphalt worn by traffic: wheel tracks and the oil-dripped lane centre
Z_PAINT, Z_METAL, Z_SEAL, Z_PATCH = 0.01, 0.008, 0.006, 0.004  # stacked a few mm apart: no depth fighting
ZEBRA_PITCH, ZEBRA_STRIPE = 1.0, 0.5


def flat(layout: LayoutSpec, st: np.ndarray, z: float, slot: int) -> Mesh:
    """A small convex polygon given in road coordinates (K,2) of (s, t), fanned into triangles at height ``z``."""
    st = np.asarray(st, np.float64)
    v = road.to_world(layout, st[:, 0], st[:, 1], z)
    k = len(st)
    faces = np.array([(0, i, i + 1) for i in range(1, k - 1)], np.int32)
    return Mesh(v, faces, np.full(len(faces), slot, np.int8))


def _rect(layout: LayoutSpec, s0: float, s1: float, t0: float, t1: float, z: float, slot: int) -> Mesh:
    if s1 - s0 > 4.0:  # long marks follow a curve's stations
        return road.patch(layout, s0, s1, t0, t1, z, slot)
    return flat(layout, np.array([[s0, t0], [s1, t0], [s1, t1], [s0, t1]]), z, slot)


def crossings(layout: LayoutSpec) -> list[tuple[float, float, int]]:
    """Zebra crossings as (s start, s end, approach): the road's traffic towards +s stops before a crossing with
    approach +1, the oncoming traffic before one with -1 (0: both, a mid-block crossing)."""
    out = []
    if layout.junction_at is not None:
        c, hw, sw = layout.junction_at, layout.cross_width / 2, layout.sidewalk_width
        zl = float(np.clip(sw, 2.5, 4.0))
        for sc, approach in ((c - hw - sw / 2, 1), (c + hw + sw / 2, -1)):
            out.append((sc - zl / 2, sc + zl / 2, approach))
    if layout.crossing_at is not None:
        out.append((layout.crossing_at - 1.5, layout.crossing_at + 1.5, 0))
    return out


def _stops(layout: LayoutSpec) -> list[tuple[float, int]]:
    """Stop lines as (s, direction of the traffic that stops there)."""
    out = []
    for z0, z1, approach in crossings(layout):
        if approach >= 0:
            out.append((z0 - 1.5, 1))
        if approach <= 0:
            out.append((z1 + 1.5, -1))
    return out


def _spans(layout: LayoutSpec) -> list[tuple[float, float]]:
    """Intervals of ``s`` with longitudinal lines: the blocks less the crossings and their stop lines."""
    cuts = [(z0 - 2.0, z1 + 2.0) for z0, z1, _ in crossings(layout)]
    out = []
    for s0, s1 in road.blocks(layout):
        pieces = [(s0, s1)]
        for c0, c1 in cuts:
            pieces = [p for a, b in pieces for p in ((a, min(b, c0)), (max(a, c1), b)) if p[1] - p[0] > 0.5]
        out += pieces
    return out


def _arrow(layout: LayoutSpec, s: float, t: float, direction: int, left: bool) -> list[Mesh]:
    """A lane arrow starting at (s, t), pointing along ``direction`` (+1 towards +s): straight, or turning left."""
    w = 0.08
    pts = [(0.0, 0.0), (2.2, 0.0), (3.0, 0.55)] if left else [(0.0, 0.0), (3.0, 0.0)]
    parts = []
    for (a0, b0), (a1, b1) in zip(pts[:-1], pts[1:], strict=False):
        d = np.array([a1 - a0, b1 - b0])
        n = np.array([-d[1], d[0]]) / np.linalg.norm(d) * w
        quad = [
            (a0 - n[0], b0 - n[1]),
            (a1 - n[0], b1 - n[1]),
            (a1 + n[0], b1 + n[1]),
            (a0 + n[0], b0 + n[1]),
        ]
        parts.append(quad)
    (a0, b0), (a1, b1) = pts[-2], pts[-1]
    d = np.array([a1 - a0, b1 - b0]) / np.hypot(a1 - a0, b1 - b0)
    n = np.array([-d[1], d[0]])
    tip = np.array([a1, b1]) + 1.1 * d
    parts.append([tuple(np.array([a1, b1]) - 0.3 * n), tuple(tip), tuple(np.array([a1, b1]) + 0.3 * n)])
    out = []
    for poly in parts:
        p = np.array(poly)
        st = np.column_stack([s + direction * p[:, 0], t + direction * p[:, 1]])
        if direction < 0:
            st = st[::-1]
        out.append(flat(layout, st, Z_PAINT, PAINT))
    return out


def markings(layout: LayoutSpec, rng: np.random.Generator) -> list[Mesh]:
    h, lw = layout.road_half, layout.lane_width
    out = []
    double = layout.lanes >= 4 and rng.random() < 0.6
    for s0, s1 in _spans(layout):
        for i in range(1, layout.lanes):
            t = -h + i * lw
            if i == layout.lanes // 2:
                offsets = (-0.12, 0.12) if double else (0.0,)
                out += [_rect(layout, s0, s1, t + o - 0.07, t + o + 0.07, Z_PAINT, PAINT) for o in offsets]
                continue
            for d in np.arange(s0 + 1.0, s1 - 3.0, 9.0):
                worn = rng.random() < 0.2  # a worn dash: part of it gone
                a, b = (
                    (d + 3.0 * rng.uniform(0, 0.4), d + 3.0 * rng.uniform(0.6, 1.0)) if worn else (d, d + 3.0)
                )
                out.append(_rect(layout, a, b, t - 0.06, t + 0.06, Z_PAINT, PAINT))
        if layout.edge_lines:
            for side in (-1, 1):
                t0 = side * (h - 0.35)
                out.append(_rect(layout, s0, s1, t0 - 0.06, t0 + 0.06, Z_PAINT, PAINT))
    for z0, z1, _ in crossings(layout):
        for t in np.arange(-h + 0.4, h - 0.4 - ZEBRA_STRIPE + 1e-6, ZEBRA_PITCH):
            out.append(_rect(layout, z0, z1, t, t + ZEBRA_STRIPE, Z_PAINT, PAINT))
    for s, direction in _stops(layout):
        t0, t1 = sorted((direction * -(h - 0.2), direction * -0.15))
        out.append(_rect(layout, s - 0.15, s + 0.15, t0, t1, Z_PAINT, PAINT))
        if layout.junction_at is not None:  # lane arrows in the approach lanes
            lanes = [k for k in range(layout.lanes) if (-h + (k + 0.5) * lw) * direction < 0]
            for k in lanes:
                tc = -h + (k + 0.5) * lw
                left = len(lanes) > 1 and k == max(lanes, key=lambda q: -abs(-h + (q + 0.5) * lw))
                for back in (7.0, 22.0):
                    out += _arrow(layout, s - direction * (back + 4.1), tc, direction, left)
    return out


def wear(layout: LayoutSpec, rng: np.random.Generator) -> list[Mesh]:
    """Manholes, gully grates at the kerb, patches and sealed cracks within the first 90 m."""
    h = layout.road_half
    lo, hi = max(layout.start, -10.0), min(layout.length, 90.0)
    out = []
    for _ in range(int(rng.integers(1, 5))):  # manhole covers: 12-gon discs
        s, t, r = rng.uniform(lo, hi), rng.uniform(-h + 0.6, h - 0.6), rng.uniform(0.3, 0.36)
        a = np.linspace(0, 2 * np.pi, 12, endpoint=False)
        out.append(flat(layout, np.column_stack([s + r * np.cos(a), t + r * np.sin(a)]), Z_METAL, METAL))
    step = float(rng.uniform(18, 30))
    for side in (-1, 1):  # gully grates along both kerbs
        for s in np.arange(lo + rng.uniform(0, step), hi, step):
            t0 = side * (h - 0.05)
            t1 = side * (h - 0.4)
            out.append(_rect(layout, s, s + 0.55, min(t0, t1), max(t0, t1), Z_METAL, METAL))
    for _ in range(int(rng.integers(0, 5))):  # patches of newer asphalt
        s, ls = rng.uniform(lo, hi), rng.uniform(0.8, 4.0)
        t, lt = rng.uniform(-h, h - 0.8), rng.uniform(0.6, 2.5)
        out.append(_rect(layout, s, s + ls, t, min(t + lt, h), Z_PATCH, PATCH))
    if rng.random() < 0.3:  # a refilled utility trench along the road
        t, s = rng.uniform(-h + 0.5, h - 1.2), rng.uniform(lo, hi - 10)
        out.append(_rect(layout, s, s + rng.uniform(8, 30), t, t + rng.uniform(0.5, 0.9), Z_PATCH, PATCH))
    for _ in range(int(rng.integers(0, 9))):  # sealed cracks: random walks of tar
        p = np.array([rng.uniform(lo, min(hi, 50.0)), rng.uniform(-h + 0.3, h - 0.3)])
        heading, w = rng.uniform(0, 2 * np.pi), rng.uniform(0.02, 0.04)
        for _ in range(int(rng.integers(4, 11))):
            heading += rng.normal(0, 0.5)
            q = p + rng.uniform(0.3, 0.6) * np.array([np.cos(heading), np.sin(heading)])
            q[1] = np.clip(q[1], -h + 0.1, h - 0.1)
            d = q - p
            if np.hypot(*d) < 0.05:
                continue
            n = np.array([-d[1], d[0]]) / np.hypot(*d) * w / 2
            out.append(flat(layout, np.array([p - n, q - n, q + n, p + n]), Z_SEAL, SEALANT))
            p = q
    return out


def bands(layout: LayoutSpec) -> tuple[tuple[float, float, int], ...]:
    """Lengthwise bands of the bare asphalt as (t0, t1, slot), covering [-h, h] in order: per lane, wheel tracks
    (a core 0.4 m wide, up to 0.85 m either side of the lane centre, with 0.15 m edges) and the lane centre; and
    the :func:`seams` (sealant, slot 4) that do not run into a track."""
    h, lw = layout.road_half, layout.lane_width
    off = min(0.85, 0.26 * lw)
    centre = min(0.35, off - 0.4)
    cuts = []
    for k in range(layout.lanes):
        c = -h + (k + 0.5) * lw
        for side in (-1, 1):
            a, b = sorted((c + side * (off - 0.2), c + side * (off + 0.2)))
            cuts += [(a - 0.15, a, TRACK_EDGE), (a, b, TRACK), (b, b + 0.15, TRACK_EDGE)]
        if centre > 0.05:
            cuts.append((c - centre, c + centre, LANE_CENTRE))
    for t0, t1 in seams(layout):
        if all(t1 < a or t0 > b for a, b, _ in cuts):
            cuts.append((t0, t1, SEALANT))
    out, t = [], -h
    for t0, t1, slot in sorted(cuts):
        if t0 > t + 1e-9:
            out.append((t, t0, 0))
        out.append((t0, t1, slot))
        t = t1
    if t < h - 1e-9:
        out.append((t, h, 0))
    return tuple(out)


def pieces(layout: LayoutSpec) -> tuple[tuple[float, float, float, float, int], ...]:
    """The bare asphalt as (s0, s1, t0, t1, slot) rectangles: the :func:`bands` over the first 90 m ahead of the
    camera (at s = 0) and 10 m behind it, cut into pieces 2 to 5 m long (a long thin band would cost the
    rasterizer, and the sun's shadow map, its whole bounding box; on a curve, at the road's stations), one plain
    piece of slot 0 before and after."""
    h = layout.road_half
    lo, hi = max(layout.start, -10.0), min(layout.length, 90.0)
    if hi <= lo:
        return ((layout.start, layout.length, -h, h, 0),)
    cuts = [lo]
    while cuts[-1] < hi - 1e-9:
        s = cuts[-1]
        cuts.append(
            min(hi, max(s, 0.0) + float(np.clip(0.25 * s, 2.0, 5.0)) if s >= 0 else min(0.0, s + 5.0))
        )
    if abs(layout.curvature) >= 1e-9:  # cut only at the road's own stations (the same chords, no gaps)
        st = road.road_stations(layout)
        cuts = sorted({float(st[np.argmin(np.abs(st - c))]) for c in cuts})
        if len(cuts) < 2:
            return ((layout.start, layout.length, -h, h, 0),)
        lo, hi = cuts[0], cuts[-1]
    out = [(layout.start, lo, -h, h, 0)] if lo > layout.start + 1e-9 else []
    lanes = bands(layout)
    out += [(a, b, t0, t1, slot) for a, b in zip(cuts[:-1], cuts[1:], strict=True) for t0, t1, slot in lanes]
    if hi < layout.length - 1e-9:
        out.append((hi, layout.length, -h, h, 0))
    return tuple(out)


def seams(layout: LayoutSpec) -> list[tuple[float, float]]:
    """Sealed longitudinal joints between paving lanes, as (t0, t1): a tar line a few centimetres wide a little
    beside some lane lines (drawn from ``surface_seed``, a stream of its own). They are bands of the road surface
    itself, not geometry on it (no depth changes)."""
    h, lw = layout.road_half, layout.lane_width
    rng = np.random.default_rng([layout.surface_seed, 1])
    out = []
    for i in range(1, layout.lanes):
        if rng.random() < 0.5:
            t = -h + i * lw + rng.uniform(-0.35, 0.35)
            w = rng.uniform(0.03, 0.07)
            out.append((t - w / 2, t + w / 2))
    return out


def road_mesh(layout: LayoutSpec) -> Mesh:
    """The asphalt (:func:`road.road_mesh`, cut into its traffic-wear bands) with its markings and wear."""
    rng = np.random.default_rng(layout.surface_seed)
    return Mesh.merge(road.road_mesh(layout, pieces(layout)), *markings(layout, rng), *wear(layout, rng))
