"""What a receipt says: shop, items, money and payment, sampled from a seeded rng; no layout, no pixels.

:func:`sample_content` is the sampler (the only randomness); :func:`check_arithmetic` (in ``arithmetic``)
states the arithmetic every content must satisfy. Amounts are ``Decimal`` to the cent (``ROUND_HALF_UP``);
they dump to JSON as strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Literal

import numpy as np
from faker import Faker
from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from simvision.distributions import coin
from simvision.rng import child_seed
from simvision.scenes.receipt.arithmetic import check_arithmetic  # noqa: F401 - re-exported for callers
from simvision.scenes.receipt.catalog import Venue, catalog_language, items_for, sample_price, shop_name
from simvision.scenes.receipt.config import ContentParams, MissingField
from simvision.scenes.receipt.content_parts import (
    card_brand,
    issued_at,
    masked_card_number,
    pick,
    receipt_number,
    sample_address,
    sample_footer,
    sample_phone,
    sample_tendered,
    sample_vat_id,
    service_and_tip,
)
from simvision.scenes.receipt.money import HUNDRED, TaxClass, money_info, quantize_money
from simvision.scenes.receipt.template import SHIPPED, LayoutTemplate, Shop, shipped
from simvision.scenes.receipt.template_parts import pick as pick_one

#: Only the Faker providers receipts use: loading all of them would triple the cost of a receipt.
_FAKER_PROVIDERS = [
    "faker.providers.address",
    "faker.providers.person",
    "faker.providers.phone_number",
    "faker.providers.company",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LineItem(_Model):
    """One receipt line: ``amount = quantity (or weight_kg) * unit_price``; ``price = amount - discount``.

    ``unit_price`` is per piece, or per kg when ``weight_kg`` is set (then ``quantity`` is 1). ``discount`` is
    the positive amount taken off (``discount_rate`` its percent when it was a percentage discount).
    """

    name: str
    code: str
    quantity: int
    weight_kg: Decimal | None = None
    unit_price: Decimal
    amount: Decimal
    discount: Decimal = Decimal("0.00")
    discount_rate: Decimal | None = None
    price: Decimal
    tax_rate: Decimal
    tax_code: str


class TaxLine(_Model):
    """Tax at one rate (percent): ``gross = base + tax``; for VAT ``gross`` sums the lines at that rate."""

    code: str
    rate: Decimal
    base: Decimal
    tax: Decimal
    gross: Decimal


class TipSuggestion(_Model):
    """A printed suggestion: ``rate`` percent of the subtotal is ``amount``."""

    rate: Decimal
    amount: Decimal


class Payment(_Model):
    """Cash (``tendered``, ``change``) or card (``card_brand``, masked ``card_number``, ``card_amount``)."""

    method: Literal["cash", "card"]
    tendered: Decimal | None = None
    change: Decimal | None = None
    card_brand: str | None = None
    card_number: str | None = None
    card_amount: Decimal | None = None


class ReceiptContent(_Model):
    """Everything a receipt states, independent of how it is laid out.

    ``tax_mode`` ``"added"``: ``total = subtotal + tax_total + service``; ``"included"`` (VAT in the prices):
    ``total = subtotal + service``. ``service`` is a service charge (``service_kind == "service"``) or a tip.
    """

    locale: str
    layout: str
    venue: Venue
    currency: str
    store_name: str
    address: tuple[str, ...]
    phone: str
    vat_id: str | None
    store_no: int
    issued: datetime
    date_format: str
    time_format: str
    cashier: str | None
    register_no: int
    receipt_no: str
    table: str | None = None
    guests: int | None = None
    items: tuple[LineItem, ...]
    subtotal: Decimal
    discount_total: Decimal
    tax_mode: Literal["added", "included"]
    taxes: tuple[TaxLine, ...]
    tax_total: Decimal
    service_kind: Literal["none", "service", "tip"] = "none"
    service_rate: Decimal | None = None
    service: Decimal = Decimal("0.00")
    tip_suggestions: tuple[TipSuggestion, ...] = ()
    total: Decimal
    payment: Payment
    footer: tuple[str, ...]
    code_kind: Literal["barcode", "qrcode", "none"]
    code_data: str | None
    #: The key field left off the print (``params.content.missing_field_prob``); the values above still hold it.
    missing: MissingField | None = None

    @model_serializer(mode="wrap")
    def _omit_missing_when_none(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dumps leave ``missing`` out while it is None, so specs sampled before it existed dump unchanged."""
        data = handler(self)
        if self.missing is None:
            data.pop("missing", None)
        return data

    @property
    def item_count(self) -> int:
        """Articles sold: the sum of piece counts, a weighed line counting as one."""
        return sum(1 if i.weight_kg is not None else i.quantity for i in self.items)

    @property
    def date_text(self) -> str:
        """The date as printed (``date_format`` applied to ``issued``)."""
        return self.issued.strftime(self.date_format)

    @property
    def time_text(self) -> str:
        """The time as printed (``time_format`` applied to ``issued``)."""
        return self.issued.strftime(self.time_format)


@dataclass
class _Draft:
    """A line while it is being drawn (discounts are added after all lines exist)."""

    name: str
    code: str
    quantity: int
    weight_kg: Decimal | None
    unit_price: Decimal
    amount: Decimal
    tax_class: TaxClass
    discount: Decimal = Decimal("0.00")
    discount_rate: Decimal | None = None


def _sample_items(
    rng: np.random.Generator, params: ContentParams, shop: Shop, locale: str, venue: Venue
) -> list[_Draft]:
    """Draw the raw lines (name, code, quantity/weight, unit price, tax class) before discounts and tax."""
    catalog = items_for(catalog_language(locale), venue)
    places = money_info(locale).places
    if not shop.weighed_items:
        catalog = tuple(i for i in catalog if not i.by_weight)
    n = max(1, (params.supermarket_items if shop.items == "long" else params.items).sample(rng))
    idx = rng.choice(len(catalog), size=n, replace=n > len(catalog))
    lines = []
    for k in idx:
        item = catalog[int(k)]
        unit = sample_price(rng, item, places)
        weight = None
        qty = 1
        if item.by_weight:
            weight = (Decimal(int(rng.integers(80, 2001))) / 1000).quantize(Decimal("0.001"))
        elif params.max_quantity > 1 and rng.random() < 0.35:
            qty = int(rng.integers(2, params.max_quantity + 1))
        code_range = (1000, 1_000_000) if shop.item_codes == "long" else (1, 999)
        code = str(int(rng.integers(*code_range)))
        amount = quantize_money((weight if weight is not None else Decimal(qty)) * unit, locale)
        lines.append(_Draft(item.name, code, qty, weight, unit, amount, item.tax_class))
    return lines


def _apply_discounts(rng: np.random.Generator, lines: list[_Draft], prob: float, locale: str) -> None:
    scale = money_info(locale).scale
    has = coin(rng, prob)
    chosen = [rng.random() < 0.3 for _ in lines]
    if has and not any(chosen):
        chosen[int(rng.integers(len(lines)))] = True
    for line, take in zip(lines, chosen, strict=True):
        rate = Decimal(int(rng.choice([10, 15, 20, 25, 30, 50])))
        fixed = Decimal(int(rng.integers(1, 21))) / 10 * scale
        percent = rng.random() < 0.6
        if not (has and take) or line.amount < Decimal("0.20") * scale:
            continue
        if percent:
            line.discount, line.discount_rate = quantize_money(line.amount * rate / HUNDRED, locale), rate
        else:
            line.discount = quantize_money(min(fixed, line.amount / 2), locale)


#: Faker has no en_MY; its en_MS (Malaysia) provides the addresses and phone numbers.
_FAKER_LOCALE = {"en_MY": "en_MS"}


@cache
def _faker(locale: str) -> Faker:
    """One Faker per locale and process (building one costs ~4 ms). It holds no state across samples that matters:
    every use reseeds it first, and only stateless providers are loaded (no ``unique``)."""
    return Faker(_FAKER_LOCALE.get(locale, locale), providers=_FAKER_PROVIDERS)


def sample_content(
    rng: np.random.Generator,
    params: ContentParams,
    layout: str,
    locale: str,
    template: LayoutTemplate | None = None,
) -> ReceiptContent:
    """Sample the full content of one receipt for ``layout`` in ``locale`` from ``rng``.

    ``template`` is the layout's template (its ``shop`` says what the receipt sells); None: the shipped layout
    named ``layout``. Faker is seeded from ``rng`` per call, so the result depends only on the rng state and the
    arguments. The content satisfies :func:`check_arithmetic`. Raises ``ValueError`` for an unknown layout or
    code kind and ``KeyError`` for an unknown locale.
    """
    if template is None and layout not in SHIPPED:
        raise ValueError(f"unknown receipt layout {layout!r}; allowed: {list(SHIPPED)}")
    shop = (template or shipped(layout)).shop
    unknown_codes = set(params.code.choices) - {"barcode", "qrcode", "none"}
    if unknown_codes:
        raise ValueError(
            f"params.code has unknown kinds {sorted(unknown_codes)}; allowed: barcode, qrcode, none"
        )
    info = money_info(locale)
    fake = _faker(locale)
    fake.seed_instance(child_seed(rng))  # reseeded per sample: its draws depend only on this rng
    venue: Venue = pick_one(rng, shop.venue)
    store_name = shop_name(rng, fake, locale, venue)
    address = sample_address(rng, fake, locale)
    phone = sample_phone(fake)
    vat_id = sample_vat_id(rng, locale)
    store_no = int(rng.integers(1, 9999))
    issued = issued_at(rng, venue)
    date_format = pick(rng, info.date_formats, first_weight=0.7)
    time_format = pick(rng, info.time_formats, first_weight=0.7)
    register = int(rng.integers(1, 13))
    receipt_no = receipt_number(rng, store_no, register)
    has_cashier = coin(rng, params.cashier_prob)
    first, last = fake.first_name(), fake.last_name()
    cashier_style = int(rng.integers(0, 4))
    cashier_id = int(rng.integers(1, 999))
    cashier = None
    if has_cashier:
        cashier = [first, f"{first} {last[0]}.", f"{first} {last}", str(cashier_id)][cashier_style]
        cashier = " ".join(cashier.split())
        cashier = cashier if len(cashier) <= 20 else " ".join(first.split())[:20]
    table = guests = None
    if shop.table:
        table = str(int(rng.integers(1, 41)))
        guests = int(rng.integers(1, 9))

    lines = _sample_items(rng, params, shop, locale, venue)
    _apply_discounts(rng, lines, params.discount_prob, locale)

    rules = info.tax
    if rules.mode == "added" and rules.shop:  # one fixed rate per venue kind (Indonesia: PPN or PB1)
        rate_of = dict(rules.food_service if venue in ("cafe", "restaurant") else rules.shop)
        codes = {r: "T" for r in rate_of.values()}
    elif rules.mode == "added":
        lo, hi = rules.sales_tax_range
        steps = int((hi - lo) / rules.sales_tax_step)
        sales_rate = lo + rules.sales_tax_step * int(rng.integers(0, steps + 1))
        text = f"{sales_rate:f}"
        sales_rate = Decimal(text.rstrip("0").rstrip(".") if "." in text else text)
        rate_of = {"reduced": sales_rate, "standard": sales_rate}
        codes = {sales_rate: "T"}
    else:
        rate_of = dict(rules.food_service if venue in ("cafe", "restaurant") else rules.shop)
        codes = rules.codes or {
            r: "ABC"[k] for k, r in enumerate(sorted(set(rate_of.values()), reverse=True))
        }
    items = tuple(
        LineItem(
            name=ln.name,
            code=ln.code,
            quantity=ln.quantity,
            weight_kg=ln.weight_kg,
            unit_price=ln.unit_price,
            amount=ln.amount,
            discount=ln.discount,
            discount_rate=ln.discount_rate,
            price=ln.amount - ln.discount,
            tax_rate=rate_of[ln.tax_class],
            tax_code=codes[rate_of[ln.tax_class]],
        )
        for ln in lines
    )
    subtotal = sum((i.price for i in items), Decimal("0.00"))
    discount_total = sum((i.discount for i in items), Decimal("0.00"))
    taxes = _taxes(items, rules.mode, subtotal, codes, locale)
    tax_total = sum((t.tax for t in taxes), Decimal("0.00"))

    kind, service_rate, service, suggestions = service_and_tip(
        rng, params.tip_prob, shop.service, locale, subtotal
    )
    total = subtotal + (tax_total if rules.mode == "added" else Decimal("0.00")) + service

    paid_by_card = coin(rng, params.card_prob)
    brand = card_brand(rng, locale)
    number = masked_card_number(rng)
    tendered = sample_tendered(rng, total, info.scale)
    if paid_by_card:
        payment = Payment(method="card", card_brand=brand, card_number=number, card_amount=total)
    else:
        payment = Payment(method="cash", tendered=tendered, change=tendered - total)

    footer = sample_footer(rng, fake, locale, venue, store_name)
    code_kind = params.code.sample(rng)
    stamp = issued.strftime("%Y%m%d%H%M%S")
    code_data = None
    if code_kind == "barcode":
        code_data = f"{store_no:04d}{register:02d}{stamp[2:12]}{int(rng.integers(0, 10_000)):04d}"
    elif code_kind == "qrcode":
        code_data = f"RCPT;{info.currency};{store_no:04d};{receipt_no};{stamp};{total}"

    return ReceiptContent(
        locale=locale,
        layout=layout,
        venue=venue,
        currency=info.currency,
        store_name=store_name,
        address=address,
        phone=phone,
        vat_id=vat_id,
        store_no=store_no,
        issued=issued,
        date_format=date_format,
        time_format=time_format,
        cashier=cashier,
        register_no=register,
        receipt_no=receipt_no,
        table=table,
        guests=guests,
        items=items,
        subtotal=subtotal,
        discount_total=discount_total,
        tax_mode=rules.mode,
        taxes=taxes,
        tax_total=tax_total,
        service_kind=kind,
        service_rate=service_rate,
        service=service,
        tip_suggestions=tuple(TipSuggestion(rate=r, amount=a) for r, a in suggestions),
        total=total,
        payment=payment,
        footer=footer,
        code_kind=code_kind,
        code_data=code_data,
    )


def _taxes(
    items: tuple[LineItem, ...], mode: str, subtotal: Decimal, codes: dict[Decimal, str], locale: str
) -> tuple[TaxLine, ...]:
    if mode == "added":
        rate = items[0].tax_rate
        tax = quantize_money(subtotal * rate / HUNDRED, locale)
        return (TaxLine(code=codes[rate], rate=rate, base=subtotal, tax=tax, gross=subtotal + tax),)
    out = []
    for rate in sorted({i.tax_rate for i in items}, reverse=True):
        gross = sum((i.price for i in items if i.tax_rate == rate), Decimal("0.00"))
        tax = quantize_money(gross * rate / (HUNDRED + rate), locale)
        out.append(TaxLine(code=codes[rate], rate=rate, base=gross - tax, tax=tax, gross=gross))
    return tuple(out)
