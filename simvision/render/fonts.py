"""Shipped fonts (``assets/fonts/manifest.json``): lookup, glyph coverage and cached FreeType faces."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"


@dataclass(frozen=True)
class FontFace:
    """One shipped family: its regular file and, where shipped, its bold file."""

    id: str
    family: str
    monospace: bool
    regular: Path
    bold: Path | None


@lru_cache(maxsize=1)
def fonts() -> dict[str, FontFace]:
    """All shipped fonts by id, from the manifest."""
    data = json.loads((FONT_DIR / "manifest.json").read_text(encoding="utf-8"))
    out = {}
    for f in data["fonts"]:
        bold = FONT_DIR / f["bold"] if f.get("bold") else None
        out[f["id"]] = FontFace(f["id"], f["family"], bool(f["monospace"]), FONT_DIR / f["regular"], bold)
    return out


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as tt:
        return frozenset(tt.getBestCmap())


def covers(face: FontFace, text: str) -> bool:
    """True if the regular (and bold, if shipped) file has a glyph for every non-space character of ``text``."""
    need = {ord(c) for c in text if not c.isspace()}
    files = [face.regular] + ([face.bold] if face.bold else [])
    return all(need <= _cmap(p) for p in files)


@lru_cache(maxsize=256)
def truetype(path: Path, px: int) -> ImageFont.FreeTypeFont:
    """A FreeType face at ``px`` pixels (em size), cached per process."""
    # BASIC layout: one glyph per character (no ligatures), so widths and word positions are predictable.
    return ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.BASIC)
