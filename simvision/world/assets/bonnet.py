"""The ego vehicle's bonnet (hood) and dashboard seen by a camera mounted in or on the car.

Real dashcam frames show the car's own bonnet at the bottom (Cityscapes labels it ``ego vehicle``, id 1) and
often the dashboard's edge below it. The asset is built in the *ego frame*: origin at the camera, x forward along
the car's heading, y left, z up, level with the road (the car's pitch and roll on a flat road are zero; the
camera's own pitch and roll are relative to it). It is one curved surface: a dashboard strip from
``rear_ahead`` to ``windscreen_ahead`` metres ahead of the camera, then the painted bonnet to its front edge
``edge_ahead`` metres ahead and ``edge_drop`` metres below the camera at the centre. The bonnet rises towards the
windscreen (``rise`` metres per metre), is crowned (its sides ``crown`` metres lower than its centre line), and its
front edge sweeps back ``sweep`` metres at the sides; beyond ``half_width`` the wings fall away (the tops of the
front wings and the body's sides below them), as a camera in the car sees them; past them, the road beside the car.

:func:`solve_bonnet` turns what an image shows (the share of the frame's rows the ego vehicle covers at the centre
column, and the dashboard's share of those rows) into this geometry for a given camera, so a scene file can ask for
"the bonnet covers 6-20 % of the rows" whatever the lens and pitch. A rigid part of the car, the asset moves with
the camera in a clip (zero optical flow on it).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset
from simvision.world.assets.vehicle_data import PAINT_SHARES
from simvision.world.mesh import Mesh

RGB = tuple[float, float, float]
SLOTS: tuple[str, ...] = (
    "paint",
    "trim",
    "dashboard",
)  # trim: no faces yet (a front-edge seam would go there)
PAINT, DASH = 0, 2
EDGE_AHEAD = (0.8, 3.0)  # metres: the visible front edge of a car's bonnet from a dashcam or roof camera
REAR_MIN = 0.2  # metres: the nearest surface point ahead of the camera (beyond any near clip plane in use)
WING = (
    (1.1, 0.04, 0.18),
    (1.25, 0.09, 0.55),
    (1.4, 0.13, 0.95),
)  # (a across, metres out, metres down): the wing
NX, NA = 10, 17  # grid rows along x per part and columns across the top (odd: one on the centre line)


class BonnetParams(BaseModel):
    """Geometry (metres, ego frame) and colours (linear RGB) of the bonnet; ``rows`` and ``dashboard_rows`` are
    the shares of the frame's rows asked for at sampling time (the record's account of why the geometry is so)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rows: float
    dashboard_rows: float
    edge_ahead: float
    edge_drop: float
    rear_ahead: float
    windscreen_ahead: float
    half_width: float
    crown: float
    sweep: float
    rise: float
    paint: RGB
    dashboard: RGB


def sample_paint(rng: np.random.Generator) -> RGB:
    """The ego car's paint: a fleet colour by its share, one shade of it (as other cars are painted)."""
    names = list(PAINT_SHARES)
    w = np.array([PAINT_SHARES[n][0] for n in names])
    base = PAINT_SHARES[names[int(rng.choice(len(names), p=w / w.sum()))]][1]
    return tuple(round(min(c * j, 1.0), 4) for c, j in zip(base, rng.uniform(0.9, 1.1, 3), strict=True))  # type: ignore[return-value]


def bonnet_colours(p: BonnetParams) -> dict[str, RGB]:
    """Slot name -> linear RGB base colour."""
    return {"paint": p.paint, "trim": (0.02, 0.02, 0.022), "dashboard": p.dashboard}


def _height(p: BonnetParams, x: np.ndarray) -> np.ndarray:
    """Metres below the camera of the surface's centre line at ``x`` metres ahead."""
    return p.edge_drop - p.rise * (p.edge_ahead - x)


def _part(p: BonnetParams, x_from: float, front: bool, slot: int) -> Mesh:
    """A grid from ``x_from`` to the windscreen (``front`` False) or to the swept front edge (``front`` True)."""
    a_top = np.linspace(-1.0, 1.0, NA)
    wing = np.array([w[0] for w in WING])
    a = np.concatenate([-wing[::-1], a_top, wing])
    t = np.linspace(0.0, 1.0, NX + 1)
    a_edge = np.clip(a, -1, 1)
    x_to = p.edge_ahead - p.sweep * a_edge**2 if front else np.full_like(a, p.windscreen_ahead)
    x = x_from + (x_to[None, :] - x_from) * t[:, None]  # (NX+1, A)
    out = np.abs(a) > 1
    side = np.sign(a)
    y_extra = np.zeros_like(a)
    z_drop = np.zeros_like(a)
    for aw, dy, dz in WING:
        sel = np.isclose(np.abs(a), aw)
        y_extra[sel], z_drop[sel] = dy, dz
    y = np.where(out, side * (p.half_width + y_extra), a * p.half_width)
    z = -_height(p, x) - p.crown * a_edge[None, :] ** 2 - z_drop[None, :]
    verts = np.stack([x, np.broadcast_to(y, x.shape), z], axis=-1).reshape(-1, 3)
    n_a = len(a)
    i, j = np.meshgrid(np.arange(NX), np.arange(n_a - 1), indexing="ij")
    v00 = (i * n_a + j).ravel()
    v10, v01 = v00 + n_a, v00 + 1
    v11 = v10 + 1
    # wound so the face normals point up (x forward cross y left)
    faces = np.concatenate([np.stack([v00, v10, v11], 1), np.stack([v00, v11, v01], 1)]).astype(np.int32)
    return Mesh(verts, faces, np.full(len(faces), slot, np.int8))


def build_bonnet(p: BonnetParams) -> Asset:
    """The bonnet (slot ``paint``) and, when ``windscreen_ahead`` > ``rear_ahead``, the dashboard (``dashboard``)
    in the ego frame."""
    parts = [_part(p, p.windscreen_ahead, True, PAINT)]
    if p.windscreen_ahead > p.rear_ahead + 1e-6:
        parts.insert(0, _part(p, p.rear_ahead, False, DASH))
    mesh = Mesh.merge(*parts)
    v = mesh.vertices
    size = tuple(float(s) for s in v.max(axis=0) - v.min(axis=0))
    return Asset(mesh, SLOTS, size, {})  # type: ignore[arg-type]


def _ahead(drop_at_zero: float, rise: float, angle: float) -> float:
    """Metres ahead where a ray ``angle`` radians below the horizon meets the centre line
    ``z = -(drop_at_zero + rise x)``; inf when it never does."""
    slope = np.tan(angle) - rise
    return float(drop_at_zero / slope) if slope > 1e-9 else float("inf")


def solve_bonnet(
    rng: np.random.Generator,
    rows: float,
    dashboard_rows: float,
    pitch_deg: float,
    fx: float,
    frame_height: float,
    camera_height: float,
    paint: RGB,
) -> BonnetParams:
    """Bonnet geometry so that, seen by a camera ``camera_height`` metres above the road pitched ``pitch_deg``
    down with focal length ``fx`` pixels, its front edge's centre lies ``rows`` x ``frame_height`` pixels above
    the frame's bottom edge (the frame centred on the principal point) and the dashboard covers the lowest
    ``dashboard_rows`` x ``frame_height`` of them (0: no dashboard). The front edge's distance is held to
    :data:`EDGE_AHEAD`: past it (a long lens, a camera looking up) the bonnet covers fewer rows than asked, short of
    it (a very wide lens) more."""
    pitch = np.deg2rad(pitch_deg)
    edge_height = float(rng.uniform(0.78, 1.0))  # above the road: saloons to SUVs
    drop = max(0.2, camera_height - edge_height)
    half_width = float(rng.uniform(0.72, 0.88))
    crown = float(rng.uniform(0.03, 0.08))
    sweep = float(rng.uniform(0.12, 0.35))
    rise_frac = float(rng.uniform(0.15, 0.55))
    dash = tuple(float(c) for c in rng.uniform(0.015, 0.05) * rng.uniform(0.9, 1.1, 3))

    def angle(share: float) -> float:  # radians below the horizon of the centre column's ray at that share
        return float(pitch + np.arctan((0.5 - share) * frame_height / fx))

    edge = float(np.clip(_ahead(drop, 0.0, angle(rows)), *EDGE_AHEAD))
    rise = rise_frac * drop / edge  # below drop/edge: the front edge stays the silhouette's top
    base = drop - rise * edge  # the centre line's drop extrapolated to x = 0
    # the frame's bottom rows (and its corners, lower on the crowned surface) must meet the surface
    last = edge - sweep - 0.1  # the dashboard ends before the front edge's swept-back corners
    rear = float(np.clip(_ahead(base, rise, angle(0.0) + np.deg2rad(6)), REAR_MIN, last))
    windscreen = rear
    if dashboard_rows > 0:
        windscreen = float(np.clip(_ahead(base, rise, angle(dashboard_rows)), rear, last))
    r4 = lambda v: round(float(v), 4)  # noqa: E731
    return BonnetParams(
        rows=r4(rows),
        dashboard_rows=r4(dashboard_rows),
        edge_ahead=r4(edge),
        edge_drop=r4(drop),
        rear_ahead=r4(rear),
        windscreen_ahead=r4(windscreen),
        half_width=r4(half_width),
        crown=r4(crown),
        sweep=r4(sweep),
        rise=r4(rise),
        paint=tuple(r4(c) for c in paint),  # type: ignore[arg-type]
        dashboard=tuple(r4(c) for c in dash),  # type: ignore[arg-type]
    )
