"""Articulated people: capsule limbs and a lofted torso posed by a parametric walk cycle, dressed by slot.

``sample_person(rng, pose=..., child=...)`` draws a :class:`PersonParams`; ``build_person`` poses the skeleton
(forward kinematics in the body's sagittal plane, with shoulder abduction) and dresses it: tops, trousers, shorts,
skirts and coats are separate shapes or slots, plus hair, shoes, backpack, bag and umbrella. Joint angles come from
:func:`pose_angles` and are clamped to :data:`JOINT_LIMITS` (the walk cycle is designed to stay inside them).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.world.assets.base import Asset
from simvision.world.assets.primitives import capsule, lathe, rounded_box, sweep, tube
from simvision.world.mesh import Mesh, ellipsoid

SLOTS: tuple[str, ...] = (
    "skin",
    "hair",
    "top",
    "bottom",
    "shoes",
    "bag",
    "umbrella",
    "umbrella_frame",
    "helmet",
)
S = {name: i for i, name in enumerate(SLOTS)}

# Degrees. Sagittal flexion is positive forward (hip, shoulder) or bending (knee, elbow); ankle positive = toes up.
# Ranges are conservative active ranges of motion (AAOS normal values, rounded): hip -30..120, knee 0..140,
# ankle -45..20, shoulder -60..180, abduction 0..180, elbow 0..145.
JOINT_LIMITS: dict[str, tuple[float, float]] = {
    "hip": (-30.0, 120.0),
    "knee": (0.0, 140.0),
    "ankle": (-45.0, 20.0),
    "shoulder": (-60.0, 180.0),
    "abduction": (0.0, 180.0),
    "elbow": (0.0, 145.0),
    "spine": (-15.0, 40.0),
    "hip_abd": (-15.0, 45.0),
    "neck_yaw": (-70.0, 70.0),
}

Pose = Literal["stand", "walk", "cross"]
Top = Literal["tshirt", "jacket", "coat"]
Bottom = Literal["trousers", "shorts", "skirt"]
Hair = Literal["short", "long", "bun", "bald"]
RGB = tuple[float, float, float]

# Linear-RGB skin tones from light to dark (a spread like the Fitzpatrick / Monk scales' swatches).
SKIN: tuple[RGB, ...] = (
    (0.80, 0.55, 0.42),
    (0.72, 0.46, 0.33),
    (0.60, 0.36, 0.24),
    (0.42, 0.24, 0.14),
    (0.24, 0.12, 0.07),
    (0.12, 0.06, 0.035),
)
HAIR: tuple[RGB, ...] = (
    (0.01, 0.008, 0.006),
    (0.04, 0.022, 0.012),
    (0.12, 0.06, 0.025),
    (0.45, 0.32, 0.14),
    (0.3, 0.08, 0.02),
    (0.4, 0.4, 0.4),
)
# Street clothing is mostly dark or neutral; a few bright pieces.
CLOTHES: tuple[tuple[float, RGB], ...] = (
    (0.22, (0.015, 0.015, 0.018)),
    (0.14, (0.02, 0.03, 0.08)),
    (0.14, (0.12, 0.12, 0.12)),
    (0.1, (0.35, 0.28, 0.18)),
    (0.1, (0.05, 0.1, 0.22)),
    (0.08, (0.6, 0.6, 0.58)),
    (0.06, (0.05, 0.08, 0.03)),
    (0.06, (0.35, 0.03, 0.03)),
    (0.05, (0.55, 0.35, 0.02)),
    (0.05, (0.1, 0.25, 0.45)),
)


class PersonParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    height: float
    child: bool
    build: float  # 0 slim .. 1 heavy
    shoulders: float  # shoulder width factor (broader 1.1 .. narrower 0.9)
    hips: float
    skin: RGB
    hair: Hair
    hair_colour: RGB
    top: Top
    top_colour: RGB
    bottom: Bottom
    bottom_colour: RGB
    shoe_colour: RGB
    backpack: bool
    bag: Literal["none", "hand", "shoulder"]
    umbrella: bool
    umbrella_colour: RGB
    pose: Pose
    phase: float  # walk-cycle phase of the left leg, 0 = left heel strike
    stride: float  # 0..1 scales the hip swing
    arm_swing: float  # degrees of shoulder swing
    head_yaw: float  # degrees, crossing people look along the road
    stance: float  # standing: how much weight sits on the left leg (knee bend on the other)
    helmet: bool = False
    gesture: Literal["none", "phone", "pockets"] = "none"  # what the free arms do
    helmet_colour: RGB = (0.05, 0.05, 0.05)


def _pick(rng: np.random.Generator, table: tuple[tuple[float, RGB], ...]) -> RGB:
    p = np.array([w for w, _ in table])
    c = np.asarray(table[int(rng.choice(len(table), p=p / p.sum()))][1]) * rng.uniform(0.85, 1.15)
    return tuple(float(np.round(min(v, 1.0), 4)) for v in c)  # type: ignore[return-value]


def sample_person(
    rng: np.random.Generator, pose: Pose | None = None, child: bool | None = None, rain: bool = False
) -> PersonParams:
    """One pedestrian: body, clothes and carried things; ``pose``/``child`` fixed when given, drawn otherwise."""
    child = bool(rng.random() < 0.12) if child is None else child
    pose = pose or str(rng.choice(["stand", "walk", "cross"], p=[0.35, 0.5, 0.15]))  # type: ignore[assignment]
    # Adult stature ~ N(1.71, 0.09) m for men and N(1.59, 0.07) for women (NCD-RisC 2016 world means, rounded).
    male = rng.random() < 0.5
    height = rng.normal(1.71, 0.07) if male else rng.normal(1.59, 0.06)
    if child:
        height = rng.uniform(0.95, 1.45)
    bottom = str(
        rng.choice(["trousers", "shorts", "skirt"], p=[0.7, 0.12, 0.18] if not male else [0.85, 0.15, 0])
    )
    top = str(rng.choice(["tshirt", "jacket", "coat"], p=[0.35, 0.4, 0.25]))
    u = lambda a, b: float(np.round(rng.uniform(a, b), 4))  # noqa: E731
    return PersonParams(
        height=float(np.round(np.clip(height, 0.9, 2.05), 4)),
        child=child,
        build=u(0, 1),
        shoulders=u(1.0, 1.12) if male else u(0.88, 1.0),
        hips=u(0.9, 1.0) if male else u(1.0, 1.12),
        skin=SKIN[int(rng.integers(len(SKIN)))],
        hair=str(
            rng.choice(
                ["short", "long", "bun", "bald"], p=[0.75, 0.05, 0.05, 0.15] if male else [0.3, 0.5, 0.2, 0]
            )
        ),  # type: ignore[arg-type]
        hair_colour=HAIR[int(rng.integers(len(HAIR) - (1 if child else 0)))],
        top=top,  # type: ignore[arg-type]
        top_colour=_pick(rng, CLOTHES),
        bottom=bottom,  # type: ignore[arg-type]
        bottom_colour=_pick(rng, CLOTHES),
        shoe_colour=_pick(rng, CLOTHES[:4]),
        backpack=bool(rng.random() < 0.2),
        bag=str(rng.choice(["none", "hand", "shoulder"], p=[0.7, 0.15, 0.15])),  # type: ignore[arg-type]
        umbrella=bool(rng.random() < (0.6 if rain else 0.05)) and not child,
        umbrella_colour=_pick(rng, CLOTHES),
        pose=pose,  # type: ignore[arg-type]
        phase=u(0, 1),
        stride=u(0.7, 1.0) if pose != "cross" else u(0.9, 1.1),
        arm_swing=u(12, 28),
        head_yaw=float(np.round(rng.choice([-1, 1]) * rng.uniform(25, 55), 3))
        if pose == "cross"
        else u(-10, 10),
        stance=u(0, 1),
        gesture=str(rng.choice(["none", "phone", "pockets"], p=[0.7, 0.2, 0.1])),  # type: ignore[arg-type]
    )


def person_colours(p: PersonParams) -> dict[str, RGB]:
    """Slot name -> linear RGB base colour (what a material table for this person holds)."""
    return {
        "skin": p.skin,
        "hair": p.hair_colour,
        "top": p.top_colour,
        "bottom": p.bottom_colour,
        "shoes": p.shoe_colour,
        "bag": (0.03, 0.03, 0.035),
        "umbrella": p.umbrella_colour,
        "umbrella_frame": (0.05, 0.05, 0.05),
        "helmet": p.helmet_colour,
    }


def _bump(phase: float, centre: float, width: float) -> float:
    d = (phase - centre + 0.5) % 1.0 - 0.5  # wrapped distance on the cycle
    return float(np.exp(-0.5 * (d / width) ** 2))


def leg_angles(phase: float, stride: float) -> dict[str, float]:
    """Sagittal hip, knee and ankle angles (degrees) of one leg at ``phase`` of a walk cycle (0 = heel strike).

    The shapes follow normal gait curves: hip flexed ~25 deg at heel strike and extended ~10 deg at push-off;
    the knee's small loading-response peak (~15 deg) and large swing peak (~60 deg); ankle plantarflexion at
    toe-off.
    """
    hip = stride * (7.5 + 17.5 * np.cos(2 * np.pi * phase))
    knee = 4 + 12 * _bump(phase, 0.13, 0.06) + 56 * stride * _bump(phase, 0.72, 0.1)
    ankle = 4 * np.cos(2 * np.pi * (phase - 0.35)) - 16 * _bump(phase, 0.6, 0.06)
    return {"hip": float(hip), "knee": float(knee), "ankle": float(ankle)}


def pose_angles(p: PersonParams, phase: float | None = None) -> dict[str, float]:
    """Every joint angle of the pose (degrees), per side with ``l_``/``r_`` prefixes; unclamped."""
    ph = p.phase if phase is None else phase
    out: dict[str, float] = {}
    for side, off in (("l", 0.0), ("r", 0.5)):
        if p.pose == "stand":
            rest = p.stance if side == "r" else 1 - p.stance  # weight on one leg, the other knee eased
            leg = {"hip": 2.0 + 6 * rest, "knee": 2.0 + 10 * rest, "ankle": -2.0 * rest}
            arm = {"shoulder": 3.0, "abduction": 6.0, "elbow": 8.0 + 6 * rest}
        else:
            leg = leg_angles((ph + off) % 1.0, p.stride)
            swing = -np.cos(2 * np.pi * ((ph + off) % 1.0))  # arm opposite its leg
            arm = {
                "shoulder": float(p.arm_swing * swing),
                "abduction": 7.0,
                "elbow": float(14 + 14 * (1 + swing) / 2),
            }
        out.update({f"{side}_{k}": v for k, v in {**leg, **arm}.items()})
    out["spine"] = 2.0 if p.pose == "stand" else 5.0
    out["neck_yaw"] = p.head_yaw
    if p.gesture == "phone":  # reading a phone held in front of the chest (the right hand)
        out.update(r_shoulder=12.0, r_abduction=5.0, r_elbow=98.0)
    elif p.gesture == "pockets":  # hands in the trouser or coat pockets
        for side in ("l", "r"):
            out.update({f"{side}_shoulder": -6.0, f"{side}_abduction": 14.0, f"{side}_elbow": 30.0})
    if p.umbrella:  # right hand holds the shaft in front of the chest
        out.update(r_shoulder=20.0, r_abduction=14.0, r_elbow=100.0)
    if p.bag == "hand":  # the bag arm hangs nearly still
        out.update(l_shoulder=out["l_shoulder"] * 0.3, l_elbow=6.0)
    return out


def limit(angles: dict[str, float]) -> dict[str, float]:
    """``angles`` clamped to :data:`JOINT_LIMITS` (keys ``l_hip`` etc. look up ``hip``)."""
    return {
        k: float(np.clip(v, *JOINT_LIMITS[k.split("_", 1)[-1] if k[:2] in ("l_", "r_") else k]))
        for k, v in angles.items()
    }


def _dir(flex_deg: float, abd_deg: float, side: float) -> np.ndarray:
    """Unit direction of a limb hanging down, swung forward by ``flex`` and out to ``side`` by ``abd``."""
    f, a = np.deg2rad(flex_deg), np.deg2rad(abd_deg)
    return np.array([np.sin(f) * np.cos(a), side * np.sin(a), -np.cos(f) * np.cos(a)])


def _ellipse_ring(centre: np.ndarray, a: float, b: float, n: int = 12) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.column_stack([centre[0] + a * np.cos(t), centre[1] + b * np.sin(t), np.full(n, centre[2])])


def _loft_z(levels: list[tuple[float, float, float, float]], slots: list[int], n: int = 12) -> Mesh:
    """A closed loft of horizontal ellipses ``(z, half_depth, half_width, x_offset)`` bottom to top."""
    rings = np.array([_ellipse_ring(np.array([x, 0.0, z]), a, b, n) for z, a, b, x in levels])
    band = np.repeat(np.asarray(slots, np.int8)[:, None], n, axis=1)
    return sweep(rings, band, cap_slots=(slots[0], slots[-1]))


def _limb(
    a: np.ndarray, b: np.ndarray, ra: float, rb: float, slot: int, split: float = 1.0, slot2: int = 0
) -> list[Mesh]:
    """A capsule limb from ``a`` to ``b``; with ``split`` < 1 the part past that fraction gets ``slot2`` (sleeves)."""
    if split >= 1.0:
        return [capsule(a, b, ra, rb, 7, 1, slot)]
    m = a + split * (b - a)
    rm = ra + split * (rb - ra)
    return [capsule(a, m, ra * 1.04, rm * 1.04, 7, 1, slot), capsule(m, b, rm, rb, 7, 1, slot2)]


def build_person(p: PersonParams, phase: float | None = None) -> Asset:
    """The posed, dressed person (local frame, facing +x, feet on the ground, origin under the pelvis)."""
    mesh, anchors = _posed(p, p.phase if phase is None else phase)
    return Asset(mesh, SLOTS, person_size(p), anchors)


@lru_cache(maxsize=256)
def person_size(p: PersonParams) -> tuple[float, float, float]:
    """The declared footprint (length, width, height) that holds at every phase of the walk cycle (placement
    reserves it once per person): the extent at the phases of longest stride, widest arm swing and highest bob,
    plus 2.5 cm a side and 2 cm up."""
    ext = np.zeros(3)
    for phase in (
        [p.phase] if p.pose == "stand" else (0.0, 0.1, 0.25, 0.5, 0.6, 0.75)
    ):  # stride, swing, bob extremes
        v = _posed(p, float(phase))[0].vertices
        ext = np.maximum(ext, [np.abs(v[:, 0]).max(), np.abs(v[:, 1]).max(), v[:, 2].max()])
    return (
        float(np.round(2 * ext[0] + 0.05, 3)),
        float(np.round(2 * ext[1] + 0.05, 3)),
        float(np.round(ext[2] + 0.02, 3)),
    )


def proportions(p: PersonParams) -> dict[str, float]:
    """Segment lengths and joint heights (m) of the standing body; children have bigger heads, shorter legs."""
    H, b = p.height, p.build
    heads = float(np.clip(5.0 + 3.0 * (H - 0.95), 5.0, 6.5)) if p.child else 7.5
    head_h = H / heads
    hip_z = H * (0.45 + 0.06 * np.clip((H - 0.95) / 0.5, 0, 1) if p.child else 0.51)
    return dict(
        head_h=head_h,
        hip_z=float(hip_z),
        thigh=hip_z * 0.49,
        shank=hip_z * 0.43,
        shoulder_z=H - 1.32 * head_h,
        sw=0.105 * H * p.shoulders * (1 + 0.1 * b),
        hw=0.052 * H * p.hips * (1 + 0.15 * b),
        u_arm=0.172 * H,
        f_arm=0.15 * H,
        hand=0.075 * H,
        foot=0.15 * H,
        drop=float(hip_z * 0.08 - 0.027 * H),  # ankle joint to the centre line of the shoe
    )


def _posed(p: PersonParams, phase: float) -> tuple[Mesh, dict[str, np.ndarray]]:
    mesh, anchors, ground = body_mesh(p, limit(pose_angles(p, phase)))
    v = mesh.vertices - [0.0, 0.0, ground]  # the lowest sole on the ground; x, y stay on the pelvis
    return Mesh(v, mesh.faces, mesh.slots), {k: a - [0.0, 0.0, ground] for k, a in anchors.items()}


def body_mesh(
    p: PersonParams, ang: dict[str, float], arm_plane: bool = False
) -> tuple[Mesh, dict[str, np.ndarray], float]:
    """The dressed body posed by ``ang`` with the hip joints' midpoint at (0, 0, hip_z); also anchors and the
    lowest sole height. ``arm_plane``: the forearm keeps the upper arm's abduction (reaching for handlebars)."""
    from simvision.world.assets.primitives import rot_y, rot_z

    H, b = p.height, p.build
    q = proportions(p)
    head_h, hip_z, thigh, shank, shoulder_z = q["head_h"], q["hip_z"], q["thigh"], q["shank"], q["shoulder_z"]
    sw, hw = q["sw"], q["hw"]
    r_thigh, r_shank = 0.046 * H * (1 + 0.3 * b), 0.03 * H * (1 + 0.15 * b)
    r_uarm, r_farm = 0.024 * H * (1 + 0.3 * b), 0.019 * H * (1 + 0.15 * b)
    u_arm, f_arm, hand, foot = q["u_arm"], q["f_arm"], q["hand"], q["foot"]
    hip = np.array([0.0, 0.0, hip_z])
    anchors: dict[str, np.ndarray] = {}
    spine = rot_y(np.deg2rad(ang["spine"]))

    def torso_pt(x: float, y: float, z: float) -> np.ndarray:
        return hip + spine @ np.array([x, y, z - hip_z])

    def on_torso(m: Mesh) -> Mesh:
        """A part modelled on the upright torso, leaned with the spine about the hips."""
        return Mesh(hip + (m.vertices - hip) @ spine.T, m.faces, m.slots)

    parts: list[Mesh] = []
    top_slot, bot = S["top"], S["bottom"]
    long_top = p.top != "tshirt"
    levels = [
        (hip_z - 0.05 * H, 0.05 * H, hw + r_thigh * 0.8, 0.0),
        (hip_z + 0.01 * H, 0.06 * H * (1 + 0.3 * b), hw + r_thigh * 1.05, 0.0),
        (hip_z + 0.11 * H, 0.055 * H * (1 + 0.5 * b), 0.075 * H * (1 + 0.35 * b), 0.005 * H),
        (shoulder_z - 0.09 * H, 0.065 * H * (1 + 0.3 * b), sw * 0.9, 0.0),
        (shoulder_z - 0.015 * H, 0.055 * H, sw * 1.05, -0.005 * H),
        (shoulder_z + 0.022 * H, 0.045 * H, sw * 0.7, -0.01 * H),
        (shoulder_z + 0.04 * H, 0.03 * H, 0.03 * H, -0.005 * H),
    ]
    torso = _loft_z(levels, [bot, top_slot if long_top else bot, top_slot, top_slot, top_slot, top_slot])
    parts.append(on_torso(torso))
    waist_b = levels[2][2]
    if p.top == "coat" or p.bottom == "skirt":
        hem_z = hip_z - thigh * (0.85 if p.top == "coat" else 0.55)
        flare = hw + r_thigh + (0.07 if p.top == "coat" else 0.05) * H
        skirt = _loft_z(
            [
                (hem_z, 0.1 * H, flare, 0.0),
                (hip_z, 0.075 * H * (1 + 0.3 * b), hw + r_thigh * 1.2, 0.0),
                (hip_z + 0.11 * H, 0.06 * H * (1 + 0.5 * b), waist_b * 1.04, 0.005 * H),
            ],
            [top_slot if p.top == "coat" else bot] * 2,
        )
        parts.append(on_torso(skirt))
    ground_pts = []
    for side, sgn in (("l", 1.0), ("r", -1.0)):
        h0 = hip + np.array([0.0, sgn * hw, 0.0])
        abd = ang.get(f"{side}_hip_abd", 3.0)
        d1 = _dir(ang[f"{side}_hip"], abd, sgn)
        knee = h0 + thigh * d1
        d2 = _dir(ang[f"{side}_hip"] - ang[f"{side}_knee"], abd, sgn)
        ankle = knee + shank * d2
        pitch = np.deg2rad(ang[f"{side}_hip"] - ang[f"{side}_knee"] + ang[f"{side}_ankle"])
        fdir = np.array([np.cos(pitch), 0.0, np.sin(pitch)])
        heel = ankle + d2 * q["drop"] - fdir * 0.2 * foot  # standing, the sole is on the ground
        toe = heel + fdir * foot
        if p.bottom == "trousers":
            parts += _limb(h0, knee, r_thigh, r_shank * 1.15, bot) + _limb(
                knee, ankle, r_shank * 1.15, r_shank * 0.75, bot
            )
        elif p.bottom == "shorts":
            parts += _limb(h0, knee, r_thigh, r_shank * 1.1, bot, 0.6, S["skin"])
            parts += _limb(knee, ankle, r_shank * 1.1, r_shank * 0.7, S["skin"])
        else:
            parts += _limb(h0, knee, r_thigh * 0.95, r_shank * 1.1, S["skin"])
            parts += _limb(knee, ankle, r_shank * 1.1, r_shank * 0.7, S["skin"])
        shoe = capsule(heel, toe, 0.026 * H, 0.028 * H, 7, 1, S["shoes"])
        parts.append(Mesh(shoe.vertices * [1, 1, 1], shoe.faces, shoe.slots))
        ground_pts.append(shoe.vertices)
        s0 = torso_pt(-0.005 * H, sgn * sw, shoulder_z)
        da = spine @ _dir(ang[f"{side}_shoulder"], ang[f"{side}_abduction"], sgn)
        elbow = s0 + u_arm * da
        fa = ang[f"{side}_abduction"] * (1.0 if arm_plane else 0.6)
        df = spine @ _dir(ang[f"{side}_shoulder"] + ang[f"{side}_elbow"], fa, sgn)
        wrist = elbow + f_arm * df
        if long_top:
            parts += _limb(s0, elbow, r_uarm * 1.15, r_farm * 1.2, top_slot)
            parts += _limb(elbow, wrist, r_farm * 1.2, r_farm * 0.95, top_slot)
        else:
            parts += _limb(s0, elbow, r_uarm * 1.1, r_farm * 1.1, top_slot, 0.45, S["skin"])
            parts += _limb(elbow, wrist, r_farm * 1.05, r_farm * 0.8, S["skin"])
        hand_end = wrist + hand * df
        anchors[f"{side}_wrist"], anchors[f"{side}_ankle"] = wrist[None], ankle[None]
        parts.append(capsule(wrist, hand_end, 0.017 * H, 0.014 * H, 6, 1, S["skin"]))
        if side == "r" and p.umbrella:
            parts += _umbrella(wrist + 0.5 * hand * df, torso_pt(0.02 * H, 0.0, H), H)
        elif side == "r" and p.gesture == "phone":
            c = wrist + 0.6 * hand * df
            parts.append(
                rounded_box(
                    c[0] - 0.035, c[0] + 0.035, c[1] - 0.04, c[1] + 0.04, c[2], c[2] + 0.012, 0.004, S["bag"]
                )
            )
        if side == "l" and p.bag == "hand":
            c = hand_end + np.array([0.0, 0.0, -0.05])
            parts.append(
                rounded_box(
                    c[0] - 0.12, c[0] + 0.12, c[1] - 0.05, c[1] + 0.05, c[2] - 0.24, c[2], 0.03, S["bag"]
                )
            )
    neck_base = torso_pt(-0.005 * H, 0.0, shoulder_z + 0.03 * H)
    head_c = torso_pt(0.01 * H, 0.0, H - 0.5 * head_h)
    parts.append(
        capsule(neck_base, head_c - np.array([0, 0, 0.3 * head_h]), 0.028 * H, 0.026 * H, 7, 1, S["skin"])
    )
    yaw = rot_z(np.deg2rad(ang["neck_yaw"]))
    head_parts = [
        ellipsoid((0, 0, 0), (0.4 * head_h, 0.33 * head_h, 0.5 * head_h), 5, 10, S["skin"]),
        ellipsoid(
            (0.38 * head_h, 0, -0.06 * head_h), (0.08 * head_h, 0.05 * head_h, 0.1 * head_h), 3, 5, S["skin"]
        ),
    ]
    if p.hair != "bald":
        head_parts.append(
            ellipsoid(
                (-0.06 * head_h, 0, 0.1 * head_h),
                (0.42 * head_h, 0.36 * head_h, 0.45 * head_h),
                5,
                10,
                S["hair"],
            )
        )
    if p.hair == "long":
        head_parts.append(
            rounded_box(
                -0.42 * head_h,
                -0.1 * head_h,
                -0.33 * head_h,
                0.33 * head_h,
                -0.95 * head_h,
                0.1 * head_h,
                0.04 * head_h,
                S["hair"],
            )
        )
    if p.hair == "bun":
        head_parts.append(
            ellipsoid((-0.42 * head_h, 0, 0.25 * head_h), (0.14 * head_h,) * 3, 3, 6, S["hair"])
        )
    if p.helmet:
        head_parts.append(
            ellipsoid(
                (-0.03 * head_h, 0, 0.14 * head_h),
                (0.47 * head_h, 0.4 * head_h, 0.45 * head_h),
                4,
                10,
                S["helmet"],
            )
        )
    for m in head_parts:
        parts.append(Mesh(m.vertices @ (spine @ yaw).T + head_c, m.faces, m.slots))
    if p.backpack:
        chest_a = 0.065 * H * (1 + 0.3 * b)
        pack = rounded_box(
            -chest_a - 0.17,
            -chest_a + 0.02,
            -0.16,
            0.16,
            hip_z + 0.1 * H,
            shoulder_z - 0.01 * H,
            0.04,
            S["bag"],
        )
        parts.append(on_torso(pack))
    if p.bag == "shoulder":
        y = -(hw + r_thigh + 0.05)
        bag = rounded_box(-0.13, 0.13, y - 0.05, y + 0.05, hip_z - 0.08 * H, hip_z + 0.06 * H, 0.03, S["bag"])
        strap = tube(
            np.array(
                [
                    torso_pt(0, y, hip_z + 0.05 * H),
                    torso_pt(0.02 * H, -sw * 0.2, shoulder_z),
                    torso_pt(0.0, sw * 0.7, shoulder_z + 0.02 * H),
                ]
            ),
            0.012,
            4,
            S["bag"],
        )
        parts += [on_torso(bag), strap]
    mesh = Mesh.merge(*parts)
    ground = min(float(g[:, 2].min()) for g in ground_pts)
    anchors["head"] = head_c[None]
    return mesh, anchors, ground


def _umbrella(hand: np.ndarray, crown: np.ndarray, H: float) -> list[Mesh]:
    """A shaft from the hand leaning in over the head (``crown``) and a canopy (lathe about z) centred above it."""
    top = np.array([0.6 * crown[0] + 0.4 * hand[0], 0.6 * crown[1] + 0.4 * hand[1], H + 0.38])
    shaft = tube(np.array([hand, top]), 0.01, 5, S["umbrella_frame"])
    r = 0.52
    canopy = lathe(
        top - [0, 0, 0.02],
        "z",
        np.array([(0.0, 0.02), (-0.1, 0.3), (-0.2, r), (-0.23, r * 0.97)]),
        10,
        np.array([S["umbrella"], S["umbrella"], S["umbrella_frame"]]),
    )
    return [shaft, canopy]
