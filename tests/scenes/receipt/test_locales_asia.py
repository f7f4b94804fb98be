"""The benchmark locales: Indonesian (CORD-like), Malaysian (SROIE-like) and Japanese receipts.

Money is formatted as printed there, amounts add up in the currency's smallest unit (whole Rupiah and Yen),
taxes follow the country (PPN 11% / PB1 10% added; GST 6% SR/ZR; 消費税 8/10% included), and the Japanese
print has a shipped font covering every character; the new locales stay out of the default locale choice.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simvision.fonts import covers, fonts
from simvision.sample import render_sample
from simvision.scene import default_scene_dir, load_scene
from simvision.scenes.receipt.config import DEFAULT_LOCALES, LAYOUTS, ContentParams, ReceiptParams
from simvision.scenes.receipt.content import check_arithmetic, sample_content
from simvision.scenes.receipt.doc import TextLine
from simvision.scenes.receipt.generator import _doc_text, _pick_font
from simvision.scenes.receipt.layouts import build_doc
from simvision.scenes.receipt.money import format_money, format_number, money_info, parse_money

NEW = ("id_ID", "en_MY", "ja_JP")
PARAMS = ContentParams()


def make(seed: int, layout: str, locale: str):
    rng = np.random.default_rng(seed)
    content = sample_content(rng, PARAMS, layout, locale)
    return content, build_doc(content, layout, rng)


def doc_text(doc) -> str:
    return "\n".join(" ".join(s.text for s in b.segments) for b in doc.blocks if isinstance(b, TextLine))


@pytest.mark.parametrize(
    ("locale", "amount", "text"),
    [
        ("id_ID", "25000", "Rp 25.000"),
        ("id_ID", "1234567", "Rp 1.234.567"),
        ("id_ID", "-1500", "-Rp 1.500"),
        ("en_MY", "12.5", "RM12.50"),
        ("en_MY", "1234.05", "RM1,234.05"),
        ("ja_JP", "1280", "¥1,280"),
        ("ja_JP", "98", "¥98"),
    ],
)
def test_money_as_printed(locale: str, amount: str, text: str) -> None:
    assert format_money(Decimal(amount), locale) == text
    assert parse_money(text, locale) == Decimal(amount)


def test_numbers_and_places() -> None:
    assert format_number(Decimal("182118"), "id_ID") == "182.118"
    assert format_number(Decimal("0.435"), "id_ID", places=3) == "0,435"  # weights keep their decimals
    assert [money_info(x).places for x in NEW] == [0, 2, 0]


def test_new_locales_are_opt_in() -> None:
    assert set(PARAMS.locale.choices) == set(DEFAULT_LOCALES) and not set(NEW) & set(DEFAULT_LOCALES)
    assert not fonts()["noto_sans_mono_cjk_jp"].default


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(LAYOUTS), locale=st.sampled_from(NEW))
def test_amounts_add_up_in_the_smallest_unit(seed: int, layout: str, locale: str) -> None:
    c, _ = make(seed, layout, locale)
    assert check_arithmetic(c) == []
    unit = Decimal(1).scaleb(-money_info(locale).places)
    amounts = [c.subtotal, c.tax_total, c.service, c.total, *(t.tax for t in c.taxes)]
    amounts += [x for i in c.items for x in (i.unit_price, i.amount, i.discount, i.price)]
    amounts += [x for x in (c.payment.tendered, c.payment.change) if x is not None]
    assert all(a == a.quantize(unit) for a in amounts), amounts


@pytest.mark.parametrize("seed", range(12))
def test_country_rules(seed: int) -> None:
    for layout in LAYOUTS:
        c, doc = make(seed, layout, "id_ID")
        text = doc_text(doc).upper()
        food = c.venue in ("cafe", "restaurant")
        assert c.tax_mode == "added" and c.taxes[0].rate == (10 if food else 11)
        if c.missing != "sub_total.tax_price":
            assert ("PB1" if food else "PPN") in text
        c, doc = make(seed, layout, "en_MY")
        assert {i.tax_code for i in c.items} <= {"SR", "ZR"}
        assert {t.code: t.rate for t in c.taxes}.items() <= {"SR": Decimal(6), "ZR": Decimal(0)}.items()
        assert re.search(r" \(\d{4,7}-[A-Z]\)$", c.store_name), c.store_name
        assert not any("(" in line for line in c.footer if line.startswith("www."))
        c, doc = make(seed, layout, "ja_JP")
        assert c.tax_mode == "included" and {t.rate for t in c.taxes} <= {Decimal(8), Decimal(10)}


def test_japanese_print_is_covered_by_the_shipped_cjk_font() -> None:
    face = fonts()["noto_sans_mono_cjk_jp"]
    params = ReceiptParams()
    for seed in range(60):
        for layout in LAYOUTS:
            _, doc = make(seed, layout, "ja_JP")
            text = _doc_text(doc)
            assert covers(face, text), {ch for ch in text if not covers(face, ch)}
            assert not any(covers(f, text) for f in fonts().values() if f.default)
            assert _pick_font(np.random.default_rng(seed), params, text) == face.id
    # a Latin receipt never draws it with "any font"
    _, doc = make(0, "till_slip", "en_US")
    picks = {_pick_font(np.random.default_rng(s), params, _doc_text(doc)) for s in range(40)}
    assert face.id not in picks


def test_japanese_receipt_words_are_their_ink() -> None:
    """Word unit: a space-delimited run (Japanese prints no spaces inside a name); every word has ink, and its
    mask pixels lie in its box."""
    scene = load_scene(default_scene_dir() / "receipt_ja.yaml")
    sample = render_sample(scene, 0, 0)
    inst = sample.instances
    words = np.flatnonzero(inst.class_id == 2)
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", inst.text[r]) for r in words)
    for r in words:
        ys, xs = np.nonzero(sample.mask(int(r)))
        assert len(xs) > 0, inst.text[r]
        x0, y0, x1, y1 = inst.boxes[r]
        assert xs.min() >= x0 and xs.max() < x1 and ys.min() >= y0 and ys.max() < y1
        assert " " not in inst.text[r]
