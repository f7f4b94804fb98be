"""The cached glyphs and lengths of ``simvision.fonts`` are exactly what Pillow draws and measures."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from simvision.fonts import FONT_DIR, glyph, has_kerning, text_length

FILES = sorted(FONT_DIR.glob("**/*.[ot]tf"))
CHARS = [chr(c) for c in range(32, 127)] + list("€£¥©®°±µ×÷ÀÉÖÜßàçéñöüœ–—‘’“”•…")


def _drawn(font: ImageFont.FreeTypeFont, ch: str) -> tuple[np.ndarray | None, int, int]:
    """``ch`` drawn alone with ImageDraw.text on black at a whole-pixel pen, as its bounding box crops it."""
    left, top, right, bottom = font.getbbox(ch, anchor="ls")
    if right <= left or bottom <= top:
        return None, left, top
    img = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(img).text((-left, -top), ch, font=font, fill=255, anchor="ls")
    return np.asarray(img), left, top


@pytest.mark.parametrize("px", [7, 13, 24])
def test_glyph_is_what_imagedraw_draws(px: int) -> None:
    assert FILES
    for path in FILES:
        font = ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.BASIC)
        for ch in CHARS:
            bitmap, left, top, advance = glyph(font, ch)
            want, wleft, wtop = _drawn(font, ch)
            assert (left, top, advance) == (wleft, wtop, font.getlength(ch)), (path.name, px, ch)
            assert (bitmap is None) == (want is None), (path.name, px, ch)
            if bitmap is not None:
                assert bitmap.shape == want.shape and np.array_equal(bitmap, want), (path.name, px, ch)


def test_text_length_is_getlength() -> None:
    rng = np.random.default_rng(5)
    kerned = [p for p in FILES if has_kerning(str(p))]
    assert kerned, "no shipped font with a kern table: the kerning path goes untested"
    for path in FILES:
        for px in (9, 17, 31):
            font = ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.BASIC)
            for _ in range(40):
                text = "".join(CHARS[i] for i in rng.integers(0, len(CHARS), int(rng.integers(1, 25))))
                assert text_length(font, text) == font.getlength(text), (path.name, px, text)
