"""Bicycles and motorcycles with tube frames, spoked or cast wheels and handlebars, and their seated riders.

The two-wheeler is built first and exposes its contact points (saddle, grips, pedals or foot pegs); the rider is a
:mod:`.people` body whose joint angles come from two-link inverse kinematics onto those points (pelvis on the
saddle, wrists at the grips, feet on the pedals at the crank angle), clamped to the people joint limits. Vehicle
and rider are separate assets in one local frame (x forward, origin on the ground midway between the axles), since
datasets label them as separate classes (Cityscapes' bicycle/motorcycle vs rider).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset
from simvision.world.assets.people import (
    SLOTS as PERSON_SLOTS,
)
from simvision.world.assets.people import (
    PersonParams,
    body_mesh,
    limit,
    proportions,
    sample_person,
)
from simvision.world.assets.primitives import capsule, lathe, rounded_box, torus, tube
from simvision.world.mesh import Mesh, ellipsoid

SLOTS: tuple[str, ...] = ("frame", "tyre", "rim", "metal", "seat", "lamp", "taillight", "body", "plate")
S = {n: i for i, n in enumerate(SLOTS)}
RGB = tuple[float, float, float]
FRAME_COLOURS: tuple[RGB, ...] = (
    (0.02, 0.02, 0.02),
    (0.6, 0.6, 0.6),
    (0.03, 0.06, 0.25),
    (0.4, 0.03, 0.03),
    (0.05, 0.15, 0.06),
    (0.7, 0.7, 0.68),
    (0.5, 0.3, 0.05),
)


class CycleParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["bicycle", "motorcycle"]
    frame_colour: RGB
    wheel_radius: float
    wheelbase: float
    step_through: bool  # bicycles: dropped top tube (city bikes)
    bar_rise: float  # handlebar height above the saddle (m)
    crank: float  # pedalling phase 0..1 (bicycles)
    rider: PersonParams | None


def sample_cycle(rng: np.random.Generator, kind: str, ridden: bool = True) -> CycleParams:
    moto = kind == "motorcycle"
    rider = None
    if ridden:
        rider = sample_person(rng, pose="walk", child=False).model_copy(
            update=dict(
                umbrella=False,
                bag="none",
                top="jacket" if rng.random() < 0.5 else "tshirt",
                helmet=bool(moto or rng.random() < 0.4),
                helmet_colour=FRAME_COLOURS[int(rng.integers(len(FRAME_COLOURS)))],
            )
        )
    return CycleParams(
        kind=kind,  # type: ignore[arg-type]
        frame_colour=FRAME_COLOURS[int(rng.integers(len(FRAME_COLOURS)))],
        wheel_radius=float(np.round(rng.uniform(0.3, 0.34) if moto else rng.uniform(0.32, 0.35), 4)),
        wheelbase=float(np.round(rng.uniform(1.35, 1.5) if moto else rng.uniform(1.0, 1.1), 4)),
        step_through=bool(not moto and rng.random() < 0.35),
        bar_rise=float(np.round(rng.uniform(0.05, 0.2) if not moto else rng.uniform(0.1, 0.25), 4)),
        crank=float(np.round(rng.uniform(0, 1), 4)),
        rider=rider,
    )


def _rider_scale(p: CycleParams) -> float:
    """Bike size follows the rider: frame points scale with leg length (a 1.75 m rider = 1.0)."""
    return 1.0 if p.rider is None else float(np.clip(p.rider.height / 1.75, 0.85, 1.12))


def _saddle_height(p: CycleParams, bb: np.ndarray, seat_dir: np.ndarray) -> float:
    """Saddle distance from the bottom bracket along the seat tube: the rider's leg reaches the lowest pedal with
    the knee slightly bent (hip-to-ankle 96 % of the leg), as bike fitting sets it; 0.76 m without a rider."""
    if p.rider is None:
        return 0.76
    q = proportions(p.rider)
    ankle = bb + np.array([-0.35 * q["foot"], 0.0, -0.17 + 0.027 * p.rider.height + q["drop"] + 0.005])
    want = 0.96 * (q["thigh"] + q["shank"])
    lo, hi = 0.4, 1.1
    for _ in range(30):  # bisection: the hip's distance to that ankle grows with the saddle height
        mid = 0.5 * (lo + hi)
        hip = bb + seat_dir * mid + np.array([-0.04, 0.0, 0.09 * _rider_scale(p)])
        lo, hi = (mid, hi) if np.linalg.norm(hip - ankle) < want else (lo, mid)
    return float(0.5 * (lo + hi))


def contact_points(p: CycleParams) -> dict[str, np.ndarray]:
    """Saddle top, grips, pedals (or foot pegs), bottom bracket and axles in the local frame."""
    r, wb = p.wheel_radius, p.wheelbase
    rear, front = np.array([-wb / 2, 0.0, r]), np.array([wb / 2, 0.0, r])
    if p.kind == "bicycle":
        bb = np.array([-wb / 2 + 0.43, 0.0, 0.28])
        seat_dir = np.array([-np.cos(np.deg2rad(73)), 0.0, np.sin(np.deg2rad(73))])
        saddle = bb + seat_dir * _saddle_height(p, bb, seat_dir)
        grip_c = np.array([wb / 2 - 0.2, 0.0, saddle[2] + p.bar_rise - 0.05])
        a = 2 * np.pi * p.crank
        crank = 0.17
        pedals = {
            "l_pedal": bb + np.array([crank * np.cos(a), 0.16, crank * np.sin(a)]),
            "r_pedal": bb + np.array([crank * np.cos(a + np.pi), -0.16, crank * np.sin(a + np.pi)]),
        }
        half_bar = 0.28
    else:
        bb = np.array([-0.05, 0.0, 0.38])
        saddle = np.array([-0.2, 0.0, 0.8])
        grip_c = np.array([wb / 2 - 0.4, 0.0, saddle[2] + p.bar_rise + 0.05])
        pedals = {"l_pedal": np.array([-0.05, 0.2, 0.35]), "r_pedal": np.array([-0.05, -0.2, 0.35])}
        half_bar = 0.36
    return {
        "saddle": saddle,
        "bb": bb,
        "rear_axle": rear,
        "front_axle": front,
        "l_grip": grip_c + [0, half_bar, 0],
        "r_grip": grip_c - [0, half_bar, 0],
        **pedals,
    }


def _wheel(centre: np.ndarray, r: float, tyre: float, spokes: bool) -> list[Mesh]:
    """A bicycle wheel: torus tyre and rim with a few spokes (see-through); a motorcycle's: fat tyre, cast disc."""
    h = tyre / 2
    if spokes:
        rim = r - tyre - 0.012
        parts = [
            torus(centre, "y", r - h, h, 18, 5, S["tyre"]),
            torus(centre, "y", rim, 0.012, 18, 4, S["rim"], 0.8),
        ]
        for k in range(8):  # a few spokes stand for 32: enough to read as a wheel, not a disc
            a = np.pi * k / 4
            tip = centre + (rim - 0.01) * np.array([np.cos(a), 0.0, np.sin(a)])
            parts.append(tube(np.array([centre + [0, 0.03 * (-1) ** k, 0], tip]), 0.003, 3, S["metal"]))
        parts.append(lathe(centre, "y", np.array([(-0.04, 0.015), (0.04, 0.015)]), 6, S["metal"]))
        return parts
    hub = r - tyre * 1.3
    tyre_mesh = lathe(
        centre,
        "y",
        np.array([(-h, hub), (-h, r - tyre * 0.2), (0.0, r), (h, r - tyre * 0.2), (h, hub)]),
        14,
        S["tyre"],
    )
    disc = lathe(
        centre,
        "y",
        np.array([(-h * 1.05, hub), (-h * 0.6, hub * 0.3), (h * 0.6, hub * 0.3), (h * 1.05, hub)]),
        14,
        S["rim"],
    )
    return [tyre_mesh, disc]


def build_cycle(p: CycleParams) -> Asset:
    """The bicycle or motorcycle alone (its rider: :func:`build_rider`)."""
    c = contact_points(p)
    r = p.wheel_radius
    rear, front, bb, saddle = c["rear_axle"], c["front_axle"], c["bb"], c["saddle"]
    grip_c = (c["l_grip"] + c["r_grip"]) / 2
    moto = p.kind == "motorcycle"
    parts = _wheel(rear, r, 0.13 if moto else 0.035, not moto) + _wheel(
        front, r, 0.12 if moto else 0.035, not moto
    )
    head_top = front + np.array([-0.18, 0.0, 0.0]) + (grip_c - front) * np.array([0, 0, 0.85])
    head_top[0] = grip_c[0] - 0.05
    fork_top = head_top - np.array([-0.05, 0.0, 0.15])
    fr = 0.022 if not moto else 0.035
    for s in (-1.0, 1.0):  # fork legs either side of the front wheel
        parts.append(
            tube(
                np.array([front + [0, s * 0.06, 0], fork_top + [0, s * 0.04, 0]]),
                fr * 0.7,
                5,
                S["metal" if moto else "frame"],
            )
        )
    parts.append(tube(np.array([fork_top, head_top]), fr * 1.2, 6, S["frame"]))
    parts.append(tube(np.array([head_top, head_top + [0.05, 0, 0.06], grip_c]), fr * 0.8, 5, S["metal"]))
    parts.append(
        tube(np.array([c["l_grip"], grip_c, c["r_grip"]]), 0.012 if not moto else 0.016, 5, S["metal"])
    )
    for g in (c["l_grip"], c["r_grip"]):
        parts.append(
            capsule(
                g - [0, np.sign(g[1]) * 0.1, 0],
                g + [0, np.sign(g[1]) * 0.02, 0],
                0.018,
                0.018,
                6,
                1,
                S["seat"],
            )
        )
    if not moto:
        seat_top = saddle - np.array([0, 0, 0.05])
        top_join = bb + (seat_top - bb) * 0.8
        down_join = fork_top + (head_top - fork_top) * 0.2
        top_front = head_top - np.array([0, 0, 0.03]) if not p.step_through else fork_top
        top_back = top_join if not p.step_through else bb + (seat_top - bb) * 0.35
        for a, b_, rad in ((bb, seat_top, 0.016), (bb, down_join, 0.02), (top_back, top_front, 0.016)):
            parts.append(tube(np.array([a, b_]), rad, 6, S["frame"]))
        for s in (-1.0, 1.0):
            parts.append(
                tube(np.array([rear + [0, s * 0.06, 0], bb + [0, s * 0.03, 0]]), 0.01, 5, S["frame"])
            )
            parts.append(
                tube(np.array([rear + [0, s * 0.06, 0], top_join + [0, s * 0.02, 0]]), 0.009, 5, S["frame"])
            )
        parts.append(
            rounded_box(
                saddle[0] - 0.14, saddle[0] + 0.12, -0.08, 0.08, saddle[2] - 0.05, saddle[2], 0.02, S["seat"]
            )
        )
        for name in ("l_pedal", "r_pedal"):
            pedal = c[name]
            y = np.sign(pedal[1])
            parts.append(
                tube(np.array([bb + [0, y * 0.08, 0], pedal - [0, y * 0.04, 0]]), 0.012, 4, S["metal"])
            )
            parts.append(
                rounded_box(
                    pedal[0] - 0.05,
                    pedal[0] + 0.05,
                    pedal[1] - 0.045,
                    pedal[1] + 0.045,
                    pedal[2] - 0.015,
                    pedal[2] + 0.005,
                    0.005,
                    S["metal"],
                )
            )
        parts.append(lathe(bb, "y", np.array([(0.05, 0.1), (0.06, 0.1)]), 12, S["metal"]))  # chainring
        parts.append(
            rounded_box(
                rear[0] - 0.05,
                rear[0] + 0.03,
                -0.03,
                0.03,
                rear[2] + 0.22,
                rear[2] + 0.27,
                0.01,
                S["taillight"],
            )
        )
    else:
        # tank, seat, engine, exhaust, headlight, rear fender with plate
        parts.append(
            ellipsoid(tuple((saddle + head_top) / 2 + [0.08, 0, 0.0]), (0.3, 0.17, 0.12), 4, 10, S["body"])
        )
        parts.append(
            rounded_box(
                saddle[0] - 0.35, saddle[0] + 0.15, -0.14, 0.14, saddle[2] - 0.08, saddle[2], 0.04, S["seat"]
            )
        )
        parts.append(
            rounded_box(bb[0] - 0.25, bb[0] + 0.22, -0.17, 0.17, bb[2] - 0.15, bb[2] + 0.22, 0.05, S["metal"])
        )
        parts.append(
            rounded_box(
                rear[0] - 0.05,
                saddle[0] - 0.3,
                -0.1,
                0.1,
                saddle[2] - 0.15,
                saddle[2] - 0.02,
                0.04,
                S["body"],
            )
        )
        parts.append(
            tube(
                np.array(
                    [
                        bb + [0.2, -0.12, -0.1],
                        bb + [-0.2, -0.18, -0.15],
                        rear + [0.05, -0.2, 0.05],
                        rear + [-0.2, -0.2, 0.1],
                    ]
                ),
                0.04,
                6,
                S["metal"],
            )
        )
        parts.append(tube(np.array([rear, bb + [0, 0, -0.05]]), 0.03, 5, S["frame"]))  # swing arm
        parts.append(tube(np.array([bb + [0.2, 0, 0.2], head_top]), 0.035, 6, S["frame"]))
        lamp_c = head_top + np.array([0.12, 0.0, -0.08])
        parts.append(
            lathe(
                lamp_c,
                "x",
                np.array([(-0.06, 0.05), (0.0, 0.085), (0.03, 0.085), (0.035, 0.06)]),
                10,
                S["lamp"],
            )
        )
        parts.append(
            rounded_box(
                rear[0] - 0.3,
                rear[0] - 0.24,
                -0.04,
                0.04,
                saddle[2] - 0.12,
                saddle[2] - 0.06,
                0.01,
                S["taillight"],
            )
        )
        px = rear[0] - 0.3
        parts.append(
            rounded_box(px - 0.01, px, -0.1, 0.1, saddle[2] - 0.32, saddle[2] - 0.16, 0.003, S["plate"])
        )
    mesh = Mesh.merge(*parts)
    v = mesh.vertices - [0.0, 0.0, mesh.vertices[:, 2].min()]
    ext = np.abs(v).max(axis=0)
    size = (float(2 * ext[0] + 0.02), float(2 * ext[1] + 0.02), float(ext[2] + 0.01))
    anchors = {k: val[None] for k, val in c.items()}
    return Asset(Mesh(v, mesh.faces, mesh.slots), SLOTS, size, anchors)


def _two_link(target: np.ndarray, l1: float, l2: float, bend_forward: bool) -> tuple[float, float]:
    """Sagittal two-link IK: (root flexion, joint flexion) in degrees reaching ``target`` (dx, dz) from the root.

    Flexion is measured from hanging straight down, forward positive. ``bend_forward``: the middle joint sits in
    front of the root-target line (knee); otherwise behind/below it (elbow).
    """
    dx, dz = float(target[0]), float(target[1])
    d = float(np.clip(np.hypot(dx, dz), abs(l1 - l2) + 1e-3, l1 + l2 - 1e-3))
    toward = np.arctan2(dx, -dz)
    alpha = np.arccos(np.clip((l1 * l1 + d * d - l2 * l2) / (2 * l1 * d), -1, 1))
    bend = np.pi - np.arccos(np.clip((l1 * l1 + l2 * l2 - d * d) / (2 * l1 * l2), -1, 1))
    root = toward + alpha if bend_forward else toward - alpha
    return float(np.rad2deg(root)), float(np.rad2deg(bend))


def rider_angles(p: CycleParams) -> tuple[dict[str, float], np.ndarray]:
    """Joint angles (unclamped, degrees) seating ``p.rider`` on the two-wheeler, and the pelvis position."""
    from simvision.world.assets.primitives import rot_y

    assert p.rider is not None
    q = proportions(p.rider)
    c = contact_points(p)
    H = p.rider.height
    pelvis = c["saddle"] + np.array([-0.04, 0.0, 0.09 * _rider_scale(p)])
    ang: dict[str, float] = {"neck_yaw": 0.0}
    for side, s in (("l", 1.0), ("r", -1.0)):
        hip = pelvis + [0.0, s * q["hw"], 0.0]
        ankle = c[f"{side}_pedal"] + np.array([-0.35 * q["foot"], 0.0, 0.027 * H + q["drop"] + 0.005])
        lat = np.arcsin(np.clip(s * (ankle[1] - hip[1]) / (q["thigh"] + q["shank"]), -0.9, 0.9))
        h, k = _two_link((ankle - hip)[[0, 2]], q["thigh"] * np.cos(lat), q["shank"] * np.cos(lat), True)
        ang.update({f"{side}_hip": h, f"{side}_knee": k, f"{side}_hip_abd": float(np.rad2deg(lat))})
        # foot pitched 10 deg toes-down on the pedal, or as near as the ankle allows (steep shins on foot pegs)
        ang[f"{side}_ankle"] = float(np.clip(-10.0 - (h - k), -45.0, 20.0))
    reach = q["u_arm"] + q["f_arm"]
    best = (1e9, 0.0)
    for lean in np.linspace(0, 40, 41):  # lean the torso until the bars are within a comfortable reach
        sh = pelvis + rot_y(np.deg2rad(lean)) @ np.array([-0.005 * H, q["sw"], q["shoulder_z"] - q["hip_z"]])
        err = abs(np.linalg.norm(c["l_grip"] - sh) - 0.82 * reach)
        best = min(best, (err, float(lean)))
    ang["spine"] = best[1]
    spine = rot_y(np.deg2rad(best[1]))
    for side, s in (("l", 1.0), ("r", -1.0)):
        sh = pelvis + spine @ np.array([-0.005 * H, s * q["sw"], q["shoulder_z"] - q["hip_z"]])
        grip = c[f"{side}_grip"]
        wrist = grip - 0.5 * q["hand"] * (grip - sh) / np.linalg.norm(grip - sh)
        v = spine.T @ (wrist - sh)
        lat = np.arcsin(np.clip(s * v[1] / reach, 0.0, 0.9))
        f, e = _two_link(v[[0, 2]], q["u_arm"] * np.cos(lat), q["f_arm"] * np.cos(lat), False)
        ang.update({f"{side}_shoulder": f, f"{side}_elbow": e, f"{side}_abduction": float(np.rad2deg(lat))})
    return ang, pelvis


def build_rider(p: CycleParams) -> Asset:
    """The rider seated on ``p``'s two-wheeler, in the two-wheeler's local frame."""
    assert p.rider is not None
    ang, pelvis = rider_angles(p)
    mesh, anchors, _ = body_mesh(p.rider, limit(ang), arm_plane=True)
    shift = pelvis - [0.0, 0.0, proportions(p.rider)["hip_z"]]
    v = mesh.vertices + shift
    ext = np.abs(v).max(axis=0)
    size = (float(2 * ext[0] + 0.02), float(2 * ext[1] + 0.02), float(v[:, 2].max() + 0.01))
    return Asset(
        Mesh(v, mesh.faces, mesh.slots), PERSON_SLOTS, size, {k: a + shift for k, a in anchors.items()}
    )


def build_ridden(p: CycleParams) -> Asset:
    """Two-wheeler and rider merged into one asset (previews; scenes keep them apart for their labels)."""
    bike = build_cycle(p)
    if p.rider is None:
        return bike
    rider = build_rider(p)
    n = len(bike.slots)
    mesh = Mesh.merge(
        bike.mesh, Mesh(rider.mesh.vertices, rider.mesh.faces, (rider.mesh.slots + n).astype(np.int8))
    )
    size = tuple(float(max(a, b)) for a, b in zip(bike.size, rider.size, strict=True))
    slots = bike.slots + tuple(f"rider_{s}" for s in rider.slots)
    return Asset(mesh, slots, size, {**bike.anchors, **{f"rider_{k}": a for k, a in rider.anchors.items()}})


def cycle_colours(p: CycleParams) -> dict[str, RGB]:
    from simvision.world.assets.people import person_colours

    out = {
        "frame": p.frame_colour,
        "tyre": (0.02, 0.02, 0.02),
        "rim": (0.45, 0.45, 0.47),
        "metal": (0.3, 0.3, 0.32),
        "seat": (0.02, 0.02, 0.02),
        "lamp": (0.9, 0.9, 0.85),
        "taillight": (0.55, 0.02, 0.02),
        "body": p.frame_colour,
        "plate": (0.85, 0.85, 0.8),
    }
    if p.rider is not None:
        out.update({f"rider_{k}": v for k, v in person_colours(p.rider).items()})
    return out
