"""Locale conventions for receipts: money and number formats, dates and times, tax rules.

Pure data plus formatting/parsing functions; nothing here is random. Amounts are :class:`~decimal.Decimal`
quantized to 0.01 with ``ROUND_HALF_UP`` (see :func:`q2`). Printed labels live in
:mod:`simvision.scenes.receipt.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

TaxClass = Literal["reduced", "standard"]


def q2(amount: Decimal) -> Decimal:
    """Quantize a money amount to the cent, rounding halves away from zero (``ROUND_HALF_UP``)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TaxRules:
    """How a country taxes a receipt.

    ``mode`` is ``"added"`` (US sales tax: one rate applied to the subtotal and added on top, the rate drawn
    per receipt from ``sales_tax_range`` in percent, in steps of ``sales_tax_step``) or ``"included"`` (VAT:
    prices are gross, the tax is extracted per rate as ``gross * rate / (100 + rate)``). ``shop`` and
    ``food_service`` give the VAT percent per item tax class for retail and for restaurants/cafes. An
    ``"added"`` locale with ``shop``/``food_service`` rates (Indonesia: PPN 11% in shops, PB1 10% in restaurants)
    takes its one rate from them instead of drawing it from ``sales_tax_range``.
    """

    mode: Literal["added", "included"]
    name: str
    shop: dict[str, Decimal]
    food_service: dict[str, Decimal]
    sales_tax_range: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))
    sales_tax_step: Decimal = Decimal("0.025")
    #: Printed tax codes per rate (Malaysian ``SR``/``ZR``); None = ``A``, ``B``, ``C`` from the highest rate.
    codes: dict[Decimal, str] | None = None


@dataclass(frozen=True)
class LocaleMoney:
    """Money, date and tax conventions of one locale as printed on receipts there."""

    locale: str
    language: str
    currency: str
    symbol: str
    symbol_before: bool
    symbol_space: bool
    decimal_sep: str
    thousands_sep: str
    date_formats: tuple[str, ...]
    time_formats: tuple[str, ...]
    tax: TaxRules
    #: Decimals of the currency as printed and computed (Rupiah and Yen: 0, every amount is whole).
    places: int = 2
    #: How many units of this currency buy what one euro/dollar does, for amounts not in a catalog (fixed
    #: discounts, cash note steps, tip rounding): 1 for EUR/USD/GBP/BRL/MYR, 1000 for IDR, 100 for JPY.
    scale: Decimal = Decimal(1)


def _rates(reduced: str, standard: str) -> dict[str, Decimal]:
    return {"reduced": Decimal(reduced), "standard": Decimal(standard)}


#: Conventions per locale (keys = ``config.LOCALES``). The first date/time format is the most common one.
LOCALE_MONEY: dict[str, LocaleMoney] = {
    "en_US": LocaleMoney(
        "en_US", "en", "USD", "$", True, False, ".", ",",
        ("%m/%d/%Y", "%m/%d/%y"), ("%I:%M %p", "%H:%M", "%I:%M:%S %p"),
        TaxRules("added", "Sales Tax", {}, {}, (Decimal("4"), Decimal("9.5"))),
    ),
    "en_GB": LocaleMoney(
        "en_GB", "en", "GBP", "£", True, False, ".", ",",
        ("%d/%m/%Y", "%d/%m/%y"), ("%H:%M", "%H:%M:%S"),
        TaxRules("included", "VAT", _rates("0", "20"), _rates("20", "20")),
    ),
    "de_DE": LocaleMoney(
        "de_DE", "de", "EUR", "€", False, True, ",", ".",
        ("%d.%m.%Y", "%d.%m.%y"), ("%H:%M", "%H:%M:%S"),
        TaxRules("included", "MwSt", _rates("7", "19"), _rates("7", "19")),
    ),
    "fr_FR": LocaleMoney(
        "fr_FR", "fr", "EUR", "€", False, True, ",", " ",
        ("%d/%m/%Y", "%d/%m/%y"), ("%H:%M", "%H:%M:%S"),
        TaxRules("included", "TVA", _rates("5.5", "20"), _rates("10", "20")),
    ),
    "es_ES": LocaleMoney(
        "es_ES", "es", "EUR", "€", False, True, ",", ".",
        ("%d/%m/%Y", "%d-%m-%Y"), ("%H:%M", "%H:%M:%S"),
        TaxRules("included", "IVA", _rates("10", "21"), _rates("10", "10")),
    ),
    "it_IT": LocaleMoney(
        "it_IT", "it", "EUR", "€", False, True, ",", ".",
        ("%d/%m/%Y", "%d-%m-%Y"), ("%H:%M", "%H:%M:%S"),
        TaxRules("included", "IVA", _rates("10", "22"), _rates("10", "10")),
    ),
    "nl_NL": LocaleMoney(
        "nl_NL", "nl", "EUR", "€", True, True, ",", ".",
        ("%d-%m-%Y", "%d-%m-%y"), ("%H:%M", "%H:%M:%S"),
        TaxRules("included", "BTW", _rates("9", "21"), _rates("9", "21")),
    ),
    "pt_BR": LocaleMoney(
        "pt_BR", "pt", "BRL", "R$", True, True, ",", ".",
        ("%d/%m/%Y", "%d/%m/%y"), ("%H:%M:%S", "%H:%M"),
        TaxRules("included", "ICMS", _rates("18", "18"), _rates("18", "18")),
    ),
    # CORD-like: Rupiah without decimals, '.' groups thousands; PPN 11% added in shops, restaurant tax PB1 10%.
    "id_ID": LocaleMoney(
        "id_ID", "id", "IDR", "Rp", True, True, ",", ".",
        ("%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y"), ("%H:%M", "%H:%M:%S"),
        TaxRules("added", "PPN", _rates("11", "11"), _rates("10", "10")),
        places=0, scale=Decimal(1000),
    ),
    # SROIE-like: Ringgit with 2 decimals; GST 6% included, standard-rated SR, zero-rated ZR (basic food).
    "en_MY": LocaleMoney(
        "en_MY", "en", "MYR", "RM", True, False, ".", ",",
        ("%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y"), ("%H:%M:%S", "%I:%M:%S %p", "%H:%M"),
        TaxRules("included", "GST", _rates("0", "6"), _rates("6", "6"),
                 codes={Decimal("6"): "SR", Decimal("0"): "ZR"}),
    ),
    # Yen without decimals; consumption tax included: 8% reduced (food, take-away), 10% standard and eat-in.
    "ja_JP": LocaleMoney(
        "ja_JP", "ja", "JPY", "¥", True, False, ".", ",",
        ("%Y/%m/%d", "%Y-%m-%d"), ("%H:%M", "%H:%M:%S"),
        TaxRules("included", "消費税", _rates("8", "10"), _rates("10", "10")),
        places=0, scale=Decimal(100),
    ),
}  # fmt: skip


def quantize_money(amount: Decimal, locale: str) -> Decimal:
    """Round ``amount`` (``ROUND_HALF_UP``) to the smallest unit ``locale`` prints: the cent, or the whole Rupiah/Yen."""
    return amount.quantize(Decimal(1).scaleb(-money_info(locale).places), rounding=ROUND_HALF_UP)


def money_info(locale: str) -> LocaleMoney:
    """The conventions of ``locale``; ``KeyError`` naming the known locales if it is not one of them."""
    try:
        return LOCALE_MONEY[locale]
    except KeyError:
        raise KeyError(f"unknown locale {locale!r}; known: {sorted(LOCALE_MONEY)}") from None


def format_number(amount: Decimal, locale: str, places: int | None = None, grouping: bool = True) -> str:
    """Format ``amount`` with ``places`` decimals (``ROUND_HALF_UP``) and the locale's separators, no symbol.

    ``format_number(Decimal("1234.5"), "de_DE") == "1.234,50"``; ``places=0`` prints no decimal separator;
    None = the currency's decimals (``format_number(Decimal(25000), "id_ID") == "25.000"``).
    """
    info = money_info(locale)
    places = info.places if places is None else places
    quantum = Decimal(1).scaleb(-places)
    value = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):.{places}f}"
    whole, _, frac = digits.partition(".")
    if grouping and info.thousands_sep and len(whole) > 3:
        head = len(whole) % 3 or 3
        parts = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        whole = info.thousands_sep.join(parts)
    return sign + whole + (info.decimal_sep + frac if places > 0 else "")


def format_money(amount: Decimal, locale: str) -> str:
    """Format a money amount the way tills in ``locale`` print it: ``$12.50``, ``12,50 €``, ``R$ 12,50``.

    Negative amounts get a leading minus before everything (``-$1.50``, ``-1,50 €``).
    """
    info = money_info(locale)
    number = format_number(abs(amount), locale)
    gap = " " if info.symbol_space else ""
    body = f"{info.symbol}{gap}{number}" if info.symbol_before else f"{number}{gap}{info.symbol}"
    return ("-" if quantize_money(amount, locale) < 0 else "") + body


def format_rate(rate: Decimal, locale: str) -> str:
    """A tax or tip percentage without ``%`` sign and trailing zeros: ``19``, ``5,5``, ``8.875``."""
    text = f"{rate.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", money_info(locale).decimal_sep)


def format_weight(kg: Decimal, locale: str) -> str:
    """A weight in kg with three decimals in the locale's number format: ``0,435``."""
    return format_number(kg, locale, places=3, grouping=False)


def parse_number(text: str, locale: str) -> Decimal:
    """Inverse of :func:`format_number`: ``parse_number("1.234,50", "de_DE") == Decimal("1234.50")``.

    Raises ``ValueError`` when ``text`` is not a number in the locale's format.
    """
    info = money_info(locale)
    body = text.strip()
    sign = ""
    if body.startswith("-"):
        sign, body = "-", body[1:]
    if info.thousands_sep:
        body = body.replace(info.thousands_sep, "")
    body = body.replace(info.decimal_sep, ".")
    if not body or not all(c.isdigit() or c == "." for c in body) or body.count(".") > 1:
        raise ValueError(f"{text!r} is not a {locale} number")
    try:
        return Decimal(sign + body)
    except InvalidOperation as err:  # pragma: no cover - guarded above
        raise ValueError(f"{text!r} is not a {locale} number") from err


def parse_money(text: str, locale: str) -> Decimal:
    """Inverse of :func:`format_money`: strips the currency symbol (or ISO code) and parses the number.

    ``parse_money("R$ 12,50", "pt_BR") == Decimal("12.50")``. Raises ``ValueError`` on anything else.
    """
    info = money_info(locale)
    body = text.strip()
    sign = ""
    if body.startswith("-"):
        sign, body = "-", body[1:].lstrip()
    for mark in (info.symbol, info.currency):
        if body.startswith(mark):
            body = body[len(mark) :]
            break
        if body.endswith(mark):
            body = body[: -len(mark)]
            break
    return parse_number(sign + body.strip(), locale)
