"""Geometric transforms that move image, id maps and polygons together.

A warp is either a homography (3x3, source -> destination) or a dense backward map (for every destination pixel,
the source position it samples). Images are resampled bilinearly; id maps by nearest neighbour, so ids are never
blended or invented; polygon points move forward through the same transform.
"""

from __future__ import annotations

import cv2
import numpy as np

from simvision.augment.target import Target


def _stack(layers: list[np.ndarray], hw: tuple[int, int]) -> np.ndarray:
    """(L,H,W) int32 from warped layers; a sample with no id layers stays (0,H,W)."""
    return np.stack(layers) if layers else np.zeros((0, *hw), np.int32)


def warp_homography(
    t: Target, h: np.ndarray, size: tuple[int, int] | None = None, border: int = cv2.BORDER_REPLICATE
) -> Target:
    """Apply a 3x3 source->destination homography; ``size`` (W, H) of the result, default the same canvas.

    With a new size the result is the output frame itself.
    """
    W, H = size or (t.shape[1], t.shape[0])
    img = cv2.warpPerspective(t.image, h, (W, H), flags=cv2.INTER_LINEAR, borderMode=border)
    maps = _stack(
        [
            cv2.warpPerspective(m, h, (W, H), flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT)
            for m in t.maps
        ],
        (H, W),
    )
    surface = cv2.warpPerspective(
        t.surface, h, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    coords = None
    if t.coords is not None:
        coords = cv2.warpPerspective(
            t.coords, h, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )  # replicated so the canvas' last row and column keep their values; off the canvas: NaN
        inside = cv2.warpPerspective(
            np.ones(t.shape, np.uint8), h, (W, H), flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT
        )
        coords[inside == 0] = np.nan
    polys = tuple(
        None
        if p is None
        else cv2.perspectiveTransform(p.reshape(-1, 1, 2).astype(np.float64), h)
        .reshape(-1, 2)
        .astype(np.float32)
        for p in t.polygons
    )
    frame = (0, 0, W, H) if size else t.frame
    return Target(img, maps, polys, surface, frame, transform=h @ t.transform, bends=t.bends, coords=coords)


def _sample_map(map_x: np.ndarray, map_y: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Bilinear lookup of the backward map at (possibly fractional, possibly off-frame) points."""
    h, w = map_x.shape
    x = np.clip(
        pts[:, 0] - 0.5, 0, w - 1.001
    )  # maps are indexed by pixel, points live in pixel-edge coordinates
    y = np.clip(pts[:, 1] - 0.5, 0, h - 1.001)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0

    def bil(m: np.ndarray) -> np.ndarray:
        return (
            m[y0, x0] * (1 - fx) * (1 - fy)
            + m[y0, x0 + 1] * fx * (1 - fy)
            + m[y0 + 1, x0] * (1 - fx) * fy
            + m[y0 + 1, x0 + 1] * fx * fy
        )

    return np.stack([bil(map_x), bil(map_y)], axis=1) + 0.5


def forward_points(map_x: np.ndarray, map_y: np.ndarray, pts: np.ndarray, iters: int = 12) -> np.ndarray:
    """Where source points land under a smooth backward map: solve backward(p) = src by fixed-point iteration.

    Converges for the near-identity fields used here (wrinkles, curl, lens distortion); off-frame points are
    extrapolated from the nearest edge.
    """
    src = pts.astype(np.float64)
    p = src.copy()
    for _ in range(iters):
        p = p + (src - _sample_map(map_x, map_y, p))
    return p.astype(np.float32)


def warp_remap(t: Target, map_x: np.ndarray, map_y: np.ndarray, border: int = cv2.BORDER_REPLICATE) -> Target:
    """Apply a dense backward map (float32 (H,W) each, in pixel-index coordinates, as cv2.remap takes)."""
    img = cv2.remap(t.image, map_x, map_y, cv2.INTER_LINEAR, borderMode=border)
    maps = _stack(
        [cv2.remap(m, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT) for m in t.maps],
        map_x.shape,
    )
    surface = cv2.remap(t.surface, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    polys = forward_polygons(map_x, map_y, t.polygons)
    coords = None if t.coords is None else remap_coords(t.coords, map_x, map_y)
    return t.with_(
        image=img, maps=maps, polygons=polys, surface=surface, backdrop=None, coords=coords, bends=t.bends + 1
    )  # the view moved, and not by a homography


def remap_coords(coords: np.ndarray, map_x: np.ndarray, map_y: np.ndarray) -> np.ndarray:
    """A (H,W,2) coordinate field resampled by a backward map: bilinear, NaN where the map samples off the canvas
    (the edge replicated within half a pixel, so the last row and column keep their values). A NaN spreads to the
    pixels a later bilinear step mixes it into: a coordinate is never blended with a made-up one."""
    h, w = coords.shape[:2]
    out = cv2.remap(coords, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    out[(map_x < -0.5) | (map_x > w - 0.5) | (map_y < -0.5) | (map_y > h - 0.5)] = np.nan
    return out


def forward_polygons(
    map_x: np.ndarray, map_y: np.ndarray, polygons: tuple[np.ndarray | None, ...]
) -> tuple[np.ndarray | None, ...]:
    """:func:`forward_points` for every polygon at once (one solve over all points is ~20x faster than one each)."""
    present = [p for p in polygons if p is not None]
    if not present:
        return polygons
    moved = forward_points(map_x, map_y, np.concatenate(present))
    parts = iter(np.split(moved, np.cumsum([len(p) for p in present])[:-1]))
    return tuple(None if p is None else next(parts) for p in polygons)


def identity_maps(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return xs, ys
