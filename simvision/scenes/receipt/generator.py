"""The receipt generator: ``sample_spec(rng, params, image) -> ReceiptSpec``; every random choice is drawn here."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from simvision.canvas import Canvas
from simvision.distributions import coin
from simvision.fonts import covers, fonts
from simvision.rng import child_seed
from simvision.scenekind import SceneKind
from simvision.scenes.receipt.advice import ADVICE
from simvision.scenes.receipt.config import ReceiptParams
from simvision.scenes.receipt.content import ReceiptContent, sample_content
from simvision.scenes.receipt.doc import ReceiptDoc, Rule, TextLine
from simvision.scenes.receipt.hands import sample_hand
from simvision.scenes.receipt.handwriting import sample_handwriting, with_blanks
from simvision.scenes.receipt.key_fields import record_extras
from simvision.scenes.receipt.layouts import build_doc
from simvision.scenes.receipt.missing import sample_missing
from simvision.scenes.receipt.render import CLASSES
from simvision.scenes.receipt.several import refused_formats, render_photo, sample_several
from simvision.scenes.receipt.spec import ReceiptSpec
from simvision.scenes.receipt.stamps import sample_stamp
from simvision.scenes.receipt.stats import STATS

INKS = {"black": (24, 22, 26), "grey": (60, 60, 66), "blue": (35, 40, 95), "purple": (60, 35, 80)}
#: Carbon copy tints: the blue and violet of carbon paper, lighter than ribbon ink.
CARBON_INKS = ((52, 62, 150), (88, 56, 140))


def _doc_text(doc: ReceiptDoc) -> str:
    parts = []
    for b in doc.blocks:
        if isinstance(b, TextLine):
            parts.extend(s.text for s in b.segments)
        elif isinstance(b, Rule):
            parts.append(b.char)
    return "".join(parts)


def _pick_font(rng: np.random.Generator, params: ReceiptParams, text: str) -> str:
    """A shipped font that has a glyph for every character printed (drawn from the scene's font choice; "any"
    means the manifest's default fonts, or every font when none of those covers the text)."""
    allowed = (
        params.look.font.choices if params.look.font else {k: 1.0 for k, f in fonts().items() if f.default}
    )
    ids = sorted(k for k, w in allowed.items() if w > 0 and covers(fonts()[k], text))
    if not ids and not params.look.font:  # "any" font: a script font (Japanese) when no default one covers it
        allowed = {k: 1.0 for k in fonts()}
        ids = sorted(k for k in allowed if covers(fonts()[k], text))
    if not ids:
        raise ValueError(f"no allowed font covers the receipt text; allowed: {sorted(allowed)}")
    w = np.array([allowed[k] for k in ids], np.float64)
    return ids[int(rng.choice(len(ids), p=w / w.sum()))]


def sample_occluders(
    rng: np.random.Generator, params: ReceiptParams, content: ReceiptContent
) -> dict[str, Any]:
    """Stamps and hands on the paper, drawn after every other choice and not at all when the scene has none, so scenes
    without them keep every other draw."""
    hp, sp = params.look.hands, params.look.stamp
    out: dict[str, Any] = {}
    if sp.p > 0 and coin(rng, sp.p):
        n = int(rng.integers(1, sp.max + 1))
        out["stamps"] = tuple(
            sample_stamp(rng, content.locale, content.store_name, content.date_text) for _ in range(n)
        )
    if hp.p > 0 and coin(rng, hp.p):
        n = int(rng.integers(1, hp.max + 1))
        out["hands"] = tuple(sample_hand(rng, hp.poses.sample(rng)) for _ in range(n))
    return out


def sample_spec(rng: np.random.Generator, params: ReceiptParams, canvas: Canvas) -> ReceiptSpec:
    """Draw one concrete receipt scene on ``canvas`` (the paper is placed inside its output frame). With
    ``params.receipts`` above 1 the photo holds several: see :func:`~simvision.scenes.receipt.several.sample_several`."""
    if params.several:
        return sample_several(rng, params, canvas, sample_one)
    return sample_one(rng, params, canvas)


def sample_one(
    rng: np.random.Generator,
    params: ReceiptParams,
    canvas: Canvas,
    slot: tuple[int, int, int, int] | None = None,
) -> ReceiptSpec:
    """One receipt placed in the output frame of ``canvas``, or in ``slot`` of it (its strip of a photo of several
    receipts)."""
    c, look = params.content, params.look
    layout = c.layout.sample(rng)
    locale = c.locale.sample(rng)
    template = c.template(layout)
    content = sample_content(rng, c, layout, locale, template)
    layout_rng = copy.deepcopy(rng) if c.missing_field_prob > 0 else None  # to lay it out again, see below
    doc = build_doc(content, template, rng)
    font_id = _pick_font(rng, params, _doc_text(doc))
    thermal = template.paper == "thermal"
    ink_name = (
        "black"
        if thermal
        else str(rng.choice(["black", "grey", "blue", "purple"], p=[0.55, 0.25, 0.12, 0.08]))
    )
    tint = look.paper_tint.sample(rng)
    warm = np.array([1.0, 0.985, 0.94])  # aged paper yellows
    paper = np.clip(rng.uniform(238, 252) * (1 - tint * (1 - warm)) - tint * 40, 0, 255)
    spec = ReceiptSpec(
        width=canvas.width,
        height=canvas.height,
        frame=canvas.frame,
        locale=locale,
        layout=layout,
        content=content,
        doc=doc,
        font_id=font_id,
        font_px=look.font_px.sample(rng),
        line_spacing=float(rng.uniform(1.12, 1.35)),
        margin_px=look.margin_px.sample(rng),
        ink=look.ink.sample(rng),
        ink_rgb=INKS[ink_name],
        paper_rgb=tuple(int(v) for v in paper),
        background=look.background.sample(rng),
        rotation_deg=look.rotation_deg.sample(rng),
        place=(float(rng.random()), float(rng.random())),
        torn_top=coin(rng, 0.8 if thermal else 0.3),
        torn_bottom=coin(rng, 0.8 if thermal else 0.3),
        texture_seed=child_seed(rng),
        slot=slot,
    )
    # Drawn after the rest, so the draws above (and so every receipt that lacks no field) do not depend on
    # missing_field_prob: a receipt that lacks a field is the same receipt, laid out with the same style
    # draws, minus that field.
    missing = sample_missing(rng, c, content)
    occluders = sample_occluders(rng, params, content)
    if occluders:
        spec = spec.model_copy(update=occluders)
    if missing is not None and layout_rng is not None:
        content = content.model_copy(update={"missing": missing})
        doc = build_doc(content, template, layout_rng)
        text = _doc_text(doc)
        if not covers(fonts()[font_id], text):  # a label no longer cut short may show a new glyph
            font_id = _pick_font(rng, params, text)
        spec = spec.model_copy(update={"content": content, "doc": doc, "font_id": font_id})
    # Pen on the print comes after the print: the printed receipt does not depend on the handwriting knobs.
    hw = sample_handwriting(rng, look.handwriting, spec.content, spec.doc)
    if hw is not None:
        doc = with_blanks(spec.doc, hw)  # the printed Tip / Total / Signature lines a written tip goes on
        font_id = spec.font_id
        if doc is not spec.doc and not covers(fonts()[font_id], _doc_text(doc)):
            font_id = _pick_font(rng, params, _doc_text(doc))
        spec = spec.model_copy(update={"doc": doc, "font_id": font_id, "handwriting": hw})
    return _with_printer(rng, params, spec)


def _with_printer(rng: np.random.Generator, params: ReceiptParams, spec: ReceiptSpec) -> ReceiptSpec:
    """Draw the printer last (nothing is drawn for the thermal-only default, so those specs stay as they were);
    a carbon copy takes a carbon tint for its ink."""
    choices = params.look.printer.choices
    if not any(k != "thermal" and w > 0 for k, w in choices.items()):
        return spec
    printer = params.look.printer.sample(rng)
    update: dict[str, object] = {"printer": printer}
    if printer == "carbon":
        update["ink_rgb"] = CARBON_INKS[int(rng.integers(len(CARBON_INKS)))]
    return spec.model_copy(update=update)


GENERATOR = SceneKind(
    name="receipt",
    description="Shop receipts (thermal roll, till slip, restaurant bill, supermarket) flat on a surface",
    classes=CLASSES,
    params_model=ReceiptParams,
    spec_model=ReceiptSpec,
    sample=sample_spec,
    render=lambda spec, settings: render_photo(spec),
    surfaces=frozenset({"receipt"}),  # the paper bends, folds and curls; the table under it does not
    text_classes=frozenset({"word", "handwriting"}),
    formats=frozenset({"cord", "sroie", "dewarp"}),
    record_extras=record_extras,
    refused_formats=refused_formats,
    stats=STATS,
    advice=ADVICE,
)
