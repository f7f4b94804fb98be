"""Mesh primitives for detailed procedural assets: rings swept into lofts, lathes, tubes and capsules.

Everything is built from one operation, :func:`sweep`: a sequence of closed rings (N,K,3) joined quad by quad,
with fan caps at both ends. A loft is rings at stations along x, a lathe is circles of varying radius along an
axis, a tube/capsule is circles carried along a polyline. Closed parts are wound outward (positive signed volume),
so renderers that cull back faces and the tests' volume check agree.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simvision.world.mesh import Mesh, box


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Signed volume of a closed triangle mesh (> 0 when its faces wind counter-clockwise seen from outside)."""
    t = vertices[faces]
    return float(np.einsum("ij,ij->i", t[:, 0], np.cross(t[:, 1], t[:, 2])).sum() / 6.0)


@lru_cache(maxsize=64)
def _ccw_topology(n: int, k: int) -> np.ndarray:
    """Faces of ``n`` capped rings of ``k`` points that run counter-clockwise about the direction of travel."""
    idx = np.arange(n * k).reshape(n, k)
    a, b = idx[:-1], np.roll(idx[:-1], -1, axis=1)
    c, d = np.roll(idx[1:], -1, axis=1), idx[1:]
    j = np.arange(k)
    fan0 = np.column_stack([np.full(k, n * k), (j + 1) % k, j])
    fan1 = np.column_stack([np.full(k, n * k + 1), idx[-1, j], idx[-1, (j + 1) % k]])
    quads = np.concatenate([np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)])
    return np.concatenate([quads, fan0, fan1]).astype(np.int32)


def sweep_ccw(rings: np.ndarray, slot: int) -> Mesh:
    """:func:`sweep` for rings known to run counter-clockwise about the direction of travel (tubes, capsules):
    outward by construction, so the topology is cached and no volume test is needed (people have ~30 parts)."""
    n, k, _ = rings.shape
    verts = np.concatenate([rings.reshape(-1, 3), rings[0].mean(axis=0)[None], rings[-1].mean(axis=0)[None]])
    faces = _ccw_topology(n, k)
    return Mesh(verts, faces, np.full(len(faces), slot, np.int8))


def sweep(
    rings: np.ndarray, slot: int | np.ndarray = 0, caps: bool = True, cap_slots: tuple[int, int] | None = None
) -> Mesh:
    """Join (N,K,3) closed rings into a surface; ``slot`` per quad band as (N-1,K) ints, or one int.

    Caps are fans from each end ring's centroid (end rings must be star-shaped about it). Each quad is split
    along its shorter diagonal so thin bands stay well shaped.
    """
    n, k, _ = rings.shape
    verts = rings.reshape(-1, 3)
    idx = np.arange(n * k).reshape(n, k)
    a, b = idx[:-1], np.roll(idx[:-1], -1, axis=1)
    c, d = np.roll(idx[1:], -1, axis=1), idx[1:]
    diag_ac = np.linalg.norm(verts[a] - verts[c], axis=-1) <= np.linalg.norm(verts[b] - verts[d], axis=-1)
    t1 = np.where(diag_ac[..., None], np.stack([a, b, c], -1), np.stack([a, b, d], -1))
    t2 = np.where(diag_ac[..., None], np.stack([a, c, d], -1), np.stack([b, c, d], -1))
    faces = np.concatenate([t1.reshape(-1, 3), t2.reshape(-1, 3)])
    band = np.broadcast_to(np.asarray(slot, np.int8), (n - 1, k)).reshape(-1)
    slots = np.concatenate([band, band])
    if caps:
        centres = np.stack([rings[0].mean(axis=0), rings[-1].mean(axis=0)])
        c0, c1 = n * k, n * k + 1
        verts = np.concatenate([verts, centres])
        j = np.arange(k)
        fan0 = np.column_stack([np.full(k, c0), (j + 1) % k, j])
        fan1 = np.column_stack([np.full(k, c1), idx[-1, j], idx[-1, (j + 1) % k]])
        faces = np.concatenate([faces, fan0, fan1])
        s0, s1 = cap_slots if cap_slots is not None else (band[0], band[-1])
        end_slots = np.concatenate([np.full(k, s0), np.full(k, s1)]).astype(np.int8)
        slots = np.concatenate([slots, end_slots])
    faces = faces.astype(np.int32)
    if caps and signed_volume(verts, faces) < 0:
        faces = faces[:, ::-1].copy()
    elif not caps:
        # An open surface has no inside; wind it like the capped one would be (centroid outside test).
        probe = Mesh(verts, faces, slots)
        n_ = np.cross(
            probe.triangles[:, 1] - probe.triangles[:, 0], probe.triangles[:, 2] - probe.triangles[:, 0]
        )
        out = probe.triangles.mean(axis=1) - verts.mean(axis=0)
        if np.einsum("ij,ij->i", n_, out).sum() < 0:
            faces = faces[:, ::-1].copy()
    return Mesh(verts, faces, slots)


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """3-vector cross product (np.cross costs ~20 us of axis juggling per call; people make hundreds)."""
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


def _frame(direction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors u, v perpendicular to ``direction`` d with u x v = d (rings from u towards v run
    counter-clockwise about d)."""
    d = direction / np.linalg.norm(direction)
    helper = np.array([0.0, 0.0, 1.0]) if abs(d[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = _cross(d, helper)
    u /= np.linalg.norm(u)
    return u, _cross(d, u)


def tube(
    points: np.ndarray, radii: np.ndarray | float, segments: int = 8, slot: int = 0, scale_v: float = 1.0
) -> Mesh:
    """A closed tube through (N,3) ``points`` with a circular (or, with ``scale_v``, elliptical) section.

    Frames are carried along the path by parallel transport so the tube does not twist at bends.
    """
    p = np.asarray(points, np.float64)
    r = np.broadcast_to(np.asarray(radii, np.float64), (len(p),))
    tang = np.gradient(p, axis=0)
    tang /= np.maximum(np.linalg.norm(tang, axis=1, keepdims=True), 1e-12)
    u, v = _frame(tang[0])
    a = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    rings = []
    for i in range(len(p)):
        if i:
            u = u - tang[i] * (u @ tang[i])
            u /= np.linalg.norm(u)
            v = _cross(tang[i], u)
        rings.append(p[i] + r[i] * (np.outer(np.cos(a), u) + scale_v * np.outer(np.sin(a), v)))
    return sweep_ccw(np.array(rings), slot)


def capsule(
    a: np.ndarray, b: np.ndarray, ra: float, rb: float, segments: int = 8, cap_rings: int = 2, slot: int = 0
) -> Mesh:
    """A rounded limb from ``a`` (radius ``ra``) to ``b`` (radius ``rb``): a tube with hemispherical ends."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    d = b - a
    length = max(float(np.linalg.norm(d)), 1e-6)
    axis = d / length
    pts, rad = [], []
    for i in range(cap_rings, 0, -1):  # start cap: from near the tip back to the equator
        t = (np.pi / 2) * i / (cap_rings + 0.6)
        pts.append(a - axis * ra * np.sin(t))
        rad.append(ra * np.cos(t))
    pts += [a, b]
    rad += [ra, rb]
    for i in range(1, cap_rings + 1):
        t = (np.pi / 2) * i / (cap_rings + 0.6)
        pts.append(b + axis * rb * np.sin(t))
        rad.append(rb * np.cos(t))
    p = np.array(pts)
    u, v = _frame(axis)
    ang = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    circle = np.outer(np.cos(ang), u) + np.outer(np.sin(ang), v)  # (segments,3)
    rings = p[:, None, :] + np.asarray(rad)[:, None, None] * circle[None]
    return sweep_ccw(rings, slot)


def lathe(
    centre: np.ndarray, axis: str, profile: np.ndarray, segments: int = 16, slot: int | np.ndarray = 0
) -> Mesh:
    """Revolve a (M,2) profile of (offset along ``axis``, radius) about ``axis`` through ``centre``; capped.

    Used for tyres, rims, hub caps and umbrella canopies; ``slot`` may give one slot per profile band (M-1,).
    """
    prof = np.asarray(profile, np.float64)
    ang = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    order = {"x": (0, 1, 2), "y": (1, 2, 0), "z": (2, 0, 1)}[axis]
    rings = []
    for off, r in prof:
        ring = np.zeros((segments, 3))
        ring[:, order[0]] = off
        ring[:, order[1]] = r * np.cos(ang)
        ring[:, order[2]] = r * np.sin(ang)
        rings.append(ring + np.asarray(centre, np.float64))
    s = np.asarray(slot)
    band = np.repeat(s[:, None], segments, axis=1) if s.ndim == 1 else s
    return sweep(np.array(rings), band)


def rounded_box(
    x0: float, x1: float, y0: float, y1: float, z0: float, z1: float, r: float, slot: int = 0
) -> Mesh:
    """A box with its vertical edges rounded by ``r``: a loft of four rings along x (cargo boxes, bags, seats)."""
    r = min(r, (y1 - y0) / 2.5, (z1 - z0) / 2.5, (x1 - x0) / 2.5)
    yc, zc = (y0 + y1) / 2, (z0 + z1) / 2
    hy, hz = (y1 - y0) / 2, (z1 - z0) / 2
    ring = _rounded_rect(hy, hz, r)
    ring_in = _rounded_rect(hy - r * 0.6, hz - r * 0.6, r * 0.4)
    xs = [x0, x0 + r * 0.4, x1 - r * 0.4, x1]
    rings = [ring_in, ring, ring, ring_in]
    out = np.array(
        [
            np.column_stack([np.full(len(rg), x), rg[:, 0] + yc, rg[:, 1] + zc])
            for x, rg in zip(xs, rings, strict=False)
        ]
    )
    return sweep(out, slot)


def _rounded_rect(hy: float, hz: float, r: float, per_corner: int = 2) -> np.ndarray:
    """(4*per_corner,2) corners of a rectangle of half sizes ``hy``, ``hz`` with rounded corners."""
    pts = []
    for cy, cz, a0 in ((1, 1, 0.0), (-1, 1, 0.5), (-1, -1, 1.0), (1, -1, 1.5)):
        for i in range(per_corner):
            a = np.pi * (a0 + 0.5 * i / (per_corner - 1))
            pts.append((cy * (hy - r) + r * np.cos(a), cz * (hz - r) + r * np.sin(a)))
    return np.array(pts)


def quad(corners: np.ndarray, slot: int = 0) -> Mesh:
    """A flat two-triangle quad through four (4,3) corners in order (plates, displays, decals)."""
    return Mesh(
        np.asarray(corners, np.float64), np.array([[0, 1, 2], [0, 2, 3]], np.int32), np.full(2, slot, np.int8)
    )


def rotate(mesh: Mesh, rot: np.ndarray, pivot: np.ndarray) -> Mesh:
    """``mesh`` rotated by the (3,3) matrix ``rot`` about ``pivot``."""
    return Mesh((mesh.vertices - pivot) @ rot.T + pivot, mesh.faces, mesh.slots)


def rot_y(angle: float) -> np.ndarray:
    """Rotation about +y by ``angle`` radians (positive tips +x towards -z: a forward pitch down)."""
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rot_x(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_z(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def block(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float, slot: int = 0) -> Mesh:
    """An axis-aligned box wound outward (``geometry.mesh.box`` winds its faces inward)."""
    m = box(x0, x1, y0, y1, z0, z1, slot)
    return Mesh(m.vertices, m.faces[:, ::-1].copy(), m.slots) if signed_volume(m.vertices, m.faces) < 0 else m


def torus(
    centre: np.ndarray,
    axis: str,
    radius: float,
    tube_radius: float,
    segments: int = 16,
    sides: int = 5,
    slot: int = 0,
    flatten: float = 1.0,
) -> Mesh:
    """A ring (bicycle tyre, rim) about ``axis`` through ``centre``; ``flatten`` < 1 squashes the section
    along the axis (a narrow rim). Closed and wound outward."""
    u = np.linspace(0, 2 * np.pi, segments, endpoint=False)[:, None]
    v = np.linspace(0, 2 * np.pi, sides, endpoint=False)[None, :]
    rad = radius + tube_radius * np.cos(v)
    along = flatten * tube_radius * np.sin(v) * np.ones_like(u)
    order = {"x": (0, 1, 2), "y": (1, 2, 0), "z": (2, 0, 1)}[axis]
    pts = np.zeros((segments, sides, 3))
    pts[..., order[0]] = along
    pts[..., order[1]] = rad * np.cos(u)
    pts[..., order[2]] = rad * np.sin(u)
    verts = pts.reshape(-1, 3) + np.asarray(centre, np.float64)
    i, j = np.meshgrid(np.arange(segments), np.arange(sides), indexing="ij")
    a, b = i * sides + j, i * sides + (j + 1) % sides
    c, d = ((i + 1) % segments) * sides + (j + 1) % sides, ((i + 1) % segments) * sides + j
    faces = np.concatenate([np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)])
    faces = faces.astype(np.int32)
    if signed_volume(verts, faces) < 0:
        faces = faces[:, ::-1].copy()
    return Mesh(verts, faces, np.full(len(faces), slot, np.int8))
