"""COCO run-length encoding of a mask given as a crop, in O(crop) instead of O(image).

COCO RLE runs column-major over the whole image, alternating background and foreground run lengths starting with
background. Building it from the crop's foreground pixel positions avoids materialising N full-image masks.
"""

from __future__ import annotations

import numpy as np
from pycocotools import mask as mask_utils


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


def decode(counts: str, height: int, width: int) -> np.ndarray:
    """(H,W) bool mask from a compressed RLE string."""
    return mask_utils.decode({"counts": counts.encode("ascii"), "size": [height, width]}).astype(bool)
