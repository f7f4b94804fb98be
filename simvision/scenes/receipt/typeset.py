"""Lay out a receipt document on its paper and rasterise it, one instance per word.

Text is drawn one segment (a run of words with single spaces) at a time, glyph by glyph from cached bitmaps,
straight onto the paper's coverage image.
Each word then owns a region of the paper: its line's band (half-way to the neighbouring lines) and its columns
(half-way across the spaces to its neighbours). A word's mask is the ink in its region with coverage of at least
:data:`INK_THRESHOLD` (a quarter of full ink): the pixels a reader sees as print. Regions never overlap, so every
ink pixel belongs to exactly one word. A word's quad is its line box (ascender to descender across its advance
width), clockwise from top-left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import ImageFont

from simvision.fonts import FontFace, glyph, has_kerning, kerning, text_length, truetype
from simvision.scenes.receipt.doc import Code, ReceiptDoc, Rule, Space, TextLine

INK_THRESHOLD = 64  # of 255
STYLE_SCALE = {"normal": 1.0, "bold": 1.0, "large": 1.3, "small": 0.85}


@dataclass(frozen=True)
class PlacedWord:
    """A word on the paper (pixels, paper coordinates). ``x0..x1`` is its advance box; ``top..bottom`` its line box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    category: str
    group: int
    line: int


@dataclass(frozen=True)
class PlacedRun:
    """Text drawn in one call: left end at ``x``, on ``baseline``."""

    text: str
    x: float
    baseline: float
    font: ImageFont.FreeTypeFont


@dataclass(frozen=True)
class PlacedCode:
    kind: str
    data: str
    x: int
    y: int
    bitmap: np.ndarray  # (h,w) bool


@dataclass(frozen=True)
class PaperLayout:
    width: int
    height: int
    words: tuple[PlacedWord, ...]
    runs: tuple[PlacedRun, ...]
    codes: tuple[PlacedCode, ...]
    font_px: int


class _Measure:
    """Advance widths; exact ``len * cell`` for monospace faces (BASIC layout has no kerning), FreeType's (from
    cached advances, :func:`simvision.fonts.text_length`) otherwise."""

    def __init__(self, font: ImageFont.FreeTypeFont, monospace: bool) -> None:
        self.font = font
        self.cell = font.getlength("0") if monospace else None
        asc, desc = font.getmetrics()
        self.asc, self.desc = asc, desc

    def __call__(self, text: str) -> float:
        return len(text) * self.cell if self.cell is not None else text_length(self.font, text)


@lru_cache(maxsize=256)
def _measure(face: FontFace, style: str, px: int) -> _Measure:
    """The measurer of a face, style and size (cached: static font data, asked for on every line)."""
    path = face.bold if style in ("bold", "large") and face.bold else face.regular
    return _Measure(truetype(path, max(6, round(px * STYLE_SCALE[style]))), face.monospace)


def layout_paper(
    doc: ReceiptDoc,
    face: FontFace,
    px: int,
    spacing: float,
    margin: int,
    code_bitmaps: dict[int, np.ndarray],
    place_words: bool = True,
) -> PaperLayout | None:
    """Place every word and code of ``doc`` at font size ``px``; None if some line's segments would collide.

    ``code_bitmaps`` maps a block index to its code's ink bitmap (built once by the caller). With ``place_words``
    false only the paper size and the collision check are worked out (no words or runs): a cheap pass for trying
    font sizes, giving the same size and the same answer as the full layout.
    """
    normal = _measure(face, "normal", px)
    cell = truetype(face.regular, px).getlength("0")
    if not face.monospace:
        # The document is laid out on a character grid. A proportional face's capitals run wider than its "0",
        # so widen the grid cell until every segment fits the columns the grid gave it.
        for block in doc.blocks:
            if isinstance(block, TextLine):
                m = _measure(face, block.style, px)
                scale = STYLE_SCALE[block.style]
                cell = max(
                    [cell, *(m(seg.text) / len(seg.text) / scale for seg in block.segments if seg.text)]
                )
    print_w = cell * doc.width_chars
    paper_w = int(np.ceil(print_w + 2 * margin))
    # A code keeps its module size at every font size (a scanner needs it), so at small type a long barcode can be
    # wider than the print: widen the paper to hold it, the print centred on it, rather than refuse the size.
    code_w = max((bm.shape[1] for bm in code_bitmaps.values()), default=0)
    left: float = margin  # an int unless widened: the same numbers as before in every record
    if code_w + 2 * (margin // 2) > paper_w:
        left += (code_w + 2 * (margin // 2) - paper_w) / 2
        paper_w = code_w + 2 * (margin // 2)
    y = float(margin)
    words: list[PlacedWord] = []
    runs: list[PlacedRun] = []
    codes: list[PlacedCode] = []
    line_no = 0
    for bi, block in enumerate(doc.blocks):
        if isinstance(block, Space):
            y += block.lines * px * spacing
        elif isinstance(block, Rule):
            text = block.char * doc.width_chars
            m = normal
            if place_words:
                words.append(
                    PlacedWord(text, left, left + m(text), y, y + m.asc + m.desc, "other", -1, line_no)
                )
                runs.append(PlacedRun(text, left, y + m.asc, m.font))
            line_no += 1
            y += max(m.asc + m.desc, px * spacing)
        elif isinstance(block, Code):
            bm = code_bitmaps[bi]
            h, w = bm.shape
            x = int(round((paper_w - w) / 2))
            if x < margin // 2:
                return None
            y += px * 0.4
            codes.append(PlacedCode(block.kind, block.data, x, int(round(y)), bm))
            y += h + px * 0.6
        elif isinstance(block, TextLine):
            m = _measure(face, block.style, px)
            baseline = y + m.asc
            placed = []
            for seg in block.segments:
                seg_w = m(seg.text)
                anchor = left + seg.x * print_w
                x0 = {"left": anchor, "center": anchor - seg_w / 2, "right": anchor - seg_w}[seg.align]
                placed.append([min(max(x0, left), left + print_w - seg_w), seg_w, seg])
            placed.sort(key=lambda p: p[0])
            # Proportional faces: capitals run wider than the grid cell; push a colliding segment right.
            for prev, cur in zip(placed, placed[1:], strict=False):
                cur[0] = max(cur[0], prev[0] + prev[1] + cell * 0.5)
            if placed and placed[-1][0] + placed[-1][1] > left + print_w + 0.5:
                return None
            for x0, _, seg in placed if place_words else ():
                runs.append(PlacedRun(seg.text, x0, baseline, m.font))
                start = 0
                for word in seg.text.split(" "):
                    wx = x0 + m(seg.text[:start])
                    words.append(
                        PlacedWord(
                            word, wx, wx + m(word), y, y + m.asc + m.desc, seg.category, seg.group, line_no
                        )
                    )
                    start += len(word) + 1
            line_no += 1
            y += max(m.asc + m.desc, px * spacing * STYLE_SCALE[block.style])
    paper_h = int(np.ceil(y + margin))
    return PaperLayout(paper_w, paper_h, tuple(words), tuple(runs), tuple(codes), px)


def _regions(layout: PaperLayout) -> list[tuple[int, int, int, int]]:
    """Disjoint (x0, y0, x1, y1) pixel regions, one per word, that tile each line's band."""
    lines: dict[int, list[int]] = {}
    for i, w in enumerate(layout.words):
        lines.setdefault(w.line, []).append(i)
    order = sorted(lines)
    boxes = [
        (min(layout.words[i].top for i in lines[k]), max(layout.words[i].bottom for i in lines[k]))
        for k in order
    ]
    out: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * len(layout.words)
    for j, k in enumerate(order):
        top = 0 if j == 0 else int(round((boxes[j - 1][1] + boxes[j][0]) / 2))
        bottom = layout.height if j == len(order) - 1 else int(round((boxes[j][1] + boxes[j + 1][0]) / 2))
        row = sorted(lines[k], key=lambda i: layout.words[i].x0)
        for n, i in enumerate(row):
            left = 0 if n == 0 else int(round((layout.words[row[n - 1]].x1 + layout.words[i].x0) / 2))
            right = (
                layout.width
                if n == len(row) - 1
                else int(round((layout.words[i].x1 + layout.words[row[n + 1]].x0) / 2))
            )
            out[i] = (left, top, right, bottom)
    return out


def _draw_run(cov: np.ndarray, run: PlacedRun) -> None:
    """Draw a run onto ``cov`` from cached glyph bitmaps, with the pen on whole pixels; where glyphs overlap the
    larger coverage wins. Same glyphs and spacing as Pillow's ``ImageDraw.text`` at whole-pixel positions, at a
    fraction of the cost (Pillow lays out and hints every glyph of a string on every call)."""
    font, height, width = run.font, cov.shape[0], cov.shape[1]
    pen, baseline = run.x, round(run.baseline)
    kerned = has_kerning(font.path)
    prev = ""
    for ch in run.text:
        if kerned and prev:
            pen += kerning(font, prev, ch)
        bitmap, left, top, advance = glyph(font, ch)
        if bitmap is not None:
            x, y = round(pen) + left, baseline + top
            h, w = bitmap.shape
            if x >= 0 and y >= 0 and x + w <= width and y + h <= height:
                dst = cov[y : y + h, x : x + w]
                np.maximum(dst, bitmap, out=dst)
            else:  # rare: ink past the paper's edge
                _stamp_clipped(cov, bitmap, x, y)
        pen += advance
        prev = ch


@lru_cache(maxsize=1 << 16)
def _ink_extent(font: ImageFont.FreeTypeFont, ch: str) -> tuple[int, int, int, int] | None:
    """The pixels of ``ch``'s glyph bitmap with coverage >= :data:`INK_THRESHOLD`, as (x0, y0, x1, y1) offsets from
    the bitmap's top-left (exclusive ends); None where it inks none (cached with the glyph)."""
    bitmap = glyph(font, ch).bitmap
    if bitmap is None:
        return None
    ys, xs = np.nonzero(bitmap >= INK_THRESHOLD)
    if not len(xs):
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _pen_positions(run: PlacedRun) -> list[tuple[float, float, tuple[int, int, int, int] | None]]:
    """Each character of a run as :func:`_draw_run` draws it: (pen x, advance, its ink's (x0, y0, x1, y1) on the
    paper or None)."""
    font, baseline = run.font, round(run.baseline)
    kerned = has_kerning(font.path)
    pen, prev, out = run.x, "", []
    for ch in run.text:
        if kerned and prev:
            pen += kerning(font, prev, ch)
        _, left, top, advance = glyph(font, ch)
        ink = _ink_extent(font, ch)
        if ink is not None:
            gx, gy = round(pen) + left, baseline + top
            ink = (gx + ink[0], gy + ink[1], gx + ink[2], gy + ink[3])
        out.append((pen, advance, ink))
        pen += advance
        prev = ch
    return out


def char_boxes(layout: PaperLayout) -> list[np.ndarray]:
    """Per word of ``layout``, (K,4) float32 XYXY paper boxes, one per character of its text: the character's
    advance across the word's line box, grown to every pixel its glyph inks (coverage >= :data:`INK_THRESHOLD`,
    as word masks count ink) where it is drawn."""
    out: list[np.ndarray] = []
    words = iter(layout.words)
    for run in layout.runs:
        pens = _pen_positions(run)
        start = 0
        for text in run.text.split(" "):
            word = next(words)
            boxes = []
            for pen, advance, ink in pens[start : start + len(text)]:
                x0, y0, x1, y1 = pen, word.top, pen + advance, word.bottom
                if ink is not None:
                    x0, x1 = min(x0, ink[0]), max(x1, ink[2])
                    y0, y1 = min(y0, ink[1]), max(y1, ink[3])
                boxes.append((x0, y0, x1, y1))
            out.append(np.array(boxes, np.float32).reshape(-1, 4))
            start += len(text) + 1
    return out


def _stamp_clipped(cov: np.ndarray, bitmap: np.ndarray, x: int, y: int) -> None:
    """``cov = max(cov, bitmap)`` with the bitmap's top-left at (x, y), clipped to ``cov``."""
    h, w = bitmap.shape
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, cov.shape[1]), min(y + h, cov.shape[0])
    if x1 > x0 and y1 > y0:
        dst = cov[y0:y1, x0:x1]
        np.maximum(dst, bitmap[y0 - y : y1 - y, x0 - x : x1 - x], out=dst)


def rasterize(
    layout: PaperLayout,
    first_id: int,
    ink: Callable[[np.ndarray], np.ndarray] | None = None,
    chars: list[np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[int], np.ndarray]:
    """Draw every word and code of a layout.

    ``ink`` (the printer, see ``printers``) turns the drawn glyph coverage into what the print head leaves on
    paper before the words get their masks, so a mask is the ink that printer left.

    Returns (coverage uint8 (H,W), ids uint16 (H,W), row ids, quads (N,4,2) float32): item i of ``layout.words +
    layout.codes`` gets instance id ``first_id + i`` and a quad in paper coordinates. A word's quad is its line box
    grown to hold any ink that reaches past it (accents above capitals, descenders below small line boxes) and,
    given its ``chars`` (:func:`char_boxes`), its character boxes.
    """
    cov = np.zeros((layout.height, layout.width), np.uint8)
    for run in layout.runs:
        _draw_run(cov, run)
    if ink is not None:
        cov = ink(cov)
    assigned = list(range(first_id, first_id + len(layout.words) + len(layout.codes)))
    if assigned and assigned[-1] >= 2**16:
        raise ValueError(f"{len(assigned)} words and codes from id {first_id}: ids must stay below 65536")
    ink = (cov >= INK_THRESHOLD).view(np.uint8)  # 0/1
    # Every word owns its region; its mask is the ink in there (one pass over the paper for all words).
    region = np.zeros(cov.shape, np.uint16)
    boxes = []
    for iid, word, (x0, y0, x1, y1) in zip(assigned, layout.words, _regions(layout), strict=False):
        region[y0:y1, x0:x1] = iid
        left, top, right, bottom = word.x0, word.top, word.x1, word.bottom
        bx, by, bw, bh = cv2.boundingRect(ink[y0:y1, x0:x1])
        if bw:  # grow the line box to the word's ink
            left, top = min(left, x0 + bx), min(top, y0 + by)
            right, bottom = max(right, x0 + bx + bw), max(bottom, y0 + by + bh)
        if chars is not None and len(chars[len(boxes)]):
            cb = chars[len(boxes)]
            left, top = min(left, float(cb[:, 0].min())), min(top, float(cb[:, 1].min()))
            right, bottom = max(right, float(cb[:, 2].max())), max(bottom, float(cb[:, 3].max()))
        boxes.append((left, top, right, bottom))
    ids = region * ink
    for iid, code in zip(assigned[len(layout.words) :], layout.codes, strict=True):
        h, w = code.bitmap.shape
        cov[code.y : code.y + h, code.x : code.x + w][code.bitmap] = 255
        ids[code.y : code.y + h, code.x : code.x + w] = iid
        boxes.append((code.x, code.y, code.x + w, code.y + h))
    left, top, right, bottom = np.array(boxes, np.float32).reshape(-1, 4).T
    quads = np.stack([left, top, right, top, right, bottom, left, bottom], axis=1).reshape(-1, 4, 2)
    return cov, ids, assigned, quads
