"""Receipts that lack one key field (``params.content.missing_field_prob`` / ``missing_fields``).

The spec names the missing field, the printed receipt has no word of it (so the record's key fields lack it),
the content still adds up, and the receipt is otherwise the one the same seed gives without the edge case.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from simvision.errors import UserError
from simvision.registry import get_generator
from simvision.rng import rng_for
from simvision.sample import render_sample, render_spec, scene_canvas
from simvision.scene import Scene, parse_scene
from simvision.scenes.receipt.config import LAYOUTS, LOCALES, MISSING_FIELDS, ContentParams
from simvision.scenes.receipt.content import check_arithmetic, sample_content
from simvision.scenes.receipt.doc import CATEGORIES, ReceiptDoc, Rule, TextLine
from simvision.scenes.receipt.key_fields import key_fields
from simvision.scenes.receipt.layouts import build_doc
from simvision.scenes.receipt.missing import ALSO_DROPPED, applicable, sample_missing

GEN = get_generator("receipt")
CARD_ONLY = {"total.creditcardprice", "payment.card_number"}
CASH_ONLY = {"total.cashprice", "total.changeprice"}


def scene_dict(**content: Any) -> dict[str, Any]:
    return {
        "generator": "receipt",
        "image": {"width": 600, "height": 1400, "format": "png"},
        "params": {"content": content},
    }


def missing_scene(field: str, **content: Any) -> Scene:
    """A scene whose every receipt lacks ``field`` (paid the way that prints the field)."""
    card = 1.0 if field in CARD_ONLY else 0.0 if field in CASH_ONLY else 0.5
    content = {
        "missing_field_prob": 1.0,
        "missing_fields": {"choices": {field: 1}},
        "card_prob": card,
        **content,
    }
    return parse_scene(scene_dict(**content), f"missing_{field}", "<test>")


def dropped(field: str) -> set[str]:
    return {field, *ALSO_DROPPED.get(field, ())}


def doc_words(doc: ReceiptDoc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for b in doc.blocks:
        if isinstance(b, TextLine):
            for s in b.segments:
                out.setdefault(s.category, []).append(s.text)
    return out


def test_missing_fields_are_key_field_categories() -> None:
    assert set(MISSING_FIELDS) <= set(CATEGORIES) - {"other"}
    assert all(set(also) <= set(CATEGORIES) for also in ALSO_DROPPED.values())


@pytest.mark.parametrize("field", MISSING_FIELDS)
def test_rendered_receipt_lacks_the_field(field: str) -> None:
    scene = missing_scene(field)
    for index in range(2):
        s = render_sample(scene, seed=5, index=index)
        spec = GEN.spec_model.model_validate(s.meta["spec"])
        assert spec.content.missing == field
        assert s.meta["spec"]["content"]["missing"] == field
        cats = set(s.instances.attrs["category"].tolist())
        assert not cats & dropped(field), f"{field} printed on a {spec.layout} receipt"
        assert not set(key_fields(s.instances)) & dropped(field)
        assert check_arithmetic(spec.content) == []
        assert not dropped(field) & set(doc_words(spec.doc))


def test_replay_reproduces_the_missing_field() -> None:
    """The spec as stored in a record renders the same sample again (what ``replay`` does)."""
    scene = missing_scene("store.date")
    s = render_sample(scene, seed=2, index=3)
    spec = GEN.spec_model.model_validate(json.loads(json.dumps(s.meta["spec"])))
    assert spec.content.missing == "store.date"
    again = render_spec(scene, spec, 2, 3)
    assert np.array_equal(again.image, s.image)
    assert again.instances.text == s.instances.text


@pytest.mark.parametrize("field", MISSING_FIELDS)
def test_same_receipt_minus_the_field(field: str) -> None:
    """Same seed with and without the edge case: every draw and every other printed word is the same."""
    full, lacking = (missing_scene(field, missing_field_prob=p) for p in (0.0, 1.0))
    printed = 0
    for index in range(12):
        a, b = (GEN.sample(rng_for(9, index, "scene"), sc.params, scene_canvas(sc)) for sc in (full, lacking))
        assert a.content.missing is None and b.content.missing == field
        assert b.content.model_copy(update={"missing": None}) == a.content
        # the pen follows the print (no printed total: none to circle), so the handwriting may differ too
        same = {"content", "doc", "font_id", "handwriting"}
        assert b.model_dump(exclude=same) == a.model_dump(exclude=same)
        wa, wb = doc_words(a.doc), doc_words(b.doc)
        assert {k: v for k, v in wa.items() if k not in dropped(field) and k != "other"} == {
            k: v for k, v in wb.items() if k != "other"
        }
        printed += field in wa
        kinds = [type(x) for x in b.doc.blocks]
        assert all(not (x is y is Rule) for x, y in zip(kinds, kinds[1:], strict=False)), "rule after rule"
    assert printed >= 6, f"{field} printed on only {printed} of 12 receipts without the edge case"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_and_locale_can_leave_each_field_off(layout: str) -> None:
    """Each applicable field left off every (layout, locale) pair: it lays out, and only that field is gone."""
    for locale in LOCALES:
        for seed, card_prob in ((0, 1.0), (1, 0.0)):
            rng = np.random.default_rng(seed)
            content = sample_content(rng, ContentParams(card_prob=card_prob), layout, locale)
            full = doc_words(build_doc(content, layout, np.random.default_rng(seed)))
            for field in applicable(content):
                lacking = content.model_copy(update={"missing": field})
                words = doc_words(build_doc(lacking, layout, np.random.default_rng(seed)))
                assert not dropped(field) & set(words), (layout, locale, field)
                kept = {k: v for k, v in full.items() if k not in dropped(field) and k != "other"}
                assert kept == {k: v for k, v in words.items() if k != "other"}, (layout, locale, field)


def test_probability_zero_leaves_nothing_out(receipt_scene: Scene) -> None:
    zero = parse_scene(scene_dict(missing_fields={"choices": {"total.total_price": 1}}), "zero", "<test>")
    for scene in (receipt_scene, zero):
        assert scene.params.content.missing_field_prob == 0.0
        for index in range(10):
            spec = GEN.sample(rng_for(1, index, "scene"), scene.params, scene_canvas(scene))
            assert spec.content.missing is None
            assert "missing" not in json.loads(spec.model_dump_json())["content"]
            assert "total.total_price" in doc_words(spec.doc)


def test_sampling_rate_applicability_and_draw_count() -> None:
    params = ContentParams(missing_field_prob=0.4)
    contents = {
        method: sample_content(np.random.default_rng(3), ContentParams(card_prob=p), "till_slip", "de_DE")
        for method, p in (("card", 1.0), ("cash", 0.0))
    }
    for method, content in contents.items():
        assert content.payment.method == method
        drawn = []
        for seed in range(400):
            rng, twin = np.random.default_rng(seed), np.random.default_rng(seed)
            drawn.append(sample_missing(rng, params, content))
            twin.random(2)
            assert rng.random() == twin.random(), "sample_missing must take exactly two draws"
        chosen = [f for f in drawn if f is not None]
        assert 0.3 < len(chosen) / len(drawn) < 0.5
        assert set(chosen) <= set(applicable(content))
        assert not set(chosen) & (CASH_ONLY if method == "card" else CARD_ONLY)
        assert len(set(chosen)) >= 8
    # only inapplicable fields allowed: nothing is left out
    cash_only = ContentParams(missing_field_prob=1.0, missing_fields={"choices": {"total.changeprice": 1}})
    assert sample_missing(np.random.default_rng(0), cash_only, contents["card"]) is None
    assert sample_missing(np.random.default_rng(0), cash_only, contents["cash"]) == "total.changeprice"


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ({"missing_fields": {"choices": {"store.nam": 1}}}, "params.content.missing_fields"),
        ({"missing_fields": {"choices": {"menu.nm": 1}}}, "params.content.missing_fields"),
        ({"missing_field_prob": 1.5}, "params.content.missing_field_prob"),
    ],
)
def test_bad_values_are_rejected(content: dict[str, Any], where: str) -> None:
    with pytest.raises(UserError, match=where.replace(".", r"\.")):
        parse_scene(scene_dict(**content), "bad", "<test>")
    with pytest.raises(ValidationError):
        ContentParams.model_validate(content)
