"""Procedural surface textures for the 2D renderer, evaluated per pixel at world coordinates.

Every texture is cheap value noise (hashed integer lattice, smoothstep-interpolated, 2-3 octaves) of the surface's
own 2D coordinates: ground uses world (x, y), walls and other steep faces (distance along the wall, z). Because the
noise is a function of world position and object id only, it sticks to surfaces and is the same in every frame of a
scene. Features smaller than a pixel's footprint are faded out (contrast scaled by feature size / footprint), so far
surfaces do not alias into sparkle.

:func:`apply` changes the G-buffer's albedo, roughness and emission in place and returns the per-pixel mirror
reflectivity (glass, wet paint) the lighting uses for sky reflections.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from simvision.render import shading_kernels as kernels
from simvision.world.world import FACADE_GROUND, FACADE_STOREY

F32 = np.float32


@dataclass
class GBuffer:
    """Per hit pixel (N of them, in row-major pixel order): world position, unit normal facing the camera, unit
    direction towards the camera, object index, material slot, planar depth, footprint (metres per pixel across the
    surface), albedo (linear RGB), roughness, emission (linear radiance)."""

    pos: np.ndarray  # (N,3)
    normal: np.ndarray  # (N,3)
    view: np.ndarray  # (N,3)
    obj: np.ndarray  # (N,) int
    slot: np.ndarray  # (N,) int
    depth: np.ndarray  # (N,)
    footprint: np.ndarray  # (N,)
    albedo: np.ndarray  # (N,3)
    rough: np.ndarray  # (N,)
    emit: np.ndarray  # (N,3)


def hash01(ix: np.ndarray, iy: np.ndarray, seed: int) -> np.ndarray:
    """Uniform [0,1) float32 per integer lattice point (a murmur-style integer hash; wraps in uint32): the numba
    kernel, bit for bit :func:`hash01_numpy`."""
    ix, iy = np.broadcast_arrays(np.asarray(ix, np.int64), np.asarray(iy, np.int64))
    out = np.empty(ix.shape, F32)
    kernels.hash_kernel(ix.ravel(), iy.ravel(), kernels.seed_mix(seed), out.reshape(-1))
    return out


def hash01_numpy(ix: np.ndarray, iy: np.ndarray, seed: int) -> np.ndarray:
    """:func:`hash01` in numpy: the kernel's reference."""
    h = ix.astype(np.int32).view(np.uint32) * np.uint32(0x8DA6B343)
    h ^= iy.astype(np.int32).view(np.uint32) * np.uint32(0xD8163841)
    h ^= np.uint32((seed * 0x9E3779B1) & 0xFFFFFFFF)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0x5BD1E995)
    h ^= h >> np.uint32(15)
    return (h >> np.uint32(8)).astype(F32) * F32(1.0 / (1 << 24))


def noise(u: np.ndarray, v: np.ndarray, scale: float, seed: int) -> np.ndarray:
    """Value noise in [0,1] with lattice spacing ``scale`` metres: the numba kernel, bit for bit
    :func:`noise_numpy` (float32 coordinates; others take the numpy path)."""
    if not (isinstance(u, np.ndarray) and isinstance(v, np.ndarray) and u.dtype == v.dtype == F32):
        return noise_numpy(u, v, scale, seed)
    u, v = np.broadcast_arrays(u, v)
    out = np.empty(u.shape, F32)
    kernels.noise_kernel(u.ravel(), v.ravel(), F32(1.0 / scale), kernels.seed_mix(seed), out.reshape(-1))
    return out


def noise_numpy(u: np.ndarray, v: np.ndarray, scale: float, seed: int) -> np.ndarray:
    """:func:`noise` in numpy: the kernel's reference."""
    x, y = u * F32(1.0 / scale), v * F32(1.0 / scale)
    fx, fy = np.floor(x), np.floor(y)
    tx, ty = x - fx, y - fy
    tx = tx * tx * (3 - 2 * tx)
    ty = ty * ty * (3 - 2 * ty)
    ix, iy = fx.astype(np.int32), fy.astype(np.int32)
    a, b = hash01_numpy(ix, iy, seed), hash01_numpy(ix + 1, iy, seed)
    c, d = hash01_numpy(ix, iy + 1, seed), hash01_numpy(ix + 1, iy + 1, seed)
    top = a + (b - a) * tx
    return top + ((c + (d - c) * tx) - top) * ty


def fade(size: float, footprint: np.ndarray) -> np.ndarray:
    """Contrast kept for a feature of ``size`` metres seen at ``footprint`` metres per pixel (1 when well resolved)."""
    return np.clip(F32(size) / footprint - F32(0.5), 0, 1)


def lines(coord: np.ndarray, period: float, width: float, footprint: np.ndarray) -> np.ndarray:
    """Anti-aliased coverage (0..1) of lines ``width`` wide every ``period`` metres along ``coord``."""
    d = np.abs(coord / F32(period) - np.round(coord / F32(period))) * F32(period)
    fp = np.maximum(footprint, F32(1e-4))
    return np.clip((F32(width / 2) - d) / fp + F32(0.5), 0, 1) * np.minimum(
        F32(1), F32(width) / fp + F32(0.3)
    )


def surface_uv(pos: np.ndarray, normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2D surface coordinates: (x, y) on faces looking up or down, (distance along the wall, z) on steep ones."""
    up = np.abs(normal[:, 2]) > 0.6
    hx, hy = -normal[:, 1], normal[:, 0]
    norm = np.maximum(np.hypot(hx, hy), F32(1e-6))
    along = (pos[:, 0] * hx + pos[:, 1] * hy) / norm
    return np.where(up, pos[:, 0], along), np.where(up, pos[:, 1], pos[:, 2])


def _tint(g: GBuffer, rows: np.ndarray, obj_ids: np.ndarray, amount: float) -> None:
    """A per-object colour variation of +-``amount`` per channel (objects of one palette colour differ)."""
    for c in range(3):
        g.albedo[rows, c] *= 1 + F32(amount) * (hash01(obj_ids, np.full_like(obj_ids, c), 11) - F32(0.5))


def _asphalt(
    g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int
) -> np.ndarray:
    """Road asphalt. Slot 0 and the other body slots (3 patch, 5 and 6 the edge and core of a wheel track, 7 a
    lane's centre, where cars drip oil): aggregate as octaves of noise from stones (1 cm) to mottling (0.5 m), each
    faded out once it is smaller than about 1.5 pixels (a mip chain: fine texture at every distance, no shimmer);
    large-scale tone (resurfaced stretches, 16 m), lighter weathered areas, and crack networks (long cracks plus
    fine alligator cracking in some zones). Slot 1: worn lane paint, faded in places and chipped down to the
    asphalt; slot 2: manhole and grate metal (a cast grid); slot 4: smooth tar sealant."""
    slot = g.slot[r]
    n = noise(
        u, v, 0.012, seed + 7
    )  # light and dark stones of the aggregate, sparse: specks on a smooth binder
    stones = (np.clip((n - 0.7) * 4, 0, 1) - np.clip((0.3 - n) * 4, 0, 1)) * fade(0.012, fp) * 0.5
    grain = (noise(u, v, 0.03, seed) - 0.5) * fade(0.03, fp) * 0.25
    mottle = (noise(u, v, 0.07, seed + 8) - 0.5) * fade(0.07, fp) * 0.4
    mid = (noise(u, v, 0.12, seed + 1) - 0.5) * fade(0.12, fp) * 0.3 + (
        noise(u, v, 0.5, seed + 6) - 0.5
    ) * fade(0.5, fp) * 0.2
    patch = (noise(u, v, 4.0, seed + 2) - 0.5) * 0.3
    tone = (noise(u, v, 16.0, seed + 9) - 0.5) * 0.35
    worn = np.clip((noise(u, v, 2.5, seed + 10) - 0.55) * 1.5, 0, 0.3)
    crack_zone = noise(u, v, 7.0, seed + 3) > 0.5
    ridge = np.abs(noise(u, v, 1.3, seed + 4) - 0.5)
    crack = np.clip(1 - ridge / 0.025, 0, 1) * crack_zone * fade(0.05, fp)
    alligator = noise(u, v, 5.0, seed + 11) > 0.68
    fine = np.abs(noise(u, v, 0.35, seed + 12) - 0.5)
    crack = np.maximum(crack, np.clip(1 - fine / 0.03, 0, 1) * alligator * fade(0.03, fp))
    oil = np.clip((noise(u, v, 0.3, seed + 13) - 0.62) * 3.5, 0, 1) * 0.3 * (slot == 7)
    m = (1 + stones + grain + mottle + mid + patch + tone + worn) * (1 - 0.65 * crack) * (1 - oil)
    paint = slot == 1  # lane markings: worn paint, faded in places, chipped down to the asphalt
    wear = np.clip((noise(u, v, 0.25, seed + 5) - 0.62) * 3, 0, 0.6)
    dull = noise(u, v, 3.0, seed + 14) * 0.3
    chip = np.clip((noise(u, v, 0.04, seed + 15) - 0.7) * 4, 0, 1) * fade(0.04, fp)
    lane = ((1 + 0.6 * grain) * (1 - wear) + wear * 0.25) * (1 - dull) * (1 - 0.85 * chip)
    m = np.where(paint, lane, m)
    # manholes and grates (slot 2): a cast grid of raised bars; crack sealant (slot 4): smooth tar, no grain
    grid = np.maximum(lines(u, 0.06, 0.02, fp), lines(v, 0.06, 0.02, fp))
    m = np.where(slot == 2, 1 + 0.8 * grid + 0.5 * grain, np.where(slot == 4, 1 + 0.3 * grain, m))
    g.albedo[r] *= m[:, None]
    track = (slot == 5) | (slot == 6)  # polished by tyres
    body = np.where(track, 0.7, 0.85)
    g.rough[r] = np.where(paint, 0.5, np.where(slot == 2, 0.4, np.where(slot == 4, 0.3, body)))
    return np.zeros(len(r), F32)


def _paving(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    """Slabs with joints (slot 0) and kerb stones (slot 1): a joint across the kerb every metre; per-slab tone,
    grain, dirt, large-scale weathering and dark spots (gum, drips)."""
    slab = 0.5 + 0.25 * (hash01(g.obj[r], np.zeros_like(g.obj[r]), seed) > 0.5)
    kerb = g.slot[r] == 1
    slab = np.where(kerb, F32(1.0), F32(slab))
    ground = np.abs(g.normal[r, 2]) > 0.6
    joints = np.maximum(lines(u, slab, 0.015, fp), lines(v, slab, 0.015, fp))
    joints = np.where(ground | kerb, joints, 0)
    tile = hash01(np.floor(u / slab).astype(np.int32), np.floor(v / slab).astype(np.int32), seed) - 0.5
    grain = (noise(u, v, 0.02, seed + 1) - 0.5) * fade(0.02, fp) * 0.45
    dirt = (noise(u, v, 1.5, seed + 2) - 0.5) * 0.3
    weather = (noise(u, v, 6.0, seed + 3) - 0.5) * 0.3  # large-scale: sun-bleached, trodden, damp
    spots = np.clip((noise(u, v, 0.05, seed + 4) - 0.75) * 5, 0, 1) * fade(0.05, fp) * 0.45  # gum, drips
    m = (1 + 0.22 * tile + grain + dirt + weather) * (1 - 0.5 * joints) * (1 - spots)
    g.albedo[r] *= m[:, None]
    return np.zeros(len(r), F32)


def bump(g: GBuffer, r: np.ndarray, dn: np.ndarray) -> None:
    """Tilt the shading normals of rows ``r`` by ``dn`` (N,3) and renormalise, mirrored through the view plane
    where the tilt took them past it (leaves and blades are two-sided) and never quite edge-on: light and shade of
    leaves or blades finer than the mesh, which the lighting reads from ``g.normal``."""
    n = g.normal[r] + dn
    n /= np.maximum(np.sqrt(np.einsum("ij,ij->i", n, n)), F32(1e-6))[:, None]
    w = g.view[r]
    cos = np.einsum("ij,ij->i", n, w)
    n -= (np.minimum(cos, F32(0)) * F32(2))[:, None] * w
    n += np.maximum(F32(0.05) - np.abs(cos), F32(0))[:, None] * w
    n /= np.maximum(np.sqrt(np.einsum("ij,ij->i", n, n)), F32(1e-6))[:, None]
    g.normal[r] = n


def _grass(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    """Lawn and verge grass: faint blades (3 cm) where pixels resolve them, tufts of darker and lighter grass (8
    and 20 cm, kept at 30 % contrast below a pixel), clumps, clover and weed patches, dry patches and worn earth;
    the blades lean every way, more in the tufts, so sky and sun light them unevenly. Fading uses the pixel's
    footprint across the view (a lawn seen at a grazing angle still shows its tufts side by side). Scales were
    chosen against the terrain pixels of real Cityscapes frames (LBP and gradient histograms inside the label):
    finer blades read as sensor-like speckle there, not as grass."""
    f = F32
    across = fp * np.maximum(np.abs(np.einsum("ij,ij->i", g.normal[r], g.view[r])), f(0.15)) * f(1.5)
    blade = (noise(u, v, 0.03, seed + 3) - f(0.5)) * fade(0.03, across) * f(0.15)
    tuft = noise(u, v, 0.08, seed) * f(0.55) + noise(u, v, 0.2, seed + 4) * f(0.45)
    tufts = (tuft - f(0.5)) * np.maximum(fade(0.08, across), f(0.3)) * f(1.3)
    clump = (noise(u, v, 0.4, seed + 1) - f(0.5)) * f(0.35)
    weed = np.clip((noise(u, v, 0.6, seed + 5) - f(0.62)) * f(4), 0, 1)  # clover: darker, bluer
    dry = np.clip((noise(u, v, 2.5, seed + 2) - f(0.4)) * f(1.6), 0, 1) * f(0.5)
    worn = np.clip((noise(u, v, 0.5, seed + 6) - f(0.72)) * f(4), 0, 1) * dry  # bare earth in the dry parts
    earth = np.array([0.13, 0.09, 0.05], F32)
    straw = np.array([0.16, 0.14, 0.06], F32)
    alb = g.albedo[r] * (f(1) - dry)[:, None] + straw * dry[:, None]
    alb = alb * (f(1) - f(0.25) * weed)[:, None] * (f(1) - f(0.12) * weed[:, None] * np.array([0, 0, 1], F32))
    alb = alb + (earth - alb) * worn[:, None]
    g.albedo[r] = alb * np.maximum(f(1) + blade + tufts + clump, f(0.2))[:, None]
    lean = np.maximum(fade(0.08, across), f(0.3)) * f(0.7)
    dn = np.column_stack(
        [
            (noise(u, v, 0.08, seed + 7) - f(0.5)) * lean,
            (noise(u, v, 0.08, seed + 8) - f(0.5)) * lean,
            (tuft - f(0.5)) * lean,
        ]
    )
    bump(g, r, dn)
    return np.zeros(len(r), F32)


SIGN_Z = 3.75  # world height of a shop sign's lettering (models.building puts signs at 3.5..4.0 local + kerb)


def view_slopes(g: GBuffer, r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per wall pixel, how far the camera ray moves along the wall (``pu``, in the surface u of
    :func:`surface_uv`) and up it (``pv``) per metre it goes into the wall (the parallax of window reveals), and
    how likely a window there mirrors sky rather than the street and the facades opposite (``sky``, 0..1: by how
    steeply the mirrored ray climbs)."""
    f = F32
    n, w = g.normal[r], g.view[r]
    hx, hy = -n[:, 1], n[:, 0]
    norm = np.maximum(np.hypot(hx, hy), F32(1e-6))
    vn = np.maximum(w[:, 0] * n[:, 0] + w[:, 1] * n[:, 1] + w[:, 2] * n[:, 2], F32(0.05))
    pu = (w[:, 0] * hx + w[:, 1] * hy) / norm / vn
    sky = np.clip((-w[:, 2] - f(0.25)) * f(2), 0, 1).astype(F32)
    return np.clip(pu, -20, 20).astype(F32), np.clip(w[:, 2] / vn, -20, 20).astype(F32), sky


def _facade(
    g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int, night: float
) -> np.ndarray:
    """Brick or plaster walls with a grid of recessed windows above the ground floor; shop fronts (slot 2) and
    signs (slot 4).

    Per building (hashed from the object): window spacing, width and height, reveal depth, frame colour, string
    courses, window surrounds, a drainpipe every few bays. A window is an opening ``depth`` deep: seen at an angle,
    the camera ray through an opening pixel meets the glass or, nearer the edges, the reveal (side, head or sill),
    so oblique facades show thick reveals and the head shaded from above, as in photographs. The glass mirrors the
    sky more strongly up the pane, over a dark interior, with curtains, nets or blinds per window; frames (mullion, transom)
    on the glass. Walls: sills lit on top with a shadow below, rain streaks under them, string courses with a
    shadow line, a darker plinth, vertical weathering streaks, mid-scale plaster patches, brick courses."""
    f = F32
    obj, slot = g.obj[r], g.slot[r]
    zero = np.zeros_like(obj)
    pu, pv, sky = view_slopes(g, r)
    brick = hash01(obj, zero, seed) < 0.4
    course = np.floor(v / f(0.075))
    us = u + (course.astype(np.int32) & 1).astype(F32) * f(0.12)
    mortar = np.maximum(lines(v, 0.075, 0.012, fp), lines(us, 0.24, 0.012, fp))
    brick_tone = hash01(np.floor(us / f(0.24)).astype(np.int32), course.astype(np.int32), seed + 1) - f(0.5)
    stain = (noise(u, v, 2.0, seed + 2) - f(0.5)) * f(0.3) + (noise(u, v, 0.2, seed + 3) - f(0.5)) * f(0.3)
    grain = (noise(u, v, 0.02, seed + 4) - f(0.5)) * fade(0.02, fp) * f(0.35)
    streak = (noise(u, v * f(0.08), 0.3, seed + 9) - f(0.5)) * f(0.25)
    wall = (slot == 0) & (np.abs(g.normal[r, 2]) < f(0.5))
    extra = np.where(brick & (slot == 0), f(0.2) * brick_tone * fade(0.08, fp) - f(0.4) * mortar, f(0))
    m = f(1) + stain + grain + streak + extra
    hb = [hash01(obj, np.full_like(obj, k), seed + 5) for k in range(9)]  # the building's own draws
    spacing = f(2.6) + f(1.2) * hb[0]
    half = spacing * (f(0.17) + f(0.1) * hb[1])
    top = f(FACADE_STOREY) * (f(0.74) + f(0.1) * hb[2])
    bot = f(0.8)
    depth = f(0.08) + f(0.16) * hb[3]
    frame_tone = np.where(hb[4] < f(0.65), f(0.8), f(0.12))
    ledged = hb[5] < f(0.55)
    pipes = f(3) + np.floor(f(4) * hb[6])
    lit_left = hb[7] < f(0.5)
    wu = u / spacing
    wv = (v - f(FACADE_GROUND)) / f(FACADE_STOREY)  # storeys fixed: balcony geometry meets them
    fu, fv = np.floor(wu), np.floor(wv)
    x = (wu - fu - f(0.5)) * spacing  # metres from the window's centre line
    y = (wv - fv) * f(FACADE_STOREY)  # metres above the storey's floor line
    ax = np.abs(x)
    above = wall & (v > f(FACADE_GROUND))
    opening = above & (ax < half) & (y > bot) & (y < top)
    # depth into the opening at which the camera ray meets a side reveal (tx) or the head / sill (ty)
    tx = np.where(pu > 0, half + x, half - x) / np.maximum(np.abs(pu), f(1e-4))
    ty = np.where(pv > 0, y - bot, top - y) / np.maximum(np.abs(pv), f(1e-4))
    tt = np.minimum(tx, ty)
    glass = opening & (tt >= depth)
    reveal = opening & ~glass
    side_tone = np.where((pu > 0) == lit_left, f(0.65), f(0.42))
    reveal_tone = np.where(tx < ty, side_tone, np.where(pv > 0, f(1.0), f(0.3))) * (
        f(1) - f(0.45) * (tt / depth)
    )
    reveal_frame = reveal & (tt > depth - f(0.07))  # the frame's edge, seen past the reveal
    xg, yg = x - depth * pu, y - depth * pv  # where the ray meets the glass
    edge = np.minimum(np.minimum(half - np.abs(xg), yg - bot), top - yg)
    transom = bot + f(0.68) * (top - bot)
    framed = (
        (edge < f(0.07)) | ((half > f(0.45)) & (np.abs(xg) < f(0.035))) | (np.abs(yg - transom) < f(0.035))
    )
    cid, row = fu.astype(np.int32) + obj * 997, fv.astype(np.int32)
    cell = hash01(cid, row, seed + 6)
    c2, c3 = hash01(cid, row, seed + 11), hash01(cid, row, seed + 12)
    # a dark interior; the glass's mirror reflectivity (returned) grows up the pane and varies by window: the
    # street and the facades opposite mirrored low, more sky high up
    refl = f(0.02) + f(0.04) * cell
    mirror = (
        (f(0.3) + f(0.35) * ((yg - bot) / (top - bot))) * (f(0.7) + f(0.6) * cell) * (f(0.15) + f(0.85) * sky)
    )
    drape = (c2 < f(0.25)) & (np.abs(xg) > half * (f(0.35) + f(0.4) * c3))
    blind = (c2 >= f(0.4)) & (c2 < f(0.55)) & (yg > top - (top - bot) * c3)
    net = (c2 >= f(0.25)) & (c2 < f(0.4))
    folds = (noise(u, v * f(0.05), 0.05, seed + 13) - f(0.5)) * f(0.4) * fade(0.05, fp)
    cloth = (f(0.2) + f(0.3) * c3) * (f(1) + folds)
    curtain = drape | blind
    gval = np.where(curtain, cloth + f(0.5) * refl, np.where(net, f(0.5) * refl + f(0.12), refl))
    tint = np.where(
        (curtain | net)[:, None], np.array([1.0, 0.96, 0.88], F32), np.array([0.9, 1.0, 1.12], F32)
    )
    # walls: string courses and their shadow, window surrounds, sills and the shadow under them, rain streaks
    # below the windows, a darker plinth
    thin = fade(0.12, fp)
    sill = above & (ax < half + f(0.06)) & (y <= bot) & (y > bot - f(0.06))
    under = above & (ax < half + f(0.06)) & (y <= bot - f(0.06)) & (y > bot - f(0.16))
    dirty = above & (ax < half) & (y <= bot - f(0.06))
    dirt = np.clip(f(1) - (bot - y) / f(1.4), 0, 1) * noise(u, v * f(0.1), 0.12, seed + 14) * f(0.35)
    surround = (
        above & ~brick & (hb[8] < f(0.5)) & (ax < half + f(0.13)) & (y > bot - f(0.06)) & (y < top + f(0.13))
    )
    ledge = above & ledged & (y < f(0.16))
    shadow = wall & ledged & (v > f(FACADE_GROUND - 0.2)) & (y > f(FACADE_STOREY - 0.1))
    kf = np.where(ledge, f(1) + f(0.25) * thin, f(1))
    kf = kf * np.where(shadow, f(1) - f(0.5) * thin, f(1))
    kf = kf * np.where(surround & ~opening, f(1.15), f(1))
    kf = kf * np.where(sill, f(1) + f(0.35) * thin, f(1))
    kf = kf * np.where(under, f(1) - f(0.35) * thin, f(1))
    kf = kf * np.where(dirty, f(1) - dirt, f(1))
    kf = kf * np.where(wall & (v < f(0.45)), f(0.75), f(1))
    pk = np.floor(wu + f(0.5))
    dpipe = np.abs(wu - pk) * spacing
    pipe = wall & ~opening & (dpipe < f(0.05)) & (pk - pipes * np.floor(pk / pipes) == 0)
    pipe_tone = f(0.2) + f(0.25) * (f(1) - dpipe / f(0.05))
    # shop fronts (slot 2): mullions every 1.25 m and a transom, displays of uneven brightness behind the glass
    shop = slot == 2
    mull = np.maximum(lines(u, 1.25, 0.06, fp), lines(v, 2.65, 0.06, fp))
    disp = hash01(
        np.floor(u / f(0.45)).astype(np.int32) + obj * 53, np.floor(v / f(0.3)).astype(np.int32), seed + 15
    )
    shopk = (f(0.6) + f(0.6) * (disp * disp)) * (f(1) - f(0.7) * mull)
    base = g.albedo[r] * m[:, None]
    alb = base * np.where(shop, shopk, kf)[:, None]
    alb = np.where(pipe[:, None], alb + (pipe_tone[:, None] - alb) * fade(0.1, fp)[:, None], alb)
    # frames fade into the glass they surround once below a pixel (a quarter of a far window's area)
    ff = fade(0.07, fp)
    kfr = (f(0.25) + f(0.75) * ff)[:, None]
    rev = base * reveal_tone[:, None]
    rev = np.where(reveal_frame[:, None], rev + (frame_tone[:, None] - rev) * kfr, rev)
    alb = np.where(reveal[:, None], rev, alb)
    gl = gval[:, None] * tint
    gl = gl + (frame_tone[:, None] - gl) * np.where(framed[:, None], kfr, (f(0.25) - f(0.25) * ff)[:, None])
    g.albedo[r] = np.where(glass[:, None], gl, alb)
    pane = glass & ~framed
    g.rough[r] = np.where(pane, f(0.05), np.where(shop, f(0.08), g.rough[r]))
    lit = pane & (cell > 0.6)
    warm = (
        np.array([1.0, 0.72, 0.42], F32) * (1 - cell)[:, None]
        + np.array([0.8, 0.85, 0.9], F32) * cell[:, None]
    )
    glow = 0.5 + 0.5 * noise(u, v, 0.5, seed + 7)  # curtains, lamps inside: uneven
    g.emit[r] += (lit * glow * (night * 0.06) * (0.3 + 2 * (cell - 0.6)))[:, None] * warm
    # shop signs (slot 4): a line of block letters, light on dark signs and dark on light ones
    lu = u / 0.24
    letter = (hash01(np.floor(lu).astype(np.int32) + obj * 131, zero, seed + 8) > 0.3) & (
        np.abs(lu - np.floor(lu) - 0.5) < 0.33
    )
    sign = slot == 4
    band = sign & letter & (np.abs(g.normal[r, 2]) < 0.5) & (np.abs(v - SIGN_Z) < 0.14)
    ink = np.where(g.albedo[r].mean(axis=1, keepdims=True) > 0.3, F32(0.03), F32(0.85))
    inked = (band * fade(0.1, fp) > 0.5)[:, None]
    g.albedo[r] = np.where(inked, ink, g.albedo[r])
    g.emit[r] = np.where(inked, g.emit[r] * np.where(ink > 0.5, F32(2), F32(0.1)), g.emit[r])  # lit letters
    return np.where(pane, mirror, np.where(shop, f(0.35), f(0)))


def _leaf_noise(x: np.ndarray, y: np.ndarray, z: np.ndarray, scale: float, seed: int) -> np.ndarray:
    """Value noise in [0,1] of a point in space rather than of a surface's 2D coordinates: the noise on two
    oblique planes (the larger of the two weighted more, which keeps most of one's contrast), so a leaf pattern
    neither smears on a facet seen edge-on nor is cut along a crown blob's facet edges."""
    f = F32
    a = noise(x + f(0.57) * z, y - f(0.38) * z, scale, seed)
    b = noise(y + f(0.45) * x, z - f(0.62) * x, scale, seed + 50)
    return np.maximum(a, b) * f(0.7) + np.minimum(a, b) * f(0.3)


def _foliage(
    g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int
) -> np.ndarray:
    """Leaves (every slot but 1 bark and 4 stake), in space: sprays of leaves (12 cm) over twig clumps (35 cm),
    dark gaps where they part (the shade inside the crown), lit tops, single leaves (4 cm) where pixels resolve
    them. Every spray's and clump's normal leans its own way, and all of them out from the middle of what is seen
    of their crown, so sun and sky light the crown spray by spray with a lit and a shaded side, and a crown blob's
    flat facets dissolve. Features below about two pixels fade out (photographed crowns are structured at the
    scale of sprays, not speckled pixel by pixel). Bark: vertical furrows, lichen patches."""
    f = F32
    slot = g.slot[r]
    x, y, z = g.pos[r, 0], g.pos[r, 1], g.pos[r, 2]
    wide = fp * f(1.5)
    fine_k, spray_k = fade(0.04, wide), fade(0.12, wide)
    spray = _leaf_noise(x, y, z, 0.12, seed)
    twig = _leaf_noise(x, y, z, 0.35, seed + 2)
    fine = _leaf_noise(x, y, z, 0.04, seed + 1)
    cover = f(0.5) + (f(0.6) * spray + f(0.4) * twig - f(0.5)) * (f(0.6) + f(0.8) * spray_k)
    gaps = np.clip((f(0.5) - cover) * f(5), 0, 1)
    shine = np.clip((cover - f(0.56)) * f(4), 0, 1)
    leaf = (f(1) + f(0.8) * (fine - f(0.5)) * fine_k) * (f(1) - f(0.8) * gaps) * (f(1) + f(0.6) * shine)
    pa, qa = (
        x + f(0.57) * z,
        y - f(0.38) * z,
    )  # the two planes of _leaf_noise, for the cheaper single-plane noises
    pb, qb = y + f(0.45) * x, z - f(0.62) * x
    m = leaf * (f(0.75) + f(0.5) * noise(pb, qb, 0.9, seed + 3))  # big clumps
    wood = (slot == 1) | (slot == 4)
    k = np.flatnonzero(wood)  # bark (on its few pixels only): vertical furrows, lichen
    if len(k):
        uk, vk = u[k], v[k]
        furrow = noise(uk, vk * f(0.12), 0.035, seed + 4)
        lichen = np.clip((noise(uk, vk, 0.25, seed + 5) - f(0.6)) * f(3), 0, 1)
        m[k] = (f(0.55) + f(0.7) * furrow * (f(0.6) + f(0.8) * noise(uk, vk, 0.04, seed + 6))) * (
            f(1) + f(0.6) * lichen
        )
    g.albedo[r] *= m[:, None]
    # the lean: per spray (faded with the sprays) and per twig clump, and out from the crown's middle (per
    # object, the mean of its leaf pixels), the blob facet's own normal mostly replaced
    lean = np.where(wood, f(0.3), f(0.5) + f(1.3) * spray_k)
    dn = (
        np.column_stack(
            [
                (noise(pa, qa, 0.12, seed + 7) - f(0.5)) * spray_k + (twig - f(0.5)),
                (noise(pb, qb, 0.12, seed + 8) - f(0.5)) * spray_k + (noise(pa, qa, 0.35, seed + 9) - f(0.5)),
                (spray - f(0.5)) * spray_k + (twig - f(0.5)) * f(0.6),
            ]
        )
        * lean[:, None]
    )
    leafy = ~wood
    obj = g.obj[r]
    w = leafy.astype(np.float64)
    cnt = np.maximum(np.bincount(obj, w), 1.0)
    pos = g.pos[r]
    centre = np.column_stack([np.bincount(obj, w * pos[:, c]) / cnt for c in range(3)]).astype(F32)
    out = pos - centre[obj]
    out *= (np.where(leafy, f(1.4), f(0)) / np.maximum(np.sqrt(np.einsum("ij,ij->i", out, out)), f(1e-3)))[
        :, None
    ]
    dn += out
    dn -= np.where(leafy, f(0.6), f(0))[:, None] * g.normal[r]
    bump(g, r, dn)
    return np.zeros(len(r), F32)


PAINT_COAT = (
    1.0  # the clear coat's mirror reflectivity: Schlick's Fresnel alone (~4 % head-on, ~25 % grazing)
)


def _paint(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    """Vehicles (slot 0 paint, 1 glass, 2 rubber). The paint mirrors its surroundings (a horizon on the sides,
    streaks of reflected buildings; the per-pixel lighting's sky reflection adds the rest). Every vehicle its own state: road grime rising from the sills
    (a grey-brown film, strongest on a dirty car), its own polish (roughness and clear-coat mirror strength);
    tinted glass with the interior showing through it: seats and headrests (blobs a hand or two across) darken it
    and break up its reflections, the far side's windows lighten it."""
    slot = g.slot[r]
    obj = g.obj[r]
    z = g.pos[r, 2]
    grime_lvl = hash01(obj, np.full_like(obj, 1), seed + 7) ** 2  # most cars fairly clean, a few filthy
    polish = hash01(obj, np.full_like(obj, 2), seed + 7)
    paint = slot == 0
    low = np.clip((F32(0.6) - z) / F32(0.45), 0, 1)
    film = grime_lvl * (F32(0.25) + F32(0.75) * noise(u, v, 0.3, seed + 2)) * (low + F32(0.15)) * paint
    film = np.clip(film, 0, 0.85)[:, None]
    g.albedo[r] = g.albedo[r] * (1 - F32(0.7) * film) + F32(0.7) * film * np.array([0.1, 0.085, 0.065], F32)
    # the surroundings mirrored in the clear coat, which a flat-shaded panel lacks: on the sides a horizon (the
    # sky over the shoulder, the dark road below it) and long horizontal streaks of reflected buildings and trees
    side = paint & (np.abs(g.normal[r, 2]) < 0.6)
    horizon = np.clip((z - F32(0.35)) / F32(0.6), 0, 1)
    streak = noise(u * F32(0.35), v * F32(3.0), 0.5, seed + 5) - F32(0.5)
    mirror = np.where(side, F32(0.8) + F32(0.35) * horizon, F32(1)) + F32(0.45) * streak * paint
    g.albedo[r] = g.albedo[r] * mirror[:, None] + (F32(0.02) * (streak + F32(0.5)) * paint)[:, None]
    dirt = (noise(u, v, 0.4, seed) - 0.5) * 0.08 + np.clip(0.4 - z, 0, 0.4) * 0.4 * paint
    rubber = (noise(u, v, 0.05, seed + 1) - 0.5) * 0.3 * (slot == 2)
    glass = slot == 1
    blob = noise(u, v, 0.22, seed + 3)
    interior = (F32(0.55) + F32(1.1) * blob) * (F32(0.85) + F32(0.3) * noise(u, v, 0.7, seed + 4))
    seen = fade(0.22, fp)  # below a pixel the interior averages out
    inside = np.where(glass, 1 + (interior - 1) * seen, 1)
    g.albedo[r] *= ((1 - dirt + rubber) * inside)[:, None]
    rough = F32(0.18) + F32(0.3) * polish + F32(0.25) * grime_lvl
    g.rough[r] = np.where(paint, rough, np.where(glass, 0.05, g.rough[r]))
    # the clear coat's share of Schlick's mirror: a polished clean car all of it, a dull dirty one a sixth
    coat = F32(PAINT_COAT) * np.clip(
        (F32(0.16) - F32(0.08) * polish - F32(0.06) * grime_lvl) / F32(0.12), 0, 1
    )
    through = np.clip(F32(1.25) - F32(0.5) * blob * seen, 0.6, 1.0)  # dark interior kills less reflection
    return np.where(paint, coat, np.where(glass, F32(0.5) * through, 0)).astype(F32)


def _fabric(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    slot = g.slot[r]
    weave = (noise(u, v, 0.01, seed) - 0.5) * fade(0.01, fp) * 0.4
    folds = (noise(u, v * 0.5, 0.08, seed + 1) - 0.5) * 0.45
    m = 1 + np.where(slot == 1, 0.3 * folds, weave + folds)
    g.albedo[r] *= m[:, None]
    return np.zeros(len(r), F32)


def _fur(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    m = 1 + (noise(u, v, 0.02, seed) - 0.5) * fade(0.02, fp) * 0.5 + (noise(u, v, 0.2, seed + 1) - 0.5) * 0.4
    g.albedo[r] *= m[:, None]
    return np.zeros(len(r), F32)


def _metal(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    m = 1 + (noise(u, v, 0.3, seed) - 0.5) * 0.2 + (noise(u, v, 0.03, seed + 1) - 0.5) * fade(0.03, fp) * 0.15
    g.albedo[r] *= m[:, None]
    return np.full(len(r), 0.05, F32)


Texture = Callable[[GBuffer, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int], np.ndarray]
TEXTURES: dict[str, Texture] = {
    "asphalt": _asphalt,
    "paving": _paving,
    "grass": _grass,
    "foliage": _foliage,
    "paint": _paint,
    "fabric": _fabric,
    "fur": _fur,
    "metal": _metal,
}
SEEDS = {name: 100 * k for k, name in enumerate([*TEXTURES, "facade"], start=1)}


def _house(g: GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int) -> np.ndarray:
    from simvision.render.house_texture import house  # (it imports this module)

    return house(g, r, u, v, fp, seed)


TEXTURES["house"] = _house  # suburban houses; registered after SEEDS so the other kinds keep their seeds
SEEDS["house"] = 100 * (len(SEEDS) + 1)


def apply(g: GBuffer, kinds: list[str], night: float, kernels_on: bool = True) -> np.ndarray:
    """Texture every pixel by its object's kind (``kinds[object index]``); returns (N,) mirror reflectivity.
    A material with a numba twin in :data:`simvision.render.texture_kernels.KERNELS` runs that (the same bits);
    ``kernels_on=False``: the numpy functions only (the reference)."""
    u, v = surface_uv(g.pos, g.normal)
    reflect = np.zeros(len(g.obj), F32)
    names = sorted(set(kinds) & set(SEEDS))
    code = np.array([names.index(k) if k in SEEDS else -1 for k in kinds] or [-1], np.int32)[g.obj]
    from simvision.render import texture_kernels as tk  # (it imports this module)

    for c, name in enumerate(names):
        rows = np.flatnonzero(code == c)
        if len(rows) == 0:
            continue
        (tk.tint if kernels_on else _tint)(g, rows, g.obj[rows], 0.12)
        args = (g, rows, u[rows], v[rows], g.footprint[rows], SEEDS[name])
        fn = (tk.KERNELS.get(name) if kernels_on else None) or (
            _facade if name == "facade" else TEXTURES[name]
        )
        reflect[rows] = fn(*args, night) if name == "facade" else fn(*args)
    np.clip(g.albedo, 0, 1, out=g.albedo)
    return reflect


def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    """sRGB values in [0,1] to linear (the IEC 61966-2-1 curve)."""
    return np.where(c <= 0.04045, c / F32(12.92), ((c + F32(0.055)) / F32(1.055)) ** F32(2.4)).astype(F32)


_MIPS: dict[int, tuple[np.ndarray, list[np.ndarray]]] = {}


def _mips(image: np.ndarray) -> list[np.ndarray]:
    """Linear-light float mip chain of an sRGB uint8 image (area-averaged halvings down to a few texels); kept for
    read-only images (the cached rasters of plates and signs, drawn again frame after frame)."""
    hit = _MIPS.get(id(image))
    if hit is not None and hit[0] is image:
        return hit[1]
    out = _mip_chain(image)
    if not image.flags.writeable:
        if len(_MIPS) > 512:
            _MIPS.clear()
        _MIPS[id(image)] = (image, out)
    return out


def _mip_chain(image: np.ndarray) -> list[np.ndarray]:
    out = [srgb_to_linear(image.astype(F32) / F32(255))]
    while min(out[-1].shape[:2]) > 4:
        h, w = out[-1].shape[:2]
        out.append(cv2.resize(out[-1], (max(w // 2, 1), max(h // 2, 1)), interpolation=cv2.INTER_AREA))
    return out


def _bilinear(tex: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(N,3) samples of ``tex`` at (u, v) in [0,1] (texel centres at (i+0.5)/size, clamped at the edges)."""
    h, w = tex.shape[:2]
    x = np.clip(u * w - F32(0.5), 0, w - 1)
    y = np.clip(v * h - F32(0.5), 0, h - 1)
    x0, y0 = np.minimum(x.astype(np.int32), w - 2), np.minimum(y.astype(np.int32), h - 2)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    top = tex[y0, x0] * (1 - fx) + tex[y0, x0 + 1] * fx
    bottom = tex[y0 + 1, x0] * (1 - fx) + tex[y0 + 1, x0 + 1] * fx
    return (top * (1 - fy) + bottom * fy).astype(F32)


def apply_decals(g: GBuffer, objects: Sequence) -> None:
    """Print every object's decals (``WorldObject.decals``: number plates) into the albedo: a pixel of the decal's
    slot on the decal's plane and inside its rectangle takes the image's colour at its own world position's
    coordinates on the rectangle (so the mapping is perspective-correct), from the mip level whose texels match
    the pixel's footprint (no aliasing on far plates)."""
    having = [o for o, obj in enumerate(objects) if obj.decals]
    if not having:
        return
    near = np.flatnonzero(np.isin(g.obj, having))  # one pass over the frame, then per object among these
    for o in having:
        mine = near[g.obj[near] == o]
        for d in objects[o].decals:
            rows = mine[g.slot[mine] == d.slot]
            if len(rows) == 0:
                continue
            c = np.asarray(d.corners, F32)
            eu, ev = c[1] - c[0], c[3] - c[0]
            n = np.cross(eu, ev)
            n /= np.linalg.norm(n)
            rel = g.pos[rows] - c[0]
            u = (rel * eu).sum(axis=1) / F32(eu @ eu)
            v = (rel * ev).sum(axis=1) / F32(ev @ ev)
            on = (np.abs((rel * n).sum(axis=1)) < 0.01) & (u > -0.01) & (u < 1.01) & (v > -0.01) & (v < 1.01)
            if not on.any():
                continue
            rows, u, v = rows[on], u[on], v[on]
            mips = _mips(d.image)
            texel = float(np.linalg.norm(eu)) / d.image.shape[1]
            level = np.clip(np.log2(np.maximum(g.footprint[rows] / F32(texel), F32(1e-6))), 0, len(mips) - 1)
            level = np.round(level).astype(np.int32)
            for k in np.unique(level).tolist():
                sel = level == k
                g.albedo[rows[sel]] = _bilinear(mips[k], u[sel], v[sel])
            g.rough[rows] = F32(0.4)
