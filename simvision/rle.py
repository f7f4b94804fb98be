"""COCO run-length encoding of masks given as crops or id maps, in O(crop) instead of O(image).

COCO RLE runs column-major over the whole image, alternating background and foreground run lengths starting with
background. Building it from the crop's foreground pixel positions avoids materialising N full-image masks, and
:func:`encode_layer` encodes every instance of an id map from one column-major scan instead of one scan per instance.
"""

from __future__ import annotations

import cv2
import numpy as np
from pycocotools import mask as mask_utils

_CV_DTYPES = (np.uint8, np.uint16, np.int32)  # id map types cv2.transpose takes


def rle_counts(crop: np.ndarray, x0: int, y0: int, height: int, width: int) -> list[int]:
    """Uncompressed COCO RLE counts of a boolean ``crop`` placed at (x0, y0) in a ``height`` x ``width`` image."""
    ch, cw = crop.shape
    if crop.size == 0 or not crop.any():
        return [height * width]
    # Column-major walk of the crop with a background pixel above and below each column, so runs never span
    # columns here; the transitions give run starts and ends within the padded walk.
    padded = np.zeros((cw, ch + 2), np.int8)
    padded[:, 1:-1] = crop.T
    d = np.diff(padded.ravel())
    starts, ends = np.flatnonzero(d == 1) + 1, np.flatnonzero(d == -1) + 1
    col_s, row_s = np.divmod(starts, ch + 2)
    col_e, row_e = np.divmod(ends, ch + 2)
    starts = (col_s + x0).astype(np.int64) * height + (row_s - 1 + y0)
    ends = (col_e + x0).astype(np.int64) * height + (row_e - 1 + y0)
    # A run reaching the image's bottom edge continues at the top of the next column when the crop spans both.
    joined = ends[:-1] == starts[1:]
    if joined.any():
        starts = np.concatenate(([starts[0]], starts[1:][~joined]))
        ends = np.concatenate((ends[:-1][~joined], [ends[-1]]))
    counts = np.empty(2 * len(starts) + 1, np.int64)
    counts[0:-1:2] = starts - np.concatenate(([0], ends[:-1]))
    counts[1:-1:2] = ends - starts
    counts[-1] = height * width - ends[-1]
    # pycocotools ends on the last foreground run when the mask reaches the final pixel.
    return counts[:-1].tolist() if counts[-1] == 0 else counts.tolist()


def encode_crop(crop: np.ndarray, x0: int, y0: int, height: int, width: int) -> str:
    """Compressed COCO RLE string (``counts`` as pycocotools writes it) for a crop placed in the image."""
    rle = mask_utils.frPyObjects(
        {"counts": rle_counts(crop, x0, y0, height, width), "size": [height, width]}, height, width
    )
    return rle["counts"].decode("ascii")


def column_runs(id_map: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Maximal vertical runs of one non-zero id in an id map, in column-major (COCO) order.

    Returns (id, column, first row, end row (exclusive)) per run. A run never spans two columns.
    """
    h, w = id_map.shape
    if id_map.size == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, empty
    # cv2.transpose is a cache-friendly blocked copy; numpy's strided .T copy is several times slower.
    cols = cv2.transpose(id_map) if id_map.dtype in _CV_DTYPES else np.ascontiguousarray(id_map.T)
    flat = cols.ravel()
    new_run = flat[1:] != flat[:-1]
    new_run[h - 1 :: h] = True  # every column starts a new run
    starts = np.r_[0, np.flatnonzero(new_run) + 1]
    ends = np.r_[starts[1:], flat.size]
    ids = flat[starts]
    fg = ids != 0
    starts, ends, ids = starts[fg], ends[fg], ids[fg]
    col, row = np.divmod(starts, h)
    return ids.astype(np.int64), col, row, row + (ends - starts)


def encode_layer(
    id_map: np.ndarray, ids: np.ndarray, x0: int, y0: int, height: int, width: int
) -> dict[int, tuple[str, int]]:
    """Compressed COCO RLE string and area of each id in ``ids`` with pixels in ``id_map``.

    ``id_map`` is a crop placed at (x0, y0) in a ``height`` x ``width`` image that holds every pixel of those ids;
    ids without pixels are left out of the result.
    """
    run_id, col, r0, r1 = column_runs(id_map)
    ids = np.asarray(ids, np.int64)
    lookup = np.zeros(max(int(ids.max(initial=0)), int(run_id.max(initial=0))) + 1, bool)
    lookup[ids] = True
    wanted = lookup[run_id]
    run_id, col, r0, r1 = run_id[wanted], col[wanted], r0[wanted], r1[wanted]
    if not len(run_id):
        return {}
    # Group the runs by id; the stable sort keeps each id's runs in column-major order.
    order = np.argsort(run_id, kind="stable")
    run_id = run_id[order]
    starts = (col[order] + x0) * height + r0[order] + y0
    ends = starts + (r1 - r0)[order]
    # A run that reaches the image's bottom edge goes on at the top of the next column when the crop spans both.
    joined = (run_id[1:] == run_id[:-1]) & (ends[:-1] == starts[1:])
    if joined.any():
        run_id, starts = run_id[np.r_[True, ~joined]], starts[np.r_[True, ~joined]]
        ends = ends[np.r_[~joined, True]]
    first = np.flatnonzero(np.r_[True, run_id[1:] != run_id[:-1]])
    last = np.r_[first[1:], len(run_id)] - 1
    # counts alternate background and foreground: gap before each run (from the id's previous run), run length
    prev_end = np.r_[0, ends[:-1]]
    prev_end[first] = 0
    counts = np.empty(2 * len(run_id), np.int64)
    counts[0::2] = starts - prev_end
    counts[1::2] = ends - starts
    areas = np.add.reduceat(counts[1::2], first)
    # Each id's counts end with the background after its last run, left out when it is 0 (as pycocotools does).
    tails = height * width - ends[last]
    counts = np.insert(counts, 2 * (last + 1), tails)
    begin = 2 * first + np.arange(len(first))  # where each id's counts start, tails inserted
    keep = np.ones(len(counts), bool)
    keep[np.r_[begin[1:] - 1, len(counts) - 1]] = tails != 0
    begin -= np.r_[0, np.cumsum(tails[:-1] == 0)]
    # pycocotools takes each id's counts as an array (it converts lists to arrays itself, slowly)
    objs = [{"counts": c, "size": [height, width]} for c in np.split(counts[keep], begin[1:])]
    rles = mask_utils.frPyObjects(objs, height, width)
    return {
        rid: (rle["counts"].decode("ascii"), area)
        for rid, rle, area in zip(run_id[first].tolist(), rles, areas.tolist(), strict=True)
    }


def decode(counts: str, height: int, width: int) -> np.ndarray:
    """(H,W) bool mask from a compressed RLE string."""
    return mask_utils.decode({"counts": counts.encode("ascii"), "size": [height, width]}).astype(bool)
