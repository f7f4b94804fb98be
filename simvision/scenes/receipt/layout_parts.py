"""Blocks shared by the receipt layouts: header, date line, totals, payment, VAT lines, footer, code.

Each function is deterministic given a :class:`Ctx` (whose per-receipt style choices were drawn from the
layout's rng when it was made) and returns :mod:`~simvision.scenes.receipt.doc` blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

import numpy as np

from simvision.scenes.receipt.content import LineItem, ReceiptContent
from simvision.scenes.receipt.doc import Block, Category, Code, TextLine
from simvision.scenes.receipt.labels import Labels, labels_for
from simvision.scenes.receipt.layout_grid import Piece, Row, centered, fit, label_value, left_lines, width_of
from simvision.scenes.receipt.missing import prints
from simvision.scenes.receipt.money import format_money, format_number, format_rate, money_info

MoneyStyle = Literal["symbol", "number", "code"]


@dataclass(frozen=True)
class Ctx:
    """One receipt being laid out: its content, width, labels and the style choices drawn for it."""

    c: ReceiptContent
    width: int
    labels: Labels
    upper_labels: bool
    total_label: str
    total_money: MoneyStyle
    align: Literal["center", "left"]

    @staticmethod
    def make(
        c: ReceiptContent, width: int, rng: np.random.Generator, align: Literal["center", "left"]
    ) -> Ctx:
        """Draw the style choices all layouts share (label case, total label, how the total is printed)."""
        labels = labels_for(c.locale)
        if labels.tax_food and c.venue in ("cafe", "restaurant"):
            labels = replace(labels, tax=labels.tax_food)
        upper = bool(rng.random() < 0.35)
        total_label = labels.total[int(rng.integers(len(labels.total)))]
        total_money: MoneyStyle = ("symbol", "symbol", "number", "code")[int(rng.integers(4))]
        return Ctx(c, width, labels, upper, total_label, total_money, align)

    def lab(self, text: str) -> str:
        """A label in this receipt's letter case."""
        return text.upper() if self.upper_labels else text

    def money(self, amount: Decimal) -> str:
        """``amount`` with currency symbol in the receipt's locale."""
        return format_money(amount, self.c.locale)

    def num(self, amount: Decimal) -> str:
        """``amount`` as a bare number in the receipt's locale."""
        return format_number(amount, self.c.locale)

    def rate(self, rate: Decimal) -> str:
        """A percentage such as ``19%`` or ``5,5%``."""
        return format_rate(rate, self.c.locale) + "%"

    def tax_group(self, k: int) -> int:
        """Group id of the ``k``-th tax line (after the item groups)."""
        return len(self.c.items) + k

    def prints(self, field: Category) -> bool:
        """False for the key field this receipt leaves off (``content.missing``); its style draws still happen."""
        return prints(self.c, field)

    def amount_pieces(
        self, amount: Decimal, category: Category, style: MoneyStyle | None = None
    ) -> list[Piece]:
        """An amount as pieces: with symbol, bare, or after the currency code (the code is ``other``)."""
        style = style or "number"
        if style == "symbol":
            return [(self.money(amount), category)]
        if style == "code":
            return [(money_info(self.c.locale).currency, "other"), (self.num(amount), category)]
        return [(self.num(amount), category)]


def center_flow(
    width: int, pieces: Sequence[Piece], style: str = "normal", group: int = -1
) -> list[TextLine]:
    """Pieces centred as one line when they fit, else each piece centred (wrapped) on its own lines."""
    w = width_of(pieces)
    if w <= width:
        row = Row(width, group)
        row.flow((width - w) // 2, pieces)
        return [row.line(style)]
    out: list[TextLine] = []
    for text, cat in pieces:
        out += centered(width, text, cat, style, group)
    return out


def _lines(ctx: Ctx, pieces: Sequence[Piece], style: str = "normal") -> list[TextLine]:
    if ctx.align == "center":
        return center_flow(ctx.width, pieces, style)
    if width_of(pieces) <= ctx.width:
        row = Row(ctx.width)
        row.flow(0, pieces)
        return [row.line(style)]
    out: list[TextLine] = []
    for text, cat in pieces:
        out += left_lines(ctx.width, text, cat, style)
    return out


def header(ctx: Ctx, rng: np.random.Generator, show_vat: bool = True) -> list[Block]:
    """Store name (large when it fits, maybe upper-case), address lines, phone and maybe the tax id."""
    c, w = ctx.c, ctx.width
    name = c.store_name.upper() if rng.random() < 0.5 else c.store_name
    style = "large" if rng.random() < 0.8 else "bold"
    out: list[Block] = []
    if ctx.prints("store.name"):
        out += (centered if ctx.align == "center" else left_lines)(w, name, "store.name", style)
    for line in c.address if ctx.prints("store.addr") else ():
        out += _lines(ctx, [(line, "store.addr")])
    tel_label = ctx.lab(ctx.labels.tel) + (":" if rng.random() < 0.5 else "")
    if ctx.prints("store.tel"):
        out += _lines(ctx, [(tel_label, "other"), (c.phone, "store.tel")])
    if show_vat and c.vat_id is not None and rng.random() < 0.6:
        out += _lines(ctx, [(ctx.lab(ctx.labels.vat_id), "other"), (c.vat_id, "other")])
    elif c.vat_id is None and rng.random() < 0.6:
        out += _lines(ctx, [(ctx.lab(ctx.labels.vat_id), "other"), (f"{c.store_no:04d}", "other")])
    return out


def date_lines(ctx: Ctx, rng: np.random.Generator) -> list[TextLine]:
    """Date and time: ``date ... time`` on one line, or labelled (``Datum: 23.11.2026``) on one or two."""
    c, w, lab = ctx.c, ctx.width, ctx.labels
    bare = rng.random() < 0.5
    d = [(ctx.lab(lab.date) + ":", "other"), (c.date_text, "store.date")]
    t = [(ctx.lab(lab.time) + ":", "other"), (c.time_text, "store.time")]
    if not (ctx.prints("store.date") and ctx.prints("store.time")):  # one of them is left off
        kept = d if ctx.prints("store.date") else t
        return _lines(ctx, kept[1:] if bare else kept)
    if bare:
        return [label_value(w, [(c.date_text, "store.date")], [(c.time_text, "store.time")])]
    if width_of(d) + width_of(t) + 2 <= w:
        row = Row(w)
        row.flow(0, d)
        row.flow_right(w, t)
        return [row.line()]
    return [label_value(w, d[0][0], d[1:]), label_value(w, t[0][0], t[1:])]


def pack_fields(width: int, fields: Sequence[Sequence[Piece]]) -> list[TextLine]:
    """``label value`` fields packed onto lines: as many as fit, spread from the left margin to the right one.

    Each field is a label piece followed by value pieces; a field too wide for a line gets its value cut.
    """
    out: list[TextLine] = []
    k = 0
    while k < len(fields):
        n = 1
        while k + n < len(fields) and sum(width_of(f) for f in fields[k : k + n + 1]) + 2 * n <= width:
            n += 1
        batch = fields[k : k + n]
        k += n
        if width_of(batch[0]) > width:
            room = width - len(batch[0][0][0]) - 1
            value = [(fit(t, room if room >= 8 else width), c) for t, c in batch[0][1:]]
            out.append(label_value(width, batch[0][0][0], value))
            continue
        row = Row(width)
        if n == 1:
            row.flow(0, batch[0])
        else:
            gap = (width - sum(width_of(f) for f in batch)) // (n - 1)
            col = 0
            for field in batch[:-1]:
                col = row.flow(col, field) + gap
            row.flow_right(width, batch[-1])
        out.append(row.line())
    return out


def meta_lines(
    ctx: Ctx, rng: np.random.Generator, with_register: bool = True, with_cashier: bool = True
) -> list[TextLine]:
    """Receipt number, till/register and cashier, packed two per line where they fit."""
    c, lab = ctx.c, ctx.labels
    colon = ":" if rng.random() < 0.5 else ""
    fields: list[list[Piece]] = []
    if ctx.prints("store.receipt_no"):
        fields.append([(ctx.lab(lab.receipt) + colon, "other"), (c.receipt_no, "store.receipt_no")])
    if with_register:
        fields.append([(ctx.lab(lab.register) + colon, "other"), (str(c.register_no), "other")])
    if with_cashier and c.cashier is not None:
        fields.append([(ctx.lab(lab.cashier) + colon, "other"), (c.cashier, "store.cashier")])
    return pack_fields(ctx.width, fields)


def discount_line(ctx: Ctx, item: LineItem, group: int, indent: int = 2, end: int | None = None) -> TextLine:
    """``  Rabatt 10%      -0,50`` under an item; the amount is ``menu.discountprice``."""
    label = ctx.lab(ctx.labels.discount)
    if item.discount_rate is not None:
        label += " " + ctx.rate(item.discount_rate)
    return label_value(
        ctx.width,
        label,
        [(ctx.num(-item.discount), "menu.discountprice")],
        group=group,
        indent=indent,
        end=end,
    )


def tax_added_line(ctx: Ctx) -> list[TextLine]:
    """US sales tax: ``Sales Tax 8.25%    3.10`` (only when tax is added on top)."""
    if ctx.c.tax_mode != "added" or not ctx.prints("sub_total.tax_price"):
        return []
    out = []
    for k, t in enumerate(ctx.c.taxes):
        label = f"{ctx.lab(ctx.labels.tax)} {ctx.rate(t.rate)}"
        out.append(
            label_value(ctx.width, label, [(ctx.num(t.tax), "sub_total.tax_price")], group=ctx.tax_group(k))
        )
    return out


def totals(
    ctx: Ctx, rng: np.random.Generator, subtotal: bool | None = None, style: str = "large"
) -> list[Block]:
    """Subtotal (when asked, or when something is added to it), sales tax, service/tip and the TOTAL line."""
    c, w, lab = ctx.c, ctx.width, ctx.labels
    out: list[Block] = []
    extra = c.tax_mode == "added" or c.service_kind != "none"
    show_subtotal = subtotal if subtotal is not None else (extra or rng.random() < 0.5)
    if show_subtotal and ctx.prints("sub_total.subtotal_price"):
        out.append(label_value(w, ctx.lab(lab.subtotal), [(ctx.num(c.subtotal), "sub_total.subtotal_price")]))
    out += tax_added_line(ctx)
    if c.service_kind != "none":
        label = ctx.lab(lab.service if c.service_kind == "service" else lab.tip)
        if c.service_rate is not None:
            label += " " + ctx.rate(c.service_rate)
        out.append(label_value(w, label, [(ctx.num(c.service), "sub_total.service_price")]))
    if ctx.prints("total.total_price"):
        value = ctx.amount_pieces(c.total, "total.total_price", ctx.total_money)
        out.append(label_value(w, ctx.lab(ctx.total_label), value, style=style))
    return out


def payment_lines(ctx: Ctx, rng: np.random.Generator) -> list[TextLine]:
    """Cash given and change, or card brand, masked number and amount charged."""
    w, lab, p = ctx.width, ctx.labels, ctx.c.payment
    if p.method == "cash":
        assert p.tendered is not None and p.change is not None
        out = []
        if ctx.prints("total.cashprice"):
            out.append(label_value(w, ctx.lab(lab.cash), [(ctx.num(p.tendered), "total.cashprice")]))
        if ctx.prints("total.changeprice"):
            out.append(label_value(w, ctx.lab(lab.change), [(ctx.num(p.change), "total.changeprice")]))
        return out
    assert p.card_number is not None and p.card_amount is not None and p.card_brand is not None
    amount: list[Piece] = []
    if ctx.prints("total.creditcardprice"):  # else the brand is printed without the amount
        amount = [(ctx.num(p.card_amount), "total.creditcardprice")]
    out = [label_value(w, f"{ctx.lab(lab.card)} {p.card_brand}", amount)]
    number = [(p.card_number, "payment.card_number")]
    number_right = rng.random() < 0.5
    if not ctx.prints("payment.card_number"):
        return out
    if number_right:
        out.append(label_value(w, "", number, indent=0, end=w))
    else:
        row = Row(w)
        row.left(2 if w - 2 >= len(p.card_number) else 0, fit(p.card_number, w), "payment.card_number")
        out.append(row.line())
    return out


def vat_lines(ctx: Ctx) -> list[TextLine]:
    """Included VAT, one line per rate: ``inkl. MwSt 19%   1,23`` (nothing when tax is added on top)."""
    if ctx.c.tax_mode != "included" or not ctx.prints("sub_total.tax_price"):
        return []
    out = []
    for k, t in enumerate(ctx.c.taxes):
        label = f"{ctx.lab(ctx.labels.incl)} {ctx.lab(ctx.labels.tax)} {ctx.rate(t.rate)}"
        out.append(
            label_value(ctx.width, label, [(ctx.num(t.tax), "sub_total.tax_price")], group=ctx.tax_group(k))
        )
    return out


def vat_table(ctx: Ctx, with_codes: bool) -> list[TextLine]:
    """A tax breakdown table ``Rate | Net | Tax | Gross``, one row per rate; net and gross are
    ``sub_total.etc``.
    """
    c, w, lab = ctx.c, ctx.width, ctx.labels
    if not ctx.prints("sub_total.tax_price"):  # no tax breakdown at all
        return []
    heads = [ctx.lab(lab.net), ctx.lab(lab.tax), ctx.lab(lab.gross)]
    cells = [[ctx.num(t.base), ctx.num(t.tax), ctx.num(t.gross)] for t in c.taxes]
    col_w = [max(len(heads[j]), *(len(r[j]) for r in cells)) for j in range(3)]
    ends = [w - col_w[2] - col_w[1] - 4, w - col_w[2] - 2, w]
    head_row = Row(w)
    head_row.left(0, fit(ctx.lab(lab.rate), ends[0] - col_w[0] - 1))
    for j in range(3):
        head_row.right(ends[j], heads[j])
    out = [head_row.line("bold")]
    cats: tuple[Category, ...] = ("sub_total.etc", "sub_total.tax_price", "sub_total.etc")
    for k, (t, row_cells) in enumerate(zip(c.taxes, cells, strict=True)):
        row = Row(w, ctx.tax_group(k))
        pieces = [(t.code, "other")] if with_codes else []
        row.flow(0, [*pieces, (ctx.rate(t.rate), "other")])
        for j in range(3):
            row.right(ends[j], row_cells[j], cats[j])
        out.append(row.line())
    return out


def footer(ctx: Ctx, rng: np.random.Generator, with_vat_id: bool = False) -> list[Block]:
    """Footer texts (thanks, returns, hours, web) in small type, and maybe the tax id."""
    c, w = ctx.c, ctx.width
    texts = list(c.footer)
    if with_vat_id and c.vat_id is not None:
        texts.append(f"{ctx.labels.vat_id} {c.vat_id}")
    out: list[Block] = []
    for text in texts:
        out += (
            centered(w, text, style="small") if ctx.align == "center" else left_lines(w, text, style="small")
        )
    return out


def code_block(ctx: Ctx) -> list[Block]:
    """The barcode or QR code of the receipt, if it has one."""
    c = ctx.c
    if c.code_kind == "none" or c.code_data is None:
        return []
    return [Code(kind=c.code_kind, data=c.code_data)]
