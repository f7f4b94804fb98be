"""What flows through the degradation stage, and the labels derived from it at the end.

A :class:`Target` holds the image, the instance-id maps, one outline polygon per instance and the deformable
surface (the paper). Geometric effects move all of them with one transform; photometric effects change only the
image. Boxes, areas, visible fraction and truncation are derived once, from the final maps.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from simvision.labels import layered_boxes_and_areas
from simvision.types import Instances, Sample

EDGE_POINTS = 8  # points per quad edge at least, so curved warps keep the outline close to the word
EDGE_SPACING = 12.0  # px between outline points at most


@dataclass(frozen=True)
class Target:
    """``image`` (H,W,3) uint8; ``maps`` (L,H,W) int32; ``polygons`` one (K,2) float32 per instance row (or None);
    ``surface`` (H,W) float32 in [0,1], 1 on the paper (effects that bend or shade paper use it);
    ``frame`` (x0, y0, w, h): the output image within this (possibly overscanned) canvas; ``backdrop`` the bare
    scene under the paper, pixel-aligned with ``image`` until something moves the whole view (then None);
    ``transform`` the 3x3 homography from the rendered canvas's pixels to this image's (every projective warp so
    far, composed); ``bends`` how many non-projective warps (lens, paper) moved pixels besides (a camera model of
    the rendered view then describes this image only approximately); ``coords`` (H,W,2) float32 or None: for every
    pixel, the clean-canvas position (pixel index) it shows, moved by every geometric step with the image's own
    backward map and bilinear sampling, so at the end it is the composition of every step's inverse (how the
    dewarping map is made)."""

    image: np.ndarray
    maps: np.ndarray
    polygons: tuple[np.ndarray | None, ...]
    surface: np.ndarray
    frame: tuple[int, int, int, int]
    backdrop: np.ndarray | None = None
    transform: np.ndarray = field(default_factory=lambda: np.eye(3))
    bends: int = 0
    coords: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.image.shape[0], self.image.shape[1]

    def with_(self, **changes: Any) -> Target:
        return replace(self, **changes)


def densify(quad: np.ndarray, per_edge: int = EDGE_POINTS, spacing: float = EDGE_SPACING) -> np.ndarray:
    """(4*n, 2) points along the edges of a clockwise quad, corners first on each edge; n is at least
    ``per_edge`` and enough that points are at most ``spacing`` px apart (so long edges bend smoothly)."""
    longest = max(float(np.linalg.norm(quad[(i + 1) % 4] - quad[i])) for i in range(4))
    n = max(per_edge, int(np.ceil(longest / spacing)))
    t = np.arange(n, dtype=np.float32)[:, None] / n
    edges = [quad[i] + t * (quad[(i + 1) % 4] - quad[i]) for i in range(4)]
    return np.concatenate(edges).astype(np.float32)


def densify_all(
    quads: np.ndarray, per_edge: int = EDGE_POINTS, spacing: float = EDGE_SPACING
) -> tuple[np.ndarray | None, ...]:
    """:func:`densify` for every (4, 2) quad of ``quads`` (N, 4, 2) at once (None for a quad with NaNs), grouped by
    the number of points per edge."""
    quads = np.asarray(quads)  # its own dtype, as densify computes
    out: list[np.ndarray | None] = [None] * len(quads)
    ok = ~np.isnan(quads).any(axis=(1, 2))
    edges = np.roll(quads, -1, axis=1) - quads  # (N, 4, 2): corner i to corner i + 1
    longest = np.linalg.norm(edges, axis=2).max(1, initial=0)
    counts = np.maximum(per_edge, np.ceil(np.nan_to_num(longest) / spacing)).astype(int)
    for n in np.unique(counts[ok]).tolist():  # Python ints: float32 / n stays float32, as in densify
        rows = np.flatnonzero(ok & (counts == n))
        t = np.arange(n, dtype=np.float32)[:, None] / n  # (n, 1)
        pts = quads[rows, :, None, :] + t[None, None] * edges[rows, :, None, :]  # (R, 4, n, 2)
        for r, p in zip(rows, pts.reshape(len(rows), 4 * n, 2).astype(np.float32), strict=True):
            out[r] = p
    return tuple(out)


def target_from_sample(
    sample: Sample, frame: tuple[int, int, int, int] | None = None, surfaces: frozenset[str] = frozenset()
) -> Target:
    inst = sample.instances
    if inst.polygons is not None:
        polys = inst.polygons
    else:
        polys = densify_all(inst.quads)
    surface_ids = [
        (int(inst.layer[r]), int(inst.instance_id[r]))
        for r in range(len(inst))
        if sample.classes[int(inst.class_id[r])] in surfaces
    ]
    surface = np.zeros(sample.image.shape[:2], np.float32)
    for layer, iid in surface_ids:
        surface[sample.maps[layer] == iid] = 1.0
    h, w = sample.image.shape[:2]
    return Target(sample.image, sample.maps, polys, surface, frame or (0, 0, w, h), sample.backdrop)


def crop_to_frame(t: Target) -> Target:
    """Cut the output frame out of an overscanned canvas (a translation: polygons move with it)."""
    x0, y0, w, h = t.frame
    if (x0, y0, w, h) == (0, 0, t.shape[1], t.shape[0]):
        return t
    from simvision.augment.warp import warp_homography

    return warp_homography(t, np.array([[1.0, 0, -x0], [0, 1.0, -y0], [0, 0, 1]]), (w, h))


def _corners(poly: np.ndarray) -> np.ndarray:
    """The four corner points of a densified quad (the first point of each edge)."""
    n = len(poly) // 4
    return poly[[0, n, 2 * n, 3 * n]]


def sample_from_target(
    before: Sample,
    after: Target,
    plan: list[dict[str, Any]],
    min_visible: float,
    frame: tuple[int, int, int, int] | None = None,
) -> Sample:
    """Re-derive every label from the final maps: boxes, areas, visible fraction, truncation; drop (and record)
    instances that left the frame or fell below ``min_visible`` of the pixels they had in the output ``frame``
    of the clean canvas (pixels in a margin rendered for the camera never counted as visible)."""
    after = crop_to_frame(after)
    inst = before.instances
    h, w = after.shape
    x0, y0, fw, fh = frame or (0, 0, before.image.shape[1], before.image.shape[0])
    framed = before.maps[:, y0 : y0 + fh, x0 : x0 + fw]
    _, areas_before = layered_boxes_and_areas(framed, inst.instance_id, inst.layer)
    boxes, areas = layered_boxes_and_areas(after.maps, inst.instance_id, inst.layer)
    visible = np.where(areas_before > 0, areas / np.maximum(areas_before, 1), 0.0).astype(np.float32)
    quads = np.full_like(inst.quads, np.nan)
    truncated = np.zeros(len(inst), bool)
    for r, poly in enumerate(after.polygons):
        if poly is not None:
            quads[r] = _corners(poly)
            truncated[r] = bool(((poly < 0) | (poly > (w, h))).any())
    if "truncated" in inst.attrs:
        truncated |= inst.attrs["truncated"].astype(bool)
    if "visible_fraction" in inst.attrs:  # already visible/unoccluded (3D scenes): the degradation scales it
        visible_total = (
            (inst.attrs["visible_fraction"].astype(np.float64) * visible).round(4).astype(np.float32)
        )
    else:
        visible_total = visible
    attrs = {**inst.attrs, "truncated": truncated, "visible_fraction": visible_total}
    out = Instances(
        inst.instance_id, inst.class_id, inst.layer, boxes, quads, inst.text, attrs, after.polygons
    )
    keep = (areas > 0) & (visible >= min_visible)
    maps = after.maps.copy()
    dropped = list(before.meta.get("dropped", []))
    for r in np.flatnonzero(~keep):
        layer, iid = int(inst.layer[r]), int(inst.instance_id[r])
        maps[layer][maps[layer] == iid] = 0  # an unlabeled id must not stay in the maps
        reason = "left the frame" if areas[r] == 0 else f"visible fraction {visible[r]:.2f} < {min_visible}"
        dropped.append({"instance_id": iid, "text": inst.text[r], "reason": f"augment: {reason}"})
    meta = {**before.meta, "dropped": dropped, "augment": plan}
    return Sample(after.image, maps, out[keep], before.classes, meta, before.depth, page=before.page)
