"""Small samplers for :func:`simvision.scenes.receipt.content.sample_content`: addresses, ids, payment, tips.

Each takes the caller's rng (and, where names are needed, a Faker already seeded from it); none keeps state.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from faker import Faker

from simvision.distributions import coin
from simvision.scenes.receipt.labels import labels_for
from simvision.scenes.receipt.money import HUNDRED, money_info, q2, quantize_money

if TYPE_CHECKING:  # catalog imports this module
    from simvision.scenes.receipt.catalog import Venue

T = TypeVar("T")

_CARD_BRANDS: dict[str, tuple[str, ...]] = {
    "en_US": ("VISA", "MASTERCARD", "AMEX", "DISCOVER"),
    "en_GB": ("VISA", "MASTERCARD", "VISA DEBIT", "AMEX"),
    "de_DE": ("girocard", "VISA", "Mastercard", "Maestro"),
    "fr_FR": ("CB", "VISA", "MASTERCARD"),
    "es_ES": ("VISA", "MASTERCARD", "MAESTRO"),
    "it_IT": ("BANCOMAT", "VISA", "MASTERCARD"),
    "nl_NL": ("Maestro", "V PAY", "VISA", "Mastercard"),
    "pt_BR": ("VISA", "MASTERCARD", "ELO", "HIPERCARD"),
    "id_ID": ("DEBIT BCA", "DEBIT MANDIRI", "VISA", "MASTERCARD", "QRIS"),
    "en_MY": ("VISA", "MASTERCARD", "MYDEBIT", "AMEX"),
    "ja_JP": ("VISA", "JCB", "MASTERCARD", "AMEX"),
}
_TLD: dict[str, str] = {
    "en_US": "com",
    "en_GB": "co.uk",
    "de_DE": "de",
    "fr_FR": "fr",
    "es_ES": "es",
    "it_IT": "it",
    "nl_NL": "nl",
    "pt_BR": "com.br",
    "id_ID": "co.id",
    "en_MY": "com.my",
    "ja_JP": "co.jp",
}
_HOURS_LINE: dict[str, tuple[str, ...]] = {
    "en": ("Open daily 7am-10pm", "Mon-Sat 8am-9pm Sun 10am-4pm"),
    "de": ("Mo-Sa 7:00-20:00 Uhr", "Öffnungszeiten: Mo-Fr 6-18 Uhr"),
    "fr": ("Ouvert du lundi au samedi 8h-20h", "Ouvert 7j/7"),
    "es": ("Horario: L-S 9:00-21:30", "Abierto todos los días"),
    "it": ("Orario: lun-sab 8:00-20:00", "Aperto tutti i giorni"),
    "nl": ("Ma-za 8.00-21.00 uur", "Elke dag geopend"),
    "pt": ("Seg a sáb 7h às 22h", "Aberto todos os dias"),
    "id": ("Buka setiap hari 08.00-22.00", "Senin-Minggu 10.00-21.00"),
    "ja": ("営業時間 9:00-21:00", "年中無休"),
}
_FIRST_DAY = date(2019, 1, 1)
_LAST_DAY = date(2026, 12, 31)
#: Opening hours per venue, minutes after midnight: [open, close).
_HOURS: dict[str, tuple[int, int]] = {
    "grocery": (7 * 60, 22 * 60),
    "cafe": (6 * 60 + 30, 19 * 60),
    "restaurant": (11 * 60 + 30, 23 * 60 + 30),
}
#: Cash is rounded up to one of these steps (notes and coins), with weights; 0 = the exact amount.
_CASH_STEPS: tuple[tuple[str, float], ...] = (
    ("0", 0.1),
    ("1", 0.2),
    ("5", 0.2),
    ("10", 0.2),
    ("20", 0.15),
    ("50", 0.1),
    ("100", 0.05),
)


def _clean(text: str) -> str:
    return " ".join(text.split())


def pick(rng: np.random.Generator, options: Sequence[T], first_weight: float = 0.0) -> T:
    """One of ``options``: the first with probability ``first_weight``, else uniformly any of them."""
    if rng.random() < first_weight:
        return options[0]
    return options[int(rng.integers(len(options)))]


def city(fake: Faker) -> str:
    """``fake.city()``, made independent of Python's string hash seed.

    Some Faker locales (it_IT) build their city list as ``list(set(...))``, whose order changes with
    PYTHONHASHSEED, so the same seed would name different cities in different processes. Draw from the sorted
    list instead, with the same seeded Faker random.
    """
    for provider in fake.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list | tuple) and cities and hasattr(provider, "city"):
            return str(fake.random_element(sorted(cities)))
    return fake.city()


def sample_address(rng: np.random.Generator, fake: Faker, locale: str) -> tuple[str, ...]:
    """Address lines as printed in ``locale`` (street line, then postcode/city lines); single-spaced."""
    num = int(rng.integers(1, 250)) if locale != "en_US" else int(rng.integers(10, 99_999))
    street, town, postcode = fake.street_name(), city(fake), fake.postcode()
    if locale == "en_US":
        lines = (f"{num} {street}", f"{town}, {fake.state_abbr()} {fake.zipcode()}")
    elif locale == "en_GB":
        lines = (f"{num} {street}", f"{town} {postcode}")
    elif locale in ("de_DE", "nl_NL"):
        lines = (f"{street} {num}", f"{postcode} {town}")
    elif locale == "fr_FR":
        lines = (f"{num} {street}", f"{postcode} {town}")
    elif locale == "it_IT":
        lines = (f"{street}, {num}", f"{postcode} {town} ({fake.state_abbr()})")
    elif locale == "pt_BR":
        lines = (f"{street}, {num}", f"{town} - {fake.estado_sigla()}", f"CEP {postcode}")
    elif locale == "id_ID":
        lines = (f"Jl. {street.removeprefix('Jl. ').removeprefix('Jalan ')} No. {num}", f"{town} {postcode}")
    elif locale == "en_MY":
        lines = (f"No. {num}, {street}", f"{postcode} {town}", fake.state().upper())
    elif locale == "ja_JP":
        lines = (f"〒{postcode}", f"{fake.prefecture()}{town}{fake.town()}{fake.chome()}{fake.ban()}")
    else:
        lines = (f"{street}, {num}", f"{postcode} {town}")
    return tuple(_clean(line) for line in lines if _clean(line))


def sample_phone(fake: Faker) -> str:
    """A phone number from ``fake``, single-spaced and without an extension."""
    return _clean(fake.phone_number().split("x")[0])


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, size=n))


def sample_vat_id(rng: np.random.Generator, locale: str) -> str | None:
    """A made-up tax id shaped as in ``locale`` (``DE123456789``, CNPJ ``12.345.678/0001-90``); US: None."""
    d = _digits(rng, 11)
    return {
        "en_US": None,
        "en_GB": f"GB {d[:3]} {d[3:7]} {d[7:9]}",
        "de_DE": f"DE{d[:9]}",
        "fr_FR": f"FR{d}",
        "es_ES": f"B{d[:8]}",
        "it_IT": d,
        "nl_NL": f"NL{d[:9]}B01",
        "pt_BR": f"{d[:2]}.{d[2:5]}.{d[5:8]}/0001-{d[8:10]}",
        # NPWP 99.999.999.9-999.999; Malaysian GST id (12 digits); Japanese invoice number T + 13 digits
        "id_ID": f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:]}{d[0]}.000",
        "en_MY": f"{d[:11]}{d[0]}",
        "ja_JP": f"T{d}{d[:2]}",
    }[locale]


def issued_at(rng: np.random.Generator, venue: Venue) -> datetime:
    """A day in 2019-2026 and a time, to the second, within the venue's opening hours."""
    day = _FIRST_DAY + timedelta(days=int(rng.integers(0, (_LAST_DAY - _FIRST_DAY).days + 1)))
    lo, hi = _HOURS[venue]
    minute = int(rng.integers(lo, hi))
    return datetime.combine(day, time(minute // 60, minute % 60, int(rng.integers(0, 60))))


def receipt_number(rng: np.random.Generator, store_no: int, register: int) -> str:
    """A receipt/transaction number in one of a few till styles (``0042``, ``012-03-04711``, ``3/04711``)."""
    style = int(rng.integers(0, 4))
    seq = int(rng.integers(1, 100_000))
    return (
        f"{seq:04d}",
        f"{seq:06d}",
        f"{store_no % 1000:03d}-{register:02d}-{seq:05d}",
        f"{register}/{seq:05d}",
    )[style]


def card_brand(rng: np.random.Generator, locale: str) -> str:
    """A card scheme common in ``locale`` (girocard in DE, CB in FR, Elo in BR ...)."""
    return pick(rng, _CARD_BRANDS[locale])


def masked_card_number(rng: np.random.Generator) -> str:
    """A masked PAN showing only the last four digits, e.g. ``**** **** **** 1234``."""
    last4 = f"{int(rng.integers(0, 10_000)):04d}"
    style = int(rng.integers(0, 4))
    return ("**** **** **** ", "XXXX XXXX XXXX ", "************", "xxxxxxxxxxxx")[style] + last4


def _ceil_to(amount: Decimal, step: Decimal) -> Decimal:
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def sample_tendered(rng: np.random.Generator, total: Decimal, scale: Decimal = Decimal(1)) -> Decimal:
    """Cash handed over for ``total``: the exact amount or ``total`` rounded up to a note/coin step (the steps
    times ``scale``: Rupiah notes of 1.000 to 100.000)."""
    steps = [Decimal(s) * scale for s, _ in _CASH_STEPS]
    weights = np.array([w for _, w in _CASH_STEPS])
    step = steps[int(rng.choice(len(steps), p=weights / weights.sum()))]
    if step == 0:
        return total
    tendered = q2(_ceil_to(total, step))
    return tendered if tendered >= total else tendered + step


def service_and_tip(
    rng: np.random.Generator, tip_prob: float, has_service: bool, locale: str, subtotal: Decimal
) -> tuple[str, Decimal | None, Decimal, tuple[tuple[Decimal, Decimal], ...]]:
    """Service charge or tip of a restaurant bill, and a suggested-tip block.

    Returns ``(kind, rate, amount, suggestions)`` where kind is ``"none" | "service" | "tip"``, ``rate`` the
    percent of ``subtotal`` when the amount was computed from one (else None), and ``suggestions`` a tuple of
    ``(rate, amount)`` pairs. Layouts without ``shop.service`` (all but restaurant bills) get no service and no
    tip, and draw nothing.
    """
    if not has_service:
        return "none", None, Decimal("0.00"), ()
    info = money_info(locale)

    def q2(amount: Decimal) -> Decimal:  # the locale's smallest unit
        return quantize_money(amount, locale)

    has = coin(rng, tip_prob)
    service_first = rng.random() < {"en_GB": 0.7, "en_US": 0.1, "id_ID": 0.9, "en_MY": 0.9}.get(locale, 0.3)
    us = locale == "en_US"
    service_rates = ("18", "20") if us else ("10", "12.5", "15") if locale == "en_GB" else ("5", "10", "12")
    service_rates = {"id_ID": ("5", "7", "10"), "en_MY": ("10",)}.get(locale, service_rates)
    tip_rates = ("15", "18", "20", "22") if us else ("5", "8", "10")
    service_rate = Decimal(pick(rng, service_rates))
    tip_rate = Decimal(pick(rng, tip_rates))
    round_step = Decimal(pick(rng, ("1", "0.50", "5"))) * info.scale
    rate_based_tip = us or rng.random() < 0.3
    suggest = rng.random() < {"en_US": 0.9, "en_GB": 0.3, "ja_JP": 0.0, "id_ID": 0.0}.get(locale, 0.15)
    sets = (("15", "18", "20"), ("18", "20", "22"), ("15", "20", "25")) if us else (("5", "10", "15"),)
    rates = pick(rng, sets)
    suggestions = tuple((Decimal(r), q2(subtotal * Decimal(r) / HUNDRED)) for r in rates)
    suggestions = suggestions if suggest else ()
    if not has:
        return "none", None, Decimal("0.00"), suggestions
    if service_first:
        return "service", service_rate, q2(subtotal * service_rate / HUNDRED), suggestions
    if rate_based_tip:
        return "tip", tip_rate, q2(subtotal * tip_rate / HUNDRED), suggestions
    target = _ceil_to(subtotal * (HUNDRED + tip_rate) / HUNDRED, round_step)
    tip = q2(target - subtotal)
    return "tip", None, tip if tip > 0 else round_step, suggestions


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum())


def sample_footer(
    rng: np.random.Generator, fake: Faker, locale: str, venue: str, store_name: str
) -> tuple[str, ...]:
    """Footer lines in the local language: thanks, maybe a return policy, opening hours and a web address."""
    labels = labels_for(locale)
    lang = locale.split("_", 1)[0]
    # the first thanks line may speak of shopping; restaurants and cafes use the others
    thanks = pick(rng, labels.thanks if venue == "grocery" else labels.thanks[1:])
    returns = pick(rng, labels.returns)
    hours = pick(rng, _HOURS_LINE[lang])
    want_returns, want_hours, want_web = (rng.random() < p for p in (0.5, 0.3, 0.35))
    lines = [thanks]
    if want_returns and venue == "grocery":
        lines.append(returns)
    if want_hours:
        lines.append(hours)
    shop = store_name.split(" (")[0] if locale == "en_MY" else store_name  # no "(123456-X)" in the address
    slug = _slug(shop) or _slug(fake.last_name()) or "shop"
    if want_web:
        lines.append(f"www.{slug[:24]}.{_TLD[locale]}")
    return tuple(_clean(line) for line in lines)
