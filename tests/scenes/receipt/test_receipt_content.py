"""Receipt content sampler and layouts: arithmetic, money formats, determinism, categories and geometry."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simvision.distributions import Choice, IntRange
from simvision.scenes.receipt.config import LAYOUTS, LOCALES, ContentParams
from simvision.scenes.receipt.content import ReceiptContent, check_arithmetic, sample_content
from simvision.scenes.receipt.doc import CATEGORIES, ReceiptDoc, Segment, TextLine
from simvision.scenes.receipt.layouts import build_doc
from simvision.scenes.receipt.money import format_money, format_number, money_info, parse_money, parse_number

SEEDS = st.integers(0, 2**32 - 1)
PARAMS = ContentParams()
COMBOS = [(layout, locale) for layout in LAYOUTS for locale in LOCALES]
WIDTHS = {"thermal_roll": (32, 36), "till_slip": (44, 52), "restaurant": (38, 46), "supermarket": (40, 48)}


def make(
    seed: int, layout: str, locale: str, params: ContentParams = PARAMS
) -> tuple[ReceiptContent, ReceiptDoc]:
    rng = np.random.default_rng(seed)
    content = sample_content(rng, params, layout, locale)
    return content, build_doc(content, layout, rng)


def text_lines(doc: ReceiptDoc) -> list[TextLine]:
    return [b for b in doc.blocks if isinstance(b, TextLine)]


def segments(doc: ReceiptDoc) -> list[Segment]:
    return [s for line in text_lines(doc) for s in line.segments]


def words(doc: ReceiptDoc, category: str) -> list[str]:
    return [w for s in segments(doc) if s.category == category for w in s.text.split(" ")]


def extent(seg: Segment, width: int, scale: float = 1.0) -> tuple[float, float]:
    """Monospace columns a segment covers, each glyph ``scale`` columns wide (independent of layout_grid)."""
    n = len(seg.text) * scale
    a = seg.x * width
    return {"left": (a, a + n), "right": (a - n, a), "center": (a - n / 2, a + n / 2)}[seg.align]


def overlap_problems(doc: ReceiptDoc) -> list[str]:
    """Segments off the line or less than one empty column from a neighbour; large lines also at 2x glyphs."""
    out = []
    w = doc.width_chars
    for k, line in enumerate(text_lines(doc)):
        for scale in (1.0, 2.0) if line.style == "large" else (1.0,):
            spans = sorted((*extent(s, w, scale), s.text) for s in line.segments)
            for a, b, text in spans:
                if a < -1e-6 or b > w + 1e-6:
                    out.append(f"line {k}: {text!r} spans [{a}, {b}] outside [0, {w}] at scale {scale}")
            for (_, b0, t0), (a1, _, t1) in zip(spans, spans[1:], strict=False):
                if a1 < b0 + 1 - 1e-6:
                    out.append(f"line {k}: {t0!r} and {t1!r} overlap or touch at scale {scale}")
    return out


# --- money --------------------------------------------------------------------------------------------------

KNOWN = [
    ("de_DE", "12.5", "12,50 €"),
    ("de_DE", "1234.5", "1.234,50 €"),
    ("en_US", "12.5", "$12.50"),
    ("en_US", "-1.5", "-$1.50"),
    ("en_GB", "1234567.891", "£1,234,567.89"),
    ("fr_FR", "1234.5", "1 234,50 €"),
    ("es_ES", "0.005", "0,01 €"),
    ("it_IT", "7", "7,00 €"),
    ("nl_NL", "12.5", "€ 12,50"),
    ("pt_BR", "12.5", "R$ 12,50"),
]


@pytest.mark.parametrize(("locale", "amount", "text"), KNOWN)
def test_format_money_known_values(locale: str, amount: str, text: str) -> None:
    assert format_money(Decimal(amount), locale) == text


@settings(max_examples=150, deadline=None)
@given(cents=st.integers(-(10**9), 10**9), locale=st.sampled_from(LOCALES))
def test_money_strings_parse_back(cents: int, locale: str) -> None:
    amount = Decimal(cents).scaleb(-money_info(locale).places)  # the smallest printed unit: cent, Rupiah, Yen
    money, number = format_money(amount, locale), format_number(amount, locale)
    assert parse_money(money, locale) == amount
    assert parse_number(number, locale) == amount
    assert money == " ".join(money.split()), "no leading, trailing or double spaces"


def test_parse_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        parse_money("12.50 EUR extra", "de_DE")
    with pytest.raises(ValueError):
        parse_number("", "en_US")


# --- content and layout properties --------------------------------------------------------------------------


def assert_receipt_ok(seed: int, layout: str, locale: str, params: ContentParams = PARAMS) -> None:
    """Every property a sampled receipt and its layout must have."""
    content, doc = make(seed, layout, locale, params)
    assert check_arithmetic(content) == []
    assert doc.layout == layout
    lo, hi = WIDTHS[layout]
    assert lo <= doc.width_chars <= hi

    segs = segments(doc)
    for s in segs:
        assert s.category in CATEGORIES
        assert s.text and s.text == " ".join(s.text.split()), f"bad spacing in {s.text!r}"
    assert overlap_problems(doc) == []

    for cat in ("store.name", "store.date", "total.total_price"):
        assert words(doc, cat), f"no {cat} words"
    total = " ".join(words(doc, "total.total_price"))
    assert total in (format_money(content.total, locale), format_number(content.total, locale)), total
    assert parse_money(total, locale) == content.total
    assert " ".join(words(doc, "store.date")) == content.date_text

    # one menu.nm and one menu.price per item, grouped by item index; tax lines in groups after the items
    n = len(content.items)
    names = [s for s in segs if s.category == "menu.nm"]
    assert sorted(s.group for s in names) == list(range(n))
    prices = {s.group: s.text for s in segs if s.category == "menu.price"}
    assert prices == {g: format_number(i.amount, locale) for g, i in enumerate(content.items)}
    for s in segs:
        if s.category.startswith("menu."):
            assert 0 <= s.group < n
        if s.category == "sub_total.tax_price":
            assert n <= s.group < n + len(content.taxes)
    discounts = [s for s in segs if s.category == "menu.discountprice"]
    assert len(discounts) == sum(1 for i in content.items if i.discount > 0)

    p = content.payment
    if p.method == "cash":
        assert " ".join(words(doc, "total.cashprice")) == format_number(p.tendered, locale)
        assert " ".join(words(doc, "total.changeprice")) == format_number(p.change, locale)
    else:
        assert " ".join(words(doc, "total.creditcardprice")) == format_number(p.card_amount, locale)
        assert " ".join(words(doc, "payment.card_number")) == p.card_number
    if layout == "supermarket":
        assert words(doc, "total.menuqty_cnt") == [str(content.item_count)]
    if layout == "restaurant":
        assert content.venue == "restaurant"
    else:
        assert content.service == 0 and not content.tip_suggestions


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=150, deadline=None)
@given(seed=SEEDS, locale=st.sampled_from(LOCALES))
def test_receipt_properties(seed: int, layout: str, locale: str) -> None:
    assert_receipt_ok(seed, layout, locale)


@pytest.mark.parametrize(("layout", "locale"), COMBOS)
def test_every_layout_and_locale(layout: str, locale: str) -> None:
    """The same properties for every (layout, locale) pair, on fixed seeds, so no pair is left to chance."""
    for seed in (0, 1, 2, 3, 5, 8, 13, 21, 2**31 + 7, 2**32 - 1):
        assert_receipt_ok(seed, layout, locale)


EXTREMES = [
    ContentParams(items=IntRange(min=1, max=1), supermarket_items=IntRange(min=1, max=1), max_quantity=1),
    ContentParams(
        items=IntRange(min=30, max=40),
        supermarket_items=IntRange(min=60, max=70),
        max_quantity=99,
        discount_prob=1.0,
        tip_prob=1.0,
        cashier_prob=1.0,
        card_prob=0.0,
    ),
    ContentParams(
        max_quantity=99, discount_prob=1.0, card_prob=1.0, tip_prob=1.0, code=Choice(choices={"qrcode": 1})
    ),
]


@pytest.mark.parametrize("params", EXTREMES, ids=["one-item", "long-cash", "big-card"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_extreme_params(params: ContentParams, layout: str) -> None:
    """One item, many items, large quantities (amounts over 1,000 with thousands separators) still lay out."""
    for seed in range(3):
        for locale in LOCALES:
            assert_receipt_ok(seed, layout, locale, params)


@settings(max_examples=150, deadline=None)
@given(seed=SEEDS, layout=st.sampled_from(LAYOUTS), locale=st.sampled_from(LOCALES))
def test_same_seed_same_receipt_other_seed_differs(seed: int, layout: str, locale: str) -> None:
    c1, d1 = make(seed, layout, locale)
    c2, d2 = make(seed, layout, locale)
    assert c1.model_dump() == c2.model_dump()
    assert d1.model_dump() == d2.model_dump()
    assert c1.model_dump_json() == c2.model_dump_json()
    c3, d3 = make(seed ^ 1, layout, locale)
    assert c3.model_dump() != c1.model_dump()
    assert d3.model_dump() != d1.model_dump()


VAT_RATES = {
    "en_GB": {"0", "20"},
    "de_DE": {"7", "19"},
    "fr_FR": {"5.5", "10", "20"},
    "es_ES": {"10", "21"},
    "it_IT": {"10", "22"},
    "nl_NL": {"9", "21"},
    "pt_BR": {"18"},
    "en_MY": {"0", "6"},
    "ja_JP": {"8", "10"},
    "id_ID": {"10", "11"},  # added on top: PPN 11% in shops, PB1 10% in restaurants and cafes
}


@pytest.mark.parametrize("locale", LOCALES)
def test_tax_rates_and_mode_per_country(locale: str) -> None:
    """US sales tax 4-9.5 % and Indonesian PPN/PB1 added on top; elsewhere VAT included at the country's rates."""
    seen: set[Decimal] = set()
    for seed in range(25):
        for layout in LAYOUTS:
            c, _ = make(seed, layout, locale)
            seen |= {t.rate for t in c.taxes}
            if locale == "en_US":
                assert c.tax_mode == "added" and len(c.taxes) == 1
                assert Decimal(4) <= c.taxes[0].rate <= Decimal("9.5")
                assert c.total == c.subtotal + c.tax_total + c.service
            elif locale == "id_ID":
                assert c.tax_mode == "added" and len(c.taxes) == 1
                assert c.taxes[0].rate == (10 if c.venue in ("cafe", "restaurant") else 11)
                assert c.total == c.subtotal + c.tax_total + c.service
                assert all(a == a.to_integral_value() for a in (c.total, c.tax_total, c.subtotal, c.service))
            else:
                assert c.tax_mode == "included" and c.total == c.subtotal + c.service
    if locale != "en_US":
        assert {str(r) for r in seen} == VAT_RATES[locale]


_DIGEST = """
import hashlib, sys, numpy as np
from simvision.scenes.receipt.config import ContentParams, LAYOUTS, LOCALES
from simvision.scenes.receipt.content import sample_content
from simvision.scenes.receipt.layouts import build_doc
h = hashlib.sha256()
for seed in range(3):
    for layout in LAYOUTS:
        for locale in LOCALES:
            rng = np.random.default_rng(seed)
            c = sample_content(rng, ContentParams(), layout, locale)
            h.update(c.model_dump_json().encode() + build_doc(c, layout, rng).model_dump_json().encode())
print(h.hexdigest())
"""


def test_same_receipts_in_every_process() -> None:
    """No dependence on Python's string hash seed (Faker builds some word lists from sets)."""
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root)}
    digests = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST],
            env={**env, "PYTHONHASHSEED": hs},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hs in ("1", "2")
    }
    assert len(digests) == 1, digests


def test_content_round_trips_through_json() -> None:
    content, _ = make(7, "supermarket", "de_DE")
    again = ReceiptContent.model_validate_json(content.model_dump_json())
    assert again == content
    assert check_arithmetic(again) == []


def test_layouts_look_different() -> None:
    """Each layout has its own features: columns, item codes, table line, rules."""
    for seed in range(8):
        for locale in LOCALES:
            docs = {layout: make(seed, layout, locale)[1] for layout in LAYOUTS}
            rules = {layout: {b.char for b in d.blocks if b.kind == "rule"} for layout, d in docs.items()}
            assert "=" in rules["restaurant"] and rules["thermal_roll"] == {"-"}
            assert words(docs["supermarket"], "total.menuqty_cnt") and not words(
                docs["till_slip"], "total.menuqty_cnt"
            )
            # till slip prints a unit price for every item in its own column
            till_content = make(seed, "till_slip", locale)[0]
            assert len([s for s in segments(docs["till_slip"]) if s.category == "menu.unitprice"]) == len(
                till_content.items
            )


def test_params_are_honoured() -> None:
    never = ContentParams(discount_prob=0.0, card_prob=1.0, cashier_prob=0.0, tip_prob=0.0)
    always = ContentParams(discount_prob=1.0, card_prob=0.0, cashier_prob=1.0, tip_prob=1.0)
    for seed in range(30):
        c, d = make(seed, "restaurant", "en_US", never)
        assert c.payment.method == "card" and c.cashier is None and c.service_kind == "none"
        assert c.discount_total == 0 and not words(d, "store.cashier")
        c, d = make(seed, "restaurant", "en_US", always)
        assert c.payment.method == "cash" and c.cashier is not None and c.service > 0
        assert c.discount_total > 0 and words(d, "sub_total.service_price")


# --- the checks themselves can fail -------------------------------------------------------------------------


def test_check_arithmetic_finds_errors() -> None:
    content, _ = make(3, "supermarket", "fr_FR")
    cent = Decimal("0.01")
    item = content.items[0]
    bad_item = item.model_copy(update={"price": item.price + cent})
    broken = [
        content.model_copy(update={"total": content.total + cent}),
        content.model_copy(update={"subtotal": content.subtotal - cent}),
        content.model_copy(update={"items": (bad_item, *content.items[1:])}),
        content.model_copy(
            update={
                "taxes": (
                    content.taxes[0].model_copy(update={"tax": content.taxes[0].tax + cent}),
                    *content.taxes[1:],
                )
            }
        ),
    ]
    for c in broken:
        assert check_arithmetic(c), c
    us, _ = make(3, "thermal_roll", "en_US", ContentParams(card_prob=0.0))
    assert check_arithmetic(us.model_copy(update={"tax_total": us.tax_total + cent}))
    pay = us.payment.model_copy(update={"change": us.payment.change + cent})
    assert check_arithmetic(us.model_copy(update={"payment": pay}))


def test_overlap_check_detects_overlap() -> None:
    line = TextLine(
        segments=(Segment(text="Margherita", x=0.0), Segment(text="19,00", x=9 / 32, align="left"))
    )
    doc = ReceiptDoc(layout="thermal_roll", width_chars=32, blocks=(line,))
    assert overlap_problems(doc)
    off = TextLine(segments=(Segment(text="TOTAL", x=1.0, align="left"),))
    assert overlap_problems(ReceiptDoc(layout="thermal_roll", width_chars=32, blocks=(off,)))
