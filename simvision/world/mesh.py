"""Triangle meshes built from a few primitives, in numpy; both renderers consume the same triangles.

A :class:`Mesh` holds vertices (V,3) float64, triangles (F,3) int32 and a material slot per triangle (F,) int8.
Models are built in a local frame (x forward/length, y left/width, z up, origin on the ground at the centre) and
placed with :meth:`Mesh.placed`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mesh:
    vertices: np.ndarray
    faces: np.ndarray
    slots: np.ndarray

    @staticmethod
    def merge(*parts: Mesh) -> Mesh:
        verts, faces, slots, n = [], [], [], 0
        for p in parts:
            verts.append(p.vertices)
            faces.append(p.faces + n)
            slots.append(p.slots)
            n += len(p.vertices)
        return Mesh(np.concatenate(verts), np.concatenate(faces).astype(np.int32), np.concatenate(slots))

    def placed(self, position: tuple[float, float, float] | np.ndarray, yaw: float) -> Mesh:
        """Rotated by ``yaw`` radians about Z (counter-clockwise from above), then moved to ``position``."""
        c, s = np.cos(yaw), np.sin(yaw)
        rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
        return Mesh(self.vertices @ rot.T + np.asarray(position, np.float64), self.faces, self.slots)

    def with_slot(self, slot: int) -> Mesh:
        return Mesh(self.vertices, self.faces, np.full(len(self.faces), slot, np.int8))

    @property
    def triangles(self) -> np.ndarray:
        """(F,3,3) world coordinates of every triangle's corners."""
        return self.vertices[self.faces]


def prism(profile: np.ndarray, y0: float, y1: float, slot: int = 0) -> Mesh:
    """A convex polygon ``profile`` (K,2) in the x-z plane, extruded from y0 to y1."""
    p = np.asarray(profile, np.float64)
    k = len(p)
    near = np.column_stack([p[:, 0], np.full(k, y0), p[:, 1]])
    far = np.column_stack([p[:, 0], np.full(k, y1), p[:, 1]])
    verts = np.concatenate([near, far])
    fan = [(0, i, i + 1) for i in range(1, k - 1)]
    faces = [*fan, *[(k, k + i + 1, k + i) for _, i, _ in fan]]
    for i in range(k):
        j = (i + 1) % k
        faces += [(i, j, k + j), (i, k + j, k + i)]
    return Mesh(verts, np.array(faces, np.int32), np.full(len(faces), slot, np.int8))


def box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float, slot: int = 0) -> Mesh:
    return prism(np.array([[x0, z0], [x1, z0], [x1, z1], [x0, z1]]), y0, y1, slot)


def cylinder(
    centre: tuple[float, float, float],
    radius: float,
    length: float,
    axis: str,
    segments: int = 8,
    slot: int = 0,
) -> Mesh:
    """A closed cylinder (a regular prism) along ``axis`` ('x', 'y' or 'z'), centred at ``centre``."""
    a = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    ring = np.column_stack([radius * np.cos(a), radius * np.sin(a)])
    m = prism(ring, -length / 2, length / 2, slot)  # ring in x-z, extruded along y
    v = m.vertices
    order = {"y": [0, 1, 2], "x": [1, 0, 2], "z": [0, 2, 1]}[axis]
    return Mesh(v[:, order] + np.asarray(centre), m.faces, m.slots)


def ellipsoid(
    centre: tuple[float, float, float],
    radii: tuple[float, float, float],
    rings: int = 4,
    segments: int = 8,
    slot: int = 0,
) -> Mesh:
    """A low-poly UV ellipsoid."""
    verts = [(0.0, 0.0, 1.0)]
    for i in range(1, rings):
        t = np.pi * i / rings
        for j in range(segments):
            p = 2 * np.pi * j / segments
            verts.append((np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)))
    verts.append((0.0, 0.0, -1.0))
    faces = []
    last = len(verts) - 1
    for j in range(segments):
        faces.append((0, 1 + j, 1 + (j + 1) % segments))
    for i in range(rings - 2):
        a, b = 1 + i * segments, 1 + (i + 1) * segments
        for j in range(segments):
            j1 = (j + 1) % segments
            faces += [(a + j, b + j, b + j1), (a + j, b + j1, a + j1)]
    base = 1 + (rings - 2) * segments
    for j in range(segments):
        faces.append((last, base + (j + 1) % segments, base + j))
    v = np.array(verts) * np.asarray(radii) + np.asarray(centre)
    return Mesh(v, np.array(faces, np.int32), np.full(len(faces), slot, np.int8))


def strip(left: np.ndarray, right: np.ndarray, slot: int = 0) -> Mesh:
    """A ribbon between two (K,3) polylines (e.g. the edges of a road), two triangles per step."""
    k = len(left)
    verts = np.concatenate([left, right])
    faces = []
    for i in range(k - 1):
        faces += [(i, k + i, k + i + 1), (i, k + i + 1, i + 1)]
    return Mesh(verts, np.array(faces, np.int32), np.full(len(faces), slot, np.int8))
