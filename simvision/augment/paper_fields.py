"""Geometry and displacement-field helpers of the paper shape effects (:mod:`simvision.augment.paper`).

Line profiles (a 1-D lookup table spread over a box by one ``cv2.warpAffine``), the paper's extent along a direction,
the box a shape effect acts in, warping and shading inside that box, and the random facets of crumpled paper.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy.spatial import Delaunay

from simvision.augment.light import downsample, modulate, paper_box
from simvision.augment.target import Target
from simvision.augment.warp import forward_points, warp_remap

MAX_STRETCH = 0.5  # largest allowed derivative of a displacement field: keeps maps fold-free and invertible
OFF_FRAME = -1000.0  # backward-map coordinate that samples the (constant, zero) border: "nothing here"


def light_vec(light: list[float], normal_deg: float = 0.0) -> tuple[float, float, float]:
    """Light as (component along x, along y, up); x is the direction ``normal_deg``."""
    az, el = np.radians(light[0] - normal_deg), np.radians(light[1])
    return float(np.cos(el) * np.cos(az)), float(np.cos(el) * np.sin(az)), float(np.sin(el))


def unit(angle_deg: float) -> np.ndarray:
    a = np.radians(angle_deg)
    return np.array([np.cos(a), np.sin(a)])


def s_range(shape: tuple[int, int], n: np.ndarray) -> tuple[float, int]:
    """Lowest s = n . (x, y) over the frame, and the length of a 1-px lookup table covering all of it."""
    h, w = shape
    s = [n[0] * x + n[1] * y for x in (0, w - 1) for y in (0, h - 1)]
    return float(np.floor(min(s))) - 1, int(np.ceil(max(s) - min(s))) + 4


def line_profile(
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


def extent(surface: np.ndarray, n: np.ndarray) -> tuple[float, float] | None:
    """Min and max of s = n . (x, y) over the paper (from a 4x subsample, +-2 px); None without paper."""
    ys, xs = np.nonzero(surface[::4, ::4] > 0.5)
    if len(xs) == 0:
        return None
    s = 4.0 * (xs * n[0] + ys * n[1])
    return float(s.min()) - 2, float(s.max()) + 2


def paper_weight(surface: np.ndarray, step: int = 4, sigma_px: float = 10.0) -> np.ndarray:
    """Blurred surface on a coarse grid: displacements fade out over ~2 sigma around the paper's edge."""
    return cv2.GaussianBlur(downsample(surface, step), (0, 0), sigma_px / step)


def limit_stretch(dx: np.ndarray, dy: np.ndarray, px: float) -> float:
    """Factor (<= 1) that keeps every derivative of the displacement (sampled ``px`` apart) under MAX_STRETCH."""
    worst = max(float(np.abs(np.diff(f, axis=a)).max(initial=0)) for f in (dx, dy) for a in (0, 1)) / px
    return min(1.0, MAX_STRETCH / worst) if worst > 0 else 1.0


def paper_region(t: Target, margin: int) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1): the paper's box grown by ``margin``, within the canvas; None without paper. Shape effects
    act only there, so their cost scales with the paper rather than the frame."""
    box = paper_box(t.surface)
    if box is None:
        return None
    h, w = t.shape
    x0, y0 = max(int(box[0]) - margin, 0), max(int(box[1]) - margin, 0)
    return x0, y0, min(int(box[2]) + margin, w), min(int(box[3]) + margin, h)


def warp_box(t: Target, box: tuple[int, int, int, int], map_x: np.ndarray, map_y: np.ndarray) -> Target:
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


def shade_box(t: Target, box: tuple[int, int, int, int], gain: np.ndarray) -> Target:
    """Multiply the paper's pixels in ``box`` by ``gain`` (box-sized), fading to 1 off the paper. ``t.image``
    must be this effect's own (fresh) array: it is written in place."""
    x0, y0, x1, y1 = box
    region = (slice(y0, y1), slice(x0, x1))
    t.image[region] = modulate(t.image[region], 1.0 + (gain - 1.0) * t.surface[region])
    return t


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
