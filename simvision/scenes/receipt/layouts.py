"""The four receipt layouts: turn a :class:`ReceiptContent` into a :class:`ReceiptDoc` (lines, no pixels).

- ``thermal_roll``: narrow roll (32-36 columns), centred header, one line per item, ``-`` rules, large total.
- ``till_slip``: wide slip (44-52), left header block, ``Qty | Item | Unit | Amount`` columns, VAT table.
- ``restaurant``: table/server/guests, count-first items, service or tip, suggested tips, ``=`` rules.
- ``supermarket``: item codes, weighed lines, VAT letters per item, item count, savings summary.

Every choice that varies (width, letter case, optional lines) is drawn from the ``rng`` passed in.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simvision.scenes.receipt.content import LineItem, ReceiptContent
from simvision.scenes.receipt.doc import Block, ReceiptDoc, Rule, Space
from simvision.scenes.receipt.layout_grid import Piece, Row, centered, fit, label_value, width_of
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
from simvision.scenes.receipt.money import format_weight, money_info


def _name(ctx: Ctx, item: LineItem, upper: bool) -> str:
    return item.name.upper() if upper else item.name


def _qty_pieces(ctx: Ctx, item: LineItem, marker: str = "x") -> list[Piece]:
    """``2 x 1,20`` (count x unit price) or ``0,435 kg x 2,99 €/kg`` for weighed lines."""
    unit = (ctx.num(item.unit_price), "menu.unitprice")
    if item.weight_kg is not None:
        per_kg = f"{money_info(ctx.c.locale).symbol}/kg"
        return [
            (format_weight(item.weight_kg, ctx.c.locale), "menu.cnt"),
            ("kg", "other"),
            (marker, "other"),
            unit,
            (per_kg, "other"),
        ]
    return [(str(item.quantity), "menu.cnt"), (marker, "other"), unit]


def _thermal_roll(c: ReceiptContent, rng: np.random.Generator) -> ReceiptDoc:
    w = int(rng.integers(32, 37))
    ctx = Ctx.make(c, w, rng, "center")
    upper_items = bool(rng.random() < 0.3)
    blocks: list[Block] = [*header(ctx, rng), Rule(char="-")]
    blocks += date_lines(ctx, rng) + meta_lines(ctx, rng)
    blocks.append(Rule(char="-"))
    price_w = max(len(ctx.num(i.amount)) for i in c.items)
    multi = [i for i in c.items if i.quantity > 1]
    qty_w = max((width_of(_qty_pieces(ctx, i)) for i in multi), default=0)
    one_line = w - price_w - 1 - (qty_w + 1 if qty_w else 0) >= 12
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(w, ctx.num(item.amount), "menu.price")
        qty_end = w - price_w - 1
        room = qty_end - 1
        below: list[Piece] = []
        if item.quantity > 1 and one_line:
            room = row.flow_right(qty_end, _qty_pieces(ctx, item)) - 1
        elif item.quantity > 1:
            below = _qty_pieces(ctx, item)
        row.left(0, fit(_name(ctx, item, upper_items), room), "menu.nm")
        blocks.append(row.line())
        if below:
            sub = Row(w, g)
            sub.flow(2, below)
            blocks.append(sub.line())
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g))
    blocks.append(Rule(char="-"))
    blocks += totals(ctx, rng, style="large")
    blocks.append(Rule(char="-"))
    blocks += payment_lines(ctx, rng) + vat_lines(ctx)
    blocks.append(Space(lines=1.0))
    blocks += footer(ctx, rng) + code_block(ctx)
    return ReceiptDoc(layout="thermal_roll", width_chars=w, blocks=tuple(blocks))


def _till_slip(c: ReceiptContent, rng: np.random.Generator) -> ReceiptDoc:
    w = int(rng.integers(44, 53))
    ctx = Ctx.make(c, w, rng, "left")
    lab = ctx.labels
    rule = "=" if rng.random() < 0.5 else "-"
    blocks: list[Block] = [*header(ctx, rng, show_vat=False), Space(lines=0.5)]
    blocks += date_lines(ctx, rng) + meta_lines(ctx, rng)
    blocks.append(Rule(char=rule))
    heads = [ctx.lab(lab.qty), ctx.lab(lab.item), ctx.lab(lab.unit_price), ctx.lab(lab.amount)]
    qty_w = max(len(heads[0]), *(len(str(i.quantity)) for i in c.items))
    unit_w = max(len(heads[2]), *(len(ctx.num(i.unit_price)) for i in c.items))
    amount_w = max(len(heads[3]), *(len(ctx.num(i.amount)) for i in c.items))
    item_col = qty_w + 2
    unit_end = w - amount_w - 2
    room = unit_end - unit_w - 1 - item_col
    head = Row(w)
    head.right(qty_w, heads[0])
    head.left(item_col, fit(heads[1], room))
    head.right(unit_end, heads[2])
    head.right(w, heads[3])
    blocks += [head.line("bold"), Rule(char="-")]
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(qty_w, str(item.quantity), "menu.cnt")
        row.left(item_col, fit(item.name, room), "menu.nm")
        row.right(unit_end, ctx.num(item.unit_price), "menu.unitprice")
        row.right(w, ctx.num(item.amount), "menu.price")
        blocks.append(row.line())
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g, indent=item_col))
    blocks.append(Rule(char="-"))
    if c.discount_total > 0:
        value = [(ctx.num(-c.discount_total), "sub_total.discount_price")]
        blocks.append(label_value(w, ctx.lab(lab.discount), value))
    blocks += totals(ctx, rng, subtotal=True, style="large" if rng.random() < 0.6 else "bold")
    blocks.append(Rule(char=rule))
    blocks += payment_lines(ctx, rng)
    blocks.append(Space(lines=1.0))
    blocks += vat_table(ctx, with_codes=rng.random() < 0.5)
    blocks.append(Space(lines=1.0))
    blocks += footer(ctx, rng, with_vat_id=True) + code_block(ctx)
    return ReceiptDoc(layout="till_slip", width_chars=w, blocks=tuple(blocks))


def _restaurant(c: ReceiptContent, rng: np.random.Generator) -> ReceiptDoc:
    w = int(rng.integers(38, 47))
    ctx = Ctx.make(c, w, rng, "center")
    lab = ctx.labels
    blocks: list[Block] = [*header(ctx, rng), Rule(char="=")]
    fields: list[list[Piece]] = [[(ctx.lab(lab.table), "other"), (c.table or "1", "other")]]
    if c.cashier is not None:
        fields.append([(ctx.lab(lab.server) + ":", "other"), (c.cashier, "store.cashier")])
    fields.append([(ctx.lab(lab.guests) + ":", "other"), (str(c.guests or 1), "other")])
    blocks += pack_fields(w, fields)
    blocks += date_lines(ctx, rng) + meta_lines(ctx, rng, with_register=False, with_cashier=False)
    blocks.append(Rule(char="="))
    cnt_w = max(len(str(i.quantity)) for i in c.items)
    price_w = max(len(ctx.num(i.amount)) for i in c.items)
    show_unit = bool(rng.random() < 0.5)
    marker = {"en": "@", "fr": "à", "de": "à"}.get(money_info(c.locale).language, "x")
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(cnt_w, str(item.quantity), "menu.cnt")
        row.right(w, ctx.num(item.amount), "menu.price")
        row.left(cnt_w + 1, fit(item.name, w - price_w - 2 - (cnt_w + 1)), "menu.nm")
        blocks.append(row.line())
        if show_unit and item.quantity > 1:
            sub = Row(w, g)
            sub.flow(cnt_w + 3, [(marker, "other"), (ctx.num(item.unit_price), "menu.unitprice")])
            blocks.append(sub.line("small"))
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g, indent=cnt_w + 1))
    blocks.append(Rule(char="-"))
    blocks += totals(ctx, rng, subtotal=True, style="large")
    blocks.append(Rule(char="="))
    blocks += vat_lines(ctx) + payment_lines(ctx, rng)
    if c.tip_suggestions:
        blocks += [Space(lines=0.5), *centered(w, ctx.lab(lab.suggested_tip) + ":", style="bold")]
        for s in c.tip_suggestions:
            blocks.append(
                label_value(w, ctx.rate(s.rate), [(ctx.num(s.amount), "other")], indent=4, end=w - 4)
            )
    blocks.append(Space(lines=1.0))
    blocks += footer(ctx, rng) + code_block(ctx)
    return ReceiptDoc(layout="restaurant", width_chars=w, blocks=tuple(blocks))


def _supermarket(c: ReceiptContent, rng: np.random.Generator) -> ReceiptDoc:
    w = int(rng.integers(40, 49))
    ctx = Ctx.make(c, w, rng, "center" if rng.random() < 0.6 else "left")
    lab = ctx.labels
    blocks: list[Block] = [*header(ctx, rng), Space(lines=0.5)]
    blocks += date_lines(ctx, rng) + meta_lines(ctx, rng)
    blocks.append(Rule(char="-"))
    if rng.random() < 0.5:
        row = Row(w)
        row.right(w - 2, money_info(c.locale).currency)
        blocks.append(row.line())
    code_w = max(len(i.code) for i in c.items)
    price_w = max(len(ctx.num(i.amount)) for i in c.items)
    name_col = code_w + 1
    price_end = w - 1 - max(len(i.tax_code) for i in c.items)  # Malaysian codes are two letters (SR, ZR)
    upper_items = bool(rng.random() < 0.5)
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(code_w, item.code)
        row.right(price_end, ctx.num(item.amount), "menu.price")
        row.right(w, item.tax_code)
        row.left(name_col, fit(_name(ctx, item, upper_items), price_end - price_w - 1 - name_col), "menu.nm")
        blocks.append(row.line())
        if item.quantity > 1 or item.weight_kg is not None:
            sub = Row(w, g)
            sub.flow(name_col + 2, _qty_pieces(ctx, item))
            blocks.append(sub.line())
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g, indent=name_col + 2, end=price_end))
    blocks.append(Rule(char="-"))
    count = [(str(c.item_count), "total.menuqty_cnt")]
    blocks.append(label_value(w, ctx.lab(lab.item_count) + ":", count))
    blocks += totals(ctx, rng, style="large")
    blocks.append(Rule(char="-"))
    blocks += payment_lines(ctx, rng)
    blocks.append(Space(lines=1.0))
    blocks += vat_table(ctx, with_codes=True)
    if c.discount_total > 0:
        saved = [(ctx.lab(lab.savings), "other"), (ctx.money(c.discount_total), "sub_total.discount_price")]
        blocks += [Rule(char="*"), *center_flow(w, saved, style="bold"), Rule(char="*")]
    blocks.append(Space(lines=1.0))
    blocks += footer(ctx, rng, with_vat_id=True) + code_block(ctx)
    return ReceiptDoc(layout="supermarket", width_chars=w, blocks=tuple(blocks))


_BUILDERS: dict[str, Callable[[ReceiptContent, np.random.Generator], ReceiptDoc]] = {
    "thermal_roll": _thermal_roll,
    "till_slip": _till_slip,
    "restaurant": _restaurant,
    "supermarket": _supermarket,
}


def build_doc(content: ReceiptContent, layout: str, rng: np.random.Generator) -> ReceiptDoc:
    """Lay ``content`` out as ``layout`` (one of ``config.LAYOUTS``); style choices come from ``rng``.

    Item segments share ``group`` = item index; tax lines use ``len(items) + k``. ``content.missing`` is left
    off the print; the style draws are the same either way. Raises ``KeyError`` for an unknown layout.
    ``content`` should have been sampled for the same layout (restaurant fields, weighed lines).
    """
    try:
        builder = _BUILDERS[layout]
    except KeyError:
        raise KeyError(f"unknown receipt layout {layout!r}; known: {sorted(_BUILDERS)}") from None
    doc = builder(content, rng)
    if content.missing is None:
        return doc
    return ReceiptDoc(layout=doc.layout, width_chars=doc.width_chars, blocks=_without_gaps(doc.blocks))


def _without_gaps(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Blocks with no rule right after a rule and no space right after a space (the larger space kept): what
    leaving a field off (a total or VAT block between two rules) would otherwise leave behind."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Rule) and isinstance(prev, Rule):
            continue
        if isinstance(b, Space) and isinstance(prev, Space):
            out[-1] = Space(lines=max(prev.lines, b.lines))
            continue
        out.append(b)
    return tuple(out)
