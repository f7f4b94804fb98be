"""Hands holding or pressing a receipt: sampled as plain data (:class:`HandSpec`), drawn as a signed-distance model.

A hand is a palm, a forearm, a thumb and up to four fingers, each a tapered capsule (the palm a rounded box) in a
local frame in millimetres, tips along +x, seen from the back (nails visible). Poses: ``thumb_press`` (a thumb
pressing an edge or corner, the hand off the paper), ``fingers_press`` (one to four fingertips, and maybe the thumb,
pressing an edge flat) and ``hold_bottom`` (a hand from below the frame holding the bottom of the slip: the thumb in
front, the other fingers behind the paper, seen only where no paper hides them).

Drawn over the paper in canvas pixels: the model is evaluated on a grid of cells about half a millimetre wide and
interpolated to the pixels; one pixel belongs to the hand exactly where the interpolated distance to it is below
zero (the id map), and the image blends an anti-aliased edge from that same distance over a soft two-part shadow
(contact and cast). Sizes are real:
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


def _model_numpy(lx: np.ndarray, ly: np.ndarray, parts: list[_Part]) -> tuple[np.ndarray, ...]:
    """The hand's fields at points (lx, ly) (mm, hand frame), each element on its own: distance to the parts in
    front of and behind the paper (smooth-joined), to the nearest and second-nearest part, the nearest part's radius,
    nail cover (float32), the nail's white tip (0..1, a half-millimetre ramp) and knuckle wrinkles."""
    front = np.full(lx.shape, 1e3)
    back = np.full(lx.shape, 1e3)
    first = np.full(lx.shape, 1e3)  # nearest and second-nearest finger: a crease where they meet
    second = np.full(lx.shape, 1e3)
    nail = np.zeros(lx.shape, np.float32)
    nail_edge = np.zeros(lx.shape, np.float32)
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
            # the nail fades out over 0.6 mm where it reaches the finger's side (a ramp, not a cut: the grid's
            # cells are half a millimetre)
            cover = np.clip((1.0 - e) * 4.0, 0, 1) * np.clip((-0.8 - d) / 0.6, 0, 1)
            nail[j] = np.maximum(nail[j], np.where(on, cover, 0)).astype(np.float32)
            tip = np.where(on, np.clip((u - 0.35 * nl) / 0.5 + 0.5, 0.0, 1.0), 0.0)
            nail_edge[j] = np.maximum(nail_edge[j], tip).astype(np.float32)
            # knuckle wrinkles: faint bands across the finger at its joints (mm back from the tip)
            back_from_tip = (1.0 - along) * length
            for joint in (nl + 7.0, nl + 24.0):
                band = np.exp(-(((back_from_tip - joint) / 1.6) ** 2)) * np.clip((-1.0 - d) / 0.6, 0, 1)
                wrinkle[j] = np.maximum(wrinkle[j], band * np.clip(1.0 - (across / p.rb) ** 2, 0, 1))
    return front, back, first, second, radius, nail, nail_edge, wrinkle


def _model(lx: np.ndarray, ly: np.ndarray, parts: list[_Part]) -> tuple[np.ndarray, ...]:
    """:func:`_model_numpy` by the numba kernel (``hand_kernels.model_kernel``), the same fields."""
    from simvision.scenes.receipt.hand_kernels import model_kernel  # numba: loaded when a hand is drawn

    ends = np.array([[*p.a, *p.b] for p in parts], np.float64)
    radii = np.array([[p.ra, p.rb] for p in parts], np.float64)
    flags = np.array([[p.front, p.nail] for p in parts], np.bool_)
    out = np.empty((8, lx.size), np.float64)
    model_kernel(
        np.ascontiguousarray(lx, np.float64), np.ascontiguousarray(ly, np.float64), ends, radii, flags, out
    )
    front, back, first, second, radius, nail, tip, wrinkle = out
    return front, back, first, second, radius, nail.astype(np.float32), tip.astype(np.float32), wrinkle


def _reach(parts: list[_Part], rot: np.ndarray, t: np.ndarray, x0: int, y0: int, x1: int, y1: int, k: float):
    """(y1-y0, x1-x0) bool: the cells of a grid (``rot``, ``t`` map the hand frame to grid units, cell (i, j)
    centred on (j + 0.5, i + 0.5); ``k`` cells per mm) whose centre may lie less than three cells and a millimetre
    outside the hand: the cells an anti-aliased edge pixel interpolates between, and their neighbours for the
    gradient; elsewhere the hand draws nothing. A capsule's distance is at least the distance to its axis less its
    wider radius, and each smooth-min takes at most k/4 = 0.75 mm off the smaller of its two inputs, so the hand's
    distance is at least the least such axis distance less the radius and 0.75 mm per part: marked here."""
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


def _extent(parts: list[_Part], rot: np.ndarray, t: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Canvas (x, y) corners of the rectangle that holds every part (capsule ends grown by their radii)."""
    lo, hi = np.full(2, np.inf), np.full(2, -np.inf)
    for p in parts:
        r = max(p.ra, p.rb) * k
        for q in (rot @ p.a + t, rot @ p.b + t):
            lo, hi = np.minimum(lo, q - r), np.maximum(hi, q + r)
    return lo, hi


def _shade(
    h: HandSpec, near: np.ndarray, grad: tuple[np.ndarray, np.ndarray], fields: tuple[np.ndarray, ...]
):
    """(n,3) float32 colour of the hand at n points whose distance to the hand is ``near`` (mm) and its gradient
    ``grad`` (rows, columns of the canvas): a rounded profile across each part lit from the upper left, darker in
    creases and wrinkles, nails at the fingertips. ``fields``: the model's fields there (see ``_model``) and the
    skin's slow mottle."""
    first, second, radius, nail, nail_edge, wrinkle, mottle = fields
    depth = np.clip(-near / radius, 0.0, 1.0)
    nz = np.sqrt(1.0 - (1.0 - depth) ** 2)
    gyy, gxx = grad
    gn = np.hypot(gxx, gyy) + 1e-6
    s = np.sqrt(np.clip(1.0 - nz**2, 0, 1)) / gn
    # the gradient is in (row, column) of the canvas: a canvas direction for the light
    lam = np.clip(-gxx * s * LIGHT[0] - gyy * s * LIGHT[1] + nz * LIGHT[2], 0.0, 1.0)
    # where two parts meet inside the hand (ramps a millimetre wide: the grid's cells are half that)
    crease = np.exp(-(((second - first) / 2.5) ** 2)) * np.clip(-first, 0, 1) * np.clip(4.0 - second, 0, 1)
    shade = (0.42 + 0.62 * lam) * (1.0 - 0.35 * crease) * (1.0 - 0.14 * wrinkle) * mottle
    shade = shade + 0.08 * np.clip((lam - 0.8) * 5.0, 0, 1)  # a soft sheen where skin faces the light
    skin = np.array(h.skin_rgb, np.float32)
    # light passes into skin and returns reddened: shadowed skin keeps more red than green and blue
    gamma = np.array([0.75, 1.0, 1.1], np.float32)
    col = skin * np.power(np.clip(shade, 0.05, 1.3).astype(np.float32)[..., None], gamma)
    nail_rgb = (
        np.array(h.polish_rgb, np.float32)
        if h.polish_rgb is not None
        else 0.55 * skin + 0.45 * np.array([236, 196, 190], np.float32)
    )
    lam3 = lam.astype(np.float32)[..., None]
    nail_col = nail_rgb * (0.55 + 0.55 * lam3)
    if h.polish_rgb is None:
        tip_white = np.array([240, 232, 222], np.float32) * (0.6 + 0.45 * lam3)
        edge = nail_edge[..., None]
        nail_col = nail_col * (1.0 - edge) + tip_white * edge
    nail3 = nail[..., None]
    spec = np.clip((lam3 - 0.9) * 6.0, 0, 1) * nail3 * 60.0  # a glint on the nail
    return np.clip(col * (1 - nail3) + nail_col * nail3 + spec, 0, 255).astype(np.float32)


def draw_hand(
    image: np.ndarray,
    paper: np.ndarray,
    h: HandSpec,
    anchor: np.ndarray,
    direction: float,
    px_mm: float,
) -> tuple[np.ndarray, tuple[slice, slice]]:
    """Draw hand ``h`` onto ``image`` (in place) with its contact at canvas ``anchor`` and fingers pointing along
    ``direction`` (radians, canvas); ``paper`` (H,W) bool is where the paper lies (it hides the parts behind it).
    Returns ``(mask, window)``: the bool mask of the hand's pixels (those where the hand's distance field is below
    zero) over ``window``, the (rows, columns) slices of the canvas outside which the hand changed nothing.

    The model (distances, shading, shadow) is evaluated on a grid of cells ``f`` pixels wide (about half a
    millimetre) and interpolated bilinearly to the pixels: the distance to the parts in front of and behind the
    paper separately, so the paper's own (pixel) edge cuts the parts behind it. The mask and the anti-aliased edge
    come from the same interpolated distance, so the labels are the image's pixels."""
    H, W = paper.shape
    none = (np.zeros((0, 0), bool), (slice(0, 0), slice(0, 0)))
    parts, contact = _parts(h)
    rot, t = _frame_transform(h, contact, anchor, direction, px_mm)
    k = px_mm * h.size  # pixels per mm
    f = max(1, int(round(k / 2.0)))
    # canvas rectangle of the hand and its shadow (offset 3k, 2k; blurred up to 4k), clipped to the canvas
    lo, hi = _extent(parts, rot, t, k)
    x0, y0 = np.maximum(np.floor(lo - 14.0 * k).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(hi + 14.0 * k).astype(int) + 1, (W, H))
    if x1 <= x0 or y1 <= y0:
        return none
    # the grid: cell (i, j) is centred on canvas (x0 + (j - 0.5) f, y0 + (i - 0.5) f): one cell of margin
    # around the rectangle, so that every pixel of it interpolates between four cells
    nx, ny = -(-(x1 - x0) // f) + 2, -(-(y1 - y0) // f) + 2
    ox, oy = x0 - f, y0 - f
    rot_c, t_c = rot / f, (t - (ox, oy)) / f
    reach = _reach(parts, rot_c, t_c, 0, 0, nx, ny, k / f)
    idx = np.flatnonzero(reach)
    inv = np.linalg.inv(rot_c)
    gx = (idx % nx + 0.5) - t_c[0]
    gy = (idx // nx + 0.5) - t_c[1]
    lx, ly = inv[0, 0] * gx + inv[0, 1] * gy, inv[1, 0] * gx + inv[1, 1] * gy
    front, back, first, second, radius, nail, nail_edge, wrinkle = _model(lx, ly, parts)
    grid = (ny, nx)
    front_g, back_g = _spread(front, idx, grid, 1e3), _spread(back, idx, grid, 1e3)
    # the paper at cell centres: the cells' own view of which parts show (their colour and shadow)
    cy = np.clip(oy + (np.arange(ny) + 0.5) * f, 0, H - 1).astype(int)
    cx = np.clip(ox + (np.arange(nx) + 0.5) * f, 0, W - 1).astype(int)
    paper_g = paper[cy[:, None], cx[None, :]]
    near_g = np.minimum(front_g, np.where(paper_g, 1e3, back_g))
    # colour only where a pixel's four cells may be under the hand's edge: (0.5 + 1.5 f) pixels from it
    sel = np.flatnonzero(near_g < (2.0 * f + 1.0) / k)
    on = np.searchsorted(idx, sel)  # every such cell is in reach: its model values are at these places
    mottle_rng = np.random.default_rng(h.mottle_seed)
    mottle = cv2.resize(
        mottle_rng.normal(1.0, 0.02, (max(2, (y1 - y0) // 40), max(2, (x1 - x0) // 40))).astype(np.float32),
        (nx, ny),
        interpolation=cv2.INTER_CUBIC,
    ).ravel()[sel]
    grad = tuple(g.ravel()[sel] for g in np.gradient(near_g))
    fields = (first[on], second[on], radius[on], nail[on], nail_edge[on], wrinkle[on], mottle)
    col_g = np.zeros((ny, nx, 3), np.float32)
    col_g.reshape(-1, 3)[sel] = _shade(h, near_g.ravel()[sel], grad, fields)  # type: ignore[arg-type]
    # a soft shadow: tight where the hand touches the paper, wider and offset where it rises off it
    cover = np.clip(0.5 - near_g * (k / f), 0.0, 1.0).astype(np.float32)
    contact_sh = cv2.GaussianBlur(cover, (0, 0), max(1.0, 1.2 * k) / f)
    dy, dx = min(ny, int(round(3.0 * k / f))), min(nx, int(round(2.0 * k / f)))
    shifted = np.zeros_like(cover)
    shifted[dy:, dx:] = cover[: ny - dy, : nx - dx]
    cast_sh = cv2.GaussianBlur(shifted, (0, 0), max(1.0, 4.0 * k) / f)
    dark = np.clip(0.28 * contact_sh + 0.32 * cast_sh, 0.0, 0.6)
    # the cells that change a pixel: the hand's edge (and a cell) or a shadow of at least a 1/1024
    touched = (dark > 1.0 / 1024) | (near_g < 2.0 * f / k)
    rows, cols = np.flatnonzero(touched.any(1)), np.flatnonzero(touched.any(0))
    if not len(rows):
        return none
    # pixels of the touched cells, clipped to the rectangle; their grid block with one cell around it
    i0, i1 = max(rows[0], 1), min(rows[-1], ny - 2) + 1
    j0, j1 = max(cols[0], 1), min(cols[-1], nx - 2) + 1
    px0, px1 = ox + j0 * f, min(ox + j1 * f, x1)
    py0, py1 = oy + i0 * f, min(oy + i1 * f, y1)
    if px1 <= px0 or py1 <= py0:
        return none

    # each pixel between its four cells: the distances, the light the shadow leaves and the colour (hand_kernels)
    from simvision.scenes.receipt.hand_kernels import cell_weights, composite_kernel  # numba, as in _model

    grid = np.empty((ny, nx, 6), np.float32)
    grid[..., 0], grid[..., 1], grid[..., 2], grid[..., 3:] = front_g, back_g, 1.0 - dark, col_g
    ci, ty = cell_weights(py0, py1, oy, f)
    cj, tx = cell_weights(px0, px1, ox, f)
    hand = np.empty((py1 - py0, px1 - px0), bool)
    composite_kernel(grid, ci, ty, cj, tx, paper, np.float32(k), image, int(py0), int(px0), hand)
    return hand, (slice(py0, py1), slice(px0, px1))
