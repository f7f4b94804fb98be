"""Ink a :class:`~simvision.scenes.receipt.handwriting.Handwriting` onto a laid-out receipt: a pure function of the
spec and the paper layout (the per-glyph jitter comes from the spec's ``seed``).

Handwritten words are set glyph by glyph from a handwriting font, each glyph with its own size, rotation, baseline
offset and spacing, along a wobbling, drifting baseline, then slanted as a whole; the pen's width thickens the
strokes and its pressure fades them unevenly. Marks (circle, underline, tick, strike-through, signature flourish)
are polylines with the same pen. Every word and mark is one instance on its own id layer (it may cross print).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from simvision.fonts import glyph, hand_fonts, truetype
from simvision.labels import order_quad_clockwise
from simvision.scenes.receipt.doc import ReceiptDoc
from simvision.scenes.receipt.handwriting import Hand, Handwriting, blank_lines
from simvision.scenes.receipt.typeset import INK_THRESHOLD, PaperLayout, PlacedWord

SUB = 16  # cv2 drawing sub-pixel factor (shift=4)


@dataclass
class HandInk:
    """Pen ink on the paper: coverage, the id layer and one row per written word or mark (paper coordinates)."""

    cov: np.ndarray  # (H,W) uint8
    ids: np.ndarray  # (H,W) uint16
    text: list[str] = field(default_factory=list)
    quads: list[np.ndarray] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    mark: list[str] = field(default_factory=list)
    struck_words: set[int] = field(default_factory=set)  # indices into the layout's words


def _pressure(rng: np.random.Generator, w: int, h: int, hand: Hand, cell: float) -> np.ndarray:
    """(h,w) float32 ink factor in (1 - pressure/2)..1, varying smoothly along the stroke direction (x)."""
    n = max(2, int(w / max(cell, 1.0)) + 2)
    knots = 1.0 - hand.pressure * 0.5 * rng.random(n)
    row = np.interp(np.arange(w), np.linspace(0, w - 1, n), knots).astype(np.float32)
    return np.broadcast_to(row, (h, w))


def _pen_px(hand: Hand, font_px: int) -> float:
    """The pen's line width in px for marks: a ballpoint draws about a tenth of the writing's x-height."""
    return max(1.2, hand.pen_width * font_px * hand.size / 24)


def _thicken(cov: np.ndarray, hand: Hand, px: float) -> np.ndarray:
    """The pen's stroke width: felt tips lay down wider lines than the font's outline."""
    k = int(round(hand.pen_width * px / 28))
    if k < 2:
        return cov
    return cv2.dilate(cov, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))


def write_word(
    text: str, hand: Hand, px: float, rng: np.random.Generator, extra_slant: float = 0.0
) -> tuple[np.ndarray, float, float]:
    """``text`` in ``hand`` at ``px``: (coverage float32 0..1 (h,w), pen start x, baseline y) in the patch."""
    face = hand_fonts()[hand.font_id]
    path = face.bold if face.bold and hand.pen_width > 1.5 else face.regular  # a felt tip draws bolder
    base_font = truetype(path, max(6, round(px)))
    adv = sum(base_font.getlength(c) for c in text) * 1.25 + px
    pad = int(px * 1.2)
    w, h = int(adv) + 2 * pad, int(px * 3.2)
    base = px * 1.9
    canvas = np.zeros((h, w), np.float32)
    phase, freq = rng.uniform(0, 2 * np.pi), rng.uniform(0.4, 1.2) / px
    pen = float(pad)
    for ch in text:
        s = 1.0 + rng.normal(0.0, hand.jitter)
        font = truetype(path, max(6, round(px * s)))
        g = glyph(font, ch)
        if g.bitmap is not None:
            rot = rng.normal(0.0, hand.jitter * 40.0)
            dy = hand.wobble * px * np.sin(phase + pen * freq) + rng.normal(0.0, hand.jitter * 0.25 * px)
            # rotate the glyph about its pen point, then put the pen point on the wobbling baseline
            m = cv2.getRotationMatrix2D((float(-g.left), float(-g.top)), float(rot), 1.0)
            m[:, 2] += (pen + g.left, base + dy + g.top)
            warped = cv2.warpAffine(
                g.bitmap.astype(np.float32) / 255.0, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0.0
            )
            np.maximum(canvas, warped, out=canvas)
        pen += g.advance * (1.0 + rng.normal(0.0, hand.jitter * 0.6)) + px * rng.normal(0.02, 0.02)
    # slant (shear about the baseline) and drift (rotation about the pen start)
    t = np.tan(np.radians(hand.slant_deg + extra_slant))
    shear = np.float64([[1, -t, t * base], [0, 1, 0], [0, 0, 1]])
    drift = np.vstack([cv2.getRotationMatrix2D((float(pad), base), -hand.drift_deg, 1.0), [0, 0, 1]])
    canvas = cv2.warpAffine(canvas, (drift @ shear)[:2], (w, h), flags=cv2.INTER_LINEAR, borderValue=0.0)
    canvas = _thicken(canvas, hand, px)
    canvas *= _pressure(rng, w, h, hand, px * 0.6)
    return canvas, float(pad), base


def _stroke(points: np.ndarray, width: float, shape: tuple[int, int]) -> tuple[np.ndarray, int, int]:
    """An anti-aliased polyline (paper coordinates) as (coverage float32 patch, x0, y0) clipped to ``shape``."""
    grow = int(np.ceil(width)) + 2
    x0, y0 = (np.floor(points.min(axis=0)) - grow).astype(int)
    x1, y1 = (np.ceil(points.max(axis=0)) + grow).astype(int)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, shape[1]), min(y1, shape[0])
    patch = np.zeros((max(y1 - y0, 1), max(x1 - x0, 1)), np.uint8)
    pts = np.round((points - (x0, y0)) * SUB).astype(np.int32)
    cv2.polylines(patch, [pts], False, 255, max(1, int(round(width))), cv2.LINE_AA, shift=4)
    return patch.astype(np.float32) / 255.0, x0, y0


class _Paper:
    """The ink and id layer being drawn, and the rows written so far."""

    def __init__(self, h: int, w: int, first_id: int) -> None:
        self.ink = HandInk(np.zeros((h, w), np.uint8), np.zeros((h, w), np.uint16))
        self.next_id = first_id

    def stamp(
        self, patch: np.ndarray, x0: int, y0: int, text: str, category: str, line: int, mark: str
    ) -> None:
        """Lay a coverage patch (0..1) with its top-left at (x0, y0); one new row if any of it lands on paper."""
        cov, ids = self.ink.cov, self.ink.ids
        h, w = patch.shape
        X0, Y0, X1, Y1 = max(x0, 0), max(y0, 0), min(x0 + w, cov.shape[1]), min(y0 + h, cov.shape[0])
        if X1 <= X0 or Y1 <= Y0:
            return
        part = np.round(patch[Y0 - y0 : Y1 - y0, X0 - x0 : X1 - x0] * 255).astype(np.uint8)
        inked = part >= INK_THRESHOLD
        if not inked.any():
            return
        np.maximum(cov[Y0:Y1, X0:X1], part, out=cov[Y0:Y1, X0:X1])
        ids[Y0:Y1, X0:X1][inked] = self.next_id
        ys, xs = np.nonzero(inked)
        pts = np.stack([xs + X0, ys + Y0], axis=1).astype(np.float32)
        quad = cv2.boxPoints(cv2.minAreaRect(np.concatenate([pts, pts + 1])))  # pixel squares, not centres
        self.ink.quads.append(order_quad_clockwise(quad))
        self.ink.text.append(text)
        self.ink.category.append(category)
        self.ink.line.append(line)
        self.ink.mark.append(mark)
        self.next_id += 1


def _line_words(lay: PaperLayout, line: int) -> list[PlacedWord]:
    return sorted((w for w in lay.words if w.line == line), key=lambda w: w.x0)


def _baseline(word: PlacedWord) -> float:
    return word.top + 0.78 * (word.bottom - word.top)


def _write_amount(
    paper: _Paper, lay: PaperLayout, hand: Hand, rng: np.random.Generator, line: int, text: str, category: str
) -> None:
    """A written amount on a blank line: after its printed label, towards the right of the paper."""
    label = _line_words(lay, line)
    if not label:
        return
    lh = label[-1].bottom - label[-1].top
    px = lay.font_px * hand.size
    patch, pen_x, base = write_word(text, hand, px, rng)
    cols = np.flatnonzero(patch.max(axis=0) * 255 >= INK_THRESHOLD)
    if cols.size == 0:
        return
    ink_w = cols[-1] - cols[0] + 1
    lo = label[-1].x1 + lh * 0.8
    hi = lay.width - lay.width * 0.06 - ink_w
    x = lo if hi <= lo else lo + (hi - lo) * rng.uniform(0.35, 1.0)
    y = _baseline(label[-1]) + rng.uniform(-0.1, 0.12) * lh
    paper.stamp(patch, int(round(x - cols[0])), int(round(y - base)), text, category, line, "")


def _signature(paper: _Paper, lay: PaperLayout, hw: Handwriting, rng: np.random.Generator, line: int) -> None:
    """A signature on its blank line: the name written fast (big, slanted, run together) and a flourish under it."""
    label = _line_words(lay, line)
    if not label:
        return
    hand = hw.hand.model_copy(update={"jitter": hw.hand.jitter * 1.5, "wobble": hw.hand.wobble * 2})
    lh = label[-1].bottom - label[-1].top
    px = lay.font_px * hand.size * rng.uniform(1.1, 1.4)
    patch, _, base = write_word(hw.signature, hand, px, rng, extra_slant=rng.uniform(5, 15))
    cols = np.flatnonzero(patch.max(axis=0) * 255 >= INK_THRESHOLD)
    if cols.size == 0:
        return
    room = lay.width - label[-1].x1 - lh
    if cols[-1] - cols[0] + 1 > room and room > lh:  # sign smaller rather than off the paper
        s = room / (cols[-1] - cols[0] + 1)
        patch = cv2.resize(patch, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        cols, base = np.flatnonzero(patch.max(axis=0) * 255 >= INK_THRESHOLD), base * s
    x0 = int(round(label[-1].x1 + lh * 0.6 - cols[0]))
    y0 = int(round(_baseline(label[-1]) + 0.1 * lh - base))
    # the flourish: a swash from under the name's start to past its end, drawn into the same patch
    rows = np.flatnonzero(patch.max(axis=1) * 255 >= INK_THRESHOLD)
    if rows.size:
        u = np.linspace(0, 1, 24)
        fx = cols[0] + (cols[-1] - cols[0]) * (u * 1.08 - 0.04)
        fy = rows[-1] + lh * (0.15 + 0.25 * np.sin(np.pi * u + rng.uniform(-0.5, 0.5)) - 0.3 * u)
        fy = np.clip(fy, 0, patch.shape[0] - 2)
        fx = np.clip(fx, 0, patch.shape[1] - 2)
        sw, sx, sy = _stroke(np.stack([fx, fy], 1), max(1.0, hand.pen_width * px / 28), patch.shape)
        region = patch[sy : sy + sw.shape[0], sx : sx + sw.shape[1]]
        np.maximum(region, sw[: region.shape[0], : region.shape[1]], out=region)
    paper.stamp(patch, x0, y0, "", "other", line, "signature")


def _words_of(lay: PaperLayout, category: str, group: int | None = None) -> list[PlacedWord]:
    return [w for w in lay.words if w.category == category and (group is None or w.group == group)]


def _around_total(paper: _Paper, lay: PaperLayout, hw: Handwriting, rng: np.random.Generator) -> None:
    words = _words_of(lay, "total.total_price")
    if not words:
        return
    line = words[0].line
    words = [w for w in words if w.line == line]
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    y0, y1 = min(w.top for w in words), max(w.bottom for w in words)
    h = y1 - y0
    width = max(1.0, _pen_px(hw.hand, lay.font_px))
    if hw.around_total == "circle":
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        rx, ry = (x1 - x0) / 2 + h * rng.uniform(0.4, 0.8), h / 2 + h * rng.uniform(0.3, 0.55)
        t0 = rng.uniform(0, 2 * np.pi)
        t = t0 + np.linspace(0, 2 * np.pi * rng.uniform(1.08, 1.25), 80)
        p1, p2 = rng.uniform(0, 2 * np.pi, 2)
        r = (
            1
            + 0.05 * np.sin(2 * t + p1)
            + 0.03 * np.sin(3 * t + p2)
            + rng.uniform(0.04, 0.12) * (t - t0) / (2 * np.pi)
        )
        tilt = np.radians(rng.normal(0, 4))
        ex, ey = rx * r * np.cos(t), ry * r * np.sin(t)
        pts = np.stack(
            [cx + ex * np.cos(tilt) - ey * np.sin(tilt), cy + ex * np.sin(tilt) + ey * np.cos(tilt)], 1
        )
    else:
        u = np.linspace(0, 1, 16)
        xs = x0 - h * 0.25 + (x1 - x0 + h * 0.55) * u
        ys = y1 + h * 0.12 + h * (rng.uniform(-0.12, 0.12) * u + rng.uniform(0.0, 0.12) * np.sin(np.pi * u))
        pts = np.stack([xs, ys], 1)
        if rng.random() < 0.35:  # underlined twice, the second stroke coming back
            back = np.stack([xs[::-1] + rng.normal(0, h * 0.05), ys[::-1] + h * rng.uniform(0.18, 0.3)], 1)
            pts = np.concatenate([pts, back])
    pts += rng.normal(0, h * 0.015, pts.shape)
    patch, px, py = _stroke(pts, width, paper.ink.cov.shape)
    paper.stamp(patch, px, py, "", "other", -1, hw.around_total)


def _item_line(lay: PaperLayout, group: int) -> tuple[int, list[PlacedWord]] | None:
    names = _words_of(lay, "menu.nm", group)
    if not names:
        return None
    line = names[0].line
    return line, [w for w in _line_words(lay, line) if w.group == group]


def _tick(paper: _Paper, lay: PaperLayout, hw: Handwriting, rng: np.random.Generator, group: int) -> None:
    found = _item_line(lay, group)
    if found is None:
        return
    _, words = found
    top, bottom = min(w.top for w in words), max(w.bottom for w in words)
    s = (bottom - top) * rng.uniform(0.7, 0.95)
    left_room = words[0].x0
    x = words[0].x0 - s * 1.15 if left_room > s * 0.9 else max(w.x1 for w in words) + s * 0.2
    x = min(x, lay.width - s - 1)
    y = top - s * 0.15
    shape = np.array([[0.0, 0.5], [0.18, 0.62], [0.38, 0.98], [0.62, 0.45], [1.0, -0.05]])
    pts = np.array([x, y]) + (shape + rng.normal(0, 0.04, shape.shape)) * s
    width = max(1.0, _pen_px(hw.hand, lay.font_px))
    patch, px, py = _stroke(pts, width, paper.ink.cov.shape)
    paper.stamp(patch, px, py, "", "other", -1, "tick")


def _strike(paper: _Paper, lay: PaperLayout, hw: Handwriting, rng: np.random.Generator, group: int) -> None:
    found = _item_line(lay, group)
    if found is None:
        return
    line, words = found
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    top, bottom = min(w.top for w in words), max(w.bottom for w in words)
    h = bottom - top
    xa, xb = x0 - h * rng.uniform(0.1, 0.4), x1 + h * rng.uniform(0.1, 0.4)
    u = np.linspace(0, 1, 12)
    ys = top + h * (0.55 + rng.uniform(-0.08, 0.08) + rng.uniform(-0.15, 0.15) * u)
    pts = np.stack([xa + (xb - xa) * u, ys + rng.normal(0, h * 0.02, u.shape)], 1)
    if rng.random() < 0.3:  # struck twice
        pts = np.concatenate([pts, pts[::-1] + (0, h * rng.uniform(0.12, 0.22))])
    width = max(1.0, _pen_px(hw.hand, lay.font_px))
    patch, px, py = _stroke(pts, width, paper.ink.cov.shape)
    paper.stamp(patch, px, py, "", "other", -1, "strike")
    for i, w in enumerate(lay.words):
        if w.line == line and w.x1 > xa and w.x0 < xb:
            paper.ink.struck_words.add(i)


def draw_handwriting(lay: PaperLayout, doc: ReceiptDoc, hw: Handwriting, first_id: int) -> HandInk:
    """Every word and mark of ``hw`` on the laid-out paper, instance ids from ``first_id`` in drawing order."""
    rng = np.random.default_rng(hw.seed)
    paper = _Paper(lay.height, lay.width, first_id)
    if hw.tip is not None:
        lines = blank_lines(doc, hw)
        _write_amount(paper, lay, hw.hand, rng, lines["tip"], hw.tip_text, "sub_total.service_price")
        _write_amount(paper, lay, hw.hand, rng, lines["total"], hw.total_text, "total.total_price")
        _signature(paper, lay, hw, rng, lines["signature"])
    if hw.around_total != "none":
        _around_total(paper, lay, hw, rng)
    for g in hw.ticks:
        _tick(paper, lay, hw, rng, g)
    for g in hw.struck:
        _strike(paper, lay, hw, rng, g)
    return paper.ink
