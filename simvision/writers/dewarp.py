"""Document-dewarping ground truth (as Doc3D and UVDoc give it), per sample under ``dewarp/``.

Both maps compose every geometric step that moved the labels (paper bends, camera, lens); neither is fitted.

``<name>.map.npy``: float32 (H, W, 2), for every image pixel the position (x, y) on the flat page it shows, in
page pixel-index coordinates (the centre of page pixel (i, j) is (i, j)), NaN where the pixel does not show the
page (Doc3D's UV map, in pixels). ``cv2.remap(flat, map[..., 0], map[..., 1], cv2.INTER_LINEAR)`` redraws the flat
page as the image shows it. Made by carrying every pixel's canvas position through each step's own backward map.
``<name>.grid.npy``: float32 (gh, gw, 2), UVDoc's ``grid2d`` at full precision: where a regular grid of page points
lies in the image (pixel-edge coordinates, like quads). Point (i, j) is page position (j * w / (gw - 1),
i * h / (gh - 1)), at most 8 page px apart, corners included; moved point by point exactly as word quads are.
Dewarping an image: upsample the grid to (h, w) (``cv2.resize``, linear), subtract 0.5 and ``cv2.remap`` the image.
``<name>.flat.png``: the page rendered flat, before any paper, light or camera effect, RGBA (alpha 0 where the
paper was torn off at print time; it is the page's shape).
``<name>.json``: ``page_size`` [w, h], ``corners`` the page's corner quad in the image (clockwise from the
page's top-left, pixel edges; None when the page left the frame), the file names.
"""

from __future__ import annotations

import io
import json
from typing import Any

import cv2
import numpy as np

from simvision.io import PNG_IDS
from simvision.types import Sample


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def _rgba_png(rgba: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA), PNG_IDS[:2])
    if not ok:
        raise RuntimeError("could not encode the flat page")
    return buf.tobytes()


def corners(sample: Sample, surfaces: frozenset[str]) -> list[list[float]] | None:
    """The page's corner quad in the image: the quad of the (first) surface instance, None if it has none."""
    inst = sample.instances
    for r in range(len(inst)):
        if sample.classes[int(inst.class_id[r])] in surfaces and not np.isnan(inst.quads[r]).any():
            return [[round(float(x), 2), round(float(y), 2)] for x, y in inst.quads[r]]
    return None


def files(sample: Sample, record: Any) -> dict[str, bytes]:
    """The dewarping files of one sample; nothing for a sample without a flat page."""
    from simvision.registry import get_generator

    page = sample.page
    if page is None or page.backward is None or page.grid is None:
        return {}
    base = f"dewarp/{record['name']}"
    info = {
        "image": record["files"]["image"],
        "map": f"{base}.map.npy",
        "flat": f"{base}.flat.png",
        "grid": f"{base}.grid.npy",
        "grid_shape": list(page.grid.shape[:2]),
        "page_size": list(page.size),
        "corners": corners(sample, get_generator(record["generator"]).surfaces),
        "map_convention": "x,y in flat-page pixel-index coordinates (cv2.remap); NaN off the page",
        "grid_convention": "image x,y (pixel edges) of page point (j*w/(gw-1), i*h/(gh-1))",
    }
    return {
        info["map"]: _npy(page.backward.astype(np.float32)),
        info["flat"]: _rgba_png(page.image),
        info["grid"]: _npy(page.grid.astype(np.float32)),
        f"{base}.json": (json.dumps(info, sort_keys=True) + "\n").encode("utf-8"),
    }
