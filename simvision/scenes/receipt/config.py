"""Scene-file parameters of the receipt generator (the ``params:`` section of ``scenes/receipt*.yaml``)."""

from __future__ import annotations

from pydantic import Field

from simvision.distributions import Choice, FloatRange, IntRange, Strict

LOCALES: tuple[str, ...] = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR")
LAYOUTS: tuple[str, ...] = ("thermal_roll", "till_slip", "restaurant", "supermarket")


def _even(keys: tuple[str, ...]) -> Choice:
    return Choice(choices={k: 1.0 for k in keys})


class ContentParams(Strict):
    """What is printed: shop, items, money, payment."""

    locale: Choice = Field(default_factory=lambda: _even(LOCALES))
    layout: Choice = Field(default_factory=lambda: _even(LAYOUTS))
    items: IntRange = Field(
        default_factory=lambda: IntRange(min=2, max=9), description="line items (non-supermarket)"
    )
    supermarket_items: IntRange = Field(default_factory=lambda: IntRange(min=12, max=30))
    max_quantity: int = Field(default=4, ge=1, le=99)
    discount_prob: float = Field(default=0.3, ge=0, le=1, description="chance a receipt has item discounts")
    card_prob: float = Field(default=0.5, ge=0, le=1, description="chance of card payment (else cash)")
    tip_prob: float = Field(
        default=0.6, ge=0, le=1, description="restaurant bills: chance a tip line is printed"
    )
    cashier_prob: float = Field(default=0.7, ge=0, le=1)
    code: Choice = Field(default_factory=lambda: Choice(choices={"barcode": 1.0, "qrcode": 1.0, "none": 0.5}))


class LookParams(Strict):
    """How it is printed and photographed flat: font, size, paper, ink, background."""

    font: Choice | None = Field(
        default=None, description="font ids from assets/fonts/manifest.json; null = any"
    )
    font_px: IntRange = Field(
        default_factory=lambda: IntRange(min=17, max=22), description="cap-to-descender px"
    )
    margin_px: IntRange = Field(default_factory=lambda: IntRange(min=14, max=30))
    ink: FloatRange = Field(
        default_factory=lambda: FloatRange(min=0.75, max=1.0), description="print darkness 0..1"
    )
    paper_tint: FloatRange = Field(default_factory=lambda: FloatRange(min=0.0, max=0.08))
    background: Choice = Field(
        default_factory=lambda: Choice(choices={"wood": 1.0, "fabric": 1.0, "stone": 1.0, "plain": 0.5})
    )
    rotation_deg: FloatRange = Field(default_factory=lambda: FloatRange(min=-4.0, max=4.0))


class ReceiptParams(Strict):
    content: ContentParams = Field(default_factory=ContentParams)
    look: LookParams = Field(default_factory=LookParams)
