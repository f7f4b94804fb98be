"""Barcode (Code 128) and QR module matrices, drawn pixel-exactly by the compositor.

The encoders are libraries (python-barcode, segno); only the module grid is used, so every bar lands on whole pixels.
"""

from __future__ import annotations

import barcode
import numpy as np
import segno


def code128_modules(data: str) -> np.ndarray:
    """(M,) bool, True for a dark module, of Code 128 encoding ``data`` (quiet zone excluded)."""
    bits = barcode.get("code128", data).build()[0]
    return np.frombuffer(bits.encode("ascii"), np.uint8) == ord("1")


# A fixed mask pattern (any of the eight decodes): segno's search for the best one costs ~4 ms a code.
QR_MASK = 0


def qr_modules(data: str) -> np.ndarray:
    """(S,S) bool, True for a dark module, of a QR code encoding ``data`` (quiet zone excluded)."""
    qr = segno.make_qr(data, error="m", mask=QR_MASK)
    return np.array(qr.matrix, dtype=bool)


def code_bitmap(kind: str, data: str, module_px: int, bar_height_px: int) -> np.ndarray:
    """(H,W) bool ink bitmap of a barcode or QR code at an integer module size."""
    if kind == "barcode":
        row = np.repeat(code128_modules(data), module_px)
        return np.broadcast_to(row, (bar_height_px, row.size)).copy()
    if kind == "qrcode":
        m = qr_modules(data)
        return np.kron(m, np.ones((module_px, module_px), dtype=bool))
    raise ValueError(f"unknown code kind {kind!r}")
