"""Deferred per-pixel shading of a rasterized :class:`World` for the 2D renderer.

The rasterizer's triangle map and planar depth give a G-buffer per hit pixel (world position from depth along the
camera ray, face normal, material); :mod:`simvision.render.textures` varies the material by surface kind; then
lighting: the sun (Lambert + Blinn-Phong highlight, shadowed by an orthographic-like shadow map rasterized from the
sun with the same exact rasterizer), sky ambient with a crude occlusion (contact darkening of the ground around and
under boxed objects, walls darker near the ground), lamps and head lights per pixel (inverse square, spot cones,
a highlight that makes wet roads glint); the mirror reflectivity of glass, paint and wet ground, which
:mod:`simvision.render.reflections` uses after this pass (screen-space reflections, Schlick fresnel).
Radiance is in the same units as the old per-face shading, so exposure and tonemapping are unchanged.

The per-pixel passes over the G-buffer rows (G-buffer, lamps, ambient occlusion; textures and noise in
:mod:`simvision.render.textures`) are numba kernels (:mod:`simvision.render.shading_kernels`,
:mod:`simvision.render.texture_kernels`); each keeps its numpy formula here as ``*_numpy``, the reference it is
tested against (tests/render/test_shading_kernels.py: the same bits; ambient occlusion to 1e-6, its ``exp``).
"""

from __future__ import annotations

import numpy as np

from simvision.render.shading_kernels import (
    ao_rows_kernel,
    gbuffer_kernel,
    lamp_rows_kernel,
    material_rows_kernel,
    pow60,
)
from simvision.render.textures import F32, GBuffer, apply, apply_decals, noise
from simvision.world.camera import PinholeCamera, camera_axes
from simvision.world.raster import rasterize
from simvision.world.world import World

SUN_COLOUR = np.array([1.0, 0.95, 0.88], F32)
SHADOW_TEXELS = 720  # long side of the sun's shadow map
SHADOW_REACH = 90.0
# Sun and sky gains: the flat shader's 0.35 and 1.2 left sunlit ground only ~1.4x brighter than shade; real sunny
# streets show 3-5x
SUN_GAIN = 0.5
SKY_GAIN = 0.9
LAMP_GAIN = 0.12  # lamp power to irradiance (the flat shader's 0.05 lit whole faces from their centres)  # metres from the camera over which ground gets shadows


def mat3(p: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``p @ m`` for (N,3) points and a (3,3) matrix, as three broadcast products: numpy hands the matmul to BLAS,
    which on a busy machine takes ~100x longer for this shape."""
    m = np.asarray(m, p.dtype)
    return p[:, 0:1] * m[0] + p[:, 1:2] * m[1] + p[:, 2:3] * m[2]


def sun_direction(elevation_deg: float, heading_deg: float) -> np.ndarray:
    """Unit vector towards the sun (world, Z up; heading 0 = +Y, counter-clockwise)."""
    e, h = np.deg2rad([elevation_deg, heading_deg])
    return np.array([-np.sin(h) * np.cos(e), np.cos(h) * np.cos(e), np.sin(e)])


def sky_colour(world: World) -> np.ndarray:
    day = float(np.clip((world.sun.elevation_deg + 6) / 16, 0, 1))
    if world.sun.sky == "overcast":
        return np.array([0.55, 0.57, 0.6]) * (0.02 + 0.9 * day) + np.array([0.006, 0.005, 0.004]) * (1 - day)
    dusk = np.array([0.9, 0.45, 0.25]) * 0.5
    glow = np.array([0.009, 0.008, 0.009]) * (1 - day)  # city light scattered by the night sky
    return np.array([0.3, 0.5, 0.9]) * day + dusk * (1 - day) * (world.sun.elevation_deg > -10) + 0.003 + glow


def sky_radiance(world: World, dz: np.ndarray) -> np.ndarray:
    """(N,3) sky seen along directions with up-component ``dz``: brighter and paler towards the horizon."""
    sky = sky_colour(world).astype(F32)
    h = np.clip(1 - np.abs(dz), 0, 1)[:, None] ** 3
    return sky * (0.85 + 0.45 * h) + h * 0.25 * sky.mean()


def triangle_materials(world: World, obj_of: np.ndarray, slot_of: np.ndarray) -> tuple[np.ndarray, ...]:
    """Albedo (N,3), roughness (N,), emission radiance (N,3) of (object index, slot) pairs."""
    mats = [m for o in world.objects for m in o.materials]
    count = np.array([len(o.materials) for o in world.objects])
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    row = start[obj_of] + np.minimum(slot_of, count[obj_of] - 1)
    base = np.array([m.color for m in mats], F32)
    emit = base * np.array([m.emission for m in mats], F32)[:, None] * F32(0.05)
    rough = np.array([m.roughness for m in mats], F32)
    return base[row], rough[row], emit[row]


def triangle_normals(tris: np.ndarray) -> np.ndarray:
    """(T,3) float32 unit normals of triangles (their winding's)."""
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    return n.astype(F32)


def gbuffer(
    world: World,
    tris: np.ndarray,
    obj_of: np.ndarray,
    slot_of: np.ndarray,
    tri_map: np.ndarray,
    depth: np.ndarray,
) -> tuple[GBuffer, np.ndarray]:
    """The G-buffer of every hit pixel and those pixels' flat indices (the numba kernel; to the bit
    :func:`gbuffer_numpy`)."""
    cam = world.pinhole()
    idx = np.flatnonzero(tri_map.ravel() >= 0)
    n = len(idx)
    t = np.empty(n, np.int64)
    pos, normal, view = (np.empty((n, 3), F32) for _ in range(3))
    d, footprint = np.empty(n, F32), np.empty(n, F32)
    gbuffer_kernel(
        idx, tri_map.ravel(), depth.ravel(), cam.width, cam.width / 2, cam.height / 2, float(cam.fx),
        np.asarray(cam.rotation, F32), np.asarray(cam.position, F32), triangle_normals(tris),
        t, pos, normal, view, d, footprint,
    )  # fmt: skip
    # per triangle, then per pixel: the same values as a per-pixel lookup, for far fewer rows
    tri_base, tri_rough, tri_emit = triangle_materials(world, obj_of, slot_of)
    base, emit, rough = np.empty((n, 3), F32), np.empty((n, 3), F32), np.empty(n, F32)
    obj, slot = np.empty(n, obj_of.dtype), np.empty(n, slot_of.dtype)
    material_rows_kernel(t, tri_base, tri_rough, tri_emit, obj_of, slot_of, base, rough, emit, obj, slot)
    return GBuffer(pos, normal, view, obj, slot, d, footprint, base, rough, emit), idx


def gbuffer_numpy(
    world: World,
    tris: np.ndarray,
    obj_of: np.ndarray,
    slot_of: np.ndarray,
    tri_map: np.ndarray,
    depth: np.ndarray,
) -> tuple[GBuffer, np.ndarray]:
    """:func:`gbuffer` in numpy: the kernel's reference."""
    cam = world.pinhole()
    idx = np.flatnonzero(tri_map.ravel() >= 0)
    t = tri_map.ravel()[idx]
    d = depth.ravel()[idx].astype(np.float64)
    row, col = np.divmod(idx, cam.width)
    rays = np.ones((len(idx), 3), F32)
    rays[:, 0] = (col + 0.5 - cam.width / 2) / cam.fx
    rays[:, 1] = (row + 0.5 - cam.height / 2) / cam.fx
    pos = mat3(rays * d.astype(F32)[:, None], cam.rotation) + np.asarray(cam.position, F32)
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    normal = n.astype(F32)[t]
    view = np.asarray(cam.position, F32) - pos
    view /= np.sqrt(np.maximum(np.einsum("ij,ij->i", view, view), F32(1e-12)))[:, None]
    cos = np.einsum("ij,ij->i", normal, view)
    normal *= np.where(cos < 0, F32(-1), F32(1))[:, None]  # two-sided: face the camera
    # per triangle, then per pixel: the same values as a per-pixel lookup, for far fewer rows
    base, rough, emit = (m[t] for m in triangle_materials(world, obj_of, slot_of))
    footprint = (d / cam.fx).astype(F32) / np.maximum(np.abs(cos), F32(0.15))
    g = GBuffer(pos, normal, view, obj_of[t], slot_of[t], d.astype(F32), footprint, base, rough, emit)
    return g, idx


def sun_visibility(
    world: World, tris: np.ndarray, pos: np.ndarray, normal: np.ndarray, depth: np.ndarray
) -> np.ndarray:
    """(N,) fraction of the sun each pixel sees: a shadow map from the sun, 2x2 percentage-closer filtered.

    The sun camera is a pinhole 5 km away with a narrow field of view (orthographic to within a few per cent),
    framing the visible points within ``SHADOW_REACH`` of the camera; the exact rasterizer draws it.
    """
    yaw, pitch = world.sun.heading_deg + 180.0, min(world.sun.elevation_deg, 89.5)
    axes = camera_axes(yaw, pitch, 0.0).astype(F32)
    near = depth < SHADOW_REACH
    if not near.any():
        return np.ones(len(depth), F32)
    p = mat3(pos[near], axes)
    lo, hi = p.min(axis=0) - 1.0, p.max(axis=0) + 1.0
    ext = hi[:2] - lo[:2]
    dist = 5000.0
    width = SHADOW_TEXELS if ext[0] >= ext[1] else max(int(SHADOW_TEXELS * ext[0] / ext[1]), 16)
    height = SHADOW_TEXELS if ext[1] > ext[0] else max(int(SHADOW_TEXELS * ext[1] / ext[0]), 16)
    centre = (lo + hi) / 2
    position = axes @ np.array([centre[0], centre[1], lo[2] - dist])
    fx = min(width / ext[0], height / ext[1]) * (dist + (hi[2] - lo[2]) / 2) / 1.02
    sun_cam = PinholeCamera(
        tuple(position.tolist()), yaw, pitch, 0.0, fx / width * 36.0, 36.0, width, height, 1.0, 1e7
    )
    _, smap = rasterize(tris, sun_cam)
    texel = float(dist / fx)
    pts = pos + normal * F32(1.5 * texel)  # normal offset: no self-shadow acne on lit faces
    pc = mat3(pts - np.asarray(sun_cam.position, F32), sun_cam.rotation.T).astype(np.float64)
    uv = sun_cam.project(pc) - 0.5
    x0, y0 = np.floor(uv[:, 0]).astype(np.int64), np.floor(uv[:, 1]).astype(np.int64)
    fx_, fy_ = (uv[:, 0] - x0).astype(F32), (uv[:, 1] - y0).astype(F32)
    z = pc[:, 2] - (0.03 + texel)
    vis = np.zeros(len(z), F32)
    for dx, dy, w in (
        (0, 0, (1 - fx_) * (1 - fy_)),
        (1, 0, fx_ * (1 - fy_)),
        (0, 1, (1 - fx_) * fy_),
        (1, 1, fx_ * fy_),
    ):
        xs, ys = x0 + dx, y0 + dy
        inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
        occ = np.full(len(z), np.inf, np.float32)
        occ[inside] = smap[ys[inside], xs[inside]]
        vis += w * (z <= occ)
    return vis


def _rect(world: World, centre: np.ndarray, radius: float) -> tuple[slice, slice] | None:
    """Screen rectangle (row and column slices) of a sphere (centre, radius); None when it is all behind us."""
    cam = world.pinhole()
    corners = centre + radius * np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)])
    pc = cam.to_camera(corners)
    if (pc[:, 2] <= cam.clip_start).all():
        return None
    if (pc[:, 2] <= cam.clip_start).any():
        return slice(0, cam.height), slice(0, cam.width)
    uv = cam.project(pc)
    x0, y0 = np.clip(np.floor(uv.min(axis=0)).astype(int), 0, [cam.width, cam.height])
    x1, y1 = np.clip(np.ceil(uv.max(axis=0)).astype(int) + 1, 0, [cam.width, cam.height])
    if x1 <= x0 or y1 <= y0:
        return None
    return slice(int(y0), int(y1)), slice(int(x0), int(x1))


def planes(g: GBuffer, idx: np.ndarray, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    """Full-frame (H,W) float32 planes of the G-buffer (zeros where nothing was hit), so that passes over a screen
    rectangle slice views instead of gathering rows."""
    out = {}
    for name, arr, k in (("p", g.pos, 3), ("n", g.normal, 3), ("v", g.view, 3)):
        full = np.zeros((k, shape[0] * shape[1]), F32)
        full[:, idx] = arr.T
        for c, axis in enumerate("xyz"):
            out[name + axis] = full[c].reshape(shape)
    return out


def _ao_boxes(world: World) -> list[tuple[tuple[slice, slice], tuple[float, ...]]]:
    """Per boxed object that darkens the ground around it on screen: its rectangle and (x, y, yaw, half length,
    half width, reach)."""
    out = []
    for obj in world.objects:
        b = obj.box3d
        if np.isnan(b).any() or obj.texture in ("facade", "foliage"):
            continue  # buildings and trees: walls darken near the ground already, a crown shades little
        (cx, cy, _), (ln, wd, ht), yaw = b[:3], b[3:6], b[6]
        reach = float(min(0.25 + 0.25 * ht, 1.5))
        rect = _rect(world, np.array([cx, cy, 0.0]), float(np.hypot(ln, wd) / 2 + 2 * reach))
        if rect is None or (rect[0].stop - rect[0].start) * (rect[1].stop - rect[1].start) < 16:
            continue
        out.append((rect, (cx, cy, yaw, ln / 2, wd / 2, reach)))
    return out


def ao_rows(world: World, g: GBuffer, idx: np.ndarray) -> np.ndarray:
    """(N,) crude sky visibility of every hit pixel: ground darkens under and around boxed objects, walls near the
    ground. The numba kernel; :func:`ambient_occlusion_numpy` at ``idx`` to 1e-6 (its ``exp`` is numpy's)."""
    boxes = _ao_boxes(world)
    rects = np.array(
        [(r.start, r.stop, c.start, c.stop) for (r, c), _ in boxes] or np.zeros((0, 4)), np.int64
    )
    prm = np.array(
        [(cx, cy, np.cos(yaw), np.sin(yaw), hl, hw, -1 / reach) for _, (cx, cy, yaw, hl, hw, reach) in boxes]
        or np.zeros((0, 7)),
        F32,
    )
    out = np.empty(len(idx), F32)
    ao_rows_kernel(g.pos, g.normal, idx, world.pinhole().width, rects, prm, out)
    return out


def ao_rows_numpy(world: World, g: GBuffer, idx: np.ndarray) -> np.ndarray:
    """:func:`ao_rows` the way it was before the kernel: full-frame planes, numpy AO, gathered."""
    cam = world.pinhole()
    hit = np.zeros(cam.height * cam.width, bool)
    hit[idx] = True
    pl = planes(g, idx, (cam.height, cam.width))
    return ambient_occlusion_numpy(world, pl, hit.reshape(cam.height, cam.width)).ravel()[idx]


def ambient_occlusion_numpy(world: World, pl: dict[str, np.ndarray], hit: np.ndarray) -> np.ndarray:
    """(H,W) :func:`ao_rows` in numpy, over full-frame planes (:func:`planes`): the kernel's reference."""
    nz, pz = pl["nz"], pl["pz"]
    ao = np.where(np.abs(nz) < 0.5, 0.72 + 0.28 * np.clip(pz / 1.2, 0, 1), 1).astype(F32)
    floor = hit & (nz > 0.8) & (pz < 0.4)
    for rect, (cx, cy, yaw, hl, hw, reach) in _ao_boxes(world):
        dx, dy = pl["px"][rect] - F32(cx), pl["py"][rect] - F32(cy)
        c, s = F32(np.cos(yaw)), F32(np.sin(yaw))
        lx, ly = np.abs(c * dx + s * dy) - F32(hl), np.abs(c * dy - s * dx) - F32(hw)
        out = np.sqrt(np.maximum(lx, 0) ** 2 + np.maximum(ly, 0) ** 2)
        occ = np.where((lx < 0) & (ly < 0), F32(0.55), F32(0.45) * np.exp(out * F32(-1 / reach)))
        ao[rect] *= np.where(floor[rect], 1 - occ, F32(1))
    return ao


def _lamp_params(world: World) -> list[tuple[tuple[slice, slice], np.ndarray, np.ndarray]]:
    """Per lamp that reaches the screen: its rectangle and the kernel's float32 parameters."""
    out = []
    for lamp in world.lamps:
        reach = float(np.sqrt(lamp.power_w * LAMP_GAIN / (4 * np.pi * 1e-2)))  # irradiance < 0.01 beyond
        rect = _rect(world, np.asarray(lamp.position, np.float64), reach)
        if rect is None:
            continue
        params = np.array(
            [
                *(F32(c) for c in lamp.position),
                F32(lamp.power_w / (4 * np.pi) * LAMP_GAIN),
                *lamp.color,
                0,
                60,
            ],
            F32,
        )
        params[7] = F32(60 / (8 * np.pi) * 0.5)
        spot = np.zeros(6, F32)
        if lamp.kind == "spot":
            ax = np.asarray(lamp.direction, np.float64)
            ax = (ax / np.linalg.norm(ax)).astype(F32)
            c_out = F32(np.cos(np.deg2rad(lamp.spot_deg / 2)))
            c_in = F32(np.cos(np.deg2rad(lamp.spot_deg / 2 * 0.6)))
            spot[:] = [1, *ax, c_out, 1 / (c_in - c_out)]
        out.append((rect, params, spot))
    return out


def lamp_rows(
    world: World, g: GBuffer, idx: np.ndarray, glint: bool, rows: np.ndarray | None = None
) -> np.ndarray:
    """(N,3) irradiance from lamps and head lights at every hit pixel (or only at the G-buffer ``rows``, in
    order): inverse-square pools with spot cones (and, with ``glint``, 3 more columns of a sharp Blinn-Phong
    highlight: the streaks lights leave on wet roads, their glints in paint and glass). The numba kernel, to the
    bit :func:`lamp_rows_numpy`."""
    pos, normal, view = g.pos, g.normal, g.view
    if rows is not None:
        pos, normal, view, idx = pos[rows], normal[rows], view[rows], idx[rows]
    out = np.zeros((len(idx), 6 if glint else 3), F32)
    params = _lamp_params(world)
    if params:
        rects = np.array([(r.start, r.stop, c.start, c.stop) for (r, c), _, _ in params], np.int64)
        lamps, spots = np.stack([p for _, p, _ in params]), np.stack([s for _, _, s in params])
        width = world.pinhole().width
        lamp_rows_kernel(pos, normal, view, idx, width, rects, lamps, spots, out)
    return out


def lamp_rows_numpy(world: World, g: GBuffer, idx: np.ndarray, glint: bool) -> np.ndarray:
    """:func:`lamp_rows` the way it was before the kernels: full-frame planes, numpy lamps, gathered."""
    cam = world.pinhole()
    pl = planes(g, idx, (cam.height, cam.width))
    return _lamps_numpy(world, pl, glint).reshape(-1, cam.height * cam.width)[:, idx].T


def _lamps_numpy(world: World, pl: dict[str, np.ndarray], glint: bool) -> np.ndarray:
    """:func:`_lamps` in numpy, as it was before the kernel (issue 15): the kernel's reference."""
    h, w = pl["px"].shape
    out = np.zeros((6 if glint else 3, h, w), F32)
    for lamp in world.lamps:
        reach = float(np.sqrt(lamp.power_w * LAMP_GAIN / (4 * np.pi * 1e-2)))  # irradiance < 0.01 beyond
        rect = _rect(world, np.asarray(lamp.position, np.float64), reach)
        if rect is None:
            continue
        lx, ly, lz = (F32(c) for c in lamp.position)
        dx, dy, dz = lx - pl["px"][rect], ly - pl["py"][rect], lz - pl["pz"][rect]
        r2 = np.maximum(dx * dx + dy * dy + dz * dz, F32(0.25))
        inv = 1 / np.sqrt(r2)
        dx *= inv
        dy *= inv
        dz *= inv
        cos = np.clip(pl["nx"][rect] * dx + pl["ny"][rect] * dy + pl["nz"][rect] * dz, 0, 1)
        e = cos * (F32(lamp.power_w / (4 * np.pi) * LAMP_GAIN) / r2)
        if lamp.kind == "spot":
            ax = np.asarray(lamp.direction, np.float64)
            ax = (ax / np.linalg.norm(ax)).astype(F32)
            c_out = F32(np.cos(np.deg2rad(lamp.spot_deg / 2)))
            c_in = F32(np.cos(np.deg2rad(lamp.spot_deg / 2 * 0.6)))
            along = -(dx * ax[0] + dy * ax[1] + dz * ax[2])
            e *= np.clip((along - c_out) * (1 / (c_in - c_out)), 0, 1) ** 2
        for c in range(3):
            out[c][rect] += e * F32(lamp.color[c])
        if glint:  # half vector against the normal: a sharp highlight (the wet-road streak under lights)
            hx, hy, hz = dx + pl["vx"][rect], dy + pl["vy"][rect], dz + pl["vz"][rect]
            nh = (pl["nx"][rect] * hx + pl["ny"][rect] * hy + pl["nz"][rect] * hz) / np.sqrt(
                np.maximum(hx * hx + hy * hy + hz * hz, F32(1e-8))
            )
            spec = e * pow60(np.clip(nh, 0, 1)) * F32(60 / (8 * np.pi) * 0.5)
            for c in range(3):
                out[3 + c][rect] += spec * F32(lamp.color[c])
    return out


def shade(world: World, tris: np.ndarray, g: GBuffer, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N,3) linear radiance of every hit pixel before reflections, and its (N,) mirror reflectivity (what
    :func:`simvision.render.reflections.reflect_pass` mixes the mirrored frame in by)."""
    night = float(np.clip((2 - world.sun.elevation_deg) / 8, 0, 1))
    reflect = apply(g, [o.texture for o in world.objects], night)
    apply_decals(g, world.objects)
    w = world.weather
    up = np.clip(g.normal[:, 2], 0, 1)
    ground = np.array([o.ground for o in world.objects] or [False])[g.obj] & (up > 0.9)
    if w.snow_cover > 0:
        patchy = noise(g.pos[:, 0], g.pos[:, 1], 0.8, 7) * 0.6 + 0.7
        snow = np.clip((up > 0.7) * w.snow_cover * 0.9 * patchy, 0, 1)[:, None]
        g.albedo[:] = g.albedo * (1 - snow) + 0.85 * snow
        g.rough[:] = np.where(snow[:, 0] > 0.3, 0.7, g.rough)
    if w.wetness > 0:
        puddle = np.clip((noise(g.pos[:, 0], g.pos[:, 1], 3.0, 5) - 0.7 + 0.6 * w.wetness) * 3, 0, 1)
        wet = ground * (g.rough > 0.5) * np.clip(w.wetness * (0.5 + 0.5 * puddle), 0, 1)
        g.albedo *= (1 - 0.45 * wet)[:, None]
        g.rough[:] = g.rough * (1 - 0.85 * wet)
        reflect = np.maximum(reflect, wet * (0.3 + 0.7 * puddle))
    shine = np.clip(2 / np.maximum(g.rough, F32(0.05)) ** 2 - 2, 1, 800).astype(F32)
    sky = sky_colour(world).astype(F32)
    ao = ao_rows(world, g, idx)
    light = ((0.55 + 0.45 * up) * SKY_GAIN * ao)[:, None] * sky
    if world.sun.strength > 0:
        sdir = sun_direction(world.sun.elevation_deg, world.sun.heading_deg).astype(F32)
        lam = np.clip(mat3(g.normal, sdir[:, None])[:, 0], 0, 1)
        lit = lam > 0
        vis = np.zeros(len(lam), F32)
        vis[lit] = sun_visibility(world, tris, g.pos[lit], g.normal[lit], g.depth[lit])
        sun = SUN_COLOUR * world.sun.strength * SUN_GAIN
        light += (lam * vis)[:, None] * sun
        h = sdir + g.view
        h /= np.maximum(np.linalg.norm(h, axis=1, keepdims=True), F32(1e-6))
        nh = np.clip(np.einsum("ij,ij->i", g.normal, h), 0, 1)
        spec = nh**shine * (shine + 8) / (8 * np.pi) * 0.04 * lam * vis
        specular = spec[:, None] * sun
    else:
        specular = 0
    rad = g.albedo * light + specular + g.emit
    if world.lamps:
        lamps = lamp_rows(world, g, idx, w.wetness > 0)
        rad += g.albedo * lamps[:, :3]
        if lamps.shape[1] > 3:
            rad += np.clip(1 - g.rough * 2, 0, 1)[:, None] * lamps[:, 3:]
        else:  # dry: lights still glint in paint and glass
            shiny = np.flatnonzero((reflect > 0) & (g.rough < 0.5))
            if len(shiny):
                glints = lamp_rows(world, g, idx, True, shiny)[:, 3:]
                rad[shiny] += np.clip(1 - g.rough[shiny] * 2, 0, 1)[:, None] * glints
    return rad, reflect
