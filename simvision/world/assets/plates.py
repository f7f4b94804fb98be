"""Number plates: made-up registrations in realistic formats and their raster (the plate's face as an image).

``plate_text(rng, style)`` draws a registration; ``plate_image(text, style)`` lays it out on the plate's face as an
sRGB image (Pillow, glyphs from a shipped font): the one raster both renderers map onto the plate quad, so the
text a record names is the text drawn. EU-like plates are white with a blue band on the left (a country code in
it); US-like plates are pale yellow-cream with a dark border. Characters are dark.
"""

from __future__ import annotations

import string
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from simvision.fonts import fonts

# Plate face (width, height) in metres: EU 520 x 110 mm (ISO 7591), US 12 x 6 in.
PLATE_SIZE: dict[str, tuple[float, float]] = {"eu": (0.52, 0.11), "us": (0.305, 0.152)}
PX_PER_M = 1000  # raster resolution: one texel per millimetre
FONT = "liberation_sans"  # bold face
LETTERS = (
    string.ascii_uppercase.replace("I", "").replace("O", "").replace("Q", "")
)  # often left out (0/1 look-alikes)
INK = (22, 24, 30)
BACKGROUND = {
    "eu": (236, 236, 232),
    "us": (240, 228, 170),
}  # sRGB; linear albedo ~0.83 / ~0.8 like a real plate
EU_BLUE = (20, 60, 160)
COUNTRIES = ("F", "I", "D", "E", "NL", "B", "A", "PL", "P", "CZ")


def plate_text(rng: np.random.Generator, style: str) -> str:
    """A made-up registration (no real format's checks). EU-like: ``AB 123 CD`` (FR/IT-style) or ``B-XY 1234``
    (DE-style: 1-3 letter district, 1-2 letters, 1-4 digits); US-like: ``7ABC123``."""

    def pick(chars: str, n: int) -> str:
        return "".join(chars[int(i)] for i in rng.integers(len(chars), size=n))

    if style == "eu":
        if rng.random() < 0.5:
            return f"{pick(LETTERS, 2)} {pick(string.digits, 3)} {pick(LETTERS, 2)}"
        district, series, digits = (int(v) for v in rng.integers(1, [4, 3, 5]))
        return f"{pick(LETTERS, district)}-{pick(LETTERS, series)} {pick('123456789', 1)}{pick(string.digits, digits - 1)}"
    return f"{pick('123456789', 1)}{pick(LETTERS, 3)}{pick(string.digits, 3)}"


def country(text: str) -> str:
    """The country code in an EU plate's band: a fixed function of the text (the record's string is enough)."""
    return COUNTRIES[sum(map(ord, text)) % len(COUNTRIES)]


@lru_cache(maxsize=256)
def plate_image(text: str, style: str) -> np.ndarray:
    """(H, W, 3) uint8 sRGB face of a plate reading ``text`` (read-only; cached), ``PX_PER_M`` texels per metre."""
    w_m, h_m = PLATE_SIZE[style]
    w, h = round(w_m * PX_PER_M), round(h_m * PX_PER_M)
    img = Image.new("RGB", (w, h), BACKGROUND[style])
    draw = ImageDraw.Draw(img)
    bold = fonts()[FONT].bold
    border = max(2, h // 40)
    draw.rectangle([0, 0, w - 1, h - 1], outline=INK, width=border)
    if style == "eu":
        band = round(0.075 * w)
        draw.rectangle([border, border, band, h - 1 - border], fill=EU_BLUE)
        code = ImageFont.truetype(str(bold), round(0.3 * h))
        draw.text(
            ((border + band) / 2, 0.72 * h), country(text), font=code, fill=(245, 245, 245), anchor="mm"
        )
        box = (band + 2 * border, border, w - 2 * border, h - border)
    else:
        box = (3 * border, round(0.2 * h), w - 3 * border, h - round(0.12 * h))
    # glyphs at 75% of the box height, squeezed horizontally when the string is wider than the box
    bx0, by0, bx1, by1 = box
    font = ImageFont.truetype(str(bold), round(0.78 * (by1 - by0)))
    x0, t, r, b = font.getbbox(text)
    glyphs = Image.new("L", (r - x0 + 4, b - t + 4), 0)
    ImageDraw.Draw(glyphs).text((2 - x0, 2 - t), text, font=font, fill=255)
    target_h = round(0.74 * (by1 - by0))
    target_w = min(round(glyphs.width * target_h / glyphs.height), round(0.94 * (bx1 - bx0)))
    glyphs = glyphs.resize((target_w, target_h), Image.Resampling.LANCZOS)
    at = (round((bx0 + bx1 - target_w) / 2), round((by0 + by1 - target_h) / 2))
    img.paste(Image.new("RGB", glyphs.size, INK), at, glyphs)
    out = np.asarray(img).copy()
    out.setflags(write=False)
    return out
