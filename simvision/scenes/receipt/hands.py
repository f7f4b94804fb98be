"""Hands holding or pressing a receipt: sampled as plain data (:class:`HandSpec`), drawn as a signed-distance model.

A hand is a palm, a forearm, a thumb and up to four fingers, each a tapered capsule (the palm a rounded box) in a
local frame in millimetres, tips along +x, seen from the back (nails visible). Poses: ``thumb_press`` (a thumb
pressing an edge or corner, the hand off the paper), ``fingers_press`` (one to four fingertips, and maybe the thumb,
pressing an edge flat) and ``hold_bottom`` (a hand from below the frame holding the bottom of the slip: the thumb in
front, the other fingers behind the paper, seen only where no paper hides them).

Drawn over the paper in canvas pixels: one pixel belongs to the hand exactly where a pixel centre is inside it (the
id map), and the image blends an anti-aliased edge over a soft two-part shadow (contact and cast). Sizes are real:
the slip is taken as 80 mm wide (thermal rolls and till slips are 57-80 mm), an adult hand 75-90 mm across the
knuckles, fingers 14-18 mm wide, the thumb 20-23 mm.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict

PAPER_MM = 80.0  # the slip's width in mm, which sets the hand's scale in pixels
POSES: tuple[str, ...] = ("thumb_press", "fingers_press", "hold_bottom")
SIDES: tuple[str, ...] = ("left", "right", "top", "bottom")
#: Monk Skin Tone scale (Google, 2022, CC-BY-4.0 figures): ten tones, light to deep, as photographed skin.
SKIN_TONES: tuple[tuple[int, int, int], ...] = (
    (246, 237, 228),
    (243, 231, 219),
    (247, 234, 208),
    (234, 218, 186),
    (215, 189, 150),
    (160, 126, 86),
    (130, 92, 67),
    (96, 65, 52),
    (58, 49, 42),
    (41, 36, 32),
)
POLISH: tuple[tuple[int, int, int], ...] = ((170, 20, 40), (215, 120, 140), (60, 20, 40), (225, 190, 180))
# finger half-widths at knuckle and tip (mm) and lengths knuckle-to-tip (mm): index, middle, ring, little
FINGER_R = ((8.6, 7.4), (8.8, 7.6), (8.2, 7.0), (7.2, 6.2))
FINGER_LEN = (72.0, 80.0, 75.0, 60.0)
KNUCKLE_Y = (-27.0, -9.0, 9.0, 27.0)  # across the palm; the thumb is on the -y side
THUMB_R = (11.0, 10.0)
THUMB_LEN = 62.0
THUMB_BASE = (-62.0, -36.0)
LIGHT = np.array([-0.35, -0.5, 0.79])  # from the upper left, towards the viewer
#: A word that keeps less of its glyph pixels than this under a hand is no fair OCR target: its transcription
#: names letters that cannot be seen (one letter of a ten-letter word is 10% of its pixels).
LEGIBLE_VISIBLE = 0.95


class HandSpec(BaseModel):
    """One hand. ``side``: the paper edge it reaches over; ``along`` 0..1 along that edge (clockwise from the
    paper's top-left corner); ``inset_mm`` how far inside the edge the contact (thumb tip, or the middle of the
    fingertips) lies; ``yaw_deg`` the turn of the hand off the edge's inward normal; ``fingers`` visible fingers
    besides the thumb (index first); ``thumb``: the thumb is visible; ``fore`` 0..1 how much of each finger's
    length shows (foreshortened when it bends down onto the paper); ``spread_deg`` between neighbouring fingers;
    ``left``: a left hand (mirrored); ``size``: scale of an average adult hand; ``skin_rgb``; ``polish_rgb``
    nail polish or None; ``mottle_seed`` seeds the skin's slow variation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pose: Literal["thumb_press", "fingers_press", "hold_bottom"]
    side: Literal["left", "right", "top", "bottom"]
    along: float
    inset_mm: float
    yaw_deg: float
    fingers: int
    thumb: bool
    fore: float
    spread_deg: float
    left: bool
    size: float
    skin_rgb: tuple[int, int, int]
    polish_rgb: tuple[int, int, int] | None
    mottle_seed: int


def sample_hand(rng: np.random.Generator, pose: str) -> HandSpec:
    """Draw one hand of ``pose``; every choice is drawn whatever the pose, so the stream stays aligned."""
    side = str(rng.choice(SIDES, p=[0.3, 0.3, 0.1, 0.3]))
    corner = rng.random() < 0.4
    along = float(
        rng.choice([rng.uniform(0.0, 0.1), rng.uniform(0.9, 1.0)]) if corner else rng.uniform(0.1, 0.9)
    )
    inset = float(rng.uniform(4.0, 22.0))
    yaw = float(rng.uniform(-35.0, 35.0))
    fingers = int(rng.integers(1, 5))
    thumb5 = rng.random() < 0.3
    fore = float(rng.uniform(0.55, 0.95))
    spread = float(rng.uniform(0.5, 4.0))  # fingers held together, tips barely fanned
    left = bool(rng.random() < 0.45)
    size = float(rng.uniform(0.88, 1.12))
    tone = SKIN_TONES[int(rng.integers(len(SKIN_TONES)))]
    jitter = rng.normal(0.0, 4.0, 3)
    skin = tuple(int(np.clip(c + j, 0, 255)) for c, j in zip(tone, jitter, strict=True))
    polish = POLISH[int(rng.integers(len(POLISH)))] if rng.random() < 0.15 else None
    seed = int(rng.integers(2**31))
    if pose == "thumb_press":
        fingers, thumb = 0, True
    elif pose == "fingers_press":
        thumb = bool(thumb5 and fingers == 4)
    else:  # hold_bottom: thumb in front, the fingers behind the paper
        side, along, inset, yaw, fingers, thumb = "bottom", 0.2 + 0.6 * along, inset + 6.0, yaw * 0.6, 4, True
    return HandSpec(
        pose=pose,  # type: ignore[arg-type]
        side=side,  # type: ignore[arg-type]
        along=along,
        inset_mm=inset,
        yaw_deg=yaw,
        fingers=fingers,
        thumb=thumb,
        fore=fore,
        spread_deg=spread,
        left=left,
        size=size,
        skin_rgb=skin,  # type: ignore[arg-type]
        polish_rgb=polish,
        mottle_seed=seed,
    )


# --- the model: parts in the hand's frame (mm) ---------------------------------------------------------------


class _Part:
    """A tapered capsule a->b (radii ra->rb), drawn in front of or behind the paper, maybe with a nail at b."""

    def __init__(self, a: np.ndarray, b: np.ndarray, ra: float, rb: float, front: bool, nail: bool) -> None:
        self.a, self.b, self.ra, self.rb, self.front, self.nail = a, b, ra, rb, front, nail


def _parts(h: HandSpec) -> tuple[list[_Part], np.ndarray]:
    """The capsules of ``h`` and the contact point, in the hand frame (mm, tips along +x, before mirroring).

    ``fingers_press``: fingertips and knuckles over the paper, the palm behind them (the hand rests over the edge).
    ``thumb_press`` and ``hold_bottom``: a pinch: the thumb in front of the paper, fingers (curled) and palm behind
    it, seen only past the paper's edge."""
    parts: list[_Part] = []
    tips = []
    pinch = h.pose != "fingers_press"
    n = 4 if pinch else h.fingers
    for k in range(n):
        ang = np.radians((k - 1.5) * h.spread_deg)
        knuckle = np.array([0.0, KNUCKLE_Y[k]])
        reach = FINGER_LEN[k] * (0.45 if pinch else h.fore)  # curled under the paper in a pinch
        tip = knuckle + reach * np.array([np.cos(ang), np.sin(ang)])
        parts.append(_Part(knuckle, tip, *FINGER_R[k], front=not pinch, nail=not pinch))
        tips.append(tip)
    # the thumb swings out from the side of the palm and forward, past the knuckles in a pinch
    t_ang = np.radians(-28.0 if not pinch else 4.0 * (h.fore - 0.75) * 10)
    base = np.array(THUMB_BASE)
    t_tip = base + THUMB_LEN * (1.2 if pinch else 0.9) * np.array([np.cos(t_ang), np.sin(t_ang)])
    if h.thumb or pinch:
        joint = base + 0.55 * (t_tip - base)
        parts.append(_Part(base, joint, 13.0, 11.5, front=not pinch, nail=False))
        parts.append(_Part(joint, t_tip, THUMB_R[0], THUMB_R[1], front=True, nail=True))
    # palm (a rounded slab: two wide capsules side by side) and the forearm behind it
    for y in (-16.0, 16.0):
        parts.append(_Part(np.array([-70.0, y]), np.array([-8.0, y * 1.1]), 24.0, 21.0, not pinch, False))
    parts.append(_Part(np.array([-75.0, 0.0]), np.array([-330.0, 0.0]), 30.0, 38.0, not pinch, False))
    contact = t_tip if pinch or not tips else np.mean(tips, axis=0)
    return parts, contact


def _frame_transform(h: HandSpec, contact: np.ndarray, anchor: np.ndarray, direction: float, px_mm: float):
    """(R, t): canvas = R @ local + t, with the contact on ``anchor`` and +x turned to ``direction`` (radians)."""
    mirror = np.diag([1.0, -1.0 if h.left else 1.0])
    c, s = np.cos(direction), np.sin(direction)
    rot = np.array([[c, -s], [s, c]]) @ mirror * (px_mm * h.size)
    return rot, anchor - rot @ contact


def _seg_dist(px: np.ndarray, py: np.ndarray, p: _Part) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signed distance (mm) to the capsule, position along it (0..1) and signed offset across it (mm)."""
    d = p.b - p.a
    ll = float(d @ d)
    t = np.clip(((px - p.a[0]) * d[0] + (py - p.a[1]) * d[1]) / ll, 0.0, 1.0)
    qx, qy = px - (p.a[0] + t * d[0]), py - (p.a[1] + t * d[1])
    across = (qx * -d[1] + qy * d[0]) / np.sqrt(ll)
    return np.hypot(qx, qy) - (p.ra + t * (p.rb - p.ra)), t, across


def _smin(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Smooth minimum (polynomial, k in mm): joins parts without a notch."""
    hh = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b * (1 - hh) + a * hh - k * hh * (1 - hh)


def _model(lx: np.ndarray, ly: np.ndarray, parts: list[_Part]) -> tuple[np.ndarray, ...]:
    """The hand's fields at points (lx, ly) (mm, hand frame), each element on its own: distance to the parts in
    front of and behind the paper (smooth-joined), to the nearest and second-nearest part, the nearest part's radius,
    nail cover (float32), nail tip (bool) and knuckle wrinkles."""
    front = np.full(lx.shape, 1e3)
    back = np.full(lx.shape, 1e3)
    first = np.full(lx.shape, 1e3)  # nearest and second-nearest finger: a crease where they meet
    second = np.full(lx.shape, 1e3)
    nail = np.zeros(lx.shape, np.float32)
    nail_edge = np.zeros(lx.shape, bool)
    wrinkle = np.zeros(lx.shape)
    radius = np.full(lx.shape, 8.0)
    for p in parts:
        d, along, across = _seg_dist(lx, ly, p)
        if p.front:
            front = _smin(front, d, 3.0)
        else:
            back = _smin(back, d, 3.0)
        closer = d < first
        second = np.where(closer, first, np.minimum(second, d))
        first = np.where(closer, d, first)
        radius = np.where(closer, p.ra + along * (p.rb - p.ra), radius)
        if p.nail:
            # nail and wrinkles lie 0.8 mm and more inside the part: elsewhere they add 0 to a maximum of values >= 0
            j = np.flatnonzero(d < -0.8)
            d, along, across = d[j], along[j], across[j]
            length = float(np.linalg.norm(p.b - p.a))
            nl = 1.05 * p.rb + 2.0  # nail length (mm): about its width
            u = along * length - (length - 0.55 * nl)  # nail centre near the tip
            e = (u / (0.6 * nl)) ** 2 + (across / (0.66 * p.rb)) ** 2
            on = (e < 1.0) & (d < -0.8)
            nail[j] = np.maximum(nail[j], np.where(on, np.clip((1.0 - e) * 4.0, 0, 1), 0)).astype(np.float32)
            nail_edge[j] |= on & (u > 0.35 * nl)
            # knuckle wrinkles: faint bands across the finger at its joints (mm back from the tip)
            back_from_tip = (1.0 - along) * length
            for joint in (nl + 7.0, nl + 24.0):
                band = np.exp(-(((back_from_tip - joint) / 1.6) ** 2)) * (d < -1.0)
                wrinkle[j] = np.maximum(wrinkle[j], band * np.clip(1.0 - (across / p.rb) ** 2, 0, 1))
    return front, back, first, second, radius, nail, nail_edge, wrinkle


def _reach(parts: list[_Part], rot: np.ndarray, t: np.ndarray, x0: int, y0: int, x1: int, y1: int, k: float):
    """(y1-y0, x1-x0) bool: the canvas pixels of the rectangle whose centre, or an edge-neighbour's, may lie less
    than half a pixel outside the hand (its anti-aliased edge), ``k`` pixels per mm; elsewhere the hand draws
    nothing. A capsule's distance is at least the distance to its axis less its wider radius, and each smooth-min
    takes at most k/4 = 0.75 mm off the smaller of its two inputs, so the hand's distance is at least the least
    such axis distance less the radius and 0.75 mm per part: marked here, with a pixel and a millimetre to spare
    besides the neighbour and the half pixel."""
    out = np.zeros((y1 - y0, x1 - x0), bool)
    slack = 0.75 * len(parts) + 1.0
    for p in parts:
        a, b = rot @ p.a + t, rot @ p.b + t
        r = (max(p.ra, p.rb) + slack) * k + 3.0
        bx0, by0 = np.maximum(np.floor(np.minimum(a, b) - r).astype(int), (x0, y0))
        bx1, by1 = np.minimum(np.ceil(np.maximum(a, b) + r).astype(int) + 1, (x1, y1))
        if bx1 <= bx0 or by1 <= by0:
            continue
        px = (np.arange(bx0, bx1) + 0.5)[None, :] - a[0]
        py = (np.arange(by0, by1) + 0.5)[:, None] - a[1]
        d = b - a
        u = np.clip((px * d[0] + py * d[1]) / max(float(d @ d), 1e-12), 0.0, 1.0)
        near = (px - u * d[0]) ** 2 + (py - u * d[1]) ** 2 <= r * r
        out[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0] |= near
    return out


def _gradient_at(f: np.ndarray, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.gradient(f)`` (rows, columns) at the flat indices ``flat`` of 2-D ``f``, computed there only with the
    same operations: a central difference halved inside, a one-sided difference on the edges."""
    if min(f.shape) < 3:
        return tuple(g.ravel()[flat] for g in np.gradient(f))  # type: ignore[return-value]
    h, w = f.shape
    r, c = np.divmod(flat, w)
    out = []
    for i, n, at in ((r, h, lambda j: f[j, c]), (c, w, lambda j: f[r, j])):
        lo, hi = np.maximum(i - 1, 0), np.minimum(i + 1, n - 1)
        out.append((at(hi) - at(lo)) / np.where((i > 0) & (i < n - 1), 2.0, 1.0))
    return out[0], out[1]


def _spread(values: np.ndarray, idx: np.ndarray, shape: tuple[int, int], fill) -> np.ndarray:
    """A ``shape`` array holding ``values`` at flat indices ``idx`` and ``fill`` elsewhere."""
    out = np.full(shape, fill, values.dtype)
    out.ravel()[idx] = values
    return out


def anchor_on_paper(h: HandSpec, w: float, v0: float, v1: float) -> tuple[np.ndarray, float]:
    """The contact point in paper pixels and the inward direction (radians, paper frame) for ``h`` on a w-wide
    paper whose visible rows are v0..v1; ``inset`` is converted with the paper's own scale."""
    inset = h.inset_mm * w / PAPER_MM
    hgt = v1 - v0
    # clockwise from the top-left corner: top runs +x, right +y, bottom -x, left -y
    if h.side == "top":
        p, normal = np.array([h.along * w, v0 + inset]), np.pi / 2
    elif h.side == "right":
        p, normal = np.array([w - inset, v0 + h.along * hgt]), np.pi
    elif h.side == "bottom":
        p, normal = np.array([(1 - h.along) * w, v1 - inset]), -np.pi / 2
    else:
        p, normal = np.array([inset, v0 + (1 - h.along) * hgt]), 0.0
    return p, normal + np.radians(h.yaw_deg)


def draw_hand(
    image: np.ndarray,
    paper: np.ndarray,
    h: HandSpec,
    anchor: np.ndarray,
    direction: float,
    px_mm: float,
) -> np.ndarray:
    """Draw hand ``h`` onto ``image`` (in place) with its contact at canvas ``anchor`` and fingers pointing along
    ``direction`` (radians, canvas); ``paper`` (H,W) bool is where the paper lies (it hides the parts behind it).
    Returns the (H,W) bool mask of the hand's pixels: a pixel centre inside a visible part."""
    H, W = paper.shape
    parts, contact = _parts(h)
    rot, t = _frame_transform(h, contact, anchor, direction, px_mm)
    # canvas rectangle of the whole hand (capsule ends grown by their radii), clipped to the canvas
    pts = np.array([q for p in parts for q in (p.a, p.b)])
    rad = max(max(p.ra, p.rb) for p in parts) * px_mm * h.size + 40
    cp = pts @ rot.T + t
    x0, y0 = np.maximum(np.floor(cp.min(0) - rad).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(cp.max(0) + rad).astype(int), (W, H))
    mask = np.zeros((H, W), bool)
    if x1 <= x0 or y1 <= y0:
        return mask
    # only pixels that can show the hand (and their neighbours, for the gradient) are modelled: elsewhere the
    # image keeps the shadowed paper whatever the model says there (see _reach), so each array below is a list of
    # those pixels, computed element by element exactly as over the whole rectangle
    reach = _reach(parts, rot, t, x0, y0, x1, y1, px_mm * h.size)
    idx = np.flatnonzero(reach)
    cols = np.arange(x0, x1) + 0.5 - t[0]
    rows = np.arange(y0, y1) + 0.5 - t[1]
    gx, gy = cols[idx % (x1 - x0)], rows[idx // (x1 - x0)]
    # pixel centres in the hand frame (mm)
    inv = np.linalg.inv(rot)
    lx, ly = inv[0, 0] * gx + inv[0, 1] * gy, inv[1, 0] * gx + inv[1, 1] * gy
    mm_px = 1.0 / (px_mm * h.size)
    under = paper[y0:y1, x0:x1].ravel()[idx]
    front, back, first, second, radius, nail, nail_edge, wrinkle = _model(lx, ly, parts)
    visible_back = np.where(under, 1e3, back)
    near = np.minimum(front, visible_back)
    dist = _spread(near, idx, (y1 - y0, x1 - x0), 1e3)
    inside = dist < 0
    mask[y0:y1, x0:x1] = inside
    # anti-aliased coverage: one pixel is mm_px mm; parts behind the paper are cut by its (binary) edge
    alpha = np.clip(0.5 - near / mm_px, 0.0, 1.0).astype(np.float32)
    # the rest is drawn only where the hand covers some of the pixel (elsewhere alpha is 0: the paper stays)
    on = alpha > 0
    drawn = idx[on]
    alpha, near, radius, first, second = alpha[on], near[on], radius[on], first[on], second[on]
    nail, nail_edge, wrinkle = nail[on], nail_edge[on], wrinkle[on]
    # shading: a rounded profile across each part, lit from the upper left, darker in creases
    depth = np.clip(-near / radius, 0.0, 1.0)
    nz = np.sqrt(1.0 - (1.0 - depth) ** 2)
    gyy, gxx = _gradient_at(dist, drawn)
    gn = np.hypot(gxx, gyy) + 1e-6
    s = np.sqrt(np.clip(1.0 - nz**2, 0, 1))
    # gradient is in (row, column) of the canvas: turn it into a canvas direction for the light
    lam = np.clip((-gxx / gn * s) * LIGHT[0] + (-gyy / gn * s) * LIGHT[1] + nz * LIGHT[2], 0.0, 1.0)
    crease = np.exp(-(((second - first) / 2.5) ** 2)) * (first < 0) * (second < 4.0)
    mottle_rng = np.random.default_rng(h.mottle_seed)
    mottle = cv2.resize(
        mottle_rng.normal(1.0, 0.02, (max(2, (y1 - y0) // 40), max(2, (x1 - x0) // 40))).astype(np.float32),
        (x1 - x0, y1 - y0),
        interpolation=cv2.INTER_CUBIC,
    ).ravel()[drawn]
    shade = (0.42 + 0.62 * lam) * (1.0 - 0.35 * crease) * (1.0 - 0.14 * wrinkle) * mottle
    shade = shade + 0.08 * np.clip((lam - 0.8) * 5.0, 0, 1)  # a soft sheen where skin faces the light
    skin = np.array(h.skin_rgb, np.float32)
    # light passes into skin and returns reddened: shadowed skin keeps more red than green and blue
    gamma = np.array([0.75, 1.0, 1.1], np.float32)
    col = skin[None] * np.power(np.clip(shade, 0.05, 1.3)[..., None], gamma)
    nail_rgb = (
        np.array(h.polish_rgb, np.float32)
        if h.polish_rgb is not None
        else 0.55 * skin + 0.45 * np.array([236, 196, 190], np.float32)
    )
    nail_col = nail_rgb[None] * (0.55 + 0.55 * lam[..., None])
    tip_white = np.array([240, 232, 222], np.float32)[None] * (0.6 + 0.45 * lam[..., None])
    if h.polish_rgb is None:
        nail_col = np.where(nail_edge[..., None], tip_white, nail_col)
    spec = np.clip((lam - 0.9) * 6.0, 0, 1)[..., None] * nail[..., None] * 60.0  # a glint on the nail
    col = col * (1 - nail[..., None]) + nail_col * nail[..., None] + spec
    roi = image[y0:y1, x0:x1].astype(np.float32)
    # a soft shadow: tight where the hand touches the paper, wider and offset where it rises off it
    cover = (dist < 0).astype(np.float32)
    k = px_mm * h.size
    contact_sh = cv2.GaussianBlur(cover, (0, 0), max(1.0, 1.2 * k))
    shifted = np.roll(cover, (int(round(3.0 * k)), int(round(2.0 * k))), axis=(0, 1))
    cast_sh = cv2.GaussianBlur(shifted, (0, 0), max(1.0, 4.0 * k))
    lit = 1.0 - np.clip(0.28 * contact_sh + 0.32 * cast_sh, 0.0, 0.6)
    roi = roi * lit[..., None]
    # where alpha is 0 the blend is roi * 1 + colour * 0: the shadowed paper, exactly
    flat = roi.reshape(-1, 3)
    out = flat.astype(np.float64)
    a = alpha[..., None]
    out[drawn] = flat[drawn] * (1 - a) + np.clip(col, 0, 255) * a
    image[y0:y1, x0:x1] = np.clip(out.reshape(roi.shape) + 0.5, 0, 255).astype(np.uint8)
    return mask
