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


@cache
def grocery_catalog(language: str) -> tuple[CatalogItem, ...]:
    """All grocery/supermarket items of ``language`` (``en de fr es it nl pt``)."""
    return tuple(
        CatalogItem(
            name, Decimal(lo), Decimal(hi), "standard" if f[0] == "S" else "reduced", "k" in f, "grocery"
        )
        for name, lo, hi, f in GROCERY[language]
    )


@cache
def menu_catalog(language: str) -> tuple[CatalogItem, ...]:
    """All restaurant/cafe items of ``language``."""
    return tuple(
        CatalogItem(
            name, Decimal(lo), Decimal(hi), "standard" if f[0] == "S" else "reduced", False, _KINDS[f[1]]
        )
        for name, lo, hi, f in MENU[language]
    )


def items_for(language: str, venue: Venue) -> tuple[CatalogItem, ...]:
    """What a ``venue`` sells: groceries; cafe = coffee, pastry, soft drinks; restaurant = the whole menu."""
    if venue == "grocery":
        return grocery_catalog(language)
    menu = menu_catalog(language)
    if venue == "cafe":
        return tuple(i for i in menu if i.kind == "cafe" or (i.kind == "drink" and i.tax_class == "reduced"))
    return menu


def sample_price(rng: np.random.Generator, item: CatalogItem) -> Decimal:
    """Draw a shelf/menu price (per kg for weighed items) within the item's range, with typical endings.

    Shops end prices in ``.x9`` (mostly) or ``.x5``; restaurants and cafes in ``.x0`` or ``.50``. The result
    is clamped into ``[low, high]`` and is always at least one cent.
    """
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
}


def shop_name(rng: np.random.Generator, fake: Faker, locale: str, venue: Venue) -> str:
    """A plausible shop name for ``venue`` in ``locale`` ("Bäckerei Müller", "Chez Julien").

    ``fake`` must be a Faker for ``locale`` already seeded from the caller's rng; the pattern is drawn from
    ``rng``.
    """
    patterns = _SHOP_PATTERNS[language_of(locale)][venue]
    pattern = patterns[int(rng.integers(len(patterns)))]
    name = pattern.format(
        last=fake.last_name(), first=fake.first_name(), city=city(fake), company=fake.company()
    )
    # "Potts's Diner" -> "Potts' Diner"
    return " ".join(name.split()).replace("s's ", "s' ")
