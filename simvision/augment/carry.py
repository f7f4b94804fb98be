"""Text geometry finer than an instance, moved exactly with the instance outlines through every warp.

Two instance attributes describe it (both optional, both in the instances' own pixel coordinates):
``char_quads`` an object column, per row a (K,4,2) float32 array of character quads (clockwise from top-left, one
per character of the row's text) or None; ``line_quad`` (N,4,2) float32, the quad of the printed line the row
belongs to (NaN where none). Every geometric effect moves the target's polygons point by point, so these ride along
as extra polygons after the instances' own: a character quad by its 4 corners (a glyph is small enough that its
edges stay straight), a line quad densified like an instance quad (a long line bends) and read back by its corners.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from simvision.augment.target import Target, densify
from simvision.types import Instances, Sample

CHAR_QUADS = "char_quads"
LINE_QUAD = "line_quad"

Unpack = Callable[[Target, Sample], tuple[Target, Sample]]


def carry_text_geometry(t: Target, inst: Instances) -> tuple[Target, Unpack]:
    """``t`` with the character and line quads of ``inst`` appended to its polygons, and the function that takes
    them off a moved target again and puts their moved values into a sample's instance attributes."""
    chars = inst.attrs.get(CHAR_QUADS)
    lines = inst.attrs.get(LINE_QUAD)
    n = len(t.polygons)
    extra: list[np.ndarray | None] = []
    if chars is not None:
        extra += [None if q is None else np.asarray(q, np.float32).reshape(-1, 2) for q in chars]
    if lines is not None:
        extra += [None if np.isnan(q).any() else densify(q) for q in lines]
    if not extra:
        return t, lambda moved, sample: (moved, sample)

    def unpack(moved: Target, sample: Sample) -> tuple[Target, Sample]:
        polys = moved.polygons
        rest = iter(polys[n:])
        attrs = dict(sample.instances.attrs)
        if chars is not None:
            col = np.empty(len(chars), object)
            col[:] = [None if p is None else p.reshape(-1, 4, 2) for p in (next(rest) for _ in chars)]
            attrs[CHAR_QUADS] = col
        if lines is not None:
            out = np.full((len(lines), 4, 2), np.nan, np.float32)
            for r in range(len(lines)):
                p = next(rest)
                if p is not None:
                    k = len(p) // 4
                    out[r] = p[[0, k, 2 * k, 3 * k]]
            attrs[LINE_QUAD] = out
        inst2 = replace(sample.instances, attrs=attrs)
        return moved.with_(polygons=polys[:n]), sample.with_(instances=inst2)

    return t.with_(polygons=(*t.polygons, *extra)), unpack
