"""The shipped item-line styles (``items: {style: ...}`` in a layout template): roll, slip, bill and market.

Each turns the receipt's items into lines on the ``ctx.width`` grid; item segments share ``group`` = item index.
"""

from __future__ import annotations

from simvision.scenes.receipt.content import LineItem
from simvision.scenes.receipt.doc import Block, Rule
from simvision.scenes.receipt.layout_grid import Piece, Row, fit, width_of
from simvision.scenes.receipt.layout_parts import Ctx, discount_line
from simvision.scenes.receipt.money import format_weight, money_info


def item_name(item: LineItem, upper: bool) -> str:
    return item.name.upper() if upper else item.name


def qty_pieces(ctx: Ctx, item: LineItem, marker: str = "x") -> list[Piece]:
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


def roll_items(ctx: Ctx, upper: bool) -> list[Block]:
    """Narrow roll: name left, amount right, ``2 x 1,20`` before the amount (or under the name when narrow)."""
    c, w = ctx.c, ctx.width
    blocks: list[Block] = []
    price_w = max(len(ctx.num(i.amount)) for i in c.items)
    multi = [i for i in c.items if i.quantity > 1]
    qty_w = max((width_of(qty_pieces(ctx, i)) for i in multi), default=0)
    one_line = w - price_w - 1 - (qty_w + 1 if qty_w else 0) >= 12
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(w, ctx.num(item.amount), "menu.price")
        qty_end = w - price_w - 1
        room = qty_end - 1
        below: list[Piece] = []
        if item.quantity > 1 and one_line:
            room = row.flow_right(qty_end, qty_pieces(ctx, item)) - 1
        elif item.quantity > 1:
            below = qty_pieces(ctx, item)
        row.left(0, fit(item_name(item, upper), room), "menu.nm")
        blocks.append(row.line())
        if below:
            sub = Row(w, g)
            sub.flow(2, below)
            blocks.append(sub.line())
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g))
    return blocks


def slip_items(ctx: Ctx, upper: bool) -> list[Block]:
    """Wide slip: a bold ``Qty | Item | Unit | Amount`` head, a rule, then one row per item."""
    c, w, lab = ctx.c, ctx.width, ctx.labels
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
    blocks: list[Block] = [head.line("bold"), Rule(char="-")]
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(qty_w, str(item.quantity), "menu.cnt")
        row.left(item_col, fit(item_name(item, upper), room), "menu.nm")
        row.right(unit_end, ctx.num(item.unit_price), "menu.unitprice")
        row.right(w, ctx.num(item.amount), "menu.price")
        blocks.append(row.line())
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g, indent=item_col))
    return blocks


def bill_items(ctx: Ctx, upper: bool, unit_line: bool) -> list[Block]:
    """Restaurant bill: count first, name, amount; ``@ 4,50`` under multiples when ``unit_line``."""
    c, w = ctx.c, ctx.width
    blocks: list[Block] = []
    cnt_w = max(len(str(i.quantity)) for i in c.items)
    price_w = max(len(ctx.num(i.amount)) for i in c.items)
    marker = {"en": "@", "fr": "à", "de": "à"}.get(money_info(c.locale).language, "x")
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(cnt_w, str(item.quantity), "menu.cnt")
        row.right(w, ctx.num(item.amount), "menu.price")
        row.left(cnt_w + 1, fit(item_name(item, upper), w - price_w - 2 - (cnt_w + 1)), "menu.nm")
        blocks.append(row.line())
        if unit_line and item.quantity > 1:
            sub = Row(w, g)
            sub.flow(cnt_w + 3, [(marker, "other"), (ctx.num(item.unit_price), "menu.unitprice")])
            blocks.append(sub.line("small"))
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g, indent=cnt_w + 1))
    return blocks


def market_items(ctx: Ctx, upper: bool) -> list[Block]:
    """Supermarket: article code, name, amount and VAT letter; quantity or weight on a line below."""
    c, w = ctx.c, ctx.width
    blocks: list[Block] = []
    code_w = max(len(i.code) for i in c.items)
    price_w = max(len(ctx.num(i.amount)) for i in c.items)
    name_col = code_w + 1
    price_end = w - 1 - max(len(i.tax_code) for i in c.items)  # Malaysian codes are two letters (SR, ZR)
    for g, item in enumerate(c.items):
        row = Row(w, g)
        row.right(code_w, item.code)
        row.right(price_end, ctx.num(item.amount), "menu.price")
        row.right(w, item.tax_code)
        row.left(name_col, fit(item_name(item, upper), price_end - price_w - 1 - name_col), "menu.nm")
        blocks.append(row.line())
        if item.quantity > 1 or item.weight_kg is not None:
            sub = Row(w, g)
            sub.flow(name_col + 2, qty_pieces(ctx, item))
            blocks.append(sub.line())
        if item.discount > 0:
            blocks.append(discount_line(ctx, item, g, indent=name_col + 2, end=price_end))
    return blocks
