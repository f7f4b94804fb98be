"""Non-interpenetrating placement: every placed object reserves its oriented footprint on the ground plane."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def footprint(x: float, y: float, yaw: float, length: float, width: float, margin: float = 0.0) -> np.ndarray:
    """(4,2) corners of an oriented rectangle on the ground."""
    c, s = np.cos(yaw), np.sin(yaw)
    hl, hw = length / 2 + margin, width / 2 + margin
    local = np.array([[hl, hw], [-hl, hw], [-hl, -hw], [hl, -hw]])
    return local @ np.array([[c, -s], [s, c]]).T + [x, y]


def overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Separating-axis test of two convex (4,2) rectangles."""
    for poly in (a, b):
        edges = np.roll(poly, -1, axis=0) - poly
        for nx, ny in np.column_stack([-edges[:, 1], edges[:, 0]]):
            pa, pb = a @ (nx, ny), b @ (nx, ny)
            if pa.max() <= pb.min() or pb.max() <= pa.min():
                return False
    return True


def _hits(rect: np.ndarray, rects: list[np.ndarray]) -> bool:
    """Whether ``rect`` overlaps any of ``rects``: the separating-axis test only for those whose bounding boxes
    meet ``rect``'s (rectangles with apart bounding boxes cannot overlap), so a street's hundreds of footprints
    cost one vectorised pass per placement."""
    if not rects:
        return False
    r = np.asarray(rects)
    lo, hi = rect.min(axis=0), rect.max(axis=0)
    near = np.flatnonzero(((r.min(axis=1) <= hi) & (r.max(axis=1) >= lo)).all(axis=1))
    return any(overlap(rect, rects[k]) for k in near)


@dataclass
class Ground:
    """Footprints already taken: by objects (``taken``) and by flat ground patches (``flat``: grass verges), which
    a thin post (a sign post) may stand in and nothing else may."""

    taken: list[np.ndarray] = field(default_factory=list)
    flat: list[np.ndarray] = field(default_factory=list)

    def free(self, rect: np.ndarray, post: bool = False) -> bool:
        if _hits(rect, self.taken):
            return False
        return post or not _hits(rect, self.flat)

    def claim(self, rect: np.ndarray, post: bool = False) -> bool:
        """Take ``rect`` if it is free (``post``: for a thin post, flat patches do not count); returns whether it
        was taken."""
        if self.free(rect, post):
            self.taken.append(rect)
            return True
        return False
