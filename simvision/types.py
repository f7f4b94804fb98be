"""Core data types: ``Instances`` (a struct of arrays) and ``Sample`` (image + instance-id maps + labels).

Instance masks live in integer id maps, never as N dense masks. Objects that overlap by design (words printed on
paper) sit on different *layers*: ``maps[k]`` holds the ids of the instances on layer ``k``; an instance's mask is
``maps[layer] == instance_id``. :attr:`Sample.instance_map` is the flat composite (topmost non-zero id per pixel).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Instances:
    """N labeled instances as parallel arrays.

    Shapes: ``instance_id`` (N,) int32 (> 0, unique); ``class_id`` (N,) int32; ``layer`` (N,) int32;
    ``boxes`` (N,4) float32 XYXY in pixels, exclusive max (``x1 - x0`` = width in pixels), always derived from the
    visible mask pixels; ``quads`` (N,4,2) float32 clockwise from top-left, NaN where an instance has none;
    ``text`` N strings ('' where none); ``attrs`` extra per-instance arrays of length N (line id, key-field category...);
    ``polygons`` after a non-linear warp, each instance's outline as (K,2) float32 points (the quad's edges densified
    and carried through the warp, so curved words stay enclosed), None where not tracked.
    """

    instance_id: np.ndarray
    class_id: np.ndarray
    layer: np.ndarray
    boxes: np.ndarray
    quads: np.ndarray
    text: tuple[str, ...]
    attrs: Mapping[str, np.ndarray] = field(default_factory=dict)
    polygons: tuple[np.ndarray | None, ...] | None = None

    def __post_init__(self) -> None:
        n = len(self.instance_id)
        checks = {
            "class_id": self.class_id.shape == (n,),
            "layer": self.layer.shape == (n,),
            "boxes": self.boxes.shape == (n, 4),
            "quads": self.quads.shape == (n, 4, 2),
            "text": len(self.text) == n,
            "polygons": self.polygons is None or len(self.polygons) == n,
        }
        checks.update({f"attrs[{k!r}]": len(v) == n for k, v in self.attrs.items()})
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"Instances: fields {bad} do not have {n} rows")

    def __len__(self) -> int:
        return len(self.instance_id)

    def __getitem__(self, sel: np.ndarray | slice | list[int]) -> Instances:
        """Boolean or integer indexing over rows, e.g. ``inst[inst.class_id == 2]``."""
        idx = np.arange(len(self))[sel]
        return Instances(
            instance_id=self.instance_id[idx],
            class_id=self.class_id[idx],
            layer=self.layer[idx],
            boxes=self.boxes[idx],
            quads=self.quads[idx],
            text=tuple(self.text[i] for i in idx),
            attrs={k: v[idx] for k, v in self.attrs.items()},
            polygons=None if self.polygons is None else tuple(self.polygons[i] for i in idx),
        )

    @staticmethod
    def empty() -> Instances:
        return Instances(
            instance_id=np.zeros(0, np.int32),
            class_id=np.zeros(0, np.int32),
            layer=np.zeros(0, np.int32),
            boxes=np.zeros((0, 4), np.float32),
            quads=np.zeros((0, 4, 2), np.float32),
            text=(),
        )


@dataclass(frozen=True)
class Page:
    """A movable flat surface (a receipt's paper) as dewarping data sets give it.

    ``image`` (h,w,4) uint8 RGBA: the page rendered flat, before any paper, light or camera effect (straight
    alpha; 0 where the paper was torn off), in page pixels; ``to_canvas`` 2x3 float64 affine from page pixel
    positions to clean-canvas pixel positions (how the renderer placed the page); ``backward`` (H,W,2) float32:
    for every image pixel the page position (x, y, page pixel-index coordinates as ``cv2.remap`` takes them) it
    shows, NaN off the page (None until the sample's geometry is final); ``grid`` (gh,gw,2) float32: where a
    regular grid of page points (:meth:`grid_points`) lies in the image (pixel edges, as quads), moved exactly as
    the labels are (None until final).
    """

    image: np.ndarray
    to_canvas: np.ndarray
    backward: np.ndarray | None = None
    grid: np.ndarray | None = None

    GRID_STEP = 8  # page pixels between grid points at most

    def grid_points(self) -> np.ndarray:
        """(gh,gw,2) float32 page positions (pixel edges): a regular grid from the page's top-left corner (0, 0) to
        its bottom-right corner (w, h), points at most :attr:`GRID_STEP` px apart."""
        w, h = self.size
        xs = np.linspace(0, w, int(np.ceil(w / self.GRID_STEP)) + 1, dtype=np.float32)
        ys = np.linspace(0, h, int(np.ceil(h / self.GRID_STEP)) + 1, dtype=np.float32)
        return np.stack(np.meshgrid(xs, ys), axis=-1)

    @property
    def size(self) -> tuple[int, int]:
        """(w, h) of the flat page in pixels."""
        return self.image.shape[1], self.image.shape[0]


@dataclass(frozen=True)
class Sample:
    """One rendered, labeled image.

    ``image`` (H,W,3) uint8 RGB; ``maps`` (L,H,W) int32 instance ids per layer, 0 = nothing; ``classes`` the class
    names indexed by ``class_id`` (index 0 is background); ``depth`` (H,W) float32 metres for 3D scenes;
    ``meta`` seed, index, scene name and the full sampled spec (JSON-serialisable); ``backdrop`` (H,W,3) uint8 the
    scene without its movable surfaces (the bare table under a receipt), so effects that reveal it (curl, torn edge)
    show what is really there; never written. ``page``: the flat page and the map from the image back to it
    (kinds with a movable surface; written by the ``dewarp`` format).
    """

    image: np.ndarray
    maps: np.ndarray
    instances: Instances
    classes: tuple[str, ...]
    meta: Mapping[str, Any]
    depth: np.ndarray | None = None
    backdrop: np.ndarray | None = None
    page: Page | None = None

    def __post_init__(self) -> None:
        h, w = self.image.shape[:2]
        if self.image.dtype != np.uint8 or self.image.shape != (h, w, 3):
            raise ValueError(f"image must be (H,W,3) uint8, got {self.image.shape} {self.image.dtype}")
        if self.maps.ndim != 3 or self.maps.shape[1:] != (h, w) or self.maps.dtype != np.int32:
            raise ValueError(f"maps must be (L,{h},{w}) int32, got {self.maps.shape} {self.maps.dtype}")
        if self.backdrop is not None and (
            self.backdrop.shape != self.image.shape or self.backdrop.dtype != np.uint8
        ):
            raise ValueError(f"backdrop must be {self.image.shape} uint8, got {self.backdrop.shape}")

    @property
    def instance_map(self) -> np.ndarray:
        """(H,W) int32: the topmost non-zero instance id at each pixel."""
        out = self.maps[0].copy()
        for layer in self.maps[1:]:
            np.copyto(out, layer, where=layer != 0)
        return out

    @property
    def class_map(self) -> np.ndarray:
        """(H,W) int32 class ids of :attr:`instance_map` (0 = background)."""
        lut = np.zeros(int(self.instances.instance_id.max(initial=0)) + 1, np.int32)
        lut[self.instances.instance_id] = self.instances.class_id
        return lut[self.instance_map]

    def mask(self, row: int) -> np.ndarray:
        """(H,W) bool mask of instance row ``row``, from its own layer."""
        return self.maps[self.instances.layer[row]] == self.instances.instance_id[row]

    def with_(self, **changes: Any) -> Sample:
        return replace(self, **changes)
