"""A character grid for laying out receipt lines: text placed at columns, never overlapping, never off paper.

Layouts think in monospace columns ``0..width``; a :class:`Row` converts them to the fractional anchors of
:class:`~simvision.scenes.receipt.doc.Segment` (``x = column / width``). Every row checks on output that its
segments stay inside the printable width and keep at least one empty column between each other; ``large`` rows
are checked at twice the glyph width (and fall back to ``bold`` when they would not fit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simvision.scenes.receipt.doc import Category, Segment, TextLine

#: How much wider than normal a ``large`` line's glyphs may be; large rows are laid out to fit at this scale.
LARGE_SCALE = 2.0

Piece = tuple[str, Category]


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, without trailing or double spaces (no ellipsis)."""
    if width <= 0:
        return ""
    return " ".join(text[:width].split())


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap of single-spaced ``text`` into lines of at most ``width`` chars (long words split)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def span(seg: Segment, width: int, scale: float = 1.0) -> tuple[float, float]:
    """Columns ``[start, end)`` a segment covers when each glyph is ``scale`` columns wide."""
    n = len(seg.text) * scale
    anchor = seg.x * width
    if seg.align == "left":
        return anchor, anchor + n
    if seg.align == "right":
        return anchor - n, anchor
    return anchor - n / 2, anchor + n / 2


def fits(segments: Sequence[Segment], width: int, scale: float = 1.0, eps: float = 1e-6) -> bool:
    """True when all segments lie within ``[0, width]`` and consecutive ones are at least one column apart."""
    spans = sorted(span(s, width, scale) for s in segments)
    if any(a < -eps or b > width + eps for a, b in spans):
        return False
    return all(nxt[0] >= prev[1] + 1 - eps for prev, nxt in zip(spans, spans[1:], strict=False))


class Row:
    """Builder of one :class:`TextLine` on a ``width``-column grid; ``group`` is the default segment group."""

    def __init__(self, width: int, group: int = -1) -> None:
        self.width = width
        self.group = group
        self.segments: list[Segment] = []

    def _add(self, x: float, text: str, align: str, category: Category, group: int | None) -> None:
        text = " ".join(text.split())
        if text:
            g = self.group if group is None else group
            self.segments.append(Segment(text=text, x=x, align=align, category=category, group=g))

    def left(self, col: int, text: str, category: Category = "other", group: int | None = None) -> int:
        """Place ``text`` starting at ``col``; returns the column after its last character."""
        self._add(col / self.width, text, "left", category, group)
        return col + len(" ".join(text.split()))

    def right(self, end: int, text: str, category: Category = "other", group: int | None = None) -> int:
        """Place ``text`` ending at column ``end``; returns its first column."""
        self._add(end / self.width, text, "right", category, group)
        return end - len(" ".join(text.split()))

    def center(self, text: str, category: Category = "other", group: int | None = None) -> None:
        """Place ``text`` centred on the line."""
        self._add(0.5, text, "center", category, group)

    def flow(self, col: int, pieces: Iterable[Piece], group: int | None = None) -> int:
        """Place pieces left to right from ``col``, one space apart; returns the column after the last one."""
        for text, cat in pieces:
            if text:
                col = self.left(col, text, cat, group) + 1
        return col - 1

    def flow_right(self, end: int, pieces: Sequence[Piece], group: int | None = None) -> int:
        """Place pieces right to left, the last ending at ``end``, one space apart; returns the first col."""
        for text, cat in reversed(pieces):
            if text:
                end = self.right(end, text, cat, group) - 1
        return end + 1

    def line(self, style: str = "normal") -> TextLine:
        """The finished line; ``large`` becomes ``bold`` when the row would not fit at :data:`LARGE_SCALE`.

        Raises ``ValueError`` if the segments overlap or leave the printable width (a layout bug).
        """
        if style == "large" and not fits(self.segments, self.width, LARGE_SCALE):
            style = "bold"
        if not fits(self.segments, self.width):
            raise ValueError(
                f"segments do not fit a {self.width}-column line: {[s.text for s in self.segments]}"
            )
        return TextLine(segments=tuple(self.segments), style=style)


def width_of(pieces: Sequence[Piece]) -> int:
    """Columns the pieces take when flowed one space apart."""
    texts = [t for t, _ in pieces if t]
    return sum(len(t) for t in texts) + max(len(texts) - 1, 0)


def label_value(
    width: int,
    label: str | Sequence[Piece],
    value: Sequence[Piece],
    style: str = "normal",
    group: int = -1,
    indent: int = 0,
    end: int | None = None,
) -> TextLine:
    """A ``label ... value`` line: label pieces at ``indent`` (cut to fit), value pieces ending at ``end``.

    ``label`` may be a plain string (category ``other``) or pieces with their own categories.
    """
    end = width if end is None else end
    row = Row(width, group)
    start = row.flow_right(end, value)
    pieces: list[Piece] = [(label, "other")] if isinstance(label, str) else list(label)
    room = start - 1 - indent
    col = indent
    for text, cat in pieces:
        text = fit(text, room - (col - indent))
        if not text:
            break
        col = row.left(col, text, cat) + 1
    return row.line(style)


def centered(
    width: int, text: str, category: Category = "other", style: str = "normal", group: int = -1
) -> list[TextLine]:
    """``text`` centred, wrapped onto as many lines as needed (each line at most ``width`` columns)."""
    limit = int(width / LARGE_SCALE) if style == "large" else width
    lines = wrap(text, limit)
    if style == "large" and len(lines) > 2:
        lines, style = wrap(text, width), "bold"
    out = []
    for part in lines:
        row = Row(width, group)
        row.center(part, category)
        out.append(row.line(style))
    return out


def left_lines(
    width: int, text: str, category: Category = "other", style: str = "normal", indent: int = 0
) -> list[TextLine]:
    """``text`` left-aligned at ``indent``, wrapped to the width."""
    limit = int((width - indent) / LARGE_SCALE) if style == "large" else width - indent
    out = []
    for part in wrap(text, limit):
        row = Row(width)
        row.left(indent, part, category)
        out.append(row.line(style))
    return out
