"""Road vehicles: one parametric builder for every body type, variants from a seed.

``sample_vehicle(rng, body)`` draws a :class:`VehicleParams` (plain JSON-serialisable data); ``build_vehicle``
turns it into an :class:`Asset` deterministically. Bodies are lofted shells (see :mod:`.shell`: rounded sections,
plan-rounded ends, wheel arches, glass, black B-pillars, door shut lines) plus bumpers with a black lower lip,
grille, lamp clusters that wrap round the corners (with a projector bezel or reversing lens), mirrors on black
arms, door handles, number plates and wheels (tyre, 5-spoke or steel-disc rim). ``size`` is the overall bounding
box (length, width incl. mirrors, height) the mesh stays inside. Every detail is a slot of the same triangles both
renderers draw; textures (:mod:`simvision.render.textures`) add grime, polish and the interior behind the glass.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset, Size
from simvision.world.assets.plates import PLATE_SIZE
from simvision.world.assets.primitives import block as box
from simvision.world.assets.primitives import lathe, quad, rounded_box, sweep, tube
from simvision.world.assets.shell import Shell, ShellSlots, build_shell, station
from simvision.world.assets.vehicle_data import FIXED_COLOURS, PAINT_SHARES, SIZES, TAXI_PAINT, TEMPLATES
from simvision.world.mesh import Mesh

Body = Literal[
    "sedan",
    "hatchback",
    "estate",
    "suv",
    "van",
    "pickup",
    "taxi",
    "bus_city",
    "bus_coach",
    "bus_double",
    "truck_box",
    "truck_semi",
]
BODIES: tuple[str, ...] = Body.__args__  # type: ignore[attr-defined]
SLOTS: tuple[str, ...] = (
    "paint",
    "glass",
    "tyre",
    "rim",
    "headlight",
    "taillight",
    "trim",
    "plate",
    "grille",
    "cargo",
    "sign",
    "roof",
    "seam",
)
S = {name: i for i, name in enumerate(SLOTS)}


class VehicleParams(BaseModel):
    """Everything a vehicle's look depends on; fractions are of the overall size unless said otherwise."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    body: Body
    size: tuple[float, float, float]
    paint_name: str
    paint: tuple[float, float, float]
    cargo_colour: tuple[float, float, float] = (0.8, 0.8, 0.8)
    wheel_radius: float
    tyre_width: float
    wheelbase_frac: float  # wheelbase / length
    axle_shift: float  # metres the axles sit behind centre (front-engine cars: > 0)
    nose: float  # front top height / height
    hood: float  # bonnet height at the windscreen / height
    cowl: float  # windscreen base x / length
    roof_front: float
    roof_rear: float
    deck: float  # end of the rear glass x / length
    deck_height: float
    tail: float  # rear top height / height
    belt_rise: float  # belt line rise front to back, metres
    tumble: float
    roof_round: float
    window_gap: float
    sill: float  # ground clearance, metres
    black_roof: bool
    roof_rails: bool = False
    cladding: bool = False  # black plastic sills and arch edges (crossovers, pickups)
    painted_bumpers: bool
    grille_height: float  # metres
    grille_style: int  # 0 wide slot, 1 tall shield, 2 thin slot and a lower intake
    bumper_height: float  # metres
    headlight_height: float
    plate_style: Literal["eu", "us"]


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.round(rng.uniform(lo, hi), 4))


def sample_vehicle(rng: np.random.Generator, body: str) -> VehicleParams:
    """Draw one vehicle of ``body`` type: size, proportions, paint (fleet colour shares), trim options."""
    (l0, l1), (w0, w1), (h0, h1) = SIZES[body]
    size = (_u(rng, l0, l1), _u(rng, w0, w1), _u(rng, h0, h1))
    shape = {k: _u(rng, lo, hi) for k, (lo, hi) in TEMPLATES[body].items()}
    if body == "taxi":
        name = str(rng.choice(list(TAXI_PAINT)))
        paint = TAXI_PAINT[name]
    else:
        names = list(PAINT_SHARES)
        p = np.array([PAINT_SHARES[n][0] for n in names])
        name = str(rng.choice(names, p=p / p.sum()))
        paint = PAINT_SHARES[name][1]
    jitter = rng.uniform(0.9, 1.1, 3)  # one shade per car, not nine flat swatches
    # black plastic cladding: a uniform from the jitter's low digits, not a new draw (the scene's later draws,
    # and so every street sample's other objects, stay what they were)
    clad = float((jitter[1] - 0.9) / 0.2 * 97.0 % 1.0)
    paint = tuple(float(np.round(min(c * j, 1.0), 4)) for c, j in zip(paint, jitter, strict=False))
    big = body.startswith(("bus", "truck"))
    # Box bodies are mostly plain white; the rest wear a fleet colour (a livery's dominant tone).
    liveries = [c for n, (_, c) in PAINT_SHARES.items() if n != "white"]
    base = (0.78, 0.78, 0.76) if rng.random() < 0.65 else liveries[int(rng.integers(len(liveries)))]
    cargo = tuple(float(np.round(min(c * rng.uniform(0.9, 1.1), 1.0), 4)) for c in base)
    return VehicleParams(
        body=body,  # type: ignore[arg-type]
        size=size,
        paint_name=name,
        paint=paint,  # type: ignore[arg-type]
        cargo_colour=cargo,  # type: ignore[arg-type]
        black_roof=bool(not big and body != "taxi" and rng.random() < 0.12),
        roof_rails=bool(body in ("estate", "suv", "van") and rng.random() < 0.5),
        painted_bumpers=bool(rng.random() < (0.75 if not big else 0.3)),
        grille_style=int(rng.integers(3)),
        plate_style="eu" if rng.random() < 0.7 else "us",
        cladding=bool(clad < {"suv": 0.6, "pickup": 0.5}.get(body, 0.1)),
        **shape,
    )


def _wheel(x: float, y: float, r: float, tw: float, outward: float, rim_frac: float, big: bool) -> list[Mesh]:
    """Tyre (lathe: the outer sidewall bulging to a rounded shoulder; the inner face is never seen) and a rim on its outer face, ``outward`` +1 (left) or -1.

    The rim is one loft: the lip's edge at the bead, its crest standing proud of the sidewall, then a star
    outline whose cap is the spokes and hub (5 spokes on cars; a steel disc with hand holes
    on buses and trucks); the bands between the lip and the star are the dark openings onto the brake and barrel.
    """
    h = tw / 2
    rim = r * rim_frac
    o = outward
    tyre = lathe(
        (x, y, r),
        "y",
        np.array([(-h, r * 0.98), (h * 0.75, r), (h, r * 0.9), (h * 0.7, rim * 0.97)]) * (o, 1.0),
        12,
        S["tyre"],
    )
    n = 8 if big else 5
    ang = np.linspace(0, 2 * np.pi, 3 * n, endpoint=False)
    tip, valley = (0.9, 0.62) if big else (0.84, 0.3)
    star = np.where(np.arange(3 * n) % 3 == 2, valley, tip) * rim
    base = y + o * (h * 0.97 - 0.012)
    prof = (  # lip edge (its cap a disc behind the rest), lip crest, the spoke face
        (rim * 1.02, base + o * 0.004),
        (rim * 0.9, base + o * 0.018),
        (star, base + o * 0.012),
    )
    rings = np.array(
        [
            np.column_stack([x + rad * np.cos(ang), np.full(3 * n, yy), r + rad * np.sin(ang)])
            for rad, yy in prof
        ]
    )
    opening = (
        np.arange(3 * n) % 3 != 0
    )  # the columns from a spoke's tip to the valley and back to the next tip
    band = np.array([np.full(3 * n, S["rim"]), np.where(opening, S["trim"], S["rim"])], np.int8)
    return [tyre, sweep(rings, band, cap_slots=(S["rim"], S["rim"]))]


def _plate(x: float, z: float, style: str, facing: float) -> tuple[Mesh, np.ndarray]:
    """A plate quad at ``x`` facing ``facing`` (+1 forward, -1 back); corners TL, TR, BR, BL seen from outside."""
    pw, ph = PLATE_SIZE[style]
    y = -pw / 2 * facing  # seen from the front, +y (left of the car) is on the viewer's right: TL is at -y
    c = np.array([(x, y, z + ph / 2), (x, -y, z + ph / 2), (x, -y, z - ph / 2), (x, y, z - ph / 2)])
    return quad(c, S["plate"]), c


def _shell(
    p: VehicleParams, x_rear: float, x_front: float, height: float, half_w: float, arches: list
) -> Shell:
    """The lofted body over [x_rear, x_front] from the params' roof-line fractions (of the body's own length)."""
    ln = x_front - x_rear
    xc = (x_front + x_rear) / 2

    def X(f: float) -> float:
        return xc + f * ln

    H = height
    hood_z = p.hood * H
    nose = p.nose * H
    d_f, d_r = x_front - X(p.cowl), X(p.deck) - x_rear  # the rounding stays ahead of the glass
    top = (  # the bonnet's leading edge and the boot's trailing edge rounded over
        (x_front, nose - 0.03),
        (x_front - min(0.04, 0.3 * d_f), nose + 0.004),
        (x_front - min(0.14, 0.6 * d_f), nose + 0.04 * (hood_z - nose) + 0.025),
        (X(p.cowl), hood_z),
        (X(p.roof_front), H),
        (X(p.roof_rear), H - 0.01),
        (X(p.deck), p.deck_height * H),
        (x_rear + min(0.16, 0.6 * d_r), p.tail * H),
        (x_rear + min(0.06, 0.3 * d_r), p.tail * H - 0.015),
        (x_rear, p.tail * H - 0.06),
    )
    belt_front = hood_z - 0.03
    belt = (
        (X(p.cowl), belt_front),
        (X(p.deck), belt_front + p.belt_rise),
        (x_front, belt_front),
        (x_rear, min(p.tail * H, belt_front + p.belt_rise)),
    )
    # plan: the ends round into the sides (cars more than the boxy buses and cabs)
    corner = min(0.38, 0.08 * ln)
    ends = (
        ((0.0, 0.84), (0.12, 0.92), (0.4, 0.975), (1.0, 1.0))
        if ln < 7
        else ((0.0, 0.93), (0.3, 0.98), (1.0, 1.0))
    )
    plan = (
        *((x_rear + f * corner, half_w * k) for f, k in ends),
        *((x_front - f * corner, half_w * k) for f, k in ends),
    )
    sill = (  # the aprons sweep up under the bumpers (keys on the plan's, so they add no stations)
        (x_rear, p.sill + 0.1),
        (x_rear + 0.4 * corner, p.sill + 0.025),
        (x_rear + corner, p.sill),
        (x_front - corner, p.sill),
        (x_front - 0.4 * corner, p.sill + 0.02),
        (x_front, p.sill + 0.08),
    )
    rf, rr = X(p.roof_front), X(p.roof_rear)
    pillar = 0.08 if ln < 7 else 0.12
    n_win = 1 if ln < 4 else 2 if ln < 7 else max(3, int((rf - rr) / 1.4))
    # The front window runs forward into the windscreen's bay up to the A-pillar (the roof-edge band), as door
    # glass does; the rear edge stops at the C-pillar.
    front = X(p.cowl) - 0.04 if ln < 7 else rf - pillar * 0.5
    edges = np.linspace(rr + pillar, front, n_win + 1)
    glass = tuple(
        (float(a + (pillar / 2 if i else 0)), float(b - (pillar / 2 if i < n_win - 1 else 0)))
        for i, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True))
    )
    return Shell(
        seams=_seams(glass, front, arches) if ln < 7 else (),
        x_rear=x_rear,
        x_front=x_front,
        top=top,
        belt=belt,
        half_width=plan,
        sill=sill,
        window_gap=p.window_gap,
        tumble=p.tumble,
        roof_round=p.roof_round,
        tyre_width=p.tyre_width,
        arches=tuple(arches),
        side_glass=glass,
        windscreen=(X(p.cowl), rf),
        rear_glass=(X(p.deck), rr),
        bumpers=((x_front - 0.35, x_front), (x_rear, x_rear + 0.35)),
        step=max(0.3, ln / 7),
    )


def _seams(glass: tuple, front: float, arches: list) -> tuple[float, ...]:
    """Door shut lines (x, front to back): behind the front wheel, at the B-pillar, at the rear door's end."""
    (xf, rf, _), (xr, rr, _) = max(arches), min(arches)
    out = [min(front + 0.05, xf - rf - 0.05)]
    if len(glass) > 1:
        out.append(0.5 * (glass[-2][1] + glass[-1][0]))
    out.append(max(glass[0][0] + (0.1 if len(glass) == 1 else 0.0), xr + rr + 0.04))
    out = [x for x in out if xr + rr + 0.03 < x < xf - rf - 0.03]
    return tuple(x for i, x in enumerate(out) if i == 0 or out[i - 1] - x > 0.35)


def _front_rear(
    p: VehicleParams, sh: Shell, half_w: float, x_f: float, x_r: float, anchors: dict
) -> list[Mesh]:
    """Bumpers, grille, head and tail light clusters, number plates, placed on the shell's end sections."""
    L = p.size[0]
    f, r = station(sh, x_f), station(sh, x_r)
    slot_b = S["paint"] if p.painted_bumpers else S["trim"]
    parts: list[Mesh] = []
    for end, st, sign in ((x_f, f, 1.0), (x_r, r, -1.0)):
        bw = st["half_width"] * 0.97
        z0, z1 = st["sill"] + 0.02, st["sill"] + 0.02 + min(p.bumper_height, 0.45 * (st["belt"] - st["sill"]))
        tip = sign * L / 2
        bumper_tip = tip - sign * 0.006  # the plate sits 4 mm proud of it, inside the declared length
        zm = z0 + 0.3 * (z1 - z0)  # the lower lip is unpainted black plastic (a diffuser at the rear)
        parts.append(rounded_box(*sorted((end - sign * 0.1, bumper_tip)), -bw, bw, zm, z1, 0.05, slot_b))
        parts.append(
            box(
                *sorted((end - sign * 0.08, bumper_tip - sign * 0.004)),
                -bw * 0.96,
                bw * 0.96,
                z0,
                zm,
                S["trim"],
            )
        )
        lamp_top = st["top"] - 0.04
        lamp_h = min(p.headlight_height, 0.4 * (lamp_top - z1))
        upright = (
            sign < 0 and st["top"] - st["belt"] > 0.4
        )  # a van's or bus's tall rear: pillar lamps, a window
        if upright:
            lamp_top = st["belt"] + 0.05
            lamp_h = min(0.45, lamp_top - z1 - 0.03) / 1.6
            win = station(sh, end + 0.02)
            wy = win["roof_half_width"] * 0.85
            parts.append(
                box(end - 0.012, end + 0.004, -wy, wy, st["belt"] + 0.08, win["window_top"], S["glass"])
            )
        # clusters wrap round the body's rounded corners (seen from the side too), with a lens detail: a dark
        # projector bezel under the headlamp glass, a clear reversing lens inboard of the red tail lamp
        wrap = station(sh, end - sign * 0.07)["half_width"] * 0.995
        for side in (-1.0, 1.0):
            y0, y1 = sorted((side * bw * (0.8 if upright else 0.55), side * wrap))
            slot = S["headlight"] if sign > 0 else S["taillight"]
            zl0 = lamp_top - lamp_h if sign > 0 else max(z1 + 0.03, lamp_top - 1.6 * lamp_h)
            xs = sorted((end - sign * 0.1, end + sign * 0.012))
            parts.append(box(*xs, y0, y1, zl0, lamp_top, slot))
            xd = sorted((end + sign * 0.004, end + sign * 0.016))
            yd = sorted((side * bw * (0.82 if upright else 0.58), side * bw * (0.88 if upright else 0.7)))
            if sign > 0:
                parts.append(box(*xd, *yd, zl0 + 0.1 * lamp_h, zl0 + 0.55 * lamp_h, S["trim"]))
            else:
                parts.append(
                    box(*xd, *yd, zl0 + 0.15 * (lamp_top - zl0), zl0 + 0.5 * (lamp_top - zl0), S["rim"])
                )
        plate_z = (z0 + z1) / 2 if sign > 0 else min(z1 + 0.12, lamp_top - 0.1)
        on_bumper = sign > 0 or plate_z - 0.08 < z1
        face = tip - 0.002 * sign if on_bumper else end - 0.016
        mesh, corners = _plate(face, plate_z, p.plate_style, sign)
        parts.append(mesh)
        anchors["plate_front" if sign > 0 else "plate_rear"] = corners
    g_top = f["top"] - 0.05
    g_h = min(p.grille_height, max(0.05, g_top - (f["sill"] + 0.35)))
    fw = f["half_width"]
    grille_box = {  # wide slot between the lamps / tall shield / thin slot over a big lower intake
        0: (fw * 0.5, g_top - g_h, g_top),
        1: (fw * 0.28, max(f["sill"] + 0.3, g_top - 1.8 * g_h), g_top),
        2: (fw * 0.45, g_top - 0.04, g_top),
    }[p.grille_style]
    gw, gz0, gz1 = grille_box
    parts.append(box(x_f - 0.03, x_f + 0.01, -gw, gw, gz0, gz1, S["grille"]))
    if p.grille_style == 2:
        z0 = f["sill"] + 0.05
        parts.append(
            box(
                L / 2 - 0.02,
                L / 2 - 0.004,
                -fw * 0.55,
                fw * 0.55,
                z0,
                z0 + 0.6 * p.bumper_height,
                S["grille"],
            )
        )
    return parts


def _mirrors(x: float, z: float, body_w: float, half_w_total: float, big: bool) -> list[Mesh]:
    """Door mirrors: a housing (body colour on cars) on a black arm; bigger and all black on buses and trucks."""
    out = []
    h = 0.28 if big else 0.12
    for side in (-1.0, 1.0):
        y0, y1 = sorted((side * (body_w + (0.06 if big else 0.03)), side * (half_w_total - 0.005)))
        out.append(box(x - (0.12 if big else 0.09), x, y0, y1, z, z + h, S["trim" if big else "paint"]))
        ya, yb = sorted((side * (body_w - 0.02), side * (body_w + (0.07 if big else 0.04))))
        out.append(box(x - 0.07, x - 0.02, ya, yb, z + 0.01, z + 0.05, S["trim"]))
    return out


def _handles(sh: Shell) -> list[Mesh]:
    """A door handle near the rear edge of every door (between consecutive shut lines), both sides."""
    out = []
    for back in sh.seams[1:]:
        xh = back + 0.16
        st = station(sh, xh)
        zh = st["belt"] - 0.07
        for side in (-1.0, 1.0):
            y0, y1 = sorted((side * (st["half_width"] - 0.01), side * (st["half_width"] + 0.012)))
            out.append(box(xh - 0.08, xh + 0.08, y0, y1, zh - 0.014, zh + 0.014, S["paint"]))
    return out


def _axles(p: VehicleParams) -> list[float]:
    L = p.size[0]
    wb = p.wheelbase_frac * L
    front = wb / 2 - p.axle_shift
    return [front, front - wb]


def build_vehicle(params: VehicleParams, size: Size | None = None) -> Asset:
    """The vehicle ``params`` describe, scaled to ``size`` when given (overall length, width, height)."""
    p = params if size is None else params.model_copy(update={"size": tuple(float(v) for v in size)})
    L, W, H = p.size
    big = p.body.startswith(("bus", "truck"))
    mirror = 0.18 if big else 0.1
    half_w = W / 2 - mirror
    r, tw = p.wheel_radius, p.tyre_width
    anchors: dict[str, np.ndarray] = {}
    parts: list[Mesh] = []
    x_f, x_r = L / 2 - 0.04, -L / 2 + 0.04
    slots = ShellSlots(
        S["paint"],
        S["glass"],
        S["trim"],
        S["trim"] if p.black_roof else S["paint"],
        S["paint"],
        seam=S["seam"],
        pillar=S["trim"],
        rocker=S["trim"] if p.cladding else -1,
    )
    if p.body.startswith("truck"):
        parts += _truck(p, half_w, anchors)
    else:
        axles = _axles(p)
        top_h = H - (0.16 if p.body == "taxi" else 0.06 if p.roof_rails else 0.0)
        sh = _shell(p, x_r, x_f, top_h, half_w, [(x, r + 0.05, r) for x in axles])
        parts.append(build_shell(sh, slots))
        parts += _front_rear(p, sh, half_w, x_f, x_r, anchors)
        cowl = station(sh, sh.windscreen[0] - 0.05)
        parts += _mirrors(
            sh.windscreen[0] - (0.05 if not big else -0.02),
            cowl["belt"] + 0.02,
            cowl["half_width"],
            W / 2,
            big,
        )
        parts += _handles(sh)
        for x in axles:
            for side in (-1.0, 1.0):
                y = side * (station(sh, x)["half_width"] - tw / 2 - 0.02)
                parts += _wheel(x, y, r, tw, side, 0.64 if not big else 0.58, big)
        roof = station(sh, 0.5 * (sh.windscreen[1] + (sh.rear_glass or sh.windscreen)[1]))["top"]
        if p.body == "taxi":
            parts.append(rounded_box(-0.2, 0.2, -0.32, 0.32, roof - 0.01, H, 0.04, S["sign"]))
        if p.roof_rails:
            parts += _roof_rails(sh, H)
        if p.body == "pickup":
            deck = station(sh, x_r + 0.3)
            x0, x1 = x_r + 0.12, sh.rear_glass[0] - 0.08
            y = deck["half_width"] * 0.8
            z = station(sh, (x0 + x1) / 2)["top"] + 0.004
            parts.append(quad(np.array([(x0, -y, z), (x1, -y, z), (x1, y, z), (x0, y, z)]), S["trim"]))
        if big:
            parts += _bus_details(p, sh, half_w)
    mesh = Mesh.merge(*parts)
    return Asset(mesh, SLOTS, p.size, anchors)


def _roof_rails(sh: Shell, height: float) -> list[Mesh]:
    """Two rails along the roof between the windscreen and rear glass, standing clear of it on their ends (the
    tube itself dips into the roof there, so no separate feet)."""
    x0, x1 = sh.rear_glass[1] + 0.08, sh.windscreen[1] - 0.08
    xs = np.linspace(x0, x1, 6)
    out = []
    for side in (-1.0, 1.0):
        pts = []
        for i, x in enumerate(xs):
            st = station(sh, float(x))
            lift = 0.0 if i in (0, len(xs) - 1) else 0.045
            pts.append((x, side * (st["roof_half_width"] - 0.05), min(st["top"] + lift, height - 0.015)))
        out.append(tube(np.array(pts), 0.014, 4, S["trim"]))
    return out


def _bus_details(p: VehicleParams, sh: Shell, half_w: float) -> list[Mesh]:
    """Doors on the kerb side (-y, right-hand traffic) and a destination display over the windscreen."""
    L, _, H = p.size
    out = []
    front_axle = _axles(p)[0]
    doors = (
        [sh.x_front - 0.75, (front_axle + _axles(p)[1]) / 2] if p.body == "bus_city" else [sh.x_front - 0.75]
    )
    for xd in doors:
        st = station(sh, xd)
        y = -st["half_width"]
        out.append(
            box(xd - 0.6, xd + 0.6, y - 0.012, y + 0.03, st["sill"] + 0.05, st["window_top"], S["glass"])
        )
        out.append(
            box(
                xd - 0.66,
                xd + 0.66,
                y - 0.006,
                y + 0.03,
                st["sill"] + 0.02,
                st["window_top"] + 0.06,
                S["trim"],
            )
        )
    x_disp = sh.windscreen[1] + 0.02
    if p.body != "bus_double":
        out.append(box(x_disp, x_disp + 0.03, -half_w * 0.6, half_w * 0.6, H - 0.42, H - 0.16, S["sign"]))
        return out
    # Upper deck: its own window band on both sides and in front, with the destination blind between decks.
    z0, z1 = 0.6 * H, 0.84 * H
    x_f = sh.x_front
    front_band = (sh.windscreen[1] - 0.03, x_f + 0.01)
    out.append(box(*front_band, -half_w * 0.97, half_w * 0.97, z0 - 0.35, z0 - 0.03, S["paint"]))
    out.append(
        box(
            front_band[1] - 0.01,
            front_band[1] + 0.005,
            -half_w * 0.6,
            half_w * 0.6,
            z0 - 0.3,
            z0 - 0.08,
            S["sign"],
        )
    )
    edges = np.linspace(sh.x_rear + 0.5, sh.windscreen[1] - 0.1, max(4, int(L / 1.5)) + 1)
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        for side in (-1.0, 1.0):
            w = station(sh, 0.5 * (a + b))["half_width"]
            y0, y1 = sorted((side * (w - 0.03), side * (w + 0.008)))
            out.append(box(a + 0.06, b - 0.06, y0, y1, z0, z1, S["glass"]))
    return out


def _truck(p: VehicleParams, half_w: float, anchors: dict) -> list[Mesh]:
    """A cab-over cab (lofted shell) with a box body, or a semi tractor with a box trailer; dual rear wheels."""
    L, W, H = p.size
    r, tw = p.wheel_radius, p.tyre_width
    semi = p.body == "truck_semi"
    cab_l = 2.3 if not semi else 2.5
    cab_h = min(H - 0.15, 3.0 if not semi else 3.3)
    x_f, x_cab = L / 2 - 0.04, L / 2 - 0.04 - cab_l
    front_axle = x_f - 1.3
    cab_p = p.model_copy(
        update=dict(
            nose=0.38,
            hood=0.42,
            cowl=0.48,
            roof_front=0.36,
            roof_rear=-0.49,
            deck=-0.495,
            deck_height=0.99,
            tail=0.99,
            sill=0.55,
            window_gap=0.35,
            roof_round=0.1,
        )
    )
    sh = _shell(cab_p, x_cab, x_f, cab_h, half_w, [(front_axle, r + 0.06, r)])
    sh = Shell(**{**sh.__dict__, "side_glass": ((x_f - 1.1, x_f - 0.45),), "rear_glass": None, "seams": ()})
    slots = ShellSlots(S["paint"], S["glass"], S["trim"], S["paint"], S["trim"])
    parts = [build_shell(sh, slots)]
    parts += _front_rear(cab_p, sh, half_w, x_f, x_cab, anchors)
    anchors.pop("plate_rear", None)
    st = station(sh, x_f - 0.5)
    parts += _mirrors(x_f - 0.25, st["belt"] + 0.05, st["half_width"], W / 2, True)
    gap = 0.25 if not semi else 0.9
    box_floor = 2 * r + 0.12
    x_box_f = x_cab - gap
    parts.append(rounded_box(-L / 2, x_box_f, -half_w, half_w, box_floor, H, 0.06, S["cargo"]))
    parts.append(box(-L / 2 + 0.3, x_f - 0.4, -0.45, 0.45, r * 0.9, box_floor, S["trim"]))  # chassis rails
    if semi:
        parts.append(
            rounded_box(
                x_cab + 0.2, x_f - 0.6, -half_w * 0.9, half_w * 0.9, cab_h - 0.02, H - 0.1, 0.15, S["paint"]
            )
        )  # roof fairing
        rear_axles = [x_cab - 0.6, x_cab - 1.95, -L / 2 + 1.4, -L / 2 + 2.7, -L / 2 + 4.0]
    else:
        rear_axles = [-L / 2 + 1.9] if L < 8.5 else [-L / 2 + 1.6, -L / 2 + 2.95]
    bar = (-L / 2 + 0.006, -L / 2 + 0.15)  # under-run bar; the plate sits 4 mm proud of it, inside the length
    parts.append(box(*bar, -half_w * 0.95, half_w * 0.95, box_floor - 0.32, box_floor - 0.05, S["trim"]))
    mesh, corners = _plate(-L / 2 + 0.002, box_floor - 0.18, p.plate_style, -1.0)
    parts.append(mesh)
    anchors["plate_rear"] = corners
    for side in (-1.0, 1.0):
        y = side * (half_w - tw / 2 - 0.02)
        parts += _wheel(front_axle, y, r, tw, side, 0.58, True)
        for xa in rear_axles:
            parts += _wheel(xa, y, r, tw, side, 0.58, True)
            parts += _wheel(xa, y - side * (tw + 0.03), r, tw, side, 0.58, True)[
                :1
            ]  # inner dual: its rim is hidden
    return parts


def vehicle_colours(p: VehicleParams) -> dict[str, tuple[float, float, float]]:
    """Slot name -> linear RGB base colour."""
    seam = tuple(float(c) * 0.25 for c in p.paint)  # a shut line: the paint in the gap's shadow
    return {**FIXED_COLOURS, "paint": p.paint, "roof": p.paint, "cargo": p.cargo_colour, "seam": seam}
