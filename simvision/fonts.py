"""Shipped fonts (``simvision/assets/fonts/manifest.json``): lookup, glyph coverage, cached FreeType faces and glyph bitmaps."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from fontTools.ttLib import TTFont
from PIL import Image, ImageFont

FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"  # package data: ships in the wheel


@dataclass(frozen=True)
class FontFace:
    """One shipped family: its regular file and, where shipped, its bold file. ``handwriting`` faces imitate a
    pen; they are never chosen for print."""

    id: str
    family: str
    monospace: bool
    regular: Path
    bold: Path | None
    handwriting: bool = False
    #: False for a script font (Japanese) left out of "any font" unless the text needs it (manifest ``default``).
    default: bool = True


@lru_cache(maxsize=1)
def _all_fonts() -> tuple[FontFace, ...]:
    data = json.loads((FONT_DIR / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for f in data["fonts"]:
        bold = FONT_DIR / f["bold"] if f.get("bold") else None
        mono, hand = bool(f["monospace"]), bool(f.get("handwriting", False))
        default = bool(f.get("default", True))
        out.append(FontFace(f["id"], f["family"], mono, FONT_DIR / f["regular"], bold, hand, default))
    return tuple(out)


@lru_cache(maxsize=1)
def fonts() -> dict[str, FontFace]:
    """The shipped print fonts by id, from the manifest (handwriting faces are in :func:`hand_fonts`)."""
    return {f.id: f for f in _all_fonts() if not f.handwriting}


@lru_cache(maxsize=1)
def hand_fonts() -> dict[str, FontFace]:
    """The shipped handwriting fonts by id, from the manifest."""
    return {f.id: f for f in _all_fonts() if f.handwriting}


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as tt:
        return frozenset(tt.getBestCmap())


def covers(face: FontFace, text: str) -> bool:
    """True if the regular (and bold, if shipped) file has a glyph for every non-space character of ``text``."""
    need = {ord(c) for c in set(text) if not c.isspace()}  # set() first: a receipt repeats few distinct chars
    files = [face.regular] + ([face.bold] if face.bold else [])
    return all(need <= _cmap(p) for p in files)


@lru_cache(maxsize=256)
def truetype(path: Path, px: int) -> ImageFont.FreeTypeFont:
    """A FreeType face at ``px`` pixels (em size), cached per process."""
    # BASIC layout: one glyph per character (no ligatures), so widths and word positions are predictable.
    return ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.BASIC)


class Glyph(NamedTuple):
    """One character of a face at one size, as drawn with its pen on a whole pixel of the baseline."""

    bitmap: np.ndarray | None  # (h,w) uint8 coverage; None where the character has no ink (space)
    left: int  # bitmap's top-left corner relative to the pen position on the baseline
    top: int
    advance: float  # pen movement to the next character (kerning aside), as Pillow's BASIC layout moves it


@lru_cache(maxsize=1 << 16)
def glyph(font: ImageFont.FreeTypeFont, ch: str) -> Glyph:
    """``ch`` rendered alone by FreeType (cached per process: FreeType re-hints every glyph on every draw call)."""
    # The mask ImageDraw.text pastes for ``ch`` at a whole-pixel pen (start (0, 0)), asked for directly: its size
    # and offset are getbbox's, and drawing it with fill 255 on black copies it byte for byte (every glyph of every
    # shipped font at sizes 6-63 checked), at about half the cost of a throwaway image and draw call.
    mask, (left, top) = font.getmask2(ch, "L", anchor="ls", start=(0.0, 0.0))
    width, height = mask.size
    bitmap = None
    if width > 0 and height > 0:
        # read-only (a view of the bytes): shared by every later draw of this glyph
        bitmap = np.frombuffer(Image.Image()._new(mask).tobytes(), np.uint8).reshape(height, width)
    return Glyph(bitmap, left, top, advance(font, ch))


@lru_cache(maxsize=1 << 16)
def advance(font: ImageFont.FreeTypeFont, ch: str) -> float:
    """``font.getlength(ch)``, cached per process (the pen movement of :func:`glyph`, without rendering it)."""
    return font.getlength(ch)


def text_length(font: ImageFont.FreeTypeFont, text: str) -> float:
    """``font.getlength(text)`` (BASIC layout) from cached advances and pair kernings: the same number, since
    FreeType's lengths are whole 1/64 pixels and their sums are exact in floating point."""
    if not has_kerning(font.path):
        return sum([advance(font, ch) for ch in text])
    total, prev = 0.0, ""
    for ch in text:
        if prev:
            total += kerning(font, prev, ch)
        total += advance(font, ch)
        prev = ch
    return total


@lru_cache(maxsize=64)
def has_kerning(path: str) -> bool:
    """True if the font file has a ``kern`` table (the only kerning Pillow's BASIC layout applies)."""
    with TTFont(path, lazy=True) as tt:
        return "kern" in tt


@lru_cache(maxsize=1 << 16)
def kerning(font: ImageFont.FreeTypeFont, left: str, right: str) -> float:
    """Pen adjustment between two characters, exactly as BASIC layout applies it within one draw call."""
    # the lone characters' lengths are their glyphs' (cached) advances: the same getlength values
    return font.getlength(left + right) - advance(font, left) - advance(font, right)
