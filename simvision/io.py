"""File IO with no half-written files: every file is written to a temporary name in its folder and renamed.

Every write is durable before it is visible: the temporary file is fsynced before the rename, and the folder after
it, so a power loss leaves either the old file or the whole new one, never a name pointing at lost data.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy as np

TMP_SUFFIX = ".partial"


def atomic_write(path: Path, data: bytes, sync_dir: bool = True) -> None:
    """Write ``data`` to ``path`` so that ``path`` either does not exist or holds all of ``data``, durably.
    ``sync_dir=False``: the caller fsyncs the folder itself (once for many files, before a commit marker)."""
    with atomic_file(path, sync_dir) as f:
        f.write(data)


@contextmanager
def atomic_file(path: Path, sync_dir: bool = True) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``path`` (fsynced, then renamed) when the block ends without
    an error; on an error the temporary file is removed and ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make the names in ``folder`` durable (a renamed file's entry lives in its folder, not in the file)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a platform whose folders cannot be opened (Windows): renames are journaled there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file itself is synced
    finally:
        os.close(fd)


DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def check_out_dir(out: Path, flag: str = "--out") -> None:
    """Refuse an output folder that cannot be made or written, before anything is written: a path through a
    file, a symlink loop, a folder without write permission. Raises :class:`UserError` naming the path."""
    from simvision.errors import UserError

    try:
        out.resolve(strict=False)
    except (RuntimeError, OSError) as e:  # Python 3.11 raises RuntimeError on a symlink loop
        raise UserError(f"{flag}: value '{out}' — cannot be resolved ({e})") from None
    probe = out.absolute()
    while True:
        try:
            is_dir, exists = probe.is_dir(), probe.exists() or probe.is_symlink()
        except OSError as e:  # ELOOP, ENAMETOOLONG, ...
            raise UserError(f"{flag}: value '{out}' — {e.strerror or e}: '{probe}'") from None
        if exists and not is_dir:
            what = "a symlink loop or a dangling link" if probe.is_symlink() else "a file"
            raise UserError(f"{flag}: value '{out}' — '{probe}' is {what}, not a folder")
        if is_dir:
            break
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserError(f"{flag}: value '{out}' — folder '{probe}' is not writable")


def remove_partials(root: Path) -> int:
    """Delete temporary files a killed run left behind; returns how many."""
    n = 0
    for p in root.rglob(f"*{TMP_SUFFIX}"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def encode_image(rgb: np.ndarray, fmt: str, jpeg_quality: int = 95) -> bytes:
    """Encode an (H,W,3) uint8 RGB image as JPEG or PNG bytes (deterministic for a given OpenCV build)."""
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    if fmt == "jpg":
        ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
    else:
        ok, buf = cv2.imencode(".png", bgr)
    if not ok:
        raise RuntimeError(f"could not encode image as {fmt}")
    return buf.tobytes()


# Id maps are flat areas of equal values: unfiltered rows with run-length deflate are smaller and faster to write
# than the default adaptive filters.
PNG_IDS = [
    cv2.IMWRITE_PNG_FILTER,
    cv2.IMWRITE_PNG_FILTER_NONE,
    cv2.IMWRITE_PNG_STRATEGY,
    cv2.IMWRITE_PNG_STRATEGY_RLE,
]


def encode_ids(ids: np.ndarray) -> bytes:
    """Lossless PNG of an id map: 8-bit where every id is < 256, else 16-bit (ids must be < 65536)."""
    low, top = (int(v) for v in cv2.minMaxLoc(ids)[:2]) if ids.size else (0, 0)
    if top >= 2**16 or low < 0:
        raise ValueError("instance ids must lie in 0..65535 to be stored as PNG")
    if top == 0:  # an empty layer (no handwriting, no stamp): its bytes depend on its size alone
        return _empty_ids_png(ids.shape)
    return _ids_png(ids.astype(np.uint8 if top < 256 else np.uint16))


def _ids_png(ids: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", ids, PNG_IDS)
    if not ok:
        raise RuntimeError("could not encode id map")
    return buf.tobytes()


@lru_cache(maxsize=16)
def _empty_ids_png(shape: tuple[int, ...]) -> bytes:
    return _ids_png(np.zeros(shape, np.uint8))


def encode_depth(depth: np.ndarray) -> bytes:
    """Depth (H,W) float metres as a 16-bit PNG in the KITTI depth format: value = round(metres * 256), 0 = none
    (sky, or beyond 255.99 m)."""
    scaled = np.where(np.isfinite(depth), np.rint(depth.astype(np.float64) * 256.0), 0.0)
    scaled[scaled >= 2**16] = 0
    ok, buf = cv2.imencode(".png", scaled.astype(np.uint16), PNG_IDS)
    if not ok:
        raise RuntimeError("could not encode depth map")
    return buf.tobytes()


def read_depth(path: Path) -> np.ndarray:
    """A KITTI-format depth PNG back as float32 metres (NaN where none)."""
    arr = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if arr is None:
        raise FileNotFoundError(path)
    return np.where(arr > 0, arr.astype(np.float32) / 256.0, np.nan).astype(np.float32)


def read_ids(path: Path) -> np.ndarray:
    """Read an id map PNG (8- or 16-bit) back as int32."""
    arr = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if arr is None:
        raise FileNotFoundError(path)
    return arr.astype(np.int32)


def read_rgb(path: Path) -> np.ndarray:
    arr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if arr is None:
        raise FileNotFoundError(path)
    return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)


def sha256(path: Path) -> str:
    """The file's sha256, read in blocks (an image or a dataset file is never held whole)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
