"""Rubber stamps on receipts: PAID / COPY (in the receipt's language, or LUNAS as on Indonesian bills) in a
rectangular frame, or a round shop stamp with the shop's name around its ring.

Sampled as plain data (:class:`StampSpec`) and drawn in paper coordinates before the paper is placed, so a stamp
moves, bends and shades with the paper. Ink is translucent: it multiplies the paper's colour (stamp pad ink is a
dye), pressed unevenly (one side lighter) and with gaps where the rubber did not touch. Under the print (stamped
before printing) it tints only the bare paper; over it, it tints the print too.

Labels: a stamp is an instance of class ``stamp`` on its own layer (it overlaps the print by design: the words
under it keep every pixel and their instance), its mask the pixels with at least :data:`INK_MIN` ink, its quad the
stamp's rotated outline, its text what it says (not a ``word``: CORD and SROIE do not read it). Whether a word
under it can still be read is decided as a demanding OCR user would, by measurement: tesseract 5.3 (``--psm 7``,
exact match, words of >= 3 letters/digits whose box holds stamp ink; 8 receipts of ``receipt.yaml``, a 52 mm
PAID stamp in red, blue, violet and black, over and under the print; 376 words) read 0-25% of them with the stamp
(17% of those barely touched: dark stamp strokes under 0.5% of the box) against 66-100% of the same words
without it. Stamp strokes, of any of these inks, binarise to "ink" and join the letters. So every word whose box
holds stamp ink is marked ``ignore`` with ``ignore_reason: "stamped"``: it stays in the record (pixels, quad,
text), and every writer treats it as its format's ignore region.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np
from PIL import Image, ImageDraw
from pydantic import BaseModel, ConfigDict

from simvision.fonts import covers, fonts, truetype

INK_MIN = 0.25  # ink share (0..1) from which a pixel counts as stamped
#: Stamp pad inks as they dry on paper (RGB): red, blue, violet, black.
INKS: dict[str, tuple[int, int, int]] = {
    "red": (196, 38, 48),
    "blue": (38, 62, 158),
    "purple": (104, 46, 132),
    "black": (40, 38, 44),
}
PAID = {
    "en": "PAID",
    "de": "BEZAHLT",
    "fr": "PAYÉ",
    "es": "PAGADO",
    "it": "PAGATO",
    "nl": "BETAALD",
    "pt": "PAGO",
}
COPY = {
    "en": "COPY",
    "de": "KOPIE",
    "fr": "COPIE",
    "es": "COPIA",
    "it": "COPIA",
    "nl": "KOPIE",
    "pt": "CÓPIA",
}
KINDS: tuple[str, ...] = ("paid", "copy", "lunas", "shop")


class StampSpec(BaseModel):
    """One stamp. ``lines``: rectangular stamp: its lines, top to bottom; round stamp: the ring text, then the
    centre lines. ``center`` (0..1, 0..1) on the paper's visible part; ``size_mm`` its width (rect) or diameter;
    ``density`` ink at full pressure; ``pressure_deg``/``pressure_drop`` the direction in which pressure falls off
    and by how much; ``gaps`` the share of the stamp the rubber missed; ``over_print`` stamped after printing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shape: Literal["rect", "round"]
    lines: tuple[str, ...]
    font_id: str
    ink: Literal["red", "blue", "purple", "black"]
    center: tuple[float, float]
    rotation_deg: float
    size_mm: float
    density: float
    pressure_deg: float
    pressure_drop: float
    gaps: float
    over_print: bool
    texture_seed: int

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def _bold_font(rng: np.random.Generator, text: str) -> str:
    ids = sorted(k for k, f in fonts().items() if f.bold is not None and covers(f, text))
    return ids[int(rng.integers(len(ids)))]


def sample_stamp(rng: np.random.Generator, locale: str, store_name: str, date_text: str) -> StampSpec:
    """Draw one stamp for a receipt of ``locale`` from ``store_name``, issued on ``date_text``."""
    lang = locale.split("_")[0]
    kind = str(rng.choice(KINDS, p=[0.45, 0.2, 0.1, 0.25]))
    with_date = rng.random() < 0.5
    shape = "round" if kind == "shop" else str(rng.choice(["rect", "round"], p=[0.75, 0.25]))
    word = {"paid": PAID.get(lang, "PAID"), "copy": COPY.get(lang, "COPY"), "lunas": "LUNAS"}.get(
        kind, PAID.get(lang, "PAID")
    )
    if shape == "round":
        ring = store_name.upper() if kind == "shop" else f"* {word} * {word} *"
        lines = (ring, word, *([date_text] if with_date else []))
    else:
        lines = (word, *([date_text] if with_date else []))
    ink = str(rng.choice(list(INKS), p=[0.45, 0.3, 0.15, 0.1]))
    size = float(rng.uniform(30, 40) if shape == "round" else rng.uniform(34, 54))
    return StampSpec(
        shape=shape,  # type: ignore[arg-type]
        lines=lines,
        font_id=_bold_font(rng, "".join(lines)),
        ink=ink,  # type: ignore[arg-type]
        center=(float(rng.uniform(0.3, 0.7)), float(rng.uniform(0.15, 0.85))),
        rotation_deg=float(rng.uniform(-30, 30)),
        size_mm=size,
        density=float(rng.uniform(0.55, 0.92)),
        pressure_deg=float(rng.uniform(0, 360)),
        pressure_drop=float(rng.uniform(0.0, 0.6)),
        gaps=float(rng.uniform(0.03, 0.3)),
        over_print=bool(rng.random() < 0.7),
        texture_seed=int(rng.integers(2**31)),
    )


def _fit(draw: ImageDraw.ImageDraw, path, text: str, width: float, height: float):
    """The largest face of ``path`` (px) whose ``text`` fits width x height."""
    px = max(6, int(height))
    while px > 6:
        font = truetype(path, px)
        x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=font)
        if x1 - x0 <= width and y1 - y0 <= height:
            return font
        px -= 1
    return truetype(path, 6)


def _artwork(st: StampSpec, w: int, h: int) -> np.ndarray:
    """(h, w) float32 0..1: the rubber's relief (1 where it carries ink), upright."""
    img = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(img)
    path = fonts()[st.font_id].bold
    line = max(2, int(round(min(w, h) * 0.035)))
    if st.shape == "rect":
        draw.rectangle([1, 1, w - 2, h - 2], outline=255, width=line)
        gap = line * 2
        draw.rectangle([1 + gap, 1 + gap, w - 2 - gap, h - 2 - gap], outline=255, width=max(1, line // 2))
        inner_w, inner_h = w - 4 * gap, h - 4 * gap
        shares = (0.62, 0.38) if len(st.lines) > 1 else (1.0,)
        y = 2 * gap
        for text, share in zip(st.lines, shares, strict=False):
            font = _fit(draw, path, text, inner_w, inner_h * share * 0.85)
            x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=font)
            draw.text(((w - (x1 - x0)) / 2 - x0, y + (inner_h * share - (y1 - y0)) / 2 - y0), text, 255, font)
            y += inner_h * share
    else:
        r = min(w, h) / 2 - 1
        c = (w / 2, h / 2)
        draw.ellipse([c[0] - r, c[1] - r, c[0] + r, c[1] + r], outline=255, width=line)
        r2 = r * 0.66
        draw.ellipse([c[0] - r2, c[1] - r2, c[0] + r2, c[1] + r2], outline=255, width=max(1, line // 2))
        ring, centre = st.lines[0], st.lines[1:]
        band = r - r2 - 2 * line
        font = truetype(path, max(6, int(band * 0.8)))
        # the ring text, each letter turned to the circle, centred at the top, reading clockwise
        adv = [draw.textlength(ch, font=font) for ch in ring]
        rt = (r + r2) / 2
        total = min(sum(adv) / rt, 2 * np.pi * 0.92)
        scale = total / max(sum(adv) / rt, 1e-6)
        ang = -np.pi / 2 - total / 2
        for ch, a in zip(ring, adv, strict=True):
            mid = ang + a * scale / rt / 2
            ang += a * scale / rt
            if ch == " ":
                continue
            size = int(font.size * 2)
            glyph = Image.new("L", (size, size), 0)
            ImageDraw.Draw(glyph).text((size / 2, size / 2), ch, 255, font, anchor="mm")
            glyph = glyph.rotate(-np.degrees(mid) - 90, resample=Image.BILINEAR)
            gx, gy = c[0] + rt * np.cos(mid) - size / 2, c[1] + rt * np.sin(mid) - size / 2
            img.paste(255, (int(round(gx)), int(round(gy))), glyph)
        inner = r2 * 1.5
        shares = (0.55, 0.45) if len(centre) > 1 else (1.0,)
        y = c[1] - inner * 0.42
        for text, share in zip(centre, shares, strict=False):
            font = _fit(draw, path, text, inner * 0.95, inner * 0.84 * share * 0.8)
            x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=font)
            draw.text(
                (c[0] - (x1 - x0) / 2 - x0, y + (inner * 0.84 * share - (y1 - y0)) / 2 - y0), text, 255, font
            )
            y += inner * 0.84 * share
    return np.asarray(img, np.float32) / 255.0


def draw_stamp(
    st: StampSpec, paper_w: int, paper_h: int, v0: float, v1: float, px_mm: float
) -> tuple[np.ndarray, np.ndarray, tuple[slice, slice]]:
    """(ink share float32 0..1 over ``window``, the stamp's outline (4, 2) in paper pixels, clockwise from the
    top-left, ``window``: the (rows, columns) slices of the paper_h x paper_w paper that hold every inked pixel:
    the outline's bounding box and a pixel for the interpolation, clipped to the paper)."""
    w = max(8, int(round(st.size_mm * px_mm)))
    h = w if st.shape == "round" else max(8, int(round(w * (0.5 if len(st.lines) > 1 else 0.36))))
    art = _artwork(st, w, h)
    rng = np.random.default_rng(st.texture_seed)
    # uneven pressure across the stamp, gaps where the rubber missed, ink bleeding a little into the paper
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = np.radians(st.pressure_deg)
    proj = ((xx - w / 2) * np.cos(t) + (yy - h / 2) * np.sin(t)) / (max(w, h) / 2)
    pressure = np.clip(1.0 - st.pressure_drop * (0.5 + 0.5 * proj), 0.0, 1.0)
    coarse = cv2.resize(rng.random((h // 6 + 2, w // 6 + 2), dtype=np.float32), (w, h))
    fine = rng.random((h, w), dtype=np.float32)
    holes = np.clip((0.6 * coarse + 0.4 * fine - st.gaps) / 0.12, 0.0, 1.0)
    ink = cv2.GaussianBlur(art, (0, 0), 0.6) * holes * pressure * st.density
    # place it: rotate about its centre onto the paper, into the window that holds it
    cx, cy = st.center[0] * paper_w, v0 + st.center[1] * (v1 - v0)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), st.rotation_deg, 1.0)
    m[:, 2] += (cx - w / 2, cy - h / 2)
    quad = np.float32([[0, 0], [w, 0], [w, h], [0, h]]) @ m[:, :2].T.astype(np.float32) + m[:, 2]
    x0, y0 = np.maximum(np.floor(quad.min(0)).astype(int) - 2, 0)
    x1, y1 = np.minimum(np.ceil(quad.max(0)).astype(int) + 2, (paper_w, paper_h))
    x1, y1 = max(x1, x0), max(y1, y0)
    window = (slice(int(y0), int(y1)), slice(int(x0), int(x1)))
    if x1 == x0 or y1 == y0:
        return np.zeros((y1 - y0, x1 - x0), np.float32), quad.astype(np.float32), window
    m[:, 2] -= (x0, y0)
    out = cv2.warpAffine(ink, m, (int(x1 - x0), int(y1 - y0)), flags=cv2.INTER_LINEAR, borderValue=0)
    return out, quad.astype(np.float32), window


def ink_paper(
    paper_rgba: np.ndarray, ink: np.ndarray, rgb: tuple[int, int, int], cov: np.ndarray | None
) -> None:
    """Multiply the stamp's ink into premultiplied ``paper_rgba`` (in place). ``cov`` the print's coverage (uint8)
    when the stamp lies under the print: the print then keeps its own colour."""
    share = ink if cov is None else ink * (1.0 - cov.astype(np.float32) / 255.0)
    for c, k in enumerate(rgb):
        chan = paper_rgba[..., c] * (1.0 - share * (1.0 - k / 255.0))
        chan += 0.5
        paper_rgba[..., c] = np.clip(chan, 0, 255)


def stamped_words(stamps: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """(N,) bool: the words (canvas ``boxes``) whose box holds stamp ink (``stamps`` != 0)."""
    out = np.zeros(len(boxes), bool)
    for r, (x0, y0, x1, y1) in enumerate(boxes.astype(int).tolist()):
        out[r] = x1 > x0 and y1 > y0 and bool(stamps[y0:y1, x0:x1].any())
    return out
