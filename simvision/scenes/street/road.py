"""Road geometry: the centreline frame, and the road, sidewalk and terrain surfaces of a :class:`LayoutSpec`.

Road coordinates: ``s`` metres along the centreline, ``t`` metres to its left. Right-hand traffic: lanes with
``t < 0`` run towards +s.
"""

from __future__ import annotations

import numpy as np

from simvision.scenes.street.spec import LayoutSpec
from simvision.world.mesh import Mesh, strip

KERB = 0.15  # sidewalk and terrain height above the road, metres
KERB_STONE = 0.25  # width of the kerb stones' top along the road edge (sidewalk slot 1), metres
TERRAIN_REACH = 80.0  # how far the ground extends beyond the sidewalk, metres
FAR = 150.0  # half length of a crossing road


def heading(layout: LayoutSpec, s: float | np.ndarray) -> np.ndarray:
    """Heading of the centreline at ``s`` (radians, 0 = +Y, counter-clockwise)."""
    return layout.curvature * np.asarray(s, np.float64)


def to_world(
    layout: LayoutSpec, s: np.ndarray | float, t: np.ndarray | float, z: np.ndarray | float = 0.0
) -> np.ndarray:
    """Road coordinates to world points (...,3)."""
    s, t, z = np.broadcast_arrays(
        np.asarray(s, np.float64), np.asarray(t, np.float64), np.asarray(z, np.float64)
    )
    th = heading(layout, s)
    k = layout.curvature
    if abs(k) < 1e-9:
        px, py = np.zeros_like(s), s
    else:
        px, py = -(1 - np.cos(th)) / k, np.sin(th) / k
    left = np.stack([-np.cos(th), -np.sin(th)], axis=-1)
    xy = np.stack([px, py], axis=-1) + t[..., None] * left
    return np.concatenate([xy, z[..., None]], axis=-1)


def yaw_along(layout: LayoutSpec, s: float) -> float:
    """Yaw (model local +x along the direction of travel towards +s) at ``s``."""
    return float(heading(layout, s)) + np.pi / 2


def _stations(layout: LayoutSpec, s0: float, s1: float) -> np.ndarray:
    n = 2 if abs(layout.curvature) < 1e-9 else max(2, int(np.ceil((s1 - s0) / 3.0)) + 1)
    return np.linspace(s0, s1, n)


def road_stations(layout: LayoutSpec) -> np.ndarray:
    """Stations of the bare road's edges along its whole length (two on a straight road)."""
    return _stations(layout, layout.start, layout.length)


def patch(layout: LayoutSpec, s0: float, s1: float, t0: float, t1: float, z: float, slot: int = 0) -> Mesh:
    """A flat patch of road coordinates [s0,s1] x [t0,t1] at height ``z``."""
    s = _stations(layout, s0, s1)
    return strip(to_world(layout, s, t0, z), to_world(layout, s, t1, z), slot)


def kerb(layout: LayoutSpec, s0: float, s1: float, t: float, slot: int = 0) -> Mesh:
    """The vertical kerb face at lateral offset ``t`` from the road up to the sidewalk."""
    s = _stations(layout, s0, s1)
    return strip(to_world(layout, s, t, 0.0), to_world(layout, s, t, KERB), slot)


def blocks(layout: LayoutSpec) -> list[tuple[float, float]]:
    """Intervals of ``s`` lined by sidewalk (split around a junction's crossing road and its sidewalks)."""
    if layout.junction_at is None:
        return [(layout.start, layout.length)]
    g = layout.cross_width / 2 + layout.sidewalk_width
    return [(layout.start, layout.junction_at - g), (layout.junction_at + g, layout.length)]


def road_mesh(layout: LayoutSpec, pieces: tuple[tuple[float, float, float, float, int], ...] = ()) -> Mesh:
    """The bare asphalt (markings and wear: :mod:`.road_surface`). ``pieces``: (s0, s1, t0, t1, slot) rectangles
    that tile the road (all in one plane: the same surface, only the material slot differs), on a curve cut at
    the whole road's stations (:func:`road_stations`) so that every edge follows the same chords; empty: one
    patch of slot 0."""
    pieces = pieces or ((layout.start, layout.length, -layout.road_half, layout.road_half, 0),)
    full = road_stations(layout)
    parts = []
    for s0, s1, t0, t1, slot in pieces:  # the whole road's stations: its edges' chords stay the same
        s = np.concatenate([[s0], full[(full > s0) & (full < s1)], [s1]])
        parts.append(strip(to_world(layout, s, t0, 0.0), to_world(layout, s, t1, 0.0), slot))
    if layout.junction_at is not None:
        c, hw = layout.junction_at, layout.cross_width / 2
        for side in (-1, 1):
            t0, t1 = sorted((side * layout.road_half, side * FAR))
            parts.append(patch(layout, c - hw, c + hw, t0, t1, 0.0))
    return Mesh.merge(*parts)


def sidewalk_mesh(layout: LayoutSpec) -> Mesh:
    h, sw = layout.road_half, layout.sidewalk_width
    parts = []
    for s0, s1 in blocks(layout):
        for side in (-1, 1):
            t0, t1 = sorted((side * (h + KERB_STONE), side * (h + sw)))
            k0, k1 = sorted((side * h, side * (h + KERB_STONE)))
            parts += [
                patch(layout, s0, s1, t0, t1, KERB),
                patch(layout, s0, s1, k0, k1, KERB, slot=1),
                kerb(layout, s0, s1, side * h, slot=1),
            ]
    if layout.junction_at is not None:  # sidewalks along both sides of the crossing road
        c, hw = layout.junction_at, layout.cross_width / 2
        for side in (-1, 1):
            t0, t1 = sorted((side * h, side * FAR))
            parts += [
                patch(layout, c - hw - sw, c - hw, t0, t1, KERB),
                patch(layout, c + hw, c + hw + sw, t0, t1, KERB),
            ]
    return Mesh.merge(*parts)


def terrain_mesh(layout: LayoutSpec) -> Mesh:
    h, sw = layout.road_half, layout.sidewalk_width
    parts = []
    for s0, s1 in blocks(layout):
        for side in (-1, 1):
            t0, t1 = sorted((side * (h + sw), side * (h + sw + TERRAIN_REACH)))
            parts.append(patch(layout, s0, s1, t0, t1, KERB))
    return Mesh.merge(*parts)
