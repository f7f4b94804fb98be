"""The arithmetic every :class:`~simvision.scenes.receipt.content.ReceiptContent` satisfies, as a checker.

:func:`check_arithmetic` lists every problem as a readable sentence; sampled contents have none (a receipt
that leaves a field off the print still holds every value).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from simvision.scenes.receipt.money import HUNDRED, quantize_money

if TYPE_CHECKING:
    from simvision.scenes.receipt.content import ReceiptContent


def check_arithmetic(content: ReceiptContent) -> list[str]:
    """Every arithmetic problem of ``content`` as a readable sentence; ``[]`` when everything adds up.

    Checks line totals (``qty * unit`` or ``weight * unit`` to the cent, minus the discount), the subtotal,
    the discount total, each tax line against its rate, service/tip and suggestions, the total, and the
    payment.
    """
    c = content

    def q2(amount: Decimal) -> Decimal:  # the locale's smallest unit: the cent, or whole Rupiah/Yen
        return quantize_money(amount, c.locale)

    problems: list[str] = []
    for n, i in enumerate(c.items):
        qty = i.weight_kg if i.weight_kg is not None else Decimal(i.quantity)
        if i.weight_kg is not None and i.quantity != 1:
            problems.append(f"item {n} ({i.name}): weighed line has quantity {i.quantity}, expected 1")
        if i.amount != q2(qty * i.unit_price):
            problems.append(f"item {n} ({i.name}): amount {i.amount} != {qty} x {i.unit_price}")
        if i.discount < 0 or i.discount >= i.amount:
            problems.append(f"item {n} ({i.name}): discount {i.discount} outside [0, {i.amount})")
        if i.discount_rate is not None and i.discount != q2(i.amount * i.discount_rate / HUNDRED):
            problems.append(f"item {n} ({i.name}): discount {i.discount} != {i.discount_rate}% of {i.amount}")
        if i.price != i.amount - i.discount:
            problems.append(f"item {n} ({i.name}): line total {i.price} != {i.amount} - {i.discount}")
    subtotal = sum((i.price for i in c.items), Decimal(0))
    if c.subtotal != subtotal:
        problems.append(f"subtotal {c.subtotal} != sum of line totals {subtotal}")
    discounts = sum((i.discount for i in c.items), Decimal(0))
    if c.discount_total != discounts:
        problems.append(f"discount total {c.discount_total} != sum of item discounts {discounts}")
    problems += _check_taxes(c)
    if c.service < 0 or (c.service_kind == "none" and c.service != 0):
        problems.append(f"service/tip {c.service} invalid for kind {c.service_kind!r}")
    if c.service_rate is not None and c.service != q2(c.subtotal * c.service_rate / HUNDRED):
        problems.append(f"service {c.service} != {c.service_rate}% of subtotal {c.subtotal}")
    for s in c.tip_suggestions:
        if s.amount != q2(c.subtotal * s.rate / HUNDRED):
            problems.append(f"suggested tip {s.rate}% = {s.amount} != {s.rate}% of {c.subtotal}")
    total = c.subtotal + (c.tax_total if c.tax_mode == "added" else 0) + c.service
    if c.total != total:
        problems.append(
            f"total {c.total} != subtotal {c.subtotal} + tax ({c.tax_mode}) + service {c.service}"
        )
    p = c.payment
    if p.method == "cash":
        if p.tendered is None or p.change is None:
            problems.append("cash payment without tendered/change")
        elif p.tendered < c.total or p.change != p.tendered - c.total:
            problems.append(f"cash: tendered {p.tendered}, change {p.change}, total {c.total} do not add up")
    elif p.card_amount != c.total:
        problems.append(f"card amount {p.card_amount} != total {c.total}")
    return problems


def _check_taxes(c: ReceiptContent) -> list[str]:
    def q2(amount: Decimal) -> Decimal:
        return quantize_money(amount, c.locale)

    problems: list[str] = []
    if sum((t.tax for t in c.taxes), Decimal(0)) != c.tax_total:
        problems.append(f"tax total {c.tax_total} != sum of tax lines")
    for t in c.taxes:
        if t.gross != t.base + t.tax:
            problems.append(f"tax {t.code} {t.rate}%: gross {t.gross} != base {t.base} + tax {t.tax}")
    if c.tax_mode == "added":
        for t in c.taxes:
            if t.base != c.subtotal or t.tax != q2(t.base * t.rate / HUNDRED):
                problems.append(f"sales tax {t.rate}%: {t.tax} on {t.base} (subtotal {c.subtotal}) is wrong")
        return problems
    rates = {i.tax_rate for i in c.items}
    if rates != {t.rate for t in c.taxes}:
        problems.append(f"VAT lines cover rates {sorted(t.rate for t in c.taxes)}, items use {sorted(rates)}")
    for t in c.taxes:
        gross = sum((i.price for i in c.items if i.tax_rate == t.rate), Decimal(0))
        if t.gross != gross:
            problems.append(f"VAT {t.rate}%: gross {t.gross} != sum of its lines {gross}")
        if t.tax != q2(t.gross * t.rate / (HUNDRED + t.rate)):
            problems.append(f"VAT {t.rate}%: tax {t.tax} != {t.gross} x {t.rate}/(100+{t.rate})")
        if any(i.tax_code != t.code for i in c.items if i.tax_rate == t.rate):
            problems.append(f"VAT {t.rate}%: items carry a code other than {t.code}")
    return problems
