"""Item catalogs and shop names per language: what a receipt can list and who issued it.

The rows themselves are shipped Python data in :mod:`.catalog_grocery` and :mod:`.catalog_menu`; this module
turns them into typed :class:`CatalogItem` records and draws prices and shop names from a given rng.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

import numpy as np
from faker import Faker

from simvision.scenes.receipt.catalog_asia import GROCERY_ASIA, MENU_ASIA
from simvision.scenes.receipt.catalog_grocery import GROCERY
from simvision.scenes.receipt.catalog_menu import MENU
from simvision.scenes.receipt.content_parts import city
from simvision.scenes.receipt.money import CENT, TaxClass

Venue = Literal["grocery", "cafe", "restaurant"]
ItemKind = Literal["grocery", "cafe", "meal", "drink"]

_KINDS: dict[str, ItemKind] = {"c": "cafe", "m": "meal", "d": "drink"}


@dataclass(frozen=True)
class CatalogItem:
    """One sellable item: price range (per kg when ``by_weight``) in the local currency, and its tax class."""

    name: str
    low: Decimal
    high: Decimal
    tax_class: TaxClass
    by_weight: bool
    kind: ItemKind


def language_of(locale: str) -> str:
    """``"de_DE" -> "de"``: the catalog language a locale uses."""
    return locale.split("_", 1)[0]


#: Locales whose catalog is not their language's: Malaysian shops sell Malaysian goods priced in Ringgit.
_CATALOG_OF: dict[str, str] = {"en_MY": "my"}


def catalog_language(locale: str) -> str:
    """The catalog (and shop-name) key of a locale: its language, or ``"my"`` for ``en_MY``."""
    return _CATALOG_OF.get(locale, language_of(locale))


@cache
def grocery_catalog(language: str) -> tuple[CatalogItem, ...]:
    """All grocery/supermarket items of ``language`` (``en de fr es it nl pt``)."""
    return tuple(
        CatalogItem(
            name, Decimal(lo), Decimal(hi), "standard" if f[0] == "S" else "reduced", "k" in f, "grocery"
        )
        for name, lo, hi, f in (GROCERY | GROCERY_ASIA)[language]
    )


@cache
def menu_catalog(language: str) -> tuple[CatalogItem, ...]:
    """All restaurant/cafe items of ``language``."""
    return tuple(
        CatalogItem(
            name, Decimal(lo), Decimal(hi), "standard" if f[0] == "S" else "reduced", False, _KINDS[f[1]]
        )
        for name, lo, hi, f in (MENU | MENU_ASIA)[language]
    )


def items_for(language: str, venue: Venue) -> tuple[CatalogItem, ...]:
    """What a ``venue`` sells: groceries; cafe = coffee, pastry, soft drinks; restaurant = the whole menu."""
    if venue == "grocery":
        return grocery_catalog(language)
    menu = menu_catalog(language)
    if venue == "cafe":
        return tuple(i for i in menu if i.kind == "cafe" or (i.kind == "drink" and i.tax_class == "reduced"))
    return menu


def sample_price(rng: np.random.Generator, item: CatalogItem, places: int = 2) -> Decimal:
    """Draw a shelf/menu price (per kg for weighed items) within the item's range, with typical endings.

    Shops end prices in ``.x9`` (mostly) or ``.x5``; restaurants and cafes in ``.x0`` or ``.50``. The result
    is clamped into ``[low, high]`` and is always at least one cent. With ``places=0`` (Rupiah, Yen) prices are
    whole: see :func:`_whole_price`.
    """
    if places == 0:
        return _whole_price(rng, item)
    lo, hi = int(item.low * 100), int(item.high * 100)
    cents = int(rng.integers(lo, hi + 1))
    if item.kind == "grocery":
        ending = int(rng.choice([9, 9, 9, 5]))
        cents = cents // 10 * 10 + ending
    elif cents >= 1000 and rng.random() < 0.5:
        cents = cents // 50 * 50
    else:
        cents = cents // 10 * 10
    while cents > hi and cents > 10:
        cents -= 10
    cents = max(cents, lo, 1)
    return (Decimal(cents) * CENT).quantize(CENT)


def _whole_price(rng: np.random.Generator, item: CatalogItem) -> Decimal:
    """A whole-unit price in ``[low, high]``: shops end in 9/8/5 of the third digit from the left (12.900 Rp,
    198 yen, 1.280 yen), restaurants round to it (35.000 Rp, 880 yen)."""
    lo, hi = int(item.low), int(item.high)
    unit = 10 ** max(0, len(str(hi)) - 3)
    price = int(rng.integers(lo, hi + 1)) // (10 * unit) * (10 * unit)
    if item.kind == "grocery":
        price += int(rng.choice([9, 9, 8, 5])) * unit
    return Decimal(min(max(price, lo, 1), hi))


_SHOP_PATTERNS: dict[str, dict[Venue, tuple[str, ...]]] = {
    "en": {
        "grocery": (
            "{last}'s Market",
            "{last} Grocery",
            "{city} Food Mart",
            "Fresh Foods {last}",
            "{company}",
        ),
        "cafe": (
            "{last}'s Coffee",
            "The Coffee House",
            "{first}'s Bakery",
            "Cafe {last}",
            "{city} Espresso Bar",
        ),
        "restaurant": (
            "{last}'s Diner",
            "The {last} Arms",
            "{first}'s Kitchen",
            "{last} Bistro",
            "{city} Grill",
        ),
    },
    "de": {
        "grocery": (
            "Markt {last}",
            "{last} Frischemarkt",
            "Supermarkt {last}",
            "Nahkauf {last}",
            "{company}",
        ),
        "cafe": ("Bäckerei {last}", "Café {last}", "Konditorei {last}", "Backstube {first}", "Café am Markt"),
        "restaurant": (
            "Gasthaus {last}",
            "Restaurant {last}",
            "Gasthof zur Post",
            "Zum {last}",
            "Ristorante {last}",
        ),
    },
    "fr": {
        "grocery": (
            "Épicerie {last}",
            "Supermarché {last}",
            "Marché de {city}",
            "Alimentation {last}",
            "{company}",
        ),
        "cafe": (
            "Boulangerie {last}",
            "Café de la Paix",
            "Café {last}",
            "Pâtisserie {last}",
            "Le Petit Café",
        ),
        "restaurant": (
            "Brasserie {last}",
            "Chez {first}",
            "Bistrot {last}",
            "Le Relais de {city}",
            "Café de la Gare",
        ),
    },
    "es": {
        "grocery": (
            "Supermercado {last}",
            "Mercado {last}",
            "Alimentación {last}",
            "Ultramarinos {last}",
            "{company}",
        ),
        "cafe": ("Panadería {last}", "Cafetería {last}", "Bar {first}", "Café Central", "Pastelería {last}"),
        "restaurant": (
            "Restaurante {last}",
            "Casa {first}",
            "Mesón {last}",
            "Taberna {last}",
            "Bar Restaurante {city}",
        ),
    },
    "it": {
        "grocery": (
            "Supermercato {last}",
            "Alimentari {last}",
            "Market {last}",
            "Minimarket {city}",
            "{company}",
        ),
        "cafe": ("Bar {last}", "Caffè {last}", "Pasticceria {last}", "Bar Centrale", "Panificio {last}"),
        "restaurant": (
            "Trattoria da {first}",
            "Pizzeria {last}",
            "Ristorante {last}",
            "Osteria {last}",
            "Da {first}",
        ),
    },
    "nl": {
        "grocery": ("Supermarkt {last}", "{last} Versmarkt", "Buurtsuper {last}", "Toko {last}", "{company}"),
        "cafe": (
            "Bakkerij {last}",
            "Koffiehuis {last}",
            "Lunchroom {first}",
            "Café De Hoek",
            "Banketbakkerij {last}",
        ),
        "restaurant": (
            "Eetcafé {last}",
            "Restaurant {last}",
            "Brasserie {city}",
            "Grand Café {last}",
            "Het Wapen",
        ),
    },
    "pt": {
        "grocery": (
            "Supermercado {last}",
            "Mercearia {last}",
            "Mercado {city}",
            "Empório {last}",
            "{company}",
        ),
        "cafe": (
            "Padaria {last}",
            "Padaria Pão de Ouro",
            "Lanchonete {first}",
            "Café {last}",
            "Confeitaria {last}",
        ),
        "restaurant": (
            "Restaurante {last}",
            "Bar do {first}",
            "Churrascaria {last}",
            "Cantina {last}",
            "Boteco {city}",
        ),
    },
    "id": {
        "grocery": ("TOKO {last}", "{last} MART", "SWALAYAN {city}", "MINIMARKET {first}", "{company}"),
        "cafe": ("KOPI {first}", "KEDAI KOPI {last}", "{first} COFFEE", "BAKERY {last}", "WARKOP {city}"),
        "restaurant": (
            "RUMAH MAKAN {last}",
            "WARUNG {first}",
            "RM. PADANG {city}",
            "RESTO {last}",
            "BAKMI {first}",
        ),
    },
    "my": {
        "grocery": (
            "{last} TRADING SDN BHD",
            "KEDAI RUNCIT {first}",
            "{city} HARDWARE SDN BHD",
            "{last} ENTERPRISE",
            "{first} MINI MARKET",
        ),
        "cafe": ("{first} BAKERY SDN BHD", "KEDAI KOPI {last}", "{city} KOPITIAM", "{last} CAFE"),
        "restaurant": (
            "RESTORAN {last}",
            "RESTORAN NASI KANDAR {first}",
            "{last} FOOD SDN BHD",
            "MAMAK {first}",
            "{city} SEAFOOD RESTAURANT",
        ),
    },
    "ja": {
        "grocery": ("{last}商店", "スーパー{last}", "{city}マート", "{last}ストア", "{company}"),
        "cafe": ("喫茶{last}", "{last}珈琲店", "カフェ{first}", "{city}ベーカリー"),
        "restaurant": ("{last}食堂", "居酒屋{first}", "らーめん{last}", "{city}亭", "{last}屋"),
    },
}


def shop_name(rng: np.random.Generator, fake: Faker, locale: str, venue: Venue) -> str:
    """A plausible shop name for ``venue`` in ``locale`` ("Bäckerei Müller", "Chez Julien").

    ``fake`` must be a Faker for ``locale`` already seeded from the caller's rng; the pattern is drawn from
    ``rng``.
    """
    patterns = _SHOP_PATTERNS[catalog_language(locale)][venue]
    pattern = patterns[int(rng.integers(len(patterns)))]
    name = pattern.format(
        last=fake.last_name(), first=fake.first_name(), city=city(fake), company=fake.company()
    )
    if locale == "en_MY":  # SROIE: the company name, then its registration number "(123456-X)"
        name = (
            f"{name.upper()} ({int(rng.integers(1000, 1_300_000))}-{'ABDHKMPTUVWX'[int(rng.integers(12))]})"
        )
    # "Potts's Diner" -> "Potts' Diner"
    return " ".join(name.split()).replace("s's ", "s' ")
