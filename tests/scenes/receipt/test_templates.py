"""Layout templates (issue 17, part 10): a chain's receipt described in YAML gives receipts in that layout with new
content per seed; the four shipped layouts are templates of the same kind; a bad template is refused with one
message naming the field, the value and what is allowed (exit 2 from the command line)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simvision.errors import UserError
from simvision.sample import sample_spec
from simvision.scene import Scene, default_scene_dir, load_scene, parse_scene, scene_from_json
from simvision.scenes.receipt.config import LAYOUTS, ContentParams
from simvision.scenes.receipt.content import check_arithmetic, sample_content
from simvision.scenes.receipt.doc import ReceiptDoc, Segment, TextLine
from simvision.scenes.receipt.layout_grid import fits
from simvision.scenes.receipt.layouts import build_doc
from simvision.scenes.receipt.template import SHIPPED, LayoutTemplate, parse_template, shipped

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = default_scene_dir() / "receipt_template.yaml"
CORNER_SHOP = default_scene_dir() / "templates" / "corner_shop.yaml"

#: A template written for these tests: literal header text, fields, declared columns and totals rows.
CHAIN: dict[str, Any] = {
    "width": {"min": 40, "max": 44},
    "align": "center",
    "shop": {"venue": "grocery"},
    "blocks": [
        {"line": {"text": "{shop.name}", "style": "large"}},
        {"line": "WELCOME TO OUR STORE"},
        {"line": "{shop.address}"},
        {"line": {"left": "Date {date:%Y-%m-%d}", "right": "No. {receipt_no}"}},
        {"rule": "="},
        {
            "items": {
                "head": True,
                "columns": [
                    {"field": "quantity", "width": 3},
                    {"field": "name"},
                    {"field": "unit_price", "width": 7},
                    {"field": "amount", "width": 9},
                ],
            }
        },
        {"rule": "-"},
        {
            "totals": {
                "rows": ["subtotal", "tax", {"total": {"label": "TO PAY", "money": "number"}}, "payment"]
            }
        },
        {"line": {"text": "SEE YOU SOON", "style": "small"}},
    ],
}


def chain_scene(template: Any = None, **content: Any) -> Scene:
    data = {
        "generator": "receipt",
        "image": {"width": 640, "height": 1400, "format": "png"},
        "params": {
            "content": {
                "locale": {"choices": {"en_GB": 1, "en_US": 1}},
                "templates": {"chain": CHAIN if template is None else template},
                "layout": {"choices": {"chain": 1}},
                **content,
            }
        },
    }
    return parse_scene(data, "chain", "chain.yaml")


CHAIN_SCENE = chain_scene()


def lines(doc: ReceiptDoc) -> list[TextLine]:
    return [b for b in doc.blocks if isinstance(b, TextLine)]


def seg(line: TextLine, category: str) -> Segment | None:
    return next((s for s in line.segments if s.category == category), None)


def amount(text: str) -> Decimal:
    """An English-locale amount as printed: ``£1,234.50`` / ``-0.44`` / ``USD 3.10``."""
    return Decimal(re.sub(r"[^\d.\-]", "", text))


def printed(doc: ReceiptDoc, category: str) -> list[Decimal]:
    return [amount(s.text) for ln in lines(doc) for s in ln.segments if s.category == category]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), index=st.integers(0, 10_000))
def test_a_yaml_template_gives_receipts_in_its_layout(seed, index):
    spec = sample_spec(CHAIN_SCENE, seed, index)
    doc, c = spec.doc, spec.content
    assert spec.layout == doc.layout == "chain"
    w = doc.width_chars
    assert 40 <= w <= 44
    text = [" ".join(s.text for s in ln.segments) for ln in lines(doc)]
    # header: the fields filled in, the literal text as written
    assert seg(lines(doc)[0], "store.name") is not None
    assert "WELCOME TO OUR STORE" in text
    assert [s.text for ln in lines(doc) for s in ln.segments if s.category == "store.addr"] == list(c.address)
    assert any(
        s.text == c.issued.strftime("%Y-%m-%d") and s.category == "store.date"
        for ln in lines(doc)
        for s in ln.segments
    )
    assert "SEE YOU SOON" in text
    # the item row: every cell aligned as declared (quantity right at 3, name left at 4, amounts right at the edges)
    head = next(
        ln for ln in lines(doc) if ln.style == "bold" and any(s.text.lower() == "qty" for s in ln.segments)
    )
    amount_w = max(9, max(len(f"{i.amount:,.2f}") for i in c.items), len("Amount"))
    unit_w = max(7, max(len(f"{i.unit_price:,.2f}") for i in c.items), len(head.segments[2].text))
    rows = [ln for ln in lines(doc) if seg(ln, "menu.nm") is not None]
    assert len(rows) == len(c.items)
    for ln, item in zip(rows, c.items, strict=True):
        cells = {s.category: s for s in ln.segments}
        assert cells["menu.nm"].align == "left" and cells["menu.nm"].x * w == pytest.approx(4)
        assert cells["menu.cnt"].text == str(item.quantity) and cells["menu.cnt"].x * w == pytest.approx(3)
        assert cells["menu.price"].align == "right" and cells["menu.price"].x * w == pytest.approx(w)
        unit = cells["menu.unitprice"]
        assert unit.align == "right" and unit.x * w == pytest.approx(w - amount_w - 1)
        assert w - amount_w - 1 - unit_w > 4  # the name's room is what is left
        assert fits(ln.segments, w)
    # the totals add up as printed
    check_arithmetic(c)
    items = sum(printed(doc, "menu.price"), Decimal(0)) + sum(printed(doc, "menu.discountprice"), Decimal(0))
    (subtotal,) = printed(doc, "sub_total.subtotal_price")
    (total,) = printed(doc, "total.total_price")
    assert subtotal == items
    added = sum(printed(doc, "sub_total.tax_price"), Decimal(0)) if c.tax_mode == "added" else Decimal(0)
    assert total == subtotal + added
    if c.payment.method == "cash":
        (cash,), (change,) = printed(doc, "total.cashprice"), printed(doc, "total.changeprice")
        assert cash - change == total
    else:
        assert printed(doc, "total.creditcardprice") == [total]
    assert any(s.text == "TO PAY" for ln in lines(doc) if seg(ln, "total.total_price") for s in ln.segments)


def test_each_seed_gives_new_content_in_the_same_layout():
    specs = [sample_spec(CHAIN_SCENE, 0, i) for i in range(6)]
    assert len({s.content.store_name for s in specs}) >= 5
    assert len({tuple(i.name for i in s.content.items) for s in specs}) == 6
    assert {s.layout for s in specs} == {"chain"}


def test_a_template_needs_no_file_once_loaded_and_replays_from_the_dataset_identity(tmp_path):
    folder = tmp_path / "scenes"
    (folder / "templates").mkdir(parents=True)
    shutil.copy(CORNER_SHOP, folder / "templates" / "corner_shop.yaml")
    shutil.copy(EXAMPLE, folder / "mine.yaml")
    scene = load_scene(
        folder / "mine.yaml"
    )  # the path is read relative to the scene file, not the working dir
    (folder / "templates" / "corner_shop.yaml").unlink()
    again = scene_from_json(scene.to_json(), "identity")
    assert again.digest == scene.digest
    for i in range(4):
        assert sample_spec(again, 3, i) == sample_spec(scene, 3, i)


def test_inline_and_file_templates_are_the_same_template(tmp_path):
    (tmp_path / "chain.yaml").write_text(yaml.safe_dump(CHAIN))
    data = {"generator": "receipt", "params": {"content": {"templates": {"chain": "chain.yaml"}}}}
    by_path = parse_scene(data, "p", "p.yaml", base_dir=tmp_path)
    assert by_path.params.content.templates["chain"] == CHAIN_SCENE.params.content.templates["chain"]


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_layouts_are_templates_of_the_same_kind(name):
    template = shipped(name)
    assert isinstance(template, LayoutTemplate)
    assert LayoutTemplate.model_validate(template.model_dump(mode="json")) == template  # dumps as written
    assert (
        parse_template(yaml.safe_load((Path(template_dir()) / f"{name}.yaml").read_text()), name) == template
    )
    for seed in range(5):
        rng = np.random.default_rng([seed, 1])
        c = sample_content(rng, ContentParams(), name, "de_DE")
        doc = build_doc(c, name, rng)
        assert doc.layout == name and template.width.min <= doc.width_chars <= template.width.max
        assert all(fits(ln.segments, doc.width_chars) for ln in lines(doc))
    assert set(LAYOUTS) == set(SHIPPED)


def test_every_shipped_template_file_passes_the_json_schema_editors_use():
    import jsonschema

    schema = LayoutTemplate.model_json_schema()
    for path in [*template_dir().glob("*.yaml"), CORNER_SHOP]:
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    typo = {**CHAIN, "blocks": ["headr", *CHAIN["blocks"]]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(typo, schema)


def template_dir() -> Path:
    from simvision.scenes.receipt.template import TEMPLATE_DIR

    return TEMPLATE_DIR


def test_a_shipped_layout_used_as_a_template_gives_the_same_receipts():
    """A scene naming the shipped thermal_roll and one whose own template is a copy of it draw the same receipts."""
    own = yaml.safe_load((template_dir() / "thermal_roll.yaml").read_text())
    mine = chain_scene(own, locale={"choices": {"en_US": 1}})
    shipped_scene = chain_scene(locale={"choices": {"en_US": 1}}, layout={"choices": {"thermal_roll": 1}})
    for i in range(5):
        a, b = sample_spec(mine, 1, i), sample_spec(shipped_scene, 1, i)
        assert a.doc.blocks == b.doc.blocks and a.content.model_copy(
            update={"layout": "x"}
        ) == b.content.model_copy(update={"layout": "x"})


def test_the_example_scene_prints_its_key_fields_from_template_fields():
    scene = load_scene(EXAMPLE)
    assert set(scene.params.content.templates) == {"corner_shop", "kiosk"}
    for i in range(8):
        spec = sample_spec(scene, 0, i)
        c, doc = spec.content, spec.doc
        cats: dict[str, str] = {}
        for s in (s for ln in lines(doc) for s in ln.segments):
            cats[s.category] = f"{cats[s.category]} {s.text}" if s.category in cats else s.text
        assert cats["store.name"] == c.store_name  # a long name wraps onto two lines
        assert cats["store.date"] == (
            c.issued.strftime("%d/%m/%Y") if spec.layout == "corner_shop" else c.date_text
        )
        assert cats["store.receipt_no"].endswith(c.receipt_no)
        assert amount(cats["total.total_price"]) == c.total
        if spec.layout == "corner_shop":
            assert cats["store.tel"] == c.phone and cats["store.addr"] == " ".join(c.address)


def test_a_missing_key_field_is_left_off_a_template_receipt():
    scene = chain_scene(missing_field_prob=1.0)
    for i in range(12):
        spec = sample_spec(scene, 0, i)
        cats = {s.category for ln in lines(spec.doc) for s in ln.segments}
        missing = spec.content.missing
        assert missing is not None and missing not in cats


BAD = [
    # (what is wrong, template edit, words the message must hold)
    ("unknown field", {"blocks": [{"line": "Hi {shop.nmae}"}, *CHAIN["blocks"][4:]]}, ["chain.blocks.0.line.text", "shop.nmae", "shop.name"]),
    ("bad column field", {"blocks": [{"items": {"columns": [{"field": "nam"}]}}, "totals"]}, ["columns.0.field", '"nam"', "'name'"]),
    ("bad column width", {"blocks": [{"items": {"columns": [{"field": "name"}, {"field": "amount", "width": 0}]}}, "totals"]}, ["columns.1.width", "0"]),
    ("no totals block", {"blocks": [{"items": "roll"}]}, ["exactly one totals block"]),
    ("no total row", {"blocks": [{"items": "roll"}, {"totals": {"rows": ["subtotal", "tax"]}}]}, ["must include total", "subtotal"]),
    ("unknown block", {"blocks": [{"items": "roll"}, "totals", "footr"]}, ["blocks.2", "footr", "footer"]),
    ("unknown row", {"blocks": [{"items": "roll"}, {"totals": {"rows": ["total", "tips"]}}]}, ["rows.1", "tips", "service"]),
    ("columns too wide", {"width": 20, "blocks": [{"items": {"columns": [{"field": "name"}, {"field": "amount", "width": 18}]}}, "totals"]}, ["need 23 characters", "width.min is 20"]),
]  # fmt: skip


@pytest.mark.parametrize(("what", "edit", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_template_is_refused_naming_field_value_and_allowed(what, edit, words):
    with pytest.raises(UserError) as err:
        chain_scene({**CHAIN, **edit})
    msg = str(err.value)
    assert msg.startswith("chain.yaml: params.content.templates.chain"), msg
    for word in words:
        assert word in msg, (word, msg)
    assert len(msg.splitlines()) == 1


def test_a_layout_must_name_a_shipped_layout_or_a_template():
    with pytest.raises(UserError, match=r"params.content.layout: .*'chian'.*'chain'"):
        chain_scene(layout={"choices": {"chian": 1}})
    with pytest.raises(UserError, match=r"templates.*thermal_roll.*shipped"):
        parse_scene(
            {"generator": "receipt", "params": {"content": {"templates": {"thermal_roll": CHAIN}}}},
            "s",
            "s.yaml",
        )


def test_a_bad_template_file_exits_2_with_one_message_naming_the_file_field_and_value(tmp_path):
    (tmp_path / "templates").mkdir()
    bad = {
        **CHAIN,
        "blocks": [
            {"line": "{shop.name}"},
            {"items": {"columns": [{"field": "name"}, {"field": "price"}]}},
            "totals",
        ],
    }
    (tmp_path / "templates" / "mine.yaml").write_text(yaml.safe_dump(bad))
    scene = {
        "generator": "receipt",
        "params": {
            "content": {"templates": {"mine": "templates/mine.yaml"}, "layout": {"choices": {"mine": 1}}}
        },
    }
    (tmp_path / "scene.yaml").write_text(yaml.safe_dump(scene))
    (tmp_path / "missing.yaml").write_text(
        yaml.safe_dump({**scene, "params": {"content": {"templates": {"mine": "nope.yaml"}}}})
    )
    for name, words in [
        ("scene.yaml", ["params.content.templates.mine", "templates/mine.yaml", "blocks.1.items.columns.1.field", '"price"', "'amount'"]),
        ("missing.yaml", ["params.content.templates.mine", "nope.yaml", "not found"]),
    ]:  # fmt: skip
        run = subprocess.run(
            [sys.executable, "-m", "simvision", "generate", str(tmp_path / name), "-o", str(tmp_path / "out"), "-n", "1"],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
        assert run.returncode == 2, run.stderr[-2000:]
        for word in words:
            assert word in run.stderr, (word, run.stderr)
        assert "Traceback" not in run.stderr
