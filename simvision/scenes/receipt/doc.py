"""The logical receipt document: what is printed, line by line, with key-field categories. No pixels here.

A layout turns :class:`~simvision.scenes.receipt.content.ReceiptContent` into a :class:`ReceiptDoc`; the compositor
turns a ``ReceiptDoc`` plus a font and paper into pixels. Every segment's text is split on single spaces into words,
and every word becomes one labeled instance carrying the segment's ``category``.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

#: Key-field categories. Menu, sub_total and total names are CORD-v2's own; ``store.*`` and ``payment.*`` follow the
#: CORD paper's store/payment super-classes; ``other`` marks words that are no key field.
Category = Literal[
    "store.name",
    "store.addr",
    "store.tel",
    "store.date",
    "store.time",
    "store.cashier",
    "store.receipt_no",
    "menu.nm",
    "menu.cnt",
    "menu.unitprice",
    "menu.price",
    "menu.discountprice",
    "sub_total.subtotal_price",
    "sub_total.discount_price",
    "sub_total.service_price",
    "sub_total.tax_price",
    "sub_total.etc",
    "total.total_price",
    "total.cashprice",
    "total.changeprice",
    "total.creditcardprice",
    "total.menuqty_cnt",
    "payment.card_number",
    "other",
]
CATEGORIES: tuple[str, ...] = get_args(Category)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Segment(_Frozen):
    """A run of text printed at one anchor on a line.

    ``x`` is the anchor as a fraction of the printable width (0 = left margin, 1 = right margin); ``align`` says
    whether the text starts (left), centres (center) or ends (right) at the anchor. ``group`` ties the segments of one
    menu item (or tax line) together so key-field parsers can rebuild items; -1 when not part of a group.
    ``text`` never has leading, trailing or double spaces.
    """

    text: str
    x: float
    align: Literal["left", "center", "right"] = "left"
    category: Category = "other"
    group: int = -1


class TextLine(_Frozen):
    """One printed line. ``style`` scales the font: large (store name, total), bold, normal, small (footer)."""

    kind: Literal["text"] = "text"
    segments: tuple[Segment, ...]
    style: Literal["normal", "bold", "large", "small"] = "normal"


class Rule(_Frozen):
    """A separator line made of a repeated character (``-``, ``=``, ``*``), across the printable width."""

    kind: Literal["rule"] = "rule"
    char: Literal["-", "=", "*", "."] = "-"


class Space(_Frozen):
    """Vertical space, in line heights."""

    kind: Literal["space"] = "space"
    lines: float = 1.0


class Code(_Frozen):
    """A barcode (Code 128) or QR code printed centred; ``data`` is what it encodes."""

    kind: Literal["barcode", "qrcode"]
    data: str


Block = TextLine | Rule | Space | Code


class ReceiptDoc(_Frozen):
    """A whole printed receipt. ``width_chars`` is how many monospace characters fit across the printable width."""

    layout: str  # the layout template's name: a shipped one (thermal_roll ...) or one a scene file names
    width_chars: int
    blocks: tuple[Block, ...]
