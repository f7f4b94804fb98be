"""Paper effects: crumples, folds, page curl, thermal fading, stains and torn edges.

The paper is ``Target.surface``. Shape effects (wrinkle, fold, curl) build a height field of the sheet, move the
pixels with the in-plane displacement that height implies (one backward map through :func:`warp_remap`, zero on the
table) and shade the paper from the same height's normals. Fold and curling profiles vary across one line only, so they
are 1-D lookup tables spread over the frame with one ``cv2.warpAffine``; crumples are random facets computed at half
resolution. ``torn_edge`` removes paper (and the labels on it); the rest only change the image.
"""

from __future__ import annotations

from typing import Any, Literal

import cv2
import numpy as np
from pydantic import Field
from scipy.spatial import Delaunay

from simvision.augment.base import Effect, EffectConfig, Params, seed_from
from simvision.augment.light import blend_towards, downsample, modulate, paper_box, smooth_noise, upsample
from simvision.augment.target import Target
from simvision.augment.warp import forward_points, warp_remap
from simvision.distributions import FloatRange, IntRange

MAX_STRETCH = 0.5  # largest allowed derivative of a displacement field: keeps maps fold-free and invertible
OFF_FRAME = -1000.0  # backward-map coordinate that samples the (constant, zero) border: "nothing here"


def _range(lo: float, hi: float, doc: str = "") -> Any:
    """A scene-file range field defaulting to [lo, hi]."""
    return Field(default_factory=lambda: FloatRange(min=lo, max=hi), description=doc)


def _light(rng: np.random.Generator) -> list[float]:
    """[azimuth, elevation] of the light in degrees (image axes, elevation above the table)."""
    return [float(rng.uniform(0, 360)), float(rng.uniform(30, 65))]


def _light_vec(light: list[float], normal_deg: float = 0.0) -> tuple[float, float, float]:
    """Light as (component along x, along y, up); x is the direction ``normal_deg``."""
    az, el = np.radians(light[0] - normal_deg), np.radians(light[1])
    return float(np.cos(el) * np.cos(az)), float(np.cos(el) * np.sin(az)), float(np.sin(el))


# ---------------------------------------------------------------- line profiles and paper geometry


def _unit(angle_deg: float) -> np.ndarray:
    a = np.radians(angle_deg)
    return np.array([np.cos(a), np.sin(a)])


def _s_range(shape: tuple[int, int], n: np.ndarray) -> tuple[float, int]:
    """Lowest s = n . (x, y) over the frame, and the length of a 1-px lookup table covering all of it."""
    h, w = shape
    s = [n[0] * x + n[1] * y for x in (0, w - 1) for y in (0, h - 1)]
    return float(np.floor(min(s))) - 1, int(np.ceil(max(s) - min(s))) + 4


def _profile(
    shape: tuple[int, int], n: np.ndarray, lut: np.ndarray, s_lo: float, step: int = 1, origin: tuple = (0, 0)
) -> np.ndarray:
    """``lut[s - s_lo]`` (linear) at s = n . (x, y) over a ``shape`` grid of pixels (or of ``step``-times coarser
    cells) whose first one is at ``origin``: a 1-D profile spread by one warpAffine. ``lut`` (N,) or (N, C<=4)
    gives (h, w) or (h, w, C) float32."""
    h, w = -(-shape[0] // step), -(-shape[1] // step)
    c = (n[0] + n[1]) * (step / 2 - 0.5) + n[0] * origin[0] + n[1] * origin[1] - s_lo
    m = np.array([[n[0] * step, n[1] * step, c], [0, 0, 0]], np.float32)
    row = np.ascontiguousarray(lut, dtype=np.float32)[None]
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    return cv2.warpAffine(row, m, (w, h), flags=flags, borderMode=cv2.BORDER_CONSTANT)


def _extent(surface: np.ndarray, n: np.ndarray) -> tuple[float, float] | None:
    """Min and max of s = n . (x, y) over the paper (from a 4x subsample, +-2 px); None without paper."""
    ys, xs = np.nonzero(surface[::4, ::4] > 0.5)
    if len(xs) == 0:
        return None
    s = 4.0 * (xs * n[0] + ys * n[1])
    return float(s.min()) - 2, float(s.max()) + 2


def _paper_weight(surface: np.ndarray, step: int = 4, sigma_px: float = 10.0) -> np.ndarray:
    """Blurred surface on a coarse grid: displacements fade out over ~2 sigma around the paper's edge."""
    return cv2.GaussianBlur(downsample(surface, step), (0, 0), sigma_px / step)


def _limit(dx: np.ndarray, dy: np.ndarray, px: float) -> float:
    """Factor (<= 1) that keeps every derivative of the displacement (sampled ``px`` apart) under MAX_STRETCH."""
    worst = max(float(np.abs(np.diff(f, axis=a)).max(initial=0)) for f in (dx, dy) for a in (0, 1)) / px
    return min(1.0, MAX_STRETCH / worst) if worst > 0 else 1.0


def _box(t: Target, margin: int) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1): the paper's box grown by ``margin``, within the canvas; None without paper. Shape effects
    act only there, so their cost scales with the paper rather than the frame."""
    box = paper_box(t.surface)
    if box is None:
        return None
    h, w = t.shape
    x0, y0 = max(int(box[0]) - margin, 0), max(int(box[1]) - margin, 0)
    return x0, y0, min(int(box[2]) + margin, w), min(int(box[3]) + margin, h)


def _warp_box(t: Target, box: tuple[int, int, int, int], map_x: np.ndarray, map_y: np.ndarray) -> Target:
    """:func:`warp_remap` by a backward map given only inside ``box`` (identity outside; absolute coordinates).
    The rasters are resampled there and pasted into copies; the polygons inside move in one batch through the
    same map and solver (one polygon at a time costs ~20x more at a few hundred words)."""
    x0, y0, x1, y1 = box
    part = warp_remap(t.with_(polygons=()), map_x, map_y)  # box-sized results, sampled from the whole canvas
    image, maps, surface = t.image.copy(), t.maps.copy(), t.surface.copy()
    image[y0:y1, x0:x1], maps[:, y0:y1, x0:x1], surface[y0:y1, x0:x1] = part.image, part.maps, part.surface
    off = np.array([x0, y0], np.float32)
    rows = [
        r for r, q in enumerate(t.polygons) if q is not None and (q >= off).all() and (q <= (x1, y1)).all()
    ]
    polys: list[np.ndarray | None] = list(t.polygons)
    if rows:
        pts = np.concatenate([t.polygons[r] for r in rows]) - off
        moved = forward_points(map_x - off[0], map_y - off[1], pts) + off
        for r, q in zip(
            rows, np.split(moved, np.cumsum([len(t.polygons[r]) for r in rows])[:-1]), strict=True
        ):
            polys[r] = q
    return t.with_(image=image, maps=maps, surface=surface, polygons=tuple(polys))


def _shade_box(t: Target, box: tuple[int, int, int, int], gain: np.ndarray) -> Target:
    """Multiply the paper's pixels in ``box`` by ``gain`` (box-sized), fading to 1 off the paper. ``t.image``
    must be this effect's own (fresh) array: it is written in place."""
    x0, y0, x1, y1 = box
    region = (slice(y0, y1), slice(x0, x1))
    t.image[region] = modulate(t.image[region], 1.0 + (gain - 1.0) * t.surface[region])
    return t


def _near_paper(surface: np.ndarray, px: int = 14, along: np.ndarray | None = None) -> np.ndarray:
    """Paper grown by ``px`` (bool), to cover its anti-aliased rim and the soft shadow it casts on the table;
    grown only towards the axis direction nearest ``along`` when given."""
    kernel, anchor = np.ones((2 * px + 1, 2 * px + 1), np.uint8), (-1, -1)
    if along is not None:
        wide = abs(along[0]) >= abs(along[1])
        kernel = np.ones((3, px + 1) if wide else (px + 1, 3), np.uint8)
        forward = (along[0] if wide else along[1]) > 0
        anchor = (px if forward else 0, 1) if wide else (1, px if forward else 0)
    return cv2.dilate((surface > 0).astype(np.uint8), kernel, anchor=anchor) > 0


def _table_colour(image: np.ndarray, near: np.ndarray, step: int = 8) -> np.ndarray:
    """(h/step, w/step, 3) float32 slow colour of the table everywhere, paper included: normalised convolution of
    the table pixels at two widths, the table's mean where none is near."""
    small = downsample(image, step).astype(np.float32)
    w = (downsample((~near).astype(np.float32), step) > 0.99).astype(np.float32)
    mean = (small * w[..., None]).sum((0, 1)) / max(float(w.sum()), 1.0) if w.any() else np.full(3, 90.0)
    out = np.broadcast_to(mean.astype(np.float32), small.shape).copy()
    for sigma, need in ((8.0, 0.05), (2.0, 0.3)):  # wide first, so the near estimate wins where it exists
        den = cv2.GaussianBlur(w, (0, 0), sigma)
        num = cv2.GaussianBlur(small * w[..., None], (0, 0), sigma)
        k = np.clip(den / need, 0, 1)[..., None]
        out = k * num / np.maximum(den, 1e-6)[..., None] + (1 - k) * out
    return out


def _upsample_box(coarse: np.ndarray, step: int, box: tuple[int, int, int, int]) -> np.ndarray:
    """The part ``box`` = (x, y, w, h) of a coarse field bilinearly upsampled ``step`` times (as the full frame)."""
    x, y, bw, bh = box
    c0, r0 = max(x // step - 1, 0), max(y // step - 1, 0)
    c1, r1 = min((x + bw) // step + 2, coarse.shape[1]), min((y + bh) // step + 2, coarse.shape[0])
    up = cv2.resize(
        coarse[r0:r1, c0:c1], ((c1 - c0) * step, (r1 - r0) * step), interpolation=cv2.INTER_LINEAR
    )
    return up[y - step * r0 : y - step * r0 + bh, x - step * c0 : x - step * c0 + bw]


def _table_fill(
    t: Target, image: np.ndarray, alpha: np.ndarray, near: np.ndarray, seed: int, at: tuple[int, int] = (0, 0)
) -> np.ndarray:
    """Blend ``alpha`` (a field whose first pixel is at ``at``) of ``image`` towards the bare table where paper
    went (``near``: the paper grown over its rim and shadow). Texture: the table of ``t`` mirrored across the nearest of four axis-aligned lines just outside the
    paper's box (and again at the frame's edge), which continues the real table, unrotated and pixel-exact, across
    the fill's edge; grain where every mirror image lands on paper. Slow colour: that of the table around."""
    ax, ay, bw, bh = cv2.boundingRect((alpha > 0).astype(np.uint8))
    alpha = alpha[ay : ay + bh, ax : ax + bw]
    x, y = ax + at[0], ay + at[1]
    paper = paper_box(t.surface)
    if bw == 0 or paper is None:
        return image
    h, w = t.shape
    wx, wy = max(x - 160, 0) // 8 * 8, max(y - 160, 0) // 8 * 8  # the table around the fill, on the 8-px grid
    window = (slice(wy, min(y + bh + 160, h)), slice(wx, min(x + bw + 160, w)))
    slow = _upsample_box(_table_colour(t.image[window], near[window]), 8, (x - wx, y - wy, bw, bh))
    noise = np.random.default_rng(seed).standard_normal((bh, bw)).astype(np.float32)
    patch = slow + 8.0 * cv2.GaussianBlur(noise, (0, 0), 1)[..., None]
    best = np.full((bh, bw), np.inf, np.float32)
    # per pixel, the nearest mirror line (right, left, below, above the paper) whose image is table
    for axis, sign in ((1, 1), (1, -1), (0, 1), (0, -1)):
        size, edge = (
            (w, paper[2] if sign > 0 else paper[0]) if axis else (h, paper[3] if sign > 0 else paper[1])
        )
        line = int(edge) + 16 * sign
        room = size - 1 - line if sign > 0 else line
        if room <= 24:
            continue
        gap = ((line - np.arange(x, x + bw)) if axis else (line - np.arange(y, y + bh))) * sign
        fold = np.mod(gap, 2 * room)
        src = line + sign * np.where(fold > room, 2 * room - fold, fold)  # mirrored again at the frame's edge
        if axis:  # a vertical line: mirror columns
            gap2, cand, hit = gap[None, :], t.image[y : y + bh][:, src], near[y : y + bh][:, src]
        else:
            gap2, cand, hit = gap[:, None], t.image[src][:, x : x + bw], near[src][:, x : x + bw]
        ok = ~hit & (gap2 < best)
        patch[ok] = cand[ok]
        best = np.where(ok, gap2, best)
    coarse = cv2.resize(patch, (max(bw // 8, 1), max(bh // 8, 1)), interpolation=cv2.INTER_AREA)
    patch += slow - cv2.resize(
        cv2.GaussianBlur(coarse, (0, 0), 2.0), (bw, bh), interpolation=cv2.INTER_LINEAR
    )
    out = image.copy()
    region = (slice(y, y + bh), slice(x, x + bw))
    out[region] = blend_towards(
        image[region], np.ascontiguousarray(alpha), np.clip(patch, 0, 255).astype(np.uint8)
    )
    return out


# ---------------------------------------------------------------- wrinkle (crumpled paper)


class WrinkleConfig(EffectConfig):
    name: Literal["wrinkle"] = "wrinkle"
    amplitude: FloatRange = _range(1.0, 4.0, "largest displacement, px")
    depth: FloatRange = _range(6.0, 22.0, "crumple height, px")
    scale: FloatRange = _range(60.0, 160.0, "crease spacing, px")
    shading: FloatRange = _range(0.4, 0.9, "strength of the facet shading")


def _sample_wrinkle(rng: np.random.Generator, c: WrinkleConfig, shape: tuple[int, int]) -> Params:
    return {
        "amplitude": c.amplitude.sample(rng),
        "depth": c.depth.sample(rng),
        "scale": c.scale.sample(rng),
        "shading": c.shading.sample(rng),
        "nadir": [float(rng.uniform(-0.5, 1.5)), float(rng.uniform(-0.5, 1.5))],
        "light": _light(rng),
        "seed": seed_from(rng),
    }


def facets(rng: np.random.Generator, shape: tuple[int, int], spacing: float) -> np.ndarray:
    """(h, w) float32 piecewise-planar height in [-1, 1]: random heights on jittered points, linear over their
    Delaunay triangles, so creases are straight and facets flat, as in crumpled-then-flattened paper."""
    h, w = shape
    gx, gy = np.meshgrid(np.arange(-1, w / spacing + 2), np.arange(-1, h / spacing + 2))
    pts = np.stack([gx.ravel(), gy.ravel()], 1) * spacing
    pts += rng.uniform(-0.45, 0.45, pts.shape) * spacing
    z = rng.uniform(-1, 1, len(pts))
    tris = Delaunay(pts).simplices
    p, q = pts[tris], z[tris]  # (T, 3, 2), (T, 3)
    a = np.concatenate([p, np.ones((len(tris), 3, 1))], axis=2)
    ok = np.abs(np.linalg.det(a)) > 1e-6
    coef = np.zeros((len(tris), 3))
    coef[ok] = np.linalg.solve(a[ok], q[ok][..., None])[..., 0]  # plane z = c0 x + c1 y + c2
    coef[~ok, 2] = q[~ok].mean(1)
    index = np.zeros(shape, np.int32)
    for k, tri in enumerate(np.round(p * 16).astype(np.int32)):
        cv2.fillConvexPoly(index, tri, k, cv2.LINE_8, 4)
    xs, ys = np.arange(w, dtype=np.float32)[None, :], np.arange(h, dtype=np.float32)[:, None]
    cf = coef.astype(np.float32)
    return np.take(cf[:, 0], index) * xs + np.take(cf[:, 1], index) * ys + np.take(cf[:, 2], index)


def _apply_wrinkle(t: Target, p: Params) -> Target:
    """Crumpled paper: a height field of random facets (two crease sizes) plus gentle undulation. Seen by a pinhole
    camera above ``nadir``, a point raised by z shifts by z * (x - nadir) / height: that is the displacement
    (scaled so its largest value is ``amplitude`` px). The facets are shaded lambertian from the same height."""
    box = _box(t, 48)
    if box is None:
        return t
    x0, y0, x1, y1 = box
    step = 2
    hs, ws = -(-(y1 - y0) // step), -(-(x1 - x0) // step)
    rng = np.random.default_rng(p["seed"])
    sp = p["scale"] / step
    z = facets(rng, (hs, ws), sp) + 0.45 * facets(rng, (hs, ws), sp / 1.8)
    z += 0.3 * smooth_noise(rng, (hs, ws), sp, octaves=2)
    z /= max(float(np.abs(z).max()), 1e-6)
    xs = x0 + (np.arange(ws, dtype=np.float32)[None, :] + 0.5) * step
    ys = y0 + (np.arange(hs, dtype=np.float32)[:, None] + 0.5) * step
    fx, fy, fw, fh = t.frame  # the camera looks at the output frame
    cx, cy = fx + p["nadir"][0] * fw, fy + p["nadir"][1] * fh
    reach = max(np.hypot(x - cx, y - cy) for x in (fx, fx + fw) for y in (fy, fy + fh))
    weight = _paper_weight(t.surface[y0:y1, x0:x1], step) * np.float32(p["amplitude"] / reach)
    dx, dy = z * (xs - cx) * weight, z * (ys - cy) * weight
    k = _limit(dx, dy, step)
    size = (y1 - y0, x1 - x0)
    map_x = np.arange(x0, x1, dtype=np.float32)[None, :] + upsample(dx * k, size)
    map_y = np.arange(y0, y1, dtype=np.float32)[:, None] + upsample(dy * k, size)
    moved = _warp_box(t, box, map_x, map_y)
    depth = p["depth"] / step  # height in coarse pixels, so the slopes below are per coarse pixel
    gx = cv2.Sobel(z, cv2.CV_32F, 1, 0, ksize=3, scale=depth / 8)
    gy = cv2.Sobel(z, cv2.CV_32F, 0, 1, ksize=3, scale=depth / 8)
    lx, ly, lz = _light_vec(p["light"])
    lambert = np.maximum(-gx * lx - gy * ly + lz, 0) / (np.sqrt(gx * gx + gy * gy + 1) * lz)
    gain = np.clip(1 + p["shading"] * (lambert - 1), 0.55, 1.25).astype(np.float32)
    return _shade_box(moved, box, upsample(gain, size))


# ---------------------------------------------------------------- fold (crease)


class FoldConfig(EffectConfig):
    name: Literal["fold"] = "fold"
    count: IntRange = Field(default_factory=lambda: IntRange(min=1, max=2), description="number of creases")
    bend_deg: FloatRange = _range(3.0, 12.0, "tilt of the paper by a crease")
    width: FloatRange = _range(40.0, 200.0, "crease to table distance, px")
    crease: FloatRange = _range(0.1, 0.3, "contrast of the crease line")
    across_p: float = Field(default=0.7, ge=0, le=1, description="chance a crease runs across the long side")


def _sample_fold(rng: np.random.Generator, c: FoldConfig, shape: tuple[int, int]) -> Params:
    folds = []
    for _ in range(c.count.sample(rng)):
        across = bool(rng.random() < c.across_p)
        long_axis = 90.0 if shape[0] >= shape[1] else 0.0  # the normal of a crease across the long side
        folds.append({
            "angle": (long_axis if across else 90.0 - long_axis) + float(rng.uniform(-12, 12)),
            "offset": float(rng.uniform(0.2, 0.8)),
            "bend": [c.bend_deg.sample(rng), c.bend_deg.sample(rng)],
            "width": [c.width.sample(rng), c.width.sample(rng)],
            "mountain": int(rng.choice([-1, 1])),
            "crease": c.crease.sample(rng),
        })  # fmt: skip
    return {"folds": folds, "light": _light(rng)}


def _fold_luts(f: Params, d: np.ndarray, light: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Backward displacement along the normal and shading gain as functions of the distance d to the crease.
    The sheet rises in a tent of slopes tan(bend) to the crease, meeting the table smoothly ``width`` px away;
    the material length of that tent (its arc length) pulls the paper towards the crease."""
    side = d >= 0
    tan = np.tan(np.radians(np.where(side, f["bend"][0], f["bend"][1])))
    width = np.where(side, f["width"][0], f["width"][1])
    feet = 1 / (1 + np.exp(-(width - np.abs(d)) / (0.2 * width)))
    slope = -np.sign(d) * tan * feet * f["mountain"]  # dz/dd
    arc = np.cumsum(np.sqrt(1 + slope * slope))
    u = arc - np.interp(0.0, d, arc)
    lx, _, lz = _light_vec(light, f["angle"])
    lambert = (-slope * lx + lz) / (np.sqrt(1 + slope * slope) * lz)
    g = np.exp(-0.5 * (d / 1.1) ** 2)
    ridge = f["crease"] * (np.exp(-0.5 * ((d + 1.5) / 1.1) ** 2) - np.exp(-0.5 * ((d - 1.5) / 1.1) ** 2))
    gain = lambert + ridge * np.sign(lx + 1e-9) * f["mountain"] - 0.5 * f["crease"] * g
    return u - d, gain


def _apply_fold(t: Target, p: Params) -> Target:
    """One or two straight creases (the paper was folded and opened): a slope kink along each line, a light
    and a dark ridge on it, each side shaded by its tilt."""
    box = _box(t, 48)
    if box is None:
        return t
    x0, y0, x1, y1 = box
    size = (y1 - y0, x1 - x0)
    step = 4  # the displacement is smooth (a slope kink at most): built coarse; the crease lines full size
    weight = _paper_weight(t.surface[y0:y1, x0:x1], step)
    dx, dy = np.zeros_like(weight), np.zeros_like(weight)
    gain = np.ones(size, np.float32)
    for f in p["folds"]:
        n = _unit(f["angle"])
        ext = _extent(t.surface, n)
        s_lo, length = _s_range(t.shape, n)
        d = s_lo + np.arange(length) - (ext[0] + f["offset"] * (ext[1] - ext[0]))
        disp, g = _fold_luts(f, d, p["light"])
        along = _profile(size, n, disp, s_lo, step, (x0, y0)) * weight
        dx += np.float32(n[0]) * along
        dy += np.float32(n[1]) * along
        gain *= _profile(size, n, g, s_lo, 1, (x0, y0))
    map_x = np.arange(x0, x1, dtype=np.float32)[None, :] + upsample(dx, size, step)
    map_y = np.arange(y0, y1, dtype=np.float32)[:, None] + upsample(dy, size, step)
    return _shade_box(_warp_box(t, box, map_x, map_y), box, gain)


# ---------------------------------------------------------------- curl: a cylindrical bend


class CurlConfig(EffectConfig):
    name: Literal["curl"] = "curl"
    length: FloatRange = _range(0.12, 0.35, "curled part / paper length")
    angle_deg: FloatRange = _range(25.0, 60.0, "bend reached at the edge")
    shading: FloatRange = _range(0.4, 0.8)
    horizontal_p: float = Field(
        default=0.6, ge=0, le=1, description="chance of a horizontal axis (end curls)"
    )


def _sample_curl(rng: np.random.Generator, c: CurlConfig, shape: tuple[int, int]) -> Params:
    horizontal = bool(rng.random() < c.horizontal_p)
    side = float(rng.choice([0.0, 180.0]))
    return {
        "angle": (90.0 if horizontal else 0.0) + side + float(rng.uniform(-4, 4)),
        "length": c.length.sample(rng),
        "theta": c.angle_deg.sample(rng),
        "shading": c.shading.sample(rng),
        "light": _light(rng),
        "seed": seed_from(rng),
    }


def _apply_curl(t: Target, p: Params) -> Target:
    """The paper's end lifts around a cylinder: material at distance u past the bend line is seen at
    R sin(u / R) (compressed towards the edge) and tilted by u / R (shaded). The table the paper uncovers is
    filled from the nearby table and darkened by the curl's shadow. Polygons move by the exact forward map."""
    n = _unit(p["angle"])
    ext = _extent(t.surface, n)
    if ext is None:
        return t
    length = p["length"] * (ext[1] - ext[0])
    theta = np.radians(p["theta"])
    radius = length / theta
    s0, tip = ext[1] - length, radius * np.sin(theta)
    s_lo, size = _s_range(t.shape, n)
    d = s_lo + np.arange(size) - s0
    bent = radius * np.arcsin(np.clip(d / radius, 0, np.sin(theta)))
    disp = np.where(d <= 0, 0.0, np.where(d < tip, bent - d, length - tip))
    ang = np.arcsin(np.clip(d / radius, 0, np.sin(theta)))
    lx, _, lz = _light_vec(p["light"], p["angle"])
    lambert = np.maximum(-np.sin(ang) * lx + np.cos(ang) * lz, 0) / lz * (1 - 0.35 * np.sin(ang))
    shade = np.clip(1 + p["shading"] * (lambert - 1), 0.25, 1.3)
    cast = np.where(d > tip, -0.6 * p["shading"] * np.exp(-np.maximum(d - tip, 0) / (0.3 * length + 1)), 0)
    x0, y0, bw, bh = _curl_box(t, n, s0)
    if bw == 0:
        return t
    luts = np.stack([disp, shade - 1, cast], 1)
    along, shade_f, cast_f = cv2.split(_profile((bh, bw), n, luts, s_lo, origin=(x0, y0)))
    xs, ys = (
        np.arange(x0, x0 + bw, dtype=np.float32)[None, :],
        np.arange(y0, y0 + bh, dtype=np.float32)[:, None],
    )
    px, py = xs + np.float32(n[0]) * along, ys + np.float32(n[1]) * along
    paper = cv2.remap(t.surface, px, py, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT) > 0.5
    box = (slice(y0, y0 + bh), slice(x0, x0 + bw))
    bare = ~paper & _near_paper(t.surface, along=n)[box] & (along > 0.01)
    map_x = np.where(paper, px, np.where(bare, OFF_FRAME, xs)).astype(np.float32)
    map_y = np.where(paper, py, np.where(bare, OFF_FRAME, ys)).astype(np.float32)
    part = warp_remap(t.with_(polygons=()), map_x, map_y)  # the box only; polygons: exact forward map below
    image, maps, surface = t.image.copy(), t.maps.copy(), t.surface.copy()
    image[box], maps[(slice(None), *box)], surface[box] = part.image, part.maps, part.surface
    under = cv2.GaussianBlur(downsample((bare & (t.surface[box] > 0)).astype(np.float32)), (0, 0), 2.5)
    gain = shade_f * part.surface + cast_f * upsample(under, (bh, bw)) * (1 - part.surface)
    image = _table_fill(t, image, bare.astype(np.float32), _near_paper(t.surface), p["seed"], (x0, y0))
    image[box] = modulate(image[box], 1 + gain)
    polys = tuple(None if q is None else _curl_forward(q, n, s0, radius, theta, length) for q in t.polygons)
    return t.with_(image=image, maps=maps, surface=surface, polygons=polys)


def _curl_box(t: Target, n: np.ndarray, s0: float) -> tuple[int, int, int, int]:
    """(x, y, w, h): the part of the paper's box (grown over its rim) past the bend line, where the curling acts."""
    box = paper_box(t.surface)
    h, w = t.shape
    x0, y0 = max(int(box[0]) - 16, 0), max(int(box[1]) - 16, 0)
    x1, y1 = min(int(box[2]) + 16, w), min(int(box[3]) + 16, h)
    ys, xs = np.mgrid[y0:y1:4, x0:x1:4]
    bx, by, bw, bh = cv2.boundingRect((xs * n[0] + ys * n[1] >= s0 - 8).astype(np.uint8))
    if bw == 0:
        return 0, 0, 0, 0
    gx0, gy0 = max(x0 + 4 * bx - 4, 0), max(y0 + 4 * by - 4, 0)
    return gx0, gy0, min(x0 + 4 * (bx + bw) + 4, x1) - gx0, min(y0 + 4 * (by + bh) + 4, y1) - gy0


def _curl_forward(
    q: np.ndarray, n: np.ndarray, s0: float, radius: float, theta: float, length: float
) -> np.ndarray:
    """Where polygon points (pixel-edge coordinates) land under the curl: the inverse of its backward map."""
    d = (q - 0.5) @ n - s0
    seen = np.where(d <= 0, d, np.where(d < length, radius * np.sin(np.minimum(d, length) / radius), 0))
    seen = np.where(d >= length, d - length + radius * np.sin(theta), seen)
    return (q + np.outer(seen - d, n)).astype(np.float32)


# ---------------------------------------------------------------- thermal fade


class ThermalFadeConfig(EffectConfig):
    name: Literal["thermal_fade"] = "thermal_fade"
    strength: FloatRange = _range(0.2, 0.6, "mean fading of the ink")
    spread: FloatRange = _range(0.2, 0.45, "patchiness of the fading")
    scale: FloatRange = _range(80.0, 300.0, "size of faded patches, px")


def _sample_fade(rng: np.random.Generator, c: ThermalFadeConfig, shape: tuple[int, int]) -> Params:
    return {
        "strength": c.strength.sample(rng),
        "spread": c.spread.sample(rng),
        "scale": c.scale.sample(rng),
        "ramp": float(rng.uniform(0, 0.3)),
        "ramp_angle": float(rng.uniform(0, 360)),
        "seed": seed_from(rng),
    }


def _apply_fade(t: Target, p: Params) -> Target:
    """Thermal print fading unevenly: dark pixels move towards the paper colour by a smooth random amount (patches,
    a slow ramp and fine mottling), on the paper only (worked in the paper's box); the paper keeps its texture."""
    box = paper_box(t.surface)
    if box is None:
        return t
    x0, y0, x1, y1 = (int(v) for v in box)
    image, surface = t.image[y0:y1, x0:x1], t.surface[y0:y1, x0:x1]
    bh, bw = surface.shape
    rng = np.random.default_rng(p["seed"])
    step = 4
    noise = smooth_noise(
        rng, (-(-bh // step), -(-bw // step)), p["scale"] / step, octaves=3, persistence=0.45
    )
    a = np.radians(p["ramp_angle"])
    ys, xs = (np.mgrid[0 : noise.shape[0], 0 : noise.shape[1]].astype(np.float32) + np.float32(0.5)) * step
    ramp = ((xs - bw / 2) * np.cos(a) + (ys - bh / 2) * np.sin(a)) / max(t.frame[2:])
    fade = np.clip(p["strength"] + p["spread"] * noise + 2 * p["ramp"] * ramp, 0, 0.97).astype(np.float32)
    half = (-(-bh // 2), -(-bw // 2))
    mottled = upsample(fade, half) * (1 + 0.15 * smooth_noise(rng, half, 3.0))  # strokes fade unevenly too
    alpha = np.clip(upsample(mottled, (bh, bw)), 0, 0.97) * surface
    paper = image[::4, ::4][surface[::4, ::4] > 0.99]
    colour = np.percentile(paper, 75, axis=0) if len(paper) else np.full(3, 235.0)
    ink = cv2.subtract((*(float(c) for c in colour), 0.0), image)  # saturates: brighter-than-paper stays
    out = t.image.copy()
    a3 = cv2.merge([alpha, alpha, alpha])
    out[y0:y1, x0:x1] = cv2.add(image, cv2.multiply(ink, a3, dtype=cv2.CV_32F), dtype=cv2.CV_8U)
    return t.with_(image=out)


# ---------------------------------------------------------------- stain


class StainConfig(EffectConfig):
    name: Literal["stain"] = "stain"
    count: IntRange = Field(default_factory=lambda: IntRange(min=1, max=3))
    radius: FloatRange = _range(20.0, 90.0, "px")
    opacity: FloatRange = _range(0.2, 0.55)
    ring_p: float = Field(
        default=0.5, ge=0, le=1, description="chance of a cup ring rather than a filled blob"
    )


STAIN_COLOURS = {  # transmittance of a fully opaque stain, per RGB channel
    "coffee": (0.72, 0.52, 0.32),
    "tea": (0.85, 0.72, 0.45),
    "water": (0.88, 0.86, 0.8),
}


def _sample_stain(rng: np.random.Generator, c: StainConfig, shape: tuple[int, int]) -> Params:
    stains = []
    for _ in range(c.count.sample(rng)):
        kind = str(rng.choice(list(STAIN_COLOURS)))
        stains.append({
            "center": [float(rng.uniform(0.05, 0.95)), float(rng.uniform(0.05, 0.95))],
            "radius": c.radius.sample(rng),
            "opacity": c.opacity.sample(rng),
            "ring": bool(rng.random() < c.ring_p),
            "rim": float(rng.uniform(1.5, 5.0)),
            "colour": [float(v) * float(rng.uniform(0.95, 1.05)) for v in STAIN_COLOURS[kind]],
            "wobble": [float(v) for v in rng.normal(0, 0.06, 6)],
            "phase": [float(v) for v in rng.uniform(0, 2 * np.pi, 6)],
        })  # fmt: skip
    return {"stains": stains, "seed": seed_from(rng)}


def _stain_alpha(
    s: Params, shape: tuple[int, int], origin: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Opacity of one stain in a local patch: an irregular outline, a dark rim where the liquid dried (the coffee
    ring) fading inwards, a faint (ring) or fuller (blob) interior, mottled by noise."""
    ang = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    harmonics = zip(s["wobble"], s["phase"], strict=True)
    r = s["radius"] * (1 + sum(a * np.cos((k + 2) * ang + ph) for k, (a, ph) in enumerate(harmonics)))
    outline = np.stack([r * np.cos(ang), r * np.sin(ang)], 1) + np.asarray(s["center"]) - origin
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(outline * 16).astype(np.int32)], 255, cv2.LINE_AA, 4)
    inside = cv2.distanceTransform((mask > 127).astype(np.uint8), cv2.DIST_L2, 3)
    interior = 0.08 if s["ring"] else 0.45
    level = interior + (1 - interior) * np.exp(-inside / s["rim"])
    mottle = np.clip(1 + 0.35 * smooth_noise(rng, shape, max(s["radius"] / 2, 4.0)), 0.3, 1.6)
    return (s["opacity"] * level * mottle * (mask.astype(np.float32) / 255)).astype(np.float32)


def _apply_stain(t: Target, p: Params) -> Target:
    """Translucent coffee, tea or water stains, multiplied into the paper (the table is left as is)."""
    box = paper_box(t.surface)
    if box is None:
        return t
    h, w = t.shape
    rng = np.random.default_rng(p["seed"])
    out = t.image.copy()
    for s in p["stains"]:
        cx, cy = box[0] + s["center"][0] * (box[2] - box[0]), box[1] + s["center"][1] * (box[3] - box[1])
        reach = 1.4 * s["radius"] + 4
        x0, y0 = max(int(cx - reach), 0), max(int(cy - reach), 0)
        x1, y1 = min(int(cx + reach) + 1, w), min(int(cy + reach) + 1, h)
        if x1 <= x0 or y1 <= y0:
            continue
        alpha = _stain_alpha({**s, "center": [cx, cy]}, (y1 - y0, x1 - x0), np.array([x0, y0], float), rng)
        alpha *= t.surface[y0:y1, x0:x1]
        tint = 1 - alpha[..., None] * (1 - np.asarray(s["colour"], np.float32))
        out[y0:y1, x0:x1] = modulate(out[y0:y1, x0:x1], tint)
    return t.with_(image=out)


# ---------------------------------------------------------------- torn edge


class TornEdgeConfig(EffectConfig):
    name: Literal["torn_edge"] = "torn_edge"
    depth: FloatRange = _range(0.03, 0.15, "removed part / paper extent")
    jag: FloatRange = _range(1.5, 6.0, "fine raggedness of the tear, px")
    wander: FloatRange = _range(4.0, 25.0, "slow waviness of the tear, px")
    corner_p: float = Field(
        default=0.5, ge=0, le=1, description="chance of a torn-off corner rather than a strip"
    )


def _sample_torn(rng: np.random.Generator, c: TornEdgeConfig, shape: tuple[int, int]) -> Params:
    corner = bool(rng.random() < c.corner_p)
    base = float(rng.integers(4)) * 90.0 + (45.0 if corner else 0.0)
    return {
        "angle": base + float(rng.uniform(-15, 15) if corner else rng.uniform(-6, 6)),
        "depth": c.depth.sample(rng),
        "jag": c.jag.sample(rng),
        "wander": c.wander.sample(rng),
        "seed": seed_from(rng),
    }


def _apply_torn(t: Target, p: Params) -> Target:
    """Tear away the paper beyond a ragged line (a strip along an edge or a corner): its pixels become table,
    its labels vanish from every map, the surface drops to 0. Polygons are kept (boxes come from the maps)."""
    n = _unit(p["angle"])
    ext = _extent(t.surface, n)
    if ext is None:
        return t
    h, w = t.shape
    rng = np.random.default_rng(p["seed"])
    along = np.array([-n[1], n[0]])
    corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], float)
    t_lo, t_hi = (corners @ along).min() - 8, (corners @ along).max() + 8
    ts = np.arange(t_lo, t_hi, 1.0)
    offset = p["wander"] * smooth_noise(rng, (1, len(ts)), 60.0)[0]
    offset += p["jag"] * smooth_noise(rng, (1, len(ts)), 14.0, octaves=3, persistence=0.6)[0]
    offset += 0.15 * p["jag"] * rng.standard_normal(len(ts))  # fibres
    cut = ext[1] - p["depth"] * (ext[1] - ext[0])
    far = (corners @ n).max() + 20
    line = np.outer(ts, along) + np.outer(cut + offset, n)
    poly = np.vstack([line, [line[-1] + (far - cut + 50) * n, line[0] + (far - cut + 50) * n]])
    box = paper_box(t.surface)
    x0, y0 = max(int(box[0]) - 16, 0), max(int(box[1]) - 16, 0)  # the tear acts on the paper and its rim only
    x1, y1 = min(int(box[2]) + 16, w), min(int(box[3]) + 16, h)
    gone = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(gone, [np.round((poly - 0.5 - (x0, y0)) * 16).astype(np.int32)], 255, cv2.LINE_AA, 4)
    gone_f = gone.astype(np.float32) / 255
    near = _near_paper(t.surface)
    region = (slice(y0, y1), slice(x0, x1))
    maps, surface = t.maps.copy(), t.surface.copy()
    maps[:, y0:y1, x0:x1][:, (gone > 127) & (surface[region] > 0)] = 0
    surface[region] *= 1 - gone_f
    paper = (t.surface[region] > 0).astype(np.float32)
    soft = np.maximum(cv2.GaussianBlur(near[region].astype(np.float32), (0, 0), 5.0), paper)  # old shadow too
    image = _table_fill(t, t.image, gone_f * soft, near, p["seed"], (x0, y0))
    return t.with_(image=image, maps=maps, surface=surface)


EFFECTS = (
    Effect("wrinkle", "paper", True, WrinkleConfig, _sample_wrinkle, _apply_wrinkle,
           "Crumpled paper: random creased facets, displaced and shaded"),
    Effect("fold", "paper", True, FoldConfig, _sample_fold, _apply_fold,
           "One or two straight creases with a slope kink and a light/dark ridge"),
    Effect("curl", "paper", True, CurlConfig, _sample_curl, _apply_curl,
           "Page curl: the paper's end bends up around a cylinder, compressed and shaded"),
    Effect("thermal_fade", "paper", False, ThermalFadeConfig, _sample_fade, _apply_fade,
           "Uneven fading of thermal print towards the paper colour"),
    Effect("stain", "paper", False, StainConfig, _sample_stain, _apply_stain,
           "Translucent coffee/tea/water stains with darker dried rims"),
    Effect("torn_edge", "paper", True, TornEdgeConfig, _sample_torn, _apply_torn,
           "A strip or corner torn off along a ragged line; its labels are removed"),
)  # fmt: skip
