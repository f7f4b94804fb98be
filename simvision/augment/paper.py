"""Paper effects: crumples, folds, page curl, thermal fading, stains and torn edges.

The paper is ``Target.surface``. Shape effects (wrinkle, fold, curl) build a height field of the sheet, move the
pixels with the in-plane displacement that height implies (a backward map, zero on the table) and shade the paper
from the same height's normals. Wrinkle and fold compute displacement and shading on a 4-px grid over the paper and
hand them to :func:`~simvision.augment.paper_fields.deform`, which works only where they are not the identity;
fold and curling profiles vary across one line only, so they are 1-D lookup tables spread with one
``cv2.warpAffine``. ``torn_edge`` removes paper (and the labels on it); the rest only change the image. Helpers:
:mod:`~simvision.augment.paper_fields` (grids, profiles, the warp) and :mod:`~simvision.augment.paper_table`
(filling the table where paper went)."""

from __future__ import annotations

from typing import Annotated, Literal

import cv2
import numpy as np
from pydantic import Field

from simvision.augment.base import Effect, EffectConfig, Params, range_field, seed_from
from simvision.augment.light import downsample, modulate, paper_box, smooth_noise, upsample
from simvision.augment.paper_fields import (
    OFF_FRAME,
    Patch,
    deform,
    extent,
    facets,
    light_vec,
    limit_stretch,
    line_profile,
    paper_grid,
    paper_points,
    s_range,
    unit,
)
from simvision.augment.paper_table import near_paper, table_fill
from simvision.augment.target import Target
from simvision.augment.warp import warp_remap
from simvision.distributions import FloatRange, IntRange, within


def _light(rng: np.random.Generator) -> list[float]:
    """[azimuth, elevation] of the light in degrees (image axes, elevation above the table)."""
    return [float(rng.uniform(0, 360)), float(rng.uniform(30, 65))]


# ---------------------------------------------------------------- wrinkle (crumpled paper)


class WrinkleConfig(EffectConfig):
    name: Literal["wrinkle"] = "wrinkle"
    amplitude: Annotated[FloatRange, within(0, 200)] = range_field(1.0, 4.0, "largest displacement, px")
    depth: Annotated[FloatRange, within(0, 500)] = range_field(6.0, 22.0, "crumple height, px")
    scale: Annotated[FloatRange, within(1, 10000)] = range_field(60.0, 160.0, "crease spacing, px")
    shading: Annotated[FloatRange, within(0, 1)] = range_field(0.4, 0.9, "strength of the facet shading")


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


def _apply_wrinkle(t: Target, p: Params) -> Target:
    """Crumpled paper: a height field of random facets (two crease sizes) plus gentle undulation. Seen by a pinhole
    camera above ``nadir``, a point raised by z shifts by z * (x - nadir) / height: that is the displacement
    (scaled so its largest value is ``amplitude`` px). The facets are shaded lambertian from the same height.
    Height, displacement and shading live on a 4-px grid over the paper (see :func:`deform`)."""
    grid = paper_grid(t, 32, 4)
    if grid is None:
        return t
    shape, step = grid.shape, grid.step
    rng = np.random.default_rng(p["seed"])
    sp = p["scale"] / step
    z = facets(rng, shape, sp) + 0.45 * facets(rng, shape, sp / 1.8)
    z += 0.3 * smooth_noise(rng, shape, sp, octaves=2)
    z /= max(float(np.abs(z).max()), 1e-6)
    xs, ys = grid.centres()
    fx, fy, fw, fh = t.frame  # the camera looks at the output frame
    cx, cy = fx + p["nadir"][0] * fw, fy + p["nadir"][1] * fh
    reach = max(np.hypot(x - cx, y - cy) for x in (fx, fx + fw) for y in (fy, fy + fh))
    weight = grid.weight(t.surface) * np.float32(p["amplitude"] / reach)
    dx, dy = z * (xs - np.float32(cx)) * weight, z * (ys - np.float32(cy)) * weight
    k = np.float32(limit_stretch(dx, dy, step))
    depth = p["depth"] / step  # height in grid cells, so the slopes below are per cell
    gx = cv2.Sobel(z, cv2.CV_32F, 1, 0, ksize=3, scale=depth / 8)
    gy = cv2.Sobel(z, cv2.CV_32F, 0, 1, ksize=3, scale=depth / 8)
    lx, ly, lz = light_vec(p["light"])
    lambert = np.maximum(-gx * lx - gy * ly + lz, 0) / (np.sqrt(gx * gx + gy * gy + 1) * lz)
    gain = np.clip(1 + p["shading"] * (lambert - 1), 0.55, 1.25).astype(np.float32)
    return deform(t, grid, dx * k, dy * k, gain)


# ---------------------------------------------------------------- fold (crease)


class FoldConfig(EffectConfig):
    name: Literal["fold"] = "fold"
    count: Annotated[IntRange, within(0, 20)] = Field(
        default_factory=lambda: IntRange(min=1, max=2), description="number of creases"
    )
    bend_deg: Annotated[FloatRange, within(0, 90)] = range_field(3.0, 12.0, "tilt of the paper by a crease")
    width: Annotated[FloatRange, within(1, 10000)] = range_field(40.0, 200.0, "crease to table distance, px")
    crease: Annotated[FloatRange, within(0, 1)] = range_field(0.1, 0.3, "contrast of the crease line")
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


CREASE_PX = 18  # the crease's ridge and slope kink are shaded pixel-exact within this distance of its line
PINCH_PX = 6.0  # the crease draws the paper in within ~2 of these of its line


def _fold_luts(f: Params, d: np.ndarray, light: list[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward displacement along the normal, and the shading gain without and with the crease line, as functions
    of the distance d to the crease. The sheet rises in a tent of slopes tan(bend) to the crease, meeting the table
    smoothly ``width`` px away, and is shaded by that tilt. Its excess length (arc length minus footprint, a few px)
    is gathered at the crease: a pinch that draws the paper in by up to half of it within ~2 ``PINCH_PX`` of the
    line (its stretch held under 0.4), so that pixels move only near the line and the rest of the sheet stays."""
    side = d >= 0
    tan = np.tan(np.radians(np.where(side, f["bend"][0], f["bend"][1])))
    width = np.where(side, f["width"][0], f["width"][1])
    feet = 1 / (1 + np.exp(-(width - np.abs(d)) / (0.2 * width)))
    feet[feet < 0.01] = 0  # the tent ends ~1.9 widths out: flat beyond
    slope = -np.sign(d) * tan * feet * f["mountain"]  # dz/dd
    excess = float(np.sum(np.sqrt(1 + slope * slope) - 1))
    pinch = min(excess / (2 * PINCH_PX * np.exp(-0.5)), 0.4)  # a d exp(-d^2 / 2 s^2) peaks at a s exp(-1/2)
    lx, _, lz = light_vec(light, f["angle"])
    lambert = (-slope * lx + lz) / (np.sqrt(1 + slope * slope) * lz)
    g = np.exp(-0.5 * (d / 1.1) ** 2)
    ridge = f["crease"] * (np.exp(-0.5 * ((d + 1.5) / 1.1) ** 2) - np.exp(-0.5 * ((d - 1.5) / 1.1) ** 2))
    gain = lambert + ridge * np.sign(lx + 1e-9) * f["mountain"] - 0.5 * f["crease"] * g
    return pinch * d * np.exp(-0.5 * (d / PINCH_PX) ** 2), lambert, gain


def _apply_fold(t: Target, p: Params) -> Target:
    """One or two straight creases (the paper was folded and opened): a slope kink along each line, a light
    and a dark ridge on it, each side shaded by its tilt. Displacement and tilt shading live on a 4-px grid over
    the paper (see :func:`deform`); a strip along each crease line is shaded pixel-exact."""
    points = paper_points(t.surface)
    grid = paper_grid(t, 32, 4, points)
    if grid is None:
        return t
    weight = grid.weight(t.surface)
    dx, dy = np.zeros_like(weight), np.zeros_like(weight)
    gain = np.ones_like(weight)
    near = np.zeros(weight.shape, bool)
    xs, ys = grid.centres()
    creases = []
    for f in p["folds"]:
        n = unit(f["angle"])
        ext = extent(t.surface, n, points)
        s_lo, length = s_range(t.shape, n)
        at = ext[0] + f["offset"] * (ext[1] - ext[0])
        disp, smooth, full = _fold_luts(f, s_lo + np.arange(length) - at, p["light"])
        along, tilt = cv2.split(grid.line(n, np.stack([disp, smooth], 1), s_lo))
        along *= weight
        dx += np.float32(n[0]) * along
        dy += np.float32(n[1]) * along
        gain *= tilt
        strip = np.abs(xs * n[0] + ys * n[1] - at) <= CREASE_PX + grid.step
        near |= strip
        creases.append((n, s_lo, full, tilt, strip))

    def crease_lines(block: tuple[int, int, int, int]) -> list[Patch]:
        """Within each crease's strip, the fold's exact profile over its upsampled tilt shading, as a factor."""
        r0, r1, c0, c1 = block
        patches = []
        for n, s_lo, full, tilt, strip in creases:
            inside = np.zeros_like(strip)
            inside[r0:r1, c0:c1] = strip[r0:r1, c0:c1]
            sub = grid.block(inside, grow=0)
            if sub is not None:
                x0, y0, x1, y1 = grid.pixels(sub)
                exact = line_profile((y1 - y0, x1 - x0), n, full, s_lo, 1, (x0, y0))
                patches.append((x0, y0, exact / grid.upsample(tilt, sub)))
        return patches

    return deform(t, grid, dx, dy, gain, near, crease_lines)


# ---------------------------------------------------------------- curl: a cylindrical bend


class CurlConfig(EffectConfig):
    name: Literal["curl"] = "curl"
    length: Annotated[FloatRange, within(0, 1)] = range_field(0.12, 0.35, "curled part / paper length")
    angle_deg: Annotated[FloatRange, within(0, 180)] = range_field(25.0, 60.0, "bend reached at the edge")
    shading: Annotated[FloatRange, within(0, 1)] = range_field(0.4, 0.8)
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
    n = unit(p["angle"])
    ext = extent(t.surface, n)
    if ext is None:
        return t
    length = p["length"] * (ext[1] - ext[0])
    theta = np.radians(p["theta"])
    radius = length / theta
    s0, tip = ext[1] - length, radius * np.sin(theta)
    s_lo, size = s_range(t.shape, n)
    d = s_lo + np.arange(size) - s0
    bent = radius * np.arcsin(np.clip(d / radius, 0, np.sin(theta)))
    disp = np.where(d <= 0, 0.0, np.where(d < tip, bent - d, length - tip))
    ang = np.arcsin(np.clip(d / radius, 0, np.sin(theta)))
    lx, _, lz = light_vec(p["light"], p["angle"])
    lambert = np.maximum(-np.sin(ang) * lx + np.cos(ang) * lz, 0) / lz * (1 - 0.35 * np.sin(ang))
    shade = np.clip(1 + p["shading"] * (lambert - 1), 0.25, 1.3)
    cast = np.where(d > tip, -0.6 * p["shading"] * np.exp(-np.maximum(d - tip, 0) / (0.3 * length + 1)), 0)
    x0, y0, bw, bh = _curl_box(t, n, s0)
    if bw == 0:
        return t
    luts = np.stack([disp, shade - 1, cast], 1)
    along, shade_f, cast_f = cv2.split(line_profile((bh, bw), n, luts, s_lo, origin=(x0, y0)))
    xs, ys = (
        np.arange(x0, x0 + bw, dtype=np.float32)[None, :],
        np.arange(y0, y0 + bh, dtype=np.float32)[:, None],
    )
    px, py = xs + np.float32(n[0]) * along, ys + np.float32(n[1]) * along
    paper = cv2.remap(t.surface, px, py, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT) > 0.5
    box = (slice(y0, y0 + bh), slice(x0, x0 + bw))
    bare = ~paper & near_paper(t.surface, along=n)[box] & (along > 0.01)
    map_x = np.where(paper, px, np.where(bare, OFF_FRAME, xs)).astype(np.float32)
    map_y = np.where(paper, py, np.where(bare, OFF_FRAME, ys)).astype(np.float32)
    part = warp_remap(t.with_(polygons=()), map_x, map_y)  # the box only; polygons: exact forward map below
    image, maps, surface = t.image.copy(), t.maps.copy(), t.surface.copy()
    image[box], maps[(slice(None), *box)], surface[box] = part.image, part.maps, part.surface
    under = cv2.GaussianBlur(downsample((bare & (t.surface[box] > 0)).astype(np.float32)), (0, 0), 2.5)
    gain = shade_f * part.surface + cast_f * upsample(under, (bh, bw)) * (1 - part.surface)
    image = table_fill(t, image, bare.astype(np.float32), near_paper(t.surface), p["seed"], (x0, y0))
    image[box] = modulate(image[box], 1 + gain)
    polys = tuple(None if q is None else _curl_forward(q, n, s0, radius, theta, length) for q in t.polygons)
    coords = t.coords
    if coords is not None:
        coords = coords.copy()
        coords[box] = part.coords
    return t.with_(image=image, maps=maps, surface=surface, polygons=polys, coords=coords, bends=part.bends)


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


# ---------------------------------------------------------------- stain


class StainConfig(EffectConfig):
    name: Literal["stain"] = "stain"
    count: Annotated[IntRange, within(0, 20)] = Field(default_factory=lambda: IntRange(min=1, max=3))
    radius: Annotated[FloatRange, within(1, 10000)] = range_field(20.0, 90.0, "px")
    opacity: Annotated[FloatRange, within(0, 1)] = range_field(0.2, 0.55)
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
    depth: Annotated[FloatRange, within(0, 0.5)] = range_field(0.03, 0.15, "removed part / paper extent")
    jag: Annotated[FloatRange, within(0, 200)] = range_field(1.5, 6.0, "fine raggedness of the tear, px")
    wander: Annotated[FloatRange, within(0, 1000)] = range_field(4.0, 25.0, "slow waviness of the tear, px")
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
    n = unit(p["angle"])
    ext = extent(t.surface, n)
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
    near = near_paper(t.surface)
    region = (slice(y0, y1), slice(x0, x1))
    maps, surface = t.maps.copy(), t.surface.copy()
    maps[:, y0:y1, x0:x1][:, (gone > 127) & (surface[region] > 0)] = 0
    surface[region] *= 1 - gone_f
    paper = (t.surface[region] > 0).astype(np.float32)
    soft = np.maximum(cv2.GaussianBlur(near[region].astype(np.float32), (0, 0), 5.0), paper)  # old shadow too
    image = table_fill(t, t.image, gone_f * soft, near, p["seed"], (x0, y0))
    return t.with_(image=image, maps=maps, surface=surface)


EFFECTS = (
    Effect("wrinkle", "paper", True, WrinkleConfig, _sample_wrinkle, _apply_wrinkle,
           "Crumpled paper: random creased facets, displaced and shaded"),
    Effect("fold", "paper", True, FoldConfig, _sample_fold, _apply_fold,
           "One or two straight creases with a slope kink and a light/dark ridge"),
    Effect("curl", "paper", True, CurlConfig, _sample_curl, _apply_curl,
           "Page curl: the paper's end bends up around a cylinder, compressed and shaded"),
    Effect("stain", "paper", False, StainConfig, _sample_stain, _apply_stain,
           "Translucent coffee/tea/water stains with darker dried rims"),
    Effect("torn_edge", "paper", True, TornEdgeConfig, _sample_torn, _apply_torn,
           "A strip or corner torn off along a ragged line; its labels are removed"),
)  # fmt: skip
