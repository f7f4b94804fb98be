"""Lay a :class:`~simvision.scenes.receipt.template.LayoutTemplate` out: content + template + rng -> ReceiptDoc.

Deterministic given the rng: the template's random choices are drawn in layout order (see ``template``). Text
lines, declared item columns and declared totals rows are built here; the shipped blocks come from
``layout_parts`` and ``layout_items``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from simvision.scenes.receipt.content import LineItem, ReceiptContent
from simvision.scenes.receipt.doc import Block, Category, ReceiptDoc, Rule, Space, TextLine
from simvision.scenes.receipt.layout_grid import (
    Piece,
    Row,
    centered,
    fit,
    label_value,
    left_lines,
    width_of,
)
from simvision.scenes.receipt.layout_items import (
    bill_items,
    item_name,
    market_items,
    qty_pieces,
    roll_items,
    slip_items,
)
from simvision.scenes.receipt.layout_parts import (
    Ctx,
    center_flow,
    code_block,
    date_lines,
    discount_line,
    footer,
    header,
    meta_lines,
    pack_fields,
    payment_lines,
    totals,
    vat_lines,
    vat_table,
)
from simvision.scenes.receipt.template import LayoutTemplate
from simvision.scenes.receipt.template_parts import (
    FIELDS,
    Column,
    ItemsBlock,
    LineBlock,
    TotalRow,
    TotalsBlock,
    pick,
    text_fields,
    toss,
)


@dataclass(frozen=True)
class _Page:
    """One receipt being laid out from a template: the shared context and the template-wide draws."""

    ctx: Ctx
    rule: str
    upper: bool


def lay_out(template: LayoutTemplate, name: str, c: ReceiptContent, rng: np.random.Generator) -> ReceiptDoc:
    """``c`` laid out as ``template`` (named ``name`` in the doc); every style choice is drawn from ``rng``."""
    w = template.width.sample(rng)
    ctx = Ctx.make(c, w, rng, pick(rng, template.align))
    page = _Page(ctx, pick(rng, template.rule), toss(rng, template.upper_items))
    blocks: list[Block] = []
    for b in template.blocks:
        blocks += _BLOCKS[b.kind](page, b, rng)  # type: ignore[attr-defined]
    return ReceiptDoc(layout=name, width_chars=w, blocks=tuple(blocks))


# ----- text lines with fields ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def field_values(ctx: Ctx, name: str, spec: str | None) -> list[str] | None:
    """What ``{name:spec}`` prints on this receipt (several values for the address lines); None when the receipt
    has no such value or leaves that key field off."""
    c = ctx.c
    if not ctx.prints(FIELDS[name]):
        return None
    values: dict[str, Any] = {
        "shop.name": c.store_name,
        "shop.address": list(c.address),
        "shop.phone": c.phone,
        "shop.vat_id": c.vat_id,
        "shop.number": f"{c.store_no:04d}",
        "date": c.issued.strftime(spec) if spec else c.date_text,
        "time": c.issued.strftime(spec) if spec else c.time_text,
        "receipt_no": c.receipt_no,
        "register": str(c.register_no),
        "cashier": c.cashier,
        "table": c.table,
        "guests": None if c.guests is None else str(c.guests),
        "currency": c.currency,
        "item_count": str(c.item_count),
    }
    v = values[name]
    out = [_clean(x) for x in (v if isinstance(v, list) else [v]) if x is not None]
    out = [x for x in out if x]
    return out or None


def text_pieces(ctx: Ctx, text: str, line_no: int = 0) -> list[Piece] | None:
    """``text`` as pieces: literal words are ``other``, a field's value is one piece with the field's category;
    text touching a field (``#{receipt_no}``) joins its piece. None when a field has no value to print.
    ``line_no`` picks the address line of ``{shop.address}``."""
    words: list[list[Any]] = []
    glue = False
    for literal, name, spec in text_fields(text):
        for chunk in re.findall(r"\s+|\S+", literal):
            if chunk.isspace():
                glue = False
            elif glue and words:
                words[-1][0] += chunk
            else:
                words.append([chunk, "other"])
                glue = True
        if not name:
            continue
        values = field_values(ctx, name, spec)
        if values is None:
            return None
        value, cat = values[min(line_no, len(values) - 1)], FIELDS[name]
        if glue and words:
            words[-1][0] += value
            words[-1][1] = cat if words[-1][1] == "other" else words[-1][1]
        else:
            words.append([value, cat])
        glue = True
    return [(t, cat) for t, cat in words]


def _address_lines(ctx: Ctx, *texts: str | None) -> int:
    """How many times a line is printed: once per address line when it shows ``{shop.address}``."""
    if any(t is not None and "{shop.address" in t for t in texts):
        return len(field_values(ctx, "shop.address", None) or ()) or 1
    return 1


def _flow_left(w: int, pieces: list[Piece], style: str, indent: int = 0) -> list[TextLine]:
    if width_of(pieces) <= w - indent:
        row = Row(w)
        row.flow(indent, pieces)
        return [row.line(style)]
    out: list[TextLine] = []
    for text, cat in pieces:
        out += left_lines(w, text, cat, style, indent)
    return out


def _text_line(ctx: Ctx, b: LineBlock, pieces: list[Piece]) -> list[TextLine]:
    w, align, m = ctx.width, b.align or ctx.align, b.margin
    if align == "center":
        if len(pieces) == 1:
            return centered(w, pieces[0][0], pieces[0][1], b.style)
        return center_flow(w, pieces, b.style)
    if align == "right" and width_of(pieces) <= w - m:
        row = Row(w)
        row.flow_right(w - m, pieces)
        return [row.line(b.style)]
    if len(pieces) == 1:
        return left_lines(w, pieces[0][0], pieces[0][1], b.style, indent=m)
    return _flow_left(w, pieces, b.style, m)


def _split_line(
    ctx: Ctx, b: LineBlock, left: list[Piece] | None, right: list[Piece] | None
) -> list[TextLine]:
    w, m = ctx.width, b.margin
    if right and width_of(right) <= w - m:
        return [label_value(w, left or [], right, style=b.style, indent=m, end=w - m)]
    return _flow_left(w, [*(left or []), *(right or [])], b.style, m if left else 0)


def line_block(page: _Page, b: LineBlock, rng: np.random.Generator) -> list[Block]:
    """A declared line (its ``p`` drawn first); parts with a field lacking a value are left off."""
    if not toss(rng, b.p):
        return []
    ctx, out = page.ctx, []
    for k in range(_address_lines(ctx, b.text, b.left, b.right)):
        if b.text is not None:
            pieces = text_pieces(ctx, b.text, k)
            out += _text_line(ctx, b, pieces) if pieces else []
            continue
        left = text_pieces(ctx, b.left, k) if b.left is not None else None
        right = text_pieces(ctx, b.right, k) if b.right is not None else None
        if left or right:
            out += _split_line(ctx, b, left, right)
    return out


# ----- declared item columns -----------------------------------------------------------------------------------

_COLUMN_CATEGORY: dict[str, Category] = {
    "name": "menu.nm",
    "quantity": "menu.cnt",
    "unit_price": "menu.unitprice",
    "amount": "menu.price",
    "code": "other",
    "tax_code": "other",
}


def _cell(ctx: Ctx, col: Column, item: LineItem, upper: bool) -> str:
    f = col.field
    if f == "name":
        text = item_name(item, upper)
    elif f == "quantity":
        if item.weight_kg is not None:  # the weight goes on the line below
            return ""
        text = str(item.quantity)
    elif f in ("code", "tax_code"):
        text = item.code if f == "code" else item.tax_code
    else:
        amount = item.unit_price if f == "unit_price" else item.amount
        fmt = col.format or "number"
        text = ctx.num(amount) if fmt == "number" else ctx.money(amount) if fmt == "money" else str(amount)
    return _clean(text) + col.suffix if text else ""


def _head(ctx: Ctx, col: Column) -> str:
    if col.header is not None:
        return col.header
    lab = ctx.labels
    text = {"name": lab.item, "quantity": lab.qty, "unit_price": lab.unit_price, "amount": lab.amount}
    return ctx.lab(text.get(col.field, ""))


def column_items(ctx: Ctx, b: ItemsBlock, upper: bool) -> list[Block]:
    """Item rows in the declared columns: one space between columns, each cell aligned in its column. The fill
    column (the name, unless another is ``width: fill``) takes the room the others leave; the others widen for
    their longest value (a name is cut instead)."""
    c, w = ctx.c, ctx.width
    cols = b.columns
    cells = [[_cell(ctx, col, item, upper) for col in cols] for item in c.items]
    heads = [_head(ctx, col) for col in cols]
    fields = [col.field for col in cols]
    fill = next((j for j, col in enumerate(cols) if col.fill), fields.index("name"))
    widths = []
    for j, col in enumerate(cols):
        longest = max(len(r[j]) for r in cells)
        if b.head and col.field != "name":
            longest = max(longest, len(heads[j]))
        widths.append(0 if j == fill else max(col.fixed_width, longest if col.field != "name" else 0))
    widths[fill] = w - sum(widths) - (len(cols) - 1)
    if widths[fill] < 1:
        raise ValueError(f"item columns {widths} do not fit a {w}-column receipt")
    starts = [sum(widths[:j]) + j for j in range(len(cols))]

    def place(row: Row, j: int, text: str, cat: Category) -> None:
        text = fit(text, widths[j])
        if (cols[j].align or ("left" if cols[j].field == "name" else "right")) == "left":
            row.left(starts[j], text, cat)
        else:
            row.right(starts[j] + widths[j], text, cat)

    out: list[Block] = []
    if b.head:
        row = Row(w)
        for j in range(len(cols)):
            place(row, j, heads[j], "other")
        out.append(row.line("bold"))
    name_at = starts[fields.index("name")]
    amount_end = starts[fields.index("amount")] + widths[fields.index("amount")] if "amount" in fields else w
    for g, item in enumerate(c.items):
        row = Row(w, g)
        for j, col in enumerate(cols):
            place(row, j, cells[g][j], _COLUMN_CATEGORY[col.field])
        out.append(row.line())
        if item.weight_kg is not None or (item.quantity > 1 and "quantity" not in fields):
            pieces = qty_pieces(ctx, item)
            sub = Row(w, g)
            sub.flow(max(0, min(name_at + 2, w - width_of(pieces))), pieces)
            out.append(sub.line())
        if item.discount > 0:
            out.append(discount_line(ctx, item, g, indent=name_at, end=amount_end))
    return out


def items_block(page: _Page, b: ItemsBlock, rng: np.random.Generator) -> list[Block]:
    upper = page.upper if b.upper is None else toss(rng, b.upper)
    ctx = page.ctx
    if b.style == "roll":
        return roll_items(ctx, upper)
    if b.style == "slip":
        return slip_items(ctx, upper)
    if b.style == "bill":
        return bill_items(ctx, upper, toss(rng, b.unit_line))
    if b.style == "market":
        return market_items(ctx, upper)
    return column_items(ctx, b, upper)


# ----- declared totals rows ------------------------------------------------------------------------------------


def _amount_line(
    ctx: Ctx, row: TotalRow, label: str, amount: Any, cat: Category, group: int = -1
) -> TextLine:
    money = row.money or ("receipt" if row.kind == "total" else "number")
    style = row.style or ("large" if row.kind == "total" else "normal")
    pieces = ctx.amount_pieces(amount, cat, ctx.total_money if money == "receipt" else money)
    return label_value(ctx.width, label, pieces, style=style, group=group)


def total_row(ctx: Ctx, row: TotalRow) -> list[TextLine]:
    """The lines of one declared totals row (none when it does not apply or its field is left off)."""
    c, lab, p = ctx.c, ctx.labels, ctx.c.payment

    def label(default: str) -> str:
        return row.label if row.label is not None else ctx.lab(default)

    k = row.kind
    if k == "subtotal" and ctx.prints("sub_total.subtotal_price"):
        return [_amount_line(ctx, row, label(lab.subtotal), c.subtotal, "sub_total.subtotal_price")]
    if k == "discount" and c.discount_total > 0:
        return [_amount_line(ctx, row, label(lab.discount), -c.discount_total, "sub_total.discount_price")]
    if k == "tax" and ctx.prints("sub_total.tax_price"):
        if c.tax_mode == "included" and not row.included:
            return []
        default = ctx.lab(lab.tax) if c.tax_mode == "added" else f"{ctx.lab(lab.incl)} {ctx.lab(lab.tax)}"
        name = row.label if row.label is not None else default
        return [
            _amount_line(
                ctx, row, f"{name} {ctx.rate(t.rate)}", t.tax, "sub_total.tax_price", ctx.tax_group(j)
            )
            for j, t in enumerate(c.taxes)
        ]
    if k == "service" and c.service_kind != "none":
        text = label(lab.service if c.service_kind == "service" else lab.tip)
        text += f" {ctx.rate(c.service_rate)}" if c.service_rate is not None else ""
        return [_amount_line(ctx, row, text, c.service, "sub_total.service_price")]
    if k == "total" and ctx.prints("total.total_price"):
        return [_amount_line(ctx, row, label(ctx.total_label), c.total, "total.total_price")]
    if k == "item_count":
        count = [(str(c.item_count), "total.menuqty_cnt")]
        return [label_value(ctx.width, label(lab.item_count) + ":", count, style=row.style or "normal")]
    out: list[TextLine] = []
    if k in ("cash", "payment") and p.method == "cash" and ctx.prints("total.cashprice"):
        out.append(_amount_line(ctx, row, label(lab.cash), p.tendered, "total.cashprice"))
    if k in ("change", "payment") and p.method == "cash" and ctx.prints("total.changeprice"):
        out.append(_amount_line(ctx, row, label(lab.change), p.change, "total.changeprice"))
    if k in ("card", "payment") and p.method == "card":
        assert p.card_number is not None
        amount = p.card_amount if ctx.prints("total.creditcardprice") else None
        text = f"{label(lab.card)} {p.card_brand}"
        if amount is None:
            out.append(label_value(ctx.width, text, []))
        else:
            out.append(_amount_line(ctx, row, text, amount, "total.creditcardprice"))
        if ctx.prints("payment.card_number"):
            number = [(fit(p.card_number, ctx.width), "payment.card_number")]
            out.append(label_value(ctx.width, "", number))
    return out


def totals_block(page: _Page, b: TotalsBlock, rng: np.random.Generator) -> list[Block]:
    if b.rows is None:
        style = pick(rng, b.style)
        return totals(page.ctx, rng, subtotal=True if b.subtotal == "always" else None, style=style)
    return [line for row in with_sums(b.rows) for line in total_row(page.ctx, row)]


def with_sums(rows: list[TotalRow]) -> list[TotalRow]:
    """``rows`` with a ``tax`` row (added tax only) and a ``service`` row put right before ``total`` where they
    are not listed: without them the printed amounts would not add up."""
    kinds = [r.kind for r in rows]
    at = kinds.index("total")
    extra = [TotalRow(kind="tax", included=False)] if "tax" not in kinds else []
    extra += [TotalRow(kind="service")] if "service" not in kinds else []
    return [*rows[:at], *extra, *rows[at:]]


# ----- the other blocks ----------------------------------------------------------------------------------------


def _table(page: _Page, b: Any, rng: np.random.Generator) -> list[Block]:
    ctx = page.ctx
    c, lab = ctx.c, ctx.labels
    fields: list[list[Piece]] = [[(ctx.lab(lab.table), "other"), (c.table or "1", "other")]]
    if c.cashier is not None:
        fields.append([(ctx.lab(lab.server) + ":", "other"), (c.cashier, "store.cashier")])
    fields.append([(ctx.lab(lab.guests) + ":", "other"), (str(c.guests or 1), "other")])
    return list(pack_fields(ctx.width, fields))


def _discount_total(page: _Page, b: Any, rng: np.random.Generator) -> list[Block]:
    ctx = page.ctx
    if ctx.c.discount_total <= 0:
        return []
    value = [(ctx.num(-ctx.c.discount_total), "sub_total.discount_price")]
    return [label_value(ctx.width, ctx.lab(ctx.labels.discount), value)]


def _item_count(page: _Page, b: Any, rng: np.random.Generator) -> list[Block]:
    ctx = page.ctx
    count = [(str(ctx.c.item_count), "total.menuqty_cnt")]
    return [label_value(ctx.width, ctx.lab(ctx.labels.item_count) + ":", count)]


def _tip_suggestions(page: _Page, b: Any, rng: np.random.Generator) -> list[Block]:
    ctx = page.ctx
    c, w = ctx.c, ctx.width
    if not c.tip_suggestions:
        return []
    out: list[Block] = [Space(lines=0.5), *centered(w, ctx.lab(ctx.labels.suggested_tip) + ":", style="bold")]
    for s in c.tip_suggestions:
        out.append(label_value(w, ctx.rate(s.rate), [(ctx.num(s.amount), "other")], indent=4, end=w - 4))
    return out


def _savings(page: _Page, b: Any, rng: np.random.Generator) -> list[Block]:
    ctx = page.ctx
    if ctx.c.discount_total <= 0:
        return []
    saved = [
        (ctx.lab(ctx.labels.savings), "other"),
        (ctx.money(ctx.c.discount_total), "sub_total.discount_price"),
    ]
    return [Rule(char="*"), *center_flow(ctx.width, saved, style="bold"), Rule(char="*")]


_BLOCKS: dict[str, Callable[[_Page, Any, np.random.Generator], list[Block]]] = {
    "header": lambda p, b, rng: header(p.ctx, rng, show_vat=b.vat_id),
    "date_time": lambda p, b, rng: list(date_lines(p.ctx, rng)),
    "meta": lambda p, b, rng: list(
        meta_lines(p.ctx, rng, with_register=b.register_no, with_cashier=b.cashier)
    ),
    "table": _table,
    "rule": lambda p, b, rng: [Rule(char=b.char or p.rule)],
    "space": lambda p, b, rng: [Space(lines=b.lines)],
    "line": line_block,
    "items": items_block,
    "discount_total": _discount_total,
    "totals": totals_block,
    "item_count": _item_count,
    "payment": lambda p, b, rng: list(payment_lines(p.ctx, rng)),
    "vat_lines": lambda p, b, rng: list(vat_lines(p.ctx)),
    "vat_table": lambda p, b, rng: list(vat_table(p.ctx, with_codes=toss(rng, b.codes))),
    "tip_suggestions": _tip_suggestions,
    "savings": _savings,
    "footer": lambda p, b, rng: footer(p.ctx, rng, with_vat_id=b.vat_id),
    "code": lambda p, b, rng: code_block(p.ctx),
}
