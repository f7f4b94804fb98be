"""COCO run-length encoding of a mask given as a crop, in O(crop) instead of O(image).

COCO RLE runs column-major over the whole image, alternating background and foreground run lengths starting with
background. Building it from the crop's foreground pixel positions avoids materialising N full-image masks.
"""

from __future__ import annotations

import numpy as np
from pycocotools import mask as mask_utils


def rle_counts(crop: np.ndarray, x0: int, y0: int, height: int, width: int) -> list[int]:
    """Uncompressed COCO RLE counts of a boolean ``crop`` placed at (x0, y0) in a ``height`` x ``width`` image."""
    xs, ys = np.nonzero(crop.T)  # column-major order: sorted by x, then y
    lin = (xs.astype(np.int64) + x0) * height + (ys.astype(np.int64) + y0)
    if lin.size == 0:
        return [height * width]
    breaks = np.flatnonzero(np.diff(lin) != 1)
    starts = np.concatenate(([lin[0]], lin[breaks + 1]))
    ends = np.concatenate((lin[breaks] + 1, [lin[-1] + 1]))
    gaps = starts - np.concatenate(([0], ends[:-1]))
    counts = np.empty(2 * len(starts) + 1, np.int64)
    counts[0:-1:2] = gaps
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
