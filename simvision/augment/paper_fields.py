"""Geometry and displacement-field helpers of the paper shape effects (:mod:`simvision.augment.paper`).

Line profiles (a 1-D lookup table spread over a box by one ``cv2.warpAffine``), the paper's outline and extent along a
direction, the coarse :class:`Grid` a shape effect computes its fields on, :func:`deform` (moves the image, id maps,
surface and polygons by such a field and shades the paper, working only where it is not the identity) and the random
facets of crumpled paper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from scipy.spatial import Delaunay

from simvision.augment.target import Target
from simvision.augment.warp import remap_coords

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
    # OpenCV's 2-channel float path is ~3x slower than its 3-channel one: pad, warp, drop the pad
    if row.ndim == 3 and row.shape[2] == 2:
        row = np.concatenate([row, row[..., :1]], axis=2)
        return cv2.warpAffine(row, m, (w, h), flags=flags, borderMode=cv2.BORDER_CONSTANT)[..., :2]
    return cv2.warpAffine(row, m, (w, h), flags=flags, borderMode=cv2.BORDER_CONSTANT)


def paper_points(surface: np.ndarray) -> np.ndarray | None:
    """(N, 2) pixel coordinates of the paper's outline (``surface`` > 0.5) on a 4x subsample: the first and last
    paper pixel of each subsampled row, where any linear function over the paper peaks. None without paper."""
    sub = surface[::4, ::4] > 0.5
    rows = np.flatnonzero(sub.any(1))
    if len(rows) == 0:
        return None
    first, last = sub[rows].argmax(1), sub.shape[1] - 1 - sub[rows, ::-1].argmax(1)
    return np.concatenate([np.stack([first, rows], 1), np.stack([last, rows], 1)]) * 4.0


def extent(
    surface: np.ndarray, n: np.ndarray, points: np.ndarray | None = None
) -> tuple[float, float] | None:
    """Min and max of s = n . (x, y) over the paper (from a 4x subsample, +-2 px; ``points`` from
    :func:`paper_points` when already known); None without paper."""
    points = paper_points(surface) if points is None else points
    if points is None:
        return None
    s = points @ n
    return float(s.min()) - 2, float(s.max()) + 2


def limit_stretch(dx: np.ndarray, dy: np.ndarray, px: float) -> float:
    """Factor (<= 1) that keeps every derivative of the displacement (sampled ``px`` apart) under MAX_STRETCH."""
    worst = max(float(np.abs(np.diff(f, axis=a)).max(initial=0)) for f in (dx, dy) for a in (0, 1)) / px
    return min(1.0, MAX_STRETCH / worst) if worst > 0 else 1.0


# ---------------------------------------------------------------- coarse fields over the paper's box


@dataclass(frozen=True)
class Grid:
    """Cells of ``step`` x ``step`` px over the box ``(x0, y0, x1, y1)`` and one cell beyond it on every side:
    cell (r, c) covers the pixels from (x0 + (c - 1) * step, y0 + (r - 1) * step). A field on the grid upsamples
    bilinearly (``cv2.resize`` by exactly ``step``) over any block of inner cells without clamping at its border,
    so a shape effect computes its displacement and shading here, ``step**2`` times fewer values than pixels."""

    x0: int
    y0: int
    x1: int
    y1: int
    step: int

    @property
    def shape(self) -> tuple[int, int]:
        return -(-(self.y1 - self.y0) // self.step) + 2, -(-(self.x1 - self.x0) // self.step) + 2

    @property
    def origin(self) -> tuple[int, int]:
        """The pixel at the corner of cell (0, 0)."""
        return self.x0 - self.step, self.y0 - self.step

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Pixel-index coordinates (x, y) of the cell centres, as a float32 row and column."""
        rows, cols = self.shape
        half = (self.step - 1) / 2
        xs = np.float32(self.origin[0] + half) + self.step * np.arange(cols, dtype=np.float32)
        ys = np.float32(self.origin[1] + half) + self.step * np.arange(rows, dtype=np.float32)
        return xs[None, :], ys[:, None]

    def block(self, active: np.ndarray, grow: int = 1) -> tuple[int, int, int, int] | None:
        """Inner cells (r0, r1, c0, c1) bounding ``active`` (bool, on the grid) grown by ``grow`` cells; None if none
        is active."""
        rows, cols = self.shape
        rs, cs = np.nonzero(active.any(1)), np.nonzero(active.any(0))
        if len(rs[0]) == 0:
            return None
        r0, r1 = max(int(rs[0][0]) - grow, 1), min(int(rs[0][-1]) + grow + 1, rows - 1)
        c0, c1 = max(int(cs[0][0]) - grow, 1), min(int(cs[0][-1]) + grow + 1, cols - 1)
        return (r0, r1, c0, c1) if r0 < r1 and c0 < c1 else None

    def pixels(self, block: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) of the pixels of a block of inner cells, within the box."""
        r0, r1, c0, c1 = block
        ox, oy = self.origin
        s = self.step
        return ox + c0 * s, oy + r0 * s, min(ox + c1 * s, self.x1), min(oy + r1 * s, self.y1)

    def upsample(self, field: np.ndarray, block: tuple[int, int, int, int]) -> np.ndarray:
        """``field`` (on the grid) bilinearly at every pixel of ``block``: cell centres are exact, pixels between
        them interpolated, as ``cv2.resize`` does."""
        r0, r1, c0, c1 = block
        x0, y0, x1, y1 = self.pixels(block)
        return _upsample(field[r0 - 1 : r1 + 1, c0 - 1 : c1 + 1], self.step, (y1 - y0, x1 - x0))

    def sample(self, image: np.ndarray) -> np.ndarray:
        """``image`` (H, W) at the pixel nearest each cell centre, 0 off the canvas."""
        h, w = image.shape[:2]
        rows, cols = self.shape
        (ox, oy), s = self.origin, self.step
        ra, ca = max(-((oy + s // 2) // s), 0), max(-((ox + s // 2) // s), 0)  # first cells on the canvas
        rb, cb = min(rows, (h - 1 - oy - s // 2) // s + 1), min(cols, (w - 1 - ox - s // 2) // s + 1)
        out = np.zeros((rows, cols), image.dtype)
        out[ra:rb, ca:cb] = image[oy + s // 2 + ra * s :: s, ox + s // 2 + ca * s :: s][: rb - ra, : cb - ca]
        return out

    def weight(self, surface: np.ndarray, sigma_px: float = 10.0) -> np.ndarray:
        """Blurred paper on the grid: displacements fade out over ~2 sigma around the paper's edge."""
        return cv2.GaussianBlur(self.sample(surface), (0, 0), sigma_px / self.step)

    def line(self, n: np.ndarray, lut: np.ndarray, s_lo: float) -> np.ndarray:
        """A 1-D profile ``lut[s - s_lo]`` at s = n . (x, y) over the grid (see :func:`line_profile`)."""
        rows, cols = self.shape
        return line_profile((rows * self.step, cols * self.step), n, lut, s_lo, self.step, self.origin)


def _upsample(cells: np.ndarray, step: int, shape: tuple[int, int]) -> np.ndarray:
    """Cells (with one extra cell on every side) bilinearly upsampled ``step`` times; the first ``shape`` pixels of
    the inner cells."""
    up = cv2.resize(cells, None, fx=step, fy=step, interpolation=cv2.INTER_LINEAR)
    return up[step : step + shape[0], step : step + shape[1]]


def paper_grid(t: Target, margin: int, step: int, points: np.ndarray | None = None) -> Grid | None:
    """The grid over the paper's box grown by ``margin`` (within the canvas); None without paper. Shape effects act
    only there, so their cost scales with the paper rather than the frame. ``points``: :func:`paper_points`."""
    points = paper_points(t.surface) if points is None else points
    if points is None:
        return None
    xs, ys = points[:, 0], points[:, 1]
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 4, int(ys.max()) + 4  # as paper_box
    h, w = t.shape
    return Grid(max(x0 - margin, 0), max(y0 - margin, 0), min(x1 + margin, w), min(y1 + margin, h), step)


def _rim(grid: Grid, shape: tuple[int, int]) -> np.ndarray:
    """Bool on the grid: the outer ring of cells on the sides where the box stops short of the canvas edge (the
    pixels beyond are not warped, so fields must reach 0 there)."""
    rows, cols = grid.shape
    h, w = shape
    rim = np.zeros((rows, cols), bool)
    rim[0, :], rim[-1, :] = grid.y0 > 0, grid.y1 < h
    rim[:, 0] |= grid.x0 > 0
    rim[:, -1] |= grid.x1 < w
    return rim


def _paper_at_canvas_edge(surface: np.ndarray, reach: tuple[int, int, int, int]) -> bool:
    """Whether the canvas edge crossed by the pixel box ``reach`` (x0, y0, x1, y1) has paper on it."""
    h, w = surface.shape
    x0, y0, x1, y1 = reach
    rows, cols = slice(max(y0, 0), min(y1, h)), slice(max(x0, 0), min(x1, w))
    edges = [surface[rows, 0] if x0 < 0 else None, surface[rows, w - 1] if x1 > w else None]
    edges += [surface[0, cols] if y0 < 0 else None, surface[h - 1, cols] if y1 > h else None]
    return any(e is not None and bool(e.any()) for e in edges)


BAND = 64  # rows worked at a time by :func:`deform`
Patch = tuple[int, int, np.ndarray]  # (x0, y0, factor): a full-resolution correction of a shading gain


def _fresh(a: np.ndarray, box: tuple[int, int, int, int], lead: int = 0) -> np.ndarray:
    """A new array like ``a`` holding ``a`` everywhere but inside ``box`` (x0, y0, x1, y1 over the axes after
    ``lead`` leading ones), left for the caller to write: the box's pixels are not written twice."""
    x0, y0, x1, y1 = box
    out = np.empty_like(a)
    pre = (slice(None),) * lead
    for part in (
        (slice(None, y0),),
        (slice(y1, None),),
        (slice(y0, y1), slice(None, x0)),
        (slice(y0, y1), slice(x1, None)),
    ):
        out[pre + part] = a[pre + part]
    return out


def deform(
    t: Target,
    grid: Grid,
    dx: np.ndarray,
    dy: np.ndarray,
    gain: np.ndarray | None = None,
    detail: np.ndarray | None = None,
    refine: Callable[[tuple[int, int, int, int]], list[Patch]] | None = None,
) -> Target:
    """Move the image, id maps, surface and polygons by the backward displacement (``dx``, ``dy``: the source pixel
    of each output pixel, minus its own position, on ``grid``) and shade the paper by ``gain`` (on ``grid``; 1 is
    none). ``refine(block)`` may return full-resolution factors for the upsampled gain where it is not smooth (a
    crease line), inside the pixels of ``block`` (cells, as :meth:`Grid.block` gives); ``detail`` (bool on the
    grid) marks the cells they may touch.

    Cost follows what changes, in bands of ``BAND`` rows whose scratch arrays stay in cache: only the cells where
    the fields are not the identity are worked, only bands with some displacement are resampled (the others are
    only shaded), and each output array is written once. The image and the paper surface (as its alpha) move in
    one RGBA ``cv2.remap`` (4 channels are ~4x faster than 3); the id maps (nearest) only where a displacement
    reaches 0.45 px, since nearest neighbour is the identity below half a pixel (elsewhere the input maps are
    returned as they are); the shading is a uint8 multiply gated by the paper. Polygon points solve the forward
    map on the coarse field itself (its bilinear interpolation is what the pixels got)."""
    h, w = t.shape
    rim = _rim(grid, (h, w))
    dx = np.where(rim | (np.abs(dx) < 1e-3), 0, dx).astype(np.float32)  # < 1e-3 px: invisible, and it keeps
    dy = np.where(rim | (np.abs(dy) < 1e-3), 0, dy).astype(np.float32)  # the worked block to the paper
    moving = (dx != 0) | (dy != 0)
    active = moving.copy()
    if gain is not None:
        gain = np.where(rim, 1, gain).astype(np.float32)
        active |= np.abs(gain - 1) >= 1e-3
    if detail is not None:
        active |= detail & ~rim
    block = grid.block(active)
    if block is None:
        return t
    r0, r1, c0, c1 = block
    bx0, by0, bx1, by1 = grid.pixels(block)
    reach = int(np.ceil(max(float(np.abs(dx).max()), float(np.abs(dy).max())))) + 2
    sx0, sx1 = max(bx0 - reach, 0), min(bx1 + reach, w)  # the source columns the block can sample
    xs, ys = grid.centres()
    fx, fy = xs + dx - np.float32(sx0), ys + dy  # source column in the crop, absolute source row
    float_surface = _paper_at_canvas_edge(t.surface, (bx0 - reach, by0 - reach, bx1 + reach, by1 + reach))
    shade = None
    if gain is not None:
        patches = refine(block) if refine is not None else []
        top = float(gain.max()) * max([1.0] + [float(f.max()) for _, _, f in patches])
        unit = int(255 // max(top, 1.0))  # the shading works in uint8: gain 1 is ``unit``
        shade = (cv2.convertScaleAbs(gain, alpha=unit), unit, patches)
    step, band = grid.step, BAND // grid.step
    bands = [(ra, min(ra + band, r1)) for ra in range(r0, r1, band)]
    moved_rows = moving[:, c0 - 1 : c1 + 1].any(1)
    moved = [bool(moved_rows[ra - 1 : rb + 1].any()) for ra, rb in bands]
    image = _fresh(t.image, (bx0, by0, bx1, by1))
    surface, wy0, wy1 = t.surface, 0, 0
    if any(moved):
        first, last = moved.index(True), len(moved) - 1 - moved[::-1].index(True)
        wy0, wy1 = grid.pixels((bands[first][0], bands[last][1], c0, c1))[1::2]
        surface = _fresh(t.surface, (bx0, wy0, bx1, wy1))
    near = grid.block(np.maximum(np.abs(dx), np.abs(dy)) >= 0.45)  # nearest neighbour moves an id there
    maps = t.maps
    if near is not None and len(maps):
        maps = _fresh(t.maps, grid.pixels(near), lead=1)
    for (ra, rb), motion in zip(bands, moved, strict=True):
        x0, y0, x1, y1 = grid.pixels((ra, rb, c0, c1))
        rows = slice(y0, y1)
        if not motion:
            if wy0 <= y0 < wy1:
                surface[rows, x0:x1] = t.surface[rows, x0:x1]
            if (
                maps is not t.maps
            ):  # between two distant creases the near block has still rows: keep their ids
                nx0, ny0, nx1, ny1 = grid.pixels(near)
                ya, yb = max(ny0, y0), min(ny1, y1)
                if ya < yb:
                    maps[:, ya:yb, nx0:nx1] = t.maps[:, ya:yb, nx0:nx1]
            if shade is None:
                image[rows, x0:x1] = t.image[rows, x0:x1]
            else:
                s8 = cv2.convertScaleAbs(t.surface[rows, x0:x1], alpha=255)
                _shade(t.image[rows, x0:x1], s8, grid, (ra, rb, c0, c1), shade, image[rows, x0:x1])
            continue
        sy0, sy1 = max(y0 - reach, 0), min(y1 + reach, h)
        cells, size = (slice(ra - 1, rb + 1), slice(c0 - 1, c1 + 1)), (y1 - y0, x1 - x0)
        mx, my = _upsample(fx[cells], step, size), _upsample(fy[cells] - np.float32(sy0), step, size)
        src = np.empty((sy1 - sy0, sx1 - sx0, 4), np.uint8)
        alpha = cv2.convertScaleAbs(t.surface[sy0:sy1, sx0:sx1], alpha=255)
        cv2.mixChannels([t.image[sy0:sy1, sx0:sx1], alpha], [src], [0, 0, 1, 1, 2, 2, 3, 3])
        rgba = cv2.remap(src, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        paper = surface[rows, x0:x1]
        if float_surface:  # samples may leave the canvas, where there is no paper (0), not a replicated edge
            cv2.remap(t.surface[sy0:, sx0:], mx, my, cv2.INTER_LINEAR, paper, cv2.BORDER_CONSTANT)
            s8 = cv2.convertScaleAbs(paper, alpha=255)
        else:
            s8 = cv2.extractChannel(rgba, 3)
            np.multiply(s8, np.float32(1 / 255), out=paper)
        if shade is not None:
            _shade(rgba, s8, grid, (ra, rb, c0, c1), shade)
        cv2.cvtColor(rgba, cv2.COLOR_RGBA2RGB, dst=image[rows, x0:x1])
        if maps is not t.maps and near[0] < rb and near[1] > ra:
            nx0, ny0, nx1, ny1 = grid.pixels(near)
            ny0, ny1 = max(ny0, y0), min(ny1, y1)
            sub = (slice(ny0 - y0, ny1 - y0), slice(nx0 - x0, nx1 - x0))
            for layer, out in zip(t.maps, maps, strict=True):
                dst = out[ny0:ny1, nx0:nx1]
                cv2.remap(layer[sy0:, sx0:], mx[sub], my[sub], cv2.INTER_NEAREST, dst, cv2.BORDER_CONSTANT)
    polygons = _forward_polygons(t.polygons, grid, dx, dy) if moving.any() else t.polygons
    coords = t.coords
    if coords is not None and moving.any():  # the same upsampled field the image got, over the whole block
        size = (by1 - by0, bx1 - bx0)
        cells = (slice(r0 - 1, r1 + 1), slice(c0 - 1, c1 + 1))
        mx, my = _upsample(fx[cells], step, size) + np.float32(sx0), _upsample(fy[cells], step, size)
        coords = coords.copy()
        coords[by0:by1, bx0:bx1] = remap_coords(t.coords, mx, my)
    return t.with_(
        image=image, maps=maps, surface=surface, polygons=polygons, coords=coords, bends=t.bends + 1
    )


def _shade(
    pixels: np.ndarray,
    s8: np.ndarray,
    grid: Grid,
    cells: tuple[int, int, int, int],
    shade: tuple[np.ndarray, int, list[Patch]],
    dst: np.ndarray | None = None,
) -> None:
    """``pixels`` (RGB or RGBA, the pixels of ``cells``) times ``1 + (gain - 1) * paper`` into ``dst`` (default: in
    place): the gain (as uint8, ``unit`` = 1) upsampled from the grid and refined by the patches, ``paper`` =
    ``s8`` / 255."""
    g8, unit, patches = shade
    x0, y0, x1, y1 = grid.pixels(cells)
    g = grid.upsample(g8, cells)
    for px, py, factor in patches:
        ya, yb = max(py, y0), min(py + factor.shape[0], y1)
        xa, xb = max(px, x0), min(px + factor.shape[1], x1)
        if ya < yb and xa < xb:
            part = g[ya - y0 : yb - y0, xa - x0 : xb - x0]
            f = factor[ya - py : yb - py, xa - px : xb - px]
            part[:] = cv2.convertScaleAbs(cv2.multiply(part, f, dtype=cv2.CV_32F))
    g = cv2.add(cv2.multiply(g, s8, scale=1 / 255), cv2.multiply(cv2.bitwise_not(s8), unit / 255))
    code = cv2.COLOR_GRAY2RGBA if pixels.shape[2] == 4 else cv2.COLOR_GRAY2RGB
    cv2.multiply(pixels, cv2.cvtColor(g, code), pixels if dst is None else dst, 1 / unit)


ROUGH_PX = (
    0.1  # cv2.remap's weights step in 1/32 of a cell (1/8 px on a 4-px grid): the fast solve stops here
)
EXACT_PX = 1e-3  # the exact solve stops when no point moved this much (its error is then below ~EXACT_PX too)


def _forward_polygons(
    polygons: tuple[np.ndarray | None, ...], grid: Grid, dx: np.ndarray, dy: np.ndarray
) -> tuple[np.ndarray | None, ...]:
    """Where polygon points land: the p with p + d(p) = q for each point q (pixel-edge coordinates), d the
    displacement bilinear on the grid (0 beyond it), by fixed-point iteration p <- q - d(p). It contracts by
    |grad d| <= MAX_STRETCH per step, so the solution is unique: a point with d(q) = 0 stays; the others iterate
    with a fast d until no point moves ``ROUGH_PX``, then with the exact d until none moves ``EXACT_PX``."""
    present = [q for q in polygons if q is not None]
    if not present:
        return polygons
    rows, cols = dx.shape
    field = np.zeros((rows + 2, cols + 2), np.complex128)  # d as x + iy, with a ring of zeros
    field.real[1:-1, 1:-1], field.imag[1:-1, 1:-1] = dx, dy
    flat, stride = field.ravel(), cols + 2
    corner = (
        np.array(grid.origin, float) + (grid.step - 1) / 2 + 0.5 - grid.step
    )  # cell -1's centre, edge coords
    top = (cols + 1, rows + 1)

    def d(p: np.ndarray) -> np.ndarray:
        uv = np.clip((p - corner) / grid.step, 0, top)
        cr = np.minimum(uv.astype(np.intp), (cols, rows))
        fu, fv = (uv - cr).T
        i = cr[:, 1] * stride + cr[:, 0]
        upper = flat[i] + fu * (flat[i + 1] - flat[i])
        lower = flat[i + stride] + fu * (flat[i + stride + 1] - flat[i + stride])
        out = upper + fv * (lower - upper)
        return np.stack([out.real, out.imag], 1)

    ring = np.zeros((rows + 2, cols + 2, 2), np.float32)
    ring[1:-1, 1:-1, 0], ring[1:-1, 1:-1, 1] = dx, dy

    def rough(p: np.ndarray) -> np.ndarray:  # d by cv2.remap: fast, its weights in 1/32 cell steps
        uv = ((p - corner) / grid.step).astype(np.float32)
        k = len(uv)
        cols = min(max(k, 1), 4096)  # remap's maps must be narrower than 32767 px: points in rows of 4096
        grid_uv = np.zeros((-(-k // cols) * cols, 2), np.float32)
        grid_uv[:k] = uv
        grid_uv = grid_uv.reshape(-1, cols, 2)
        out = cv2.remap(ring, grid_uv[..., 0], grid_uv[..., 1], cv2.INTER_LINEAR, None, cv2.BORDER_CONSTANT)
        return out.reshape(-1, 2)[:k]

    src = np.concatenate(present).astype(np.float64)
    p = src.copy()
    step = d(src)
    live = np.flatnonzero(step.any(1))
    q, p_live = src[live], src[live] - step[live]
    for _ in range(12):  # converge roughly (to within the fast d's own resolution) ...
        new = q - rough(p_live)
        done = float(np.abs(new - p_live).max(initial=0)) < ROUGH_PX
        p_live = new
        if done:
            break
    for _ in range(8):  # ... then polish with exact steps, each cutting the error by |grad d| <= MAX_STRETCH
        new = q - d(p_live)
        done = float(np.abs(new - p_live).max(initial=0)) < EXACT_PX
        p_live = new
        if done:
            break
    p[live] = p_live
    out = p.astype(np.float32)
    ends = np.cumsum([0] + [len(q) for q in present])
    moved = iter(out[a:b] for a, b in zip(ends[:-1], ends[1:], strict=True))
    return tuple(None if q is None else next(moved) for q in polygons)


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
    e1, e2, dz1, dz2 = p[:, 1] - p[:, 0], p[:, 2] - p[:, 0], q[:, 1] - q[:, 0], q[:, 2] - q[:, 0]
    det = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    ok = np.abs(det) > 1e-6
    det = np.where(ok, det, 1.0)
    c0 = np.where(ok, (dz1 * e2[:, 1] - dz2 * e1[:, 1]) / det, 0.0)  # plane z = c0 x + c1 y + c2
    c1 = np.where(ok, (e1[:, 0] * dz2 - e2[:, 0] * dz1) / det, 0.0)
    c2 = np.where(ok, q[:, 0] - c0 * p[:, 0, 0] - c1 * p[:, 0, 1], q.mean(1))
    plane = np.zeros((h, w, 3), np.float32)  # (c0, c1, c2) of the triangle over each pixel
    for tri, c in zip(np.round(p * 16).astype(np.int32), np.stack([c0, c1, c2], 1).tolist(), strict=True):
        cv2.fillConvexPoly(plane, tri, c, cv2.LINE_8, 4)
    xs, ys = np.arange(w, dtype=np.float32)[None, :], np.arange(h, dtype=np.float32)[:, None]
    return plane[..., 0] * xs + plane[..., 1] * ys + plane[..., 2]
