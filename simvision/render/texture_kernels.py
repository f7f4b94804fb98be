"""numba twins of the per-material textures of :mod:`simvision.render.textures` (issue 15).

One kernel per material, with the signature of its numpy function there (``(g, rows, u, v, footprint, seed)``,
plus ``night`` for facades), registered in :data:`KERNELS`; :func:`simvision.render.textures.apply` runs the kernel
where a material has one and the numpy function otherwise. The numpy function stays the reference: a kernel does
its float32 operations in the same order per pixel and must give the same bits
(tests/render/test_shading_kernels.py checks every registered kernel on street frames). To port another material,
or re-port one whose numpy formula changed: write its ``@njit`` loop here with :func:`noise1` / :func:`hash1` /
:func:`lines1` / :func:`fade1`, every constant a ``np.float32``, and add it to :data:`KERNELS`; to drop a port,
remove its entry.
"""

from __future__ import annotations

import numba
import numpy as np

from simvision.render import textures
from simvision.render.shading_kernels import hash1, noise1, seed_mix
from simvision.world.world import FACADE_GROUND, FACADE_STOREY

F32 = np.float32


@numba.njit(cache=True, nogil=True)
def fade1(size, fp):  # noqa: ANN001, ANN201
    """:func:`textures.fade` at one pixel (``size`` a float32)."""
    return min(max(size / fp - np.float32(0.5), np.float32(0)), np.float32(1))


@numba.njit(cache=True, nogil=True)
def lines1(coord, period, width, fp):  # noqa: ANN001, ANN201
    """:func:`textures.lines` at one pixel (``period``, ``width`` float32; ``width / 2`` is exact)."""
    q = coord / period
    d = abs(q - np.rint(q)) * period
    fp = max(fp, np.float32(1e-4))
    a = min(max((width / np.float32(2) - d) / fp + np.float32(0.5), np.float32(0)), np.float32(1))
    return a * min(np.float32(1), width / fp + np.float32(0.3))


@numba.njit(cache=True, nogil=True)
def tint_kernel(albedo, rows, obj, amount, mix):  # noqa: ANN001, ANN201
    """:func:`textures._tint`: ``albedo[rows[k], c] *= 1 + amount * (hash(obj[k], c) - 0.5)``."""
    for k in range(rows.shape[0]):
        for c in range(3):
            albedo[rows[k], c] *= np.float32(1) + amount * (hash1(np.int64(obj[k]), c, mix) - np.float32(0.5))


@numba.njit(cache=True, nogil=True)
def facade_kernel(  # noqa: PLR0912, PLR0913, PLR0915
    u, v, fp, obj, slot, nz, pu, pv, sky, rows, seed, night06, albedo, rough, emit, out
):  # noqa: ANN001, ANN201
    """:func:`textures._facade` per pixel, float32 throughout in numpy's order; ``albedo``, ``rough``, ``emit``
    are the whole G-buffer's, changed at ``rows``; ``out`` the mirror reflectivity per row; ``pu``, ``pv``
    :func:`textures.view_slopes` (with ``sky``). ``night06`` = float32(night * 0.06)."""
    f = np.float32
    zero, one, half = f(0), f(1), f(0.5)
    ground, storey, sign_z = f(FACADE_GROUND), f(FACADE_STOREY), f(textures.SIGN_Z)
    m0, m1, m2, m3 = seed_mix1(seed), seed_mix1(seed + 1), seed_mix1(seed + 2), seed_mix1(seed + 3)
    m4, m5, m6, m7, m8 = (
        seed_mix1(seed + 4),
        seed_mix1(seed + 5),
        seed_mix1(seed + 6),
        seed_mix1(seed + 7),
        seed_mix1(seed + 8),
    )
    m9 = seed_mix1(seed + 9)
    m11, m12, m13 = seed_mix1(seed + 11), seed_mix1(seed + 12), seed_mix1(seed + 13)
    m14, m15 = seed_mix1(seed + 14), seed_mix1(seed + 15)
    for k in range(rows.shape[0]):
        row = rows[k]
        uk, vk, fk, ob, sl = u[k], v[k], fp[k], np.int64(obj[k]), slot[k]
        brick = hash1(ob, 0, m0) < f(0.4)
        course = np.floor(vk / f(0.075))
        us = uk + f(np.int32(course) & 1) * f(0.12)
        stain = (noise1(uk, vk, f(1.0 / 2.0), m2) - half) * f(0.3) + (
            noise1(uk, vk, f(1.0 / 0.2), m3) - half
        ) * f(0.3)
        grain = (noise1(uk, vk, f(1.0 / 0.02), m4) - half) * fade1(f(0.02), fk) * f(0.35)
        streak = (noise1(uk, vk * f(0.08), f(1.0 / 0.3), m9) - half) * f(0.25)
        wall = sl == 0 and abs(nz[k]) < half
        extra = zero
        if brick and sl == 0:
            mortar = max(lines1(vk, f(0.075), f(0.012), fk), lines1(us, f(0.24), f(0.012), fk))
            brick_tone = (
                hash1(np.int64(np.int32(np.floor(us / f(0.24)))), np.int64(np.int32(course)), m1) - half
            )
            extra = f(0.2) * brick_tone * fade1(f(0.08), fk) - f(0.4) * mortar
        m = one + stain + grain + streak + extra
        spacing = f(2.6) + f(1.2) * hash1(ob, 0, m5)
        hw = spacing * (f(0.17) + f(0.1) * hash1(ob, 1, m5))
        top = storey * (f(0.74) + f(0.1) * hash1(ob, 2, m5))
        bot = f(0.8)
        depth = f(0.08) + f(0.16) * hash1(ob, 3, m5)
        wu = uk / spacing
        wv = (vk - ground) / storey
        fu, fv = np.floor(wu), np.floor(wv)
        x = (wu - fu - half) * spacing
        y = (wv - fv) * storey
        ax = abs(x)
        above = wall and vk > ground
        opening = above and ax < hw and y > bot and y < top
        glass = False
        reveal = False
        framed = False
        cell = zero
        gval = zero
        curtain = False
        reveal_tone = zero
        mirror = zero
        if opening:
            puk, pvk = pu[k], pv[k]
            tx = (hw + x if puk > 0 else hw - x) / max(abs(puk), f(1e-4))
            ty = (y - bot if pvk > 0 else top - y) / max(abs(pvk), f(1e-4))
            tt = min(tx, ty)
            glass = tt >= depth
            reveal = not glass
            if reveal:
                if tx < ty:
                    side = f(0.65) if (puk > 0) == (hash1(ob, 7, m5) < half) else f(0.42)
                else:
                    side = f(1.0) if pvk > 0 else f(0.3)
                reveal_tone = side * (one - f(0.45) * (tt / depth))
                framed = tt > depth - f(0.07)
            else:
                xg, yg = x - depth * puk, y - depth * pvk
                edge = min(min(hw - abs(xg), yg - bot), top - yg)
                transom = bot + f(0.68) * (top - bot)
                framed = (
                    edge < f(0.07) or (hw > f(0.45) and abs(xg) < f(0.035)) or abs(yg - transom) < f(0.035)
                )
                cid = np.int64(np.int32(np.int32(fu) + np.int32(ob * 997)))
                crow = np.int64(np.int32(fv))
                cell = hash1(cid, crow, m6)
                c2, c3 = hash1(cid, crow, m11), hash1(cid, crow, m12)
                refl = f(0.02) + f(0.04) * cell
                mirror = (
                    (f(0.3) + f(0.35) * ((yg - bot) / (top - bot)))
                    * (f(0.7) + f(0.6) * cell)
                    * (f(0.15) + f(0.85) * sky[k])
                )
                drape = c2 < f(0.25) and abs(xg) > hw * (f(0.35) + f(0.4) * c3)
                blind = c2 >= f(0.4) and c2 < f(0.55) and yg > top - (top - bot) * c3
                net = c2 >= f(0.25) and c2 < f(0.4)
                curtain = drape or blind
                if curtain:
                    folds = (
                        (noise1(uk, vk * f(0.05), f(1.0 / 0.05), m13) - half) * f(0.4) * fade1(f(0.05), fk)
                    )
                    cloth = (f(0.2) + f(0.3) * c3) * (one + folds)
                    gval = cloth + half * refl
                elif net:
                    gval = half * refl + f(0.12)
                else:
                    gval = refl
                curtain = curtain or net
        shop = sl == 2
        if glass:
            tone = f(0.8) if hash1(ob, 4, m5) < f(0.65) else f(0.12)
            ff = fade1(f(0.07), fk)
            kfr = f(0.25) + f(0.75) * ff if framed else f(0.25) - f(0.25) * ff
            for c in range(3):
                if curtain:
                    t = f(1.0) if c == 0 else (f(0.96) if c == 1 else f(0.88))
                else:
                    t = f(0.9) if c == 0 else (f(1.0) if c == 1 else f(1.12))
                gl = gval * t
                albedo[row, c] = gl + (tone - gl) * kfr
        elif reveal:
            tone = f(0.8) if hash1(ob, 4, m5) < f(0.65) else f(0.12)
            kfr = f(0.25) + f(0.75) * fade1(f(0.07), fk)
            for c in range(3):
                a = albedo[row, c] * m * reveal_tone
                albedo[row, c] = a + (tone - a) * kfr if framed else a
        else:
            if shop:
                mull = max(lines1(uk, f(1.25), f(0.06), fk), lines1(vk, f(2.65), f(0.06), fk))
                disp = hash1(
                    np.int64(np.int32(np.int32(np.floor(uk / f(0.45))) + np.int32(ob * 53))),
                    np.int64(np.int32(np.floor(vk / f(0.3)))),
                    m15,
                )
                kf = (f(0.6) + f(0.6) * (disp * disp)) * (one - f(0.7) * mull)
            else:
                kf = one
                if wall:
                    thin = fade1(f(0.12), fk)
                    ledged = hash1(ob, 5, m5) < f(0.55)
                    if above and ledged and y < f(0.16):
                        kf = one + f(0.25) * thin
                    if ledged and vk > f(FACADE_GROUND - 0.2) and y > f(FACADE_STOREY - 0.1):
                        kf = kf * (one - f(0.5) * thin)
                    if above:
                        if (
                            not brick
                            and hash1(ob, 8, m5) < half
                            and ax < hw + f(0.13)
                            and y > bot - f(0.06)
                            and y < top + f(0.13)
                        ):
                            kf = kf * f(1.15)
                        if ax < hw + f(0.06) and y <= bot and y > bot - f(0.06):
                            kf = kf * (one + f(0.35) * thin)
                        if ax < hw + f(0.06) and y <= bot - f(0.06) and y > bot - f(0.16):
                            kf = kf * (one - f(0.35) * thin)
                        if ax < hw and y <= bot - f(0.06):
                            dirt = (
                                min(max(one - (bot - y) / f(1.4), zero), one)
                                * noise1(uk, vk * f(0.1), f(1.0 / 0.12), m14)
                                * f(0.35)
                            )
                            kf = kf * (one - dirt)
                    if vk < f(0.45):
                        kf = kf * f(0.75)
            pipe = False
            dpipe = zero
            if wall:
                pk = np.floor(wu + half)
                dpipe = abs(wu - pk) * spacing
                if dpipe < f(0.05):
                    pipes = f(3) + np.floor(f(4) * hash1(ob, 6, m5))
                    pipe = pk - pipes * np.floor(pk / pipes) == zero
            for c in range(3):
                a = albedo[row, c] * m * kf
                if pipe:
                    a = a + (f(0.2) + f(0.25) * (one - dpipe / f(0.05)) - a) * fade1(f(0.1), fk)
                albedo[row, c] = a
        pane = glass and not framed
        if pane:
            rough[row] = f(0.05)
        elif shop:
            rough[row] = f(0.08)
        if pane and cell > f(0.6):
            glow = half + half * noise1(uk, vk, f(1.0 / 0.5), m7)
            s = glow * night06 * (f(0.3) + f(2) * (cell - f(0.6)))
            c1 = one - cell
            emit[row, 0] += s * (f(1.0) * c1 + f(0.8) * cell)
            emit[row, 1] += s * (f(0.72) * c1 + f(0.85) * cell)
            emit[row, 2] += s * (f(0.42) * c1 + f(0.9) * cell)
        if sl == 4 and abs(nz[k]) < half and abs(vk - sign_z) < f(0.14):
            lu = uk / f(0.24)
            fl = np.floor(lu)
            letter = hash1(np.int64(np.int32(np.int32(fl) + np.int32(ob * 131))), 0, m8) > f(0.3) and abs(
                lu - fl - half
            ) < f(0.33)
            if letter and fade1(f(0.1), fk) > half:
                mean = (albedo[row, 0] + albedo[row, 1] + albedo[row, 2]) / f(3)
                ink = f(0.03) if mean > f(0.3) else f(0.85)
                gain = f(2) if ink > half else f(0.1)
                for c in range(3):
                    albedo[row, c] = ink
                    emit[row, c] = emit[row, c] * gain
        out[k] = mirror if pane else (f(0.35) if shop else zero)


@numba.njit(cache=True, nogil=True)
def octave1(u, v, size, inv, mix, fp, amp):  # noqa: ANN001, ANN201, PLR0913
    """``(noise(u, v, size) - 0.5) * fade(size, fp) * amp``, skipping the noise where the fade is 0 (numpy's
    product is then +-0, which the textures only ever add to a non-zero sum: the same bits)."""
    fd = fade1(size, fp)
    if fd > np.float32(0):
        return (noise1(u, v, inv, mix) - np.float32(0.5)) * fd * amp
    return np.float32(0)


@numba.njit(cache=True, nogil=True)
def asphalt_kernel(u, v, fp, slot, rows, seed, albedo, rough):  # noqa: ANN001, ANN201
    """:func:`textures._asphalt` per pixel: aggregate octaves, tone, worn areas and cracks on the body slots (0, 3,
    5, 6; oil drips on 7); worn, faded and chipped lane paint (slot 1), manhole grids (slot 2), crack sealant
    (slot 4)."""
    f = np.float32
    zero, one, half = f(0), f(1), f(0.5)
    ms = np.empty(16, np.uint64)
    for j in range(16):
        ms[j] = seed_mix1(seed + j)
    for k in range(rows.shape[0]):
        uk, vk, fk, sl = u[k], v[k], fp[k], slot[k]
        grain = octave1(uk, vk, f(0.03), f(1.0 / 0.03), ms[0], fk, f(0.25))
        if sl == 1:
            wear = min(max((noise1(uk, vk, f(1.0 / 0.25), ms[5]) - f(0.62)) * f(3), zero), f(0.6))
            dull = noise1(uk, vk, f(1.0 / 3.0), ms[14]) * f(0.3)
            chip = zero
            fd = fade1(f(0.04), fk)
            if fd > zero:  # (a faded chip is 0 either way: 1 - 0.85 * chip is exactly 1)
                chip = min(max((noise1(uk, vk, f(1.0 / 0.04), ms[15]) - f(0.7)) * f(4), zero), one) * fd
            m = (
                ((one + f(0.6) * grain) * (one - wear) + wear * f(0.25))
                * (one - dull)
                * (one - f(0.85) * chip)
            )
            r = f(0.5)
        elif sl == 2:
            grid = max(lines1(uk, f(0.06), f(0.02), fk), lines1(vk, f(0.06), f(0.02), fk))
            m = one + f(0.8) * grid + half * grain
            r = f(0.4)
        elif sl == 4:
            m = one + f(0.3) * grain
            r = f(0.3)
        else:
            stones = zero
            fd = fade1(f(0.012), fk)
            if fd > zero:
                n = noise1(uk, vk, f(1.0 / 0.012), ms[7])
                light = min(max((n - f(0.7)) * f(4), zero), one)
                dark = min(max((f(0.3) - n) * f(4), zero), one)
                stones = (light - dark) * fd * half
            mottle = octave1(uk, vk, f(0.07), f(1.0 / 0.07), ms[8], fk, f(0.4))
            mid = octave1(uk, vk, f(0.12), f(1.0 / 0.12), ms[1], fk, f(0.3)) + octave1(
                uk, vk, f(0.5), f(1.0 / 0.5), ms[6], fk, f(0.2)
            )
            patch = (noise1(uk, vk, f(1.0 / 4.0), ms[2]) - half) * f(0.3)
            tone = (noise1(uk, vk, f(1.0 / 16.0), ms[9]) - half) * f(0.35)
            worn = min(max((noise1(uk, vk, f(1.0 / 2.5), ms[10]) - f(0.55)) * f(1.5), zero), f(0.3))
            crack = zero
            fd = fade1(f(0.05), fk)
            if fd > zero and noise1(uk, vk, f(1.0 / 7.0), ms[3]) > half:
                ridge = abs(noise1(uk, vk, f(1.0 / 1.3), ms[4]) - half)
                crack = min(max(one - ridge / f(0.025), zero), one) * fd
            fd = fade1(f(0.03), fk)
            if fd > zero and noise1(uk, vk, f(1.0 / 5.0), ms[11]) > f(0.68):
                fine = abs(noise1(uk, vk, f(1.0 / 0.35), ms[12]) - half)
                crack = max(crack, min(max(one - fine / f(0.03), zero), one) * fd)
            oil = zero
            if sl == 7:
                oil = min(max((noise1(uk, vk, f(1.0 / 0.3), ms[13]) - f(0.62)) * f(3.5), zero), one) * f(0.3)
            m = (
                (one + stones + grain + mottle + mid + patch + tone + worn)
                * (one - f(0.65) * crack)
                * (one - oil)
            )
            r = f(0.7) if sl == 5 or sl == 6 else f(0.85)
        row = rows[k]
        for c in range(3):
            albedo[row, c] *= m
        rough[row] = r


@numba.njit(cache=True, nogil=True)
def paving_kernel(u, v, fp, obj, slot, nz, rows, seed, albedo):  # noqa: ANN001, ANN201
    """:func:`textures._paving` per pixel: slabs (0.5 or 0.75 m by object) with joints, kerb stones (slot 1) with
    a joint every metre; tone, grain, dirt, weathering and spots."""
    f = np.float32
    one, half = f(1), f(0.5)
    m0, m1, m2 = seed_mix1(seed), seed_mix1(seed + 1), seed_mix1(seed + 2)
    m3, m4 = seed_mix1(seed + 3), seed_mix1(seed + 4)
    for k in range(rows.shape[0]):
        uk, vk, fk = u[k], v[k], fp[k]
        kerb = slot[k] == 1
        if kerb:
            slab = one
        else:  # numpy: 0.5 + 0.25 * bool is float64, then rounded to float32 (exact here)
            slab = f(0.75) if hash1(np.int64(obj[k]), 0, m0) > half else f(0.5)
        joints = f(0)
        if kerb or abs(nz[k]) > f(0.6):
            joints = max(lines1(uk, slab, f(0.015), fk), lines1(vk, slab, f(0.015), fk))
        tile = (
            hash1(np.int64(np.int32(np.floor(uk / slab))), np.int64(np.int32(np.floor(vk / slab))), m0) - half
        )
        grain = octave1(uk, vk, f(0.02), f(1.0 / 0.02), m1, fk, f(0.45))
        dirt = (noise1(uk, vk, f(1.0 / 1.5), m2) - half) * f(0.3)
        weather = (noise1(uk, vk, f(1.0 / 6.0), m3) - half) * f(0.3)
        spots = f(0)
        fd = fade1(f(0.05), fk)
        if fd > f(0):
            spots = min(max((noise1(uk, vk, f(1.0 / 0.05), m4) - f(0.75)) * f(5), f(0)), one) * fd * f(0.45)
        m = (one + f(0.22) * tile + grain + dirt + weather) * (one - half * joints) * (one - spots)
        row = rows[k]
        for c in range(3):
            albedo[row, c] *= m


@numba.njit(cache=True, nogil=True)
def seed_mix1(seed):  # noqa: ANN001, ANN201
    """:func:`seed_mix` inside a kernel."""
    return np.uint64((seed * 0x9E3779B1) & 0xFFFFFFFF)


def _facade(
    g: textures.GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int, night: float
) -> np.ndarray:
    out = np.empty(len(r), F32)
    pu, pv, sky = textures.view_slopes(g, r)
    facade_kernel(
        u, v, fp, g.obj[r], g.slot[r], g.normal[r, 2], pu, pv, sky, r, seed, F32(night * 0.06), g.albedo, g.rough,
        g.emit, out,
    )  # fmt: skip
    return out


def tint(g: textures.GBuffer, rows: np.ndarray, obj_ids: np.ndarray, amount: float) -> None:
    """:func:`textures._tint` as a kernel."""
    tint_kernel(g.albedo, rows, obj_ids, F32(amount), seed_mix(11))


def _asphalt(
    g: textures.GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int
) -> np.ndarray:
    asphalt_kernel(u, v, fp, g.slot[r], r, seed, g.albedo, g.rough)
    return np.zeros(len(r), F32)


def _paving(
    g: textures.GBuffer, r: np.ndarray, u: np.ndarray, v: np.ndarray, fp: np.ndarray, seed: int
) -> np.ndarray:
    paving_kernel(u, v, fp, g.obj[r], g.slot[r], g.normal[r, 2], r, seed, g.albedo)
    return np.zeros(len(r), F32)


KERNELS = {"facade": _facade, "asphalt": _asphalt, "paving": _paving}
assert seed_mix  # the Python twin of seed_mix1
