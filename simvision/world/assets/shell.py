"""A vehicle body shell lofted from cross-sections along x: curved roof line, tumblehome, wheel arches, glass.

Every station (an x position) gets one closed ring of 24 points in the y-z plane, built from a handful of
piecewise-linear profiles (roof line, belt line, plan half-width, sill). The ring's segments have fixed roles
(underbody, wheel well, rocker, lower/upper side, side glass, roof rail, roof edge, roof), so glass, pillars,
shut lines and the black underbody are slots of the same watertight loft rather than separate boxes floating on it.
The section is rounded as real bodies are: the rocker tucks under, the side bulges out to its widest at the
bumper line and turns in over a shoulder to the belt, the greenhouse leans in (tumblehome), the roof edge is a
quarter round and the roof (and bonnet) crowned; several facets per curve, so flat shading still grades.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simvision.world.assets.primitives import sweep
from simvision.world.mesh import Mesh

Keys = tuple[tuple[float, float], ...]  # (x, value) keypoints, any order
SEAM = 0.008  # shut line width, metres
MERGE = 0.075  # a soft station this close to a kept one adds triangles, not shape

# Role of ring segment j (from ring point j to j+1): the left half up, across the roof, the right half down, and
# back across the underbody.
_HALF = ("well", "well", "rocker", "lower", "upper", "upper", "glass", "rail", "edge", "edge", "roof")
ROLES: tuple[str, ...] = (*_HALF, "roof", *reversed(_HALF), "bottom")


@dataclass(frozen=True)
class ShellSlots:
    paint: int
    glass: int
    trim: int
    roof: int
    bumper: int
    seam: int = -1  # shut lines (door gaps); -1: painted over
    pillar: int = -1  # B/C pillars between side windows; -1: paint
    rocker: int = -1  # the tucked-under sill; -1: paint


@dataclass(frozen=True)
class Shell:
    """Profiles of one lofted body between ``x_rear`` and ``x_front`` (metres, local frame).

    ``top`` is the roof line (bonnet, windscreen, roof, rear window, boot), ``belt`` the bottom of the side
    windows, ``half_width`` the plan shape, ``sill`` the underbody height. ``arches`` are (x, radius, axle
    height) of wheel arches; ``side_glass`` the x intervals of side windows (pillars are the gaps);
    ``windscreen``/``rear_glass`` the x intervals where the roof band is glass.
    """

    x_rear: float
    x_front: float
    top: Keys
    belt: Keys
    half_width: Keys
    sill: Keys
    window_gap: float  # roof rail: window top sits this far below the roof edge
    tumble: float  # inward lean of the greenhouse per metre of height
    roof_round: float
    tyre_width: float
    arches: tuple[tuple[float, float, float], ...] = ()
    side_glass: tuple[tuple[float, float], ...] = ()
    windscreen: tuple[float, float] | None = None
    rear_glass: tuple[float, float] | None = None
    bumpers: tuple[tuple[float, float], ...] = ()
    seams: tuple[float, ...] = ()  # x of vertical shut lines on the side panels
    step: float = 0.3
    extra_stations: tuple[float, ...] = field(default_factory=tuple)


def interp(keys: Keys, x: np.ndarray | float) -> np.ndarray:
    k = np.array(sorted(keys))
    return np.interp(x, k[:, 0], k[:, 1])


def _stations(s: Shell) -> np.ndarray:
    """Station x positions: profile keypoints, glass edges, arch samples, and a coarse even fill.

    Soft stations closer than ``MERGE`` to an already kept one are dropped (they add triangles, not shape); the
    pairs 8 mm apart at each arch's ends are kept, they make the arch's vertical edge.
    """
    hard = [s.x_rear, s.x_front, *(x + d for x in s.seams for d in (-SEAM / 2, SEAM / 2))]
    # pillar edges stay put next to a shut line; one within 2 cm of it is the shut line's own station
    hard += [x for g in s.side_glass for x in g if all(abs(x - c) > 0.02 for c in s.seams)]
    for xc, r, _ in s.arches:
        hard += [xc - r - 0.004, xc + r + 0.004, xc - r + 0.004, xc + r - 0.004]
    soft = []
    for keys in (s.top, s.belt, s.half_width, s.sill):
        soft += [x for x, _ in keys]
    for a, b in (*s.bumpers, *(g for g in (s.windscreen, s.rear_glass) if g)):
        soft += [a, b]
    for xc, r, _ in s.arches:
        soft += [xc + r * np.sin(t) for t in np.linspace(-1.2, 1.2, 5)]
    soft += [*s.extra_stations, *np.arange(s.x_rear, s.x_front, s.step)]
    kept = sorted(float(np.clip(x, s.x_rear, s.x_front)) for x in hard)
    for x in soft:
        x = float(np.clip(x, s.x_rear, s.x_front))
        if min(abs(x - k) for k in kept) > MERGE:
            kept.append(x)
    x = np.unique(np.round(np.array(kept), 4))
    return x[np.concatenate([[True], np.diff(x) > 0.003])]


def _arch_top(s: Shell, x: float, sill: float) -> float:
    z = sill + 0.02
    for xc, r, axle in s.arches:
        dx = abs(x - xc)
        if dx < r:
            z = max(z, axle + np.sqrt(r * r - dx * dx))
    return z


def _ring(s: Shell, x: float) -> np.ndarray:
    """(24,3) ring at station ``x``: the left half from the underbody up to the roof, the right half down."""
    w = float(interp(s.half_width, x))
    zb = float(interp(s.sill, x))
    z_top = float(interp(s.top, x))
    z_belt = min(float(interp(s.belt, x)), z_top - 0.03)
    z_belt = max(z_belt, zb + 0.2)
    z_top = max(z_top, z_belt + 0.03)
    h = z_top - z_belt
    rr = min(s.roof_round, 0.3 * h)
    z_wt = z_belt + float(np.clip(h - rr - s.window_gap, 0.35 * (h - rr), 0.92 * (h - rr)))
    z4 = zb + 0.45 * (z_belt - zb)
    za = min(_arch_top(s, x, zb), z_belt - 0.08)
    z4 = min(max(z4, za + 0.03), z_belt - 0.03)
    w_in = max(w - s.tyre_width - 0.07, 0.25 * w)
    wb = w - min(0.035, 0.04 * w)  # the shoulder turns in to the belt
    wg = wb - s.tumble * (z_wt - z_belt)
    wr = wb - s.tumble * (z_top - rr - z_belt)
    rr = max(rr, 0.01)
    crown = min(0.025, 0.25 * rr, 0.02 * (wr - rr))
    half = [
        (w_in, zb),
        (w_in, za),
        (w - 0.035, za),
        (w - 0.012, za + 0.35 * (z4 - za)),  # rocker: the sill tucks under
        (w, z4),  # widest at the bumper line
        (w - 0.004, z4 + 0.6 * (z_belt - z4)),  # shoulder
        (wb, z_belt),
        (wg, z_wt),
        (wr, z_top - rr),
        (wr - rr * 0.29, z_top - rr * 0.29 - crown * 0.5),  # quarter-round roof edge
        (wr - rr, z_top - crown),
        (0.5 * (wr - rr), z_top - crown * 0.3),  # crowned roof / bonnet
    ]
    yz = [*half, *[(-y, z) for y, z in reversed(half)]]
    return np.array([(x, y, z) for y, z in yz])


def _inside(x: float, spans: tuple[tuple[float, float], ...]) -> bool:
    return any(min(a, b) <= x <= max(a, b) for a, b in spans)


def build_shell(s: Shell, slots: ShellSlots) -> Mesh:
    xs = _stations(s)
    rings = np.array([_ring(s, x) for x in xs])
    band = np.empty((len(xs) - 1, len(ROLES)), np.int8)
    _glass_lo = min((min(g) for g in s.side_glass), default=0.0)
    _glass_hi = max((max(g) for g in s.side_glass), default=0.0)
    roof_span = (
        (s.rear_glass[1] if s.rear_glass else s.x_rear),
        (s.windscreen[1] if s.windscreen else s.x_front),
    )
    for i in range(len(xs) - 1):
        xm = 0.5 * (xs[i] + xs[i + 1])
        top_glass = _inside(xm, tuple(g for g in (s.windscreen, s.rear_glass) if g))
        over_cabin = _inside(
            xm, (roof_span,)
        )  # a contrasting roof colour stops at the glass, not on the bonnet
        roof = slots.roof if over_cabin else slots.paint
        seam = slots.seam >= 0 and any(abs(xm - x) < SEAM for x in s.seams)
        between = (
            len(s.side_glass) > 1 and _inside(xm, ((_glass_lo, _glass_hi),)) and not _inside(xm, s.side_glass)
        )
        for j, role in enumerate(ROLES):
            if role in ("bottom", "well"):
                slot = slots.trim
            elif role in ("rocker", "lower", "upper") and seam:
                slot = slots.seam
            elif role == "rocker" and slots.rocker >= 0 and not _inside(xm, s.bumpers):
                slot = slots.rocker
            elif role in ("rocker", "lower"):
                slot = slots.bumper if _inside(xm, s.bumpers) else slots.paint
            elif role == "upper":
                slot = slots.paint
            elif role == "glass":
                slot = (
                    slots.glass
                    if _inside(xm, s.side_glass)
                    else slots.pillar
                    if between and slots.pillar >= 0
                    else slots.paint
                )
            elif role in (
                "rail",
                "edge",
            ):  # over the windscreen and rear window these bands are the A/C pillars
                slot = roof if not top_glass else slots.paint
            else:
                slot = slots.glass if top_glass else roof
            band[i, j] = slot
    return sweep(rings, band, cap_slots=(slots.paint, slots.paint))


def station(s: Shell, x: float) -> dict[str, float]:
    """The section heights and half width at ``x`` (for placing lights, plates and mirrors on the shell)."""
    r = _ring(s, x)
    return {
        "half_width": float(r[4, 1]),
        "sill": float(r[0, 2]),
        "belt": float(r[6, 2]),
        "top": float(r[11, 2]),
        "window_top": float(r[7, 2]),
        "roof_half_width": float(r[10, 1]),
    }
