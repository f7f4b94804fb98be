"""Traffic-sign plates: the shape of each design and its face as an image.

A design is one real sign type (European conventions, made-up text): ``DESIGNS[k]`` gives its name, plate shape,
plate width range (metres) and height/width ratio. ``outline(shape, w, h)`` is the plate's convex outline (the mesh
and the face raster use the same one); ``sign_image(k)`` the face raster (sRGB uint8, cached), the decal both
renderers print on the plate's front; ``face_colour(k)`` its mean colour in linear light (the plate's plain colour
where no decal is drawn). Sizes: Vienna-convention plates 0.6 / 0.75 / 0.9 m (round and octagonal by diameter,
triangles by side), supplementary and information boards wider than tall; street-name plates ~0.8 x 0.25 m.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from simvision.fonts import fonts


class Design(NamedTuple):
    name: str
    shape: str  # disc, triangle, yield, octagon, diamond, rect
    width: tuple[float, float]  # metres
    aspect: float  # height / width
    weight: float  # how common along a street


DESIGNS: tuple[Design, ...] = (
    Design("speed_30", "disc", (0.6, 0.75), 1.0, 2.0),
    Design("speed_50", "disc", (0.6, 0.75), 1.0, 1.5),
    Design("no_entry", "disc", (0.6, 0.75), 1.0, 1.0),
    Design("no_parking", "disc", (0.6, 0.75), 1.0, 2.5),
    Design("no_stopping", "disc", (0.6, 0.75), 1.0, 1.5),
    Design("ahead_only", "disc", (0.6, 0.75), 1.0, 1.0),
    Design("warning", "triangle", (0.7, 0.9), 0.87, 1.5),
    Design("yield", "yield", (0.7, 0.9), 0.87, 1.0),
    Design("stop", "octagon", (0.6, 0.75), 1.0, 0.5),
    Design("priority", "diamond", (0.6, 0.75), 1.0, 1.0),
    Design("parking", "rect", (0.6, 0.75), 1.0, 2.0),
    Design("crossing", "rect", (0.6, 0.75), 1.0, 1.0),
    Design("one_way", "rect", (0.8, 1.0), 0.3, 1.0),
    Design("board_blue", "rect", (0.8, 1.4), 0.6, 1.0),
    Design("board_green", "rect", (0.8, 1.4), 0.6, 0.5),
    Design("board_white", "rect", (0.6, 0.9), 0.5, 1.5),  # supplementary panel (times, "except loading")
    Design("street_name", "rect", (0.7, 1.0), 0.25, 1.0),
)
INDEX = {d.name: k for k, d in enumerate(DESIGNS)}
SHAPES = ("disc", "triangle", "yield", "octagon", "diamond", "rect")
PX = 128  # face raster width, texels
RED, WHITE, BLUE, BLACK, YELLOW, GREEN = (200, 20, 30), (235, 235, 230), (20, 70, 160), (25, 25, 28), (250, 190, 0), (0, 110, 60)  # fmt: skip
FONT = "liberation_sans"
# text of the boards (made up, so no real place is named)
BOARD_TEXT = {
    "board_blue": ("Centrum", "Bahnhof"),
    "board_green": ("A 12", "Nordring"),
    "board_white": ("Mo-Fr", "8-18 h"),
    "street_name": ("Lindenstr.",),
}


def outline(shape: str, w: float, h: float) -> np.ndarray:
    """(K,2) convex outline (y across the face, viewer's right positive; z up from the plate's bottom edge 0 to
    ``h``), counter-clockwise as the viewer sees it."""
    if shape == "disc":
        a = np.linspace(0, 2 * np.pi, 20, endpoint=False)
        return np.column_stack([w / 2 * np.cos(a), h / 2 + h / 2 * np.sin(a)])
    if shape == "triangle":
        return np.array([[-w / 2, 0.0], [w / 2, 0.0], [0.0, h]])
    if shape == "yield":
        return np.array([[0.0, 0.0], [w / 2, h], [-w / 2, h]])
    if shape == "octagon":
        a = np.linspace(0, 2 * np.pi, 8, endpoint=False) + np.pi / 8
        return np.column_stack([w / 2 * np.cos(a), h / 2 + h / 2 * np.sin(a)])
    if shape == "diamond":
        return np.array([[0.0, 0.0], [w / 2, h / 2], [0.0, h], [-w / 2, h / 2]])
    return np.array([[-w / 2, 0.0], [w / 2, 0.0], [w / 2, h], [-w / 2, h]])


def sample_design(rng: np.random.Generator, allowed: tuple[str, ...] = ()) -> int:
    """A design index by street frequency (``allowed``: only these names)."""
    keys = [k for k, d in enumerate(DESIGNS) if not allowed or d.name in allowed]
    w = np.array([DESIGNS[k].weight for k in keys])
    return keys[int(rng.choice(len(keys), p=w / w.sum()))]


def plate_size(rng: np.random.Generator, design: int) -> tuple[float, float]:
    """(width, height) of a plate of ``design``, metres."""
    d = DESIGNS[design]
    w = float(rng.uniform(*d.width))
    return round(w, 3), round(w * d.aspect, 3)


def _poly(shape: str, w: int, h: int, inset: float) -> list[tuple[float, float]]:
    """The outline in pixels, shrunk towards the centre by ``inset`` (share of the half size)."""
    pts = outline(shape, 1.0, 1.0)
    c = pts.mean(axis=0) if shape in ("triangle", "yield") else np.array([0.0, 0.5])
    pts = c + (pts - c) * (1 - inset)
    return [((y + 0.5) * (w - 1), (1 - z) * (h - 1)) for y, z in pts]


def _text(draw: ImageDraw.ImageDraw, lines: tuple[str, ...], box: tuple[float, ...], fill: tuple) -> None:
    x0, y0, x1, y1 = box
    size = (y1 - y0) / len(lines) * 0.7
    font = ImageFont.truetype(str(fonts()[FONT].bold), max(6, round(size)))
    for k, line in enumerate(lines):
        while font.getlength(line) > (x1 - x0) * 0.92 and font.size > 6:
            font = font.font_variant(size=font.size - 1)
        draw.text(
            ((x0 + x1) / 2, y0 + (k + 0.5) * (y1 - y0) / len(lines)), line, font=font, fill=fill, anchor="mm"
        )


def _arrow(
    draw: ImageDraw.ImageDraw, cx: float, cy: float, length: float, width: float, up: bool, fill: tuple
) -> None:
    """An arrow centred at (cx, cy): up, or to the right."""
    shaft, head = width * 0.35, width
    pts = [(-length / 2, -shaft), (length / 4, -shaft), (length / 4, -head), (length / 2, 0),
           (length / 4, head), (length / 4, shaft), (-length / 2, shaft)]  # fmt: skip
    if up:
        pts = [(y, -x) for x, y in pts]
    draw.polygon([(cx + x, cy + y) for x, y in pts], fill=fill)


@lru_cache(maxsize=64)
def sign_image(design: int) -> np.ndarray:
    """(H, W, 3) uint8 sRGB face of ``design`` (read-only; cached): the plate's outline filled as the sign is."""
    d = DESIGNS[design]
    w, h = PX, max(8, round(PX * d.aspect))
    img = Image.new("RGB", (w, h), (128, 128, 128))
    draw = ImageDraw.Draw(img)
    n, shape = d.name, d.shape
    cx, cy = w / 2, h / 2
    if shape == "disc":
        ring = RED if n.startswith(("speed", "no_parking", "no_stopping")) else None
        inner = {"no_entry": RED, "ahead_only": BLUE, "no_parking": BLUE, "no_stopping": BLUE}.get(n, WHITE)
        draw.polygon(_poly(shape, w, h, 0.0), fill=ring or inner)
        draw.polygon(_poly(shape, w, h, 0.2 if ring else 0.04), fill=inner)
        if n.startswith("speed"):
            _text(draw, (n.split("_")[1],), (w * 0.22, h * 0.25, w * 0.78, h * 0.85), BLACK)
        elif n == "no_entry":
            draw.rectangle([w * 0.18, h * 0.42, w * 0.82, h * 0.58], fill=WHITE)
        elif n in ("no_parking", "no_stopping"):
            draw.line([(w * 0.25, h * 0.25), (w * 0.75, h * 0.75)], fill=RED, width=round(w * 0.1))
            if n == "no_stopping":
                draw.line([(w * 0.75, h * 0.25), (w * 0.25, h * 0.75)], fill=RED, width=round(w * 0.1))
        else:
            _arrow(draw, cx, cy, h * 0.6, w * 0.16, True, WHITE)
    elif shape in ("triangle", "yield"):
        draw.polygon(_poly(shape, w, h, 0.0), fill=RED)
        draw.polygon(_poly(shape, w, h, 0.3), fill=WHITE)
        if n == "warning":
            draw.rectangle([w * 0.47, h * 0.4, w * 0.53, h * 0.66], fill=BLACK)
            draw.rectangle([w * 0.47, h * 0.7, w * 0.53, h * 0.76], fill=BLACK)
    elif shape == "octagon":
        draw.polygon(_poly(shape, w, h, 0.0), fill=WHITE)
        draw.polygon(_poly(shape, w, h, 0.06), fill=RED)
        _text(draw, ("STOP",), (w * 0.15, h * 0.3, w * 0.85, h * 0.7), WHITE)
    elif shape == "diamond":
        draw.polygon(_poly(shape, w, h, 0.0), fill=WHITE)
        draw.polygon(_poly(shape, w, h, 0.1), fill=BLACK)
        draw.polygon(_poly(shape, w, h, 0.16), fill=WHITE)
        draw.polygon(_poly(shape, w, h, 0.42), fill=YELLOW)
    else:
        ground, ink = {"board_green": (GREEN, WHITE), "board_white": (WHITE, BLACK)}.get(n, (BLUE, WHITE))
        if n == "street_name":
            ground, ink = WHITE, BLACK
        border = max(2, round(min(w, h) * 0.05))
        draw.rectangle([0, 0, w - 1, h - 1], fill=ink)
        draw.rectangle([border, border, w - 1 - border, h - 1 - border], fill=ground)
        if n == "parking":
            _text(draw, ("P",), (w * 0.15, h * 0.12, w * 0.85, h * 0.92), WHITE)
        elif n == "crossing":
            draw.polygon([(w * 0.5, h * 0.14), (w * 0.88, h * 0.84), (w * 0.12, h * 0.84)], fill=WHITE)
            draw.ellipse([w * 0.46, h * 0.36, w * 0.56, h * 0.46], fill=BLACK)
            draw.line([(w * 0.5, h * 0.46), (w * 0.46, h * 0.62), (w * 0.4, h * 0.76)], fill=BLACK, width=4)
            draw.line([(w * 0.46, h * 0.62), (w * 0.56, h * 0.76)], fill=BLACK, width=4)
            for k in range(3):
                draw.rectangle([w * (0.28 + 0.17 * k), h * 0.78, w * (0.36 + 0.17 * k), h * 0.82], fill=BLACK)
        elif n == "one_way":
            _arrow(draw, cx, cy, w * 0.8, h * 0.3, False, WHITE)
        else:
            _text(draw, BOARD_TEXT[n], (border * 2, border * 2, w - border * 2, h - border * 2), ink)
    out = np.asarray(img).copy()
    out.setflags(write=False)
    return out


@lru_cache(maxsize=64)
def face_colour(design: int) -> tuple[float, float, float]:
    """Mean colour of the face inside its outline, linear light (the plate's colour under the decal)."""
    img = sign_image(design)
    h, w = img.shape[:2]
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).polygon(_poly(DESIGNS[design].shape, w, h, 0.0), fill=1)
    m = np.asarray(mask, bool)
    c = img[m].astype(np.float64) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).mean(axis=0)
    return tuple(float(v) for v in np.round(lin, 4))  # type: ignore[return-value]
