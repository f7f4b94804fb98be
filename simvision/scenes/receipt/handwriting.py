"""Pen on a printed receipt, as data: what a person wrote or marked, and how their hand looks. No pixels here.

:func:`sample_handwriting` draws a :class:`Handwriting` (the only randomness; the per-glyph jitter is seeded by its
``seed``); :func:`with_blanks` adds the printed "Tip / Total / Signature" lines a written tip is entered on;
``pen.draw_handwriting`` turns it into ink on the laid-out paper.

Arithmetic: ``written_total = content.total + tip`` (``Decimal``, to the cent), both written in the receipt's
locale number format.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from simvision.distributions import coin
from simvision.fonts import covers, hand_fonts
from simvision.rng import child_seed
from simvision.scenes.receipt.config import HandwritingParams
from simvision.scenes.receipt.content import ReceiptContent, _faker
from simvision.scenes.receipt.doc import ReceiptDoc, Segment, Space, TextLine
from simvision.scenes.receipt.labels import labels_for
from simvision.scenes.receipt.money import format_number, q2

#: The printed label of the signature line, per locale.
SIGNATURE = {
    "en_US": "Signature",
    "en_GB": "Signature",
    "de_DE": "Unterschrift",
    "fr_FR": "Signature",
    "es_ES": "Firma",
    "it_IT": "Firma",
    "nl_NL": "Handtekening",
    "pt_BR": "Assinatura",
}
#: Pen colours (RGB) and stroke widths in px at a 20 px print font (scaled with the handwriting's size).
PENS: dict[str, tuple[tuple[int, int, int], float]] = {
    "blue_ballpoint": ((28, 42, 128), 1.0),
    "black_ballpoint": ((30, 30, 38), 1.0),
    "blue_felt_tip": ((20, 50, 160), 2.2),
    "black_felt_tip": ((14, 14, 18), 2.2),
}
Around = Literal["none", "circle", "underline"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hand(_Frozen):
    """One writer's hand: font, size (x the print's font size), slant (deg, right-leaning positive), how far the
    baseline drifts (deg) and wobbles (fraction of the size), per-glyph size/rotation jitter, pen and pressure."""

    font_id: str
    size: float
    slant_deg: float
    drift_deg: float
    wobble: float
    jitter: float
    pen: str
    pen_rgb: tuple[int, int, int]
    pen_width: float
    pressure: float  # 0 = even ink, 1 = strokes fading to half where the pen presses lightly


class Handwriting(_Frozen):
    """What was written on one receipt. ``tip_text``/``total_text`` are the written amounts (locale format);
    ``ticks``/``struck`` name item groups (the ``group`` of the item's ``menu.nm`` words)."""

    hand: Hand
    tip: Decimal | None = None
    written_total: Decimal | None = None
    tip_text: str = ""
    total_text: str = ""
    tip_label: str = ""
    total_label: str = ""
    signature_label: str = ""
    signature: str = ""
    around_total: Around = "none"
    ticks: tuple[int, ...] = ()
    struck: tuple[int, ...] = ()
    seed: int


def _tip(rng: np.random.Generator, total: Decimal) -> Decimal:
    """A tip as people write one: the total rounded up to a round sum, or a percentage to the half unit."""
    if rng.random() < 0.6:
        step = Decimal(str(rng.choice(["1", "5", "5", "10"] if total > 30 else ["0.50", "1", "1", "5"])))
        target = (total / step).to_integral_value(ROUND_CEILING) * step
        if target - total < Decimal("0.50"):
            target += step
        return q2(target - total)
    rate = Decimal(str(rng.choice(["5", "8", "10", "10", "12", "15"])))
    half = Decimal("0.50")
    return max(half, q2((total * rate / 100 / half).to_integral_value(ROUND_CEILING) * half))


def _item_groups(doc: ReceiptDoc) -> list[int]:
    return sorted(
        {
            s.group
            for b in doc.blocks
            if isinstance(b, TextLine)
            for s in b.segments
            if s.category == "menu.nm" and s.group >= 0
        }
    )


def _prints_total(doc: ReceiptDoc) -> bool:
    return any(
        s.category == "total.total_price" for b in doc.blocks if isinstance(b, TextLine) for s in b.segments
    )


def _hand(rng: np.random.Generator, params: HandwritingParams, text: str) -> Hand:
    allowed = params.font.choices if params.font else {k: 1.0 for k in hand_fonts()}
    ids = sorted(k for k, w in allowed.items() if w > 0 and covers(hand_fonts()[k], text))
    if not ids:
        raise ValueError(f"no allowed handwriting font covers {text!r}; allowed: {sorted(allowed)}")
    w = np.array([allowed[k] for k in ids], np.float64)
    font_id = ids[int(rng.choice(len(ids), p=w / w.sum()))]
    pen = params.pen.sample(rng)
    rgb, width = PENS[pen]
    return Hand(
        font_id=font_id,
        size=params.size.sample(rng),
        slant_deg=float(rng.normal(8.0, 7.0)),
        drift_deg=float(rng.normal(0.0, 1.5)),
        wobble=float(rng.uniform(0.01, 0.06)),
        jitter=float(rng.uniform(0.03, 0.09)),
        pen=pen,
        pen_rgb=rgb,
        pen_width=width,
        pressure=float(rng.uniform(0.0, 0.6)),
    )


def sample_handwriting(
    rng: np.random.Generator, params: HandwritingParams, content: ReceiptContent, doc: ReceiptDoc
) -> Handwriting | None:
    """What a person wrote on this receipt, or None (most receipts).

    A written tip (with the new total and a signature) goes on restaurant bills paid by card that print no tip of
    their own.
    Every draw is made whatever ``params`` say, so a changed probability changes no other choice.
    """
    written = coin(rng, params.p)
    wants_tip = coin(rng, params.tip_prob)
    around = ("circle", "underline")[int(rng.integers(2))] if coin(rng, params.circle_prob) else "none"
    tick, strike = coin(rng, params.tick_prob), coin(rng, params.strike_prob)
    tip = _tip(rng, content.total)
    lab = labels_for(content.locale)
    total_label = lab.total[int(rng.integers(len(lab.total)))]
    groups = _item_groups(doc)
    n_ticks = int(rng.integers(1, len(groups) + 1)) if groups else 0
    ticks = tuple(sorted(int(g) for g in rng.permutation(groups)[:n_ticks])) if tick else ()
    struck = (int(groups[int(rng.integers(len(groups)))]),) if strike and len(groups) > 1 else ()
    seed, signer_seed = child_seed(rng), child_seed(rng)
    if not written:
        return None
    # the card slip's blanks: a cash tip is left on the table, not written on the bill
    has_tip = (
        wants_tip
        and content.venue == "restaurant"
        and content.service_kind != "tip"
        and content.payment.method == "card"
    )
    if not _prints_total(doc):
        around = "none"
    if not (has_tip or around != "none" or ticks or struck):
        around = "circle" if _prints_total(doc) else "none"
        ticks = ticks or (tuple(groups[:1]) if not _prints_total(doc) else ())
    if has_tip:
        initial = rng.random() < 0.5
        signer = ""
        # a signature in a script no shipped handwriting font has (a Japanese name): the payer signs in Latin letters
        for locale in (content.locale, "en_US"):
            fake = _faker(locale)
            fake.seed_instance(signer_seed)
            first, last = fake.first_name(), fake.last_name()
            signer = (first[0] + ". " + last) if initial else (first + " " + last)
            if any(covers(f, signer) for f in hand_fonts().values()):
                break
        total = q2(content.total + tip)
        tip_text, total_text = format_number(tip, content.locale), format_number(total, content.locale)
        hand = _hand(rng, params, tip_text + total_text + signer)
        return Handwriting(
            hand=hand,
            tip=tip,
            written_total=total,
            tip_text=tip_text,
            total_text=total_text,
            tip_label=lab.tip + ":",
            total_label=total_label + ":",
            signature_label=SIGNATURE.get(content.locale, "Signature") + ":",
            signature=signer,
            around_total=around,
            ticks=tuple(g for g in ticks if g not in struck),
            struck=struck,
            seed=seed,
        )
    hand = _hand(rng, params, "")
    ticks = tuple(g for g in ticks if g not in struck)
    return Handwriting(hand=hand, around_total=around, ticks=ticks, struck=struck, seed=seed)


def with_blanks(doc: ReceiptDoc, hw: Handwriting | None) -> ReceiptDoc:
    """``doc`` with the printed lines a written tip is entered on (Tip: / Total: / Signature:), after the total line
    (or after the last money line); unchanged when nothing is written in."""
    if hw is None or hw.tip is None:
        return doc
    blocks = list(doc.blocks)
    at = len(blocks)
    for i, b in enumerate(blocks):
        if isinstance(b, TextLine) and any(
            s.category.startswith(("total.total", "sub_total")) for s in b.segments
        ):
            at = i + 1
    blank = [
        Space(lines=0.6),
        TextLine(segments=(Segment(text=hw.tip_label, x=0.0),)),
        Space(lines=0.9),
        TextLine(segments=(Segment(text=hw.total_label, x=0.0),)),
        Space(lines=1.2),
        TextLine(segments=(Segment(text=hw.signature_label, x=0.0),)),
        Space(lines=0.6),
    ]
    return doc.model_copy(update={"blocks": tuple(blocks[:at] + blank + blocks[at:])})


def blank_lines(doc: ReceiptDoc, hw: Handwriting) -> dict[str, int]:
    """The line numbers (as the typesetter counts them) of the tip, total and signature blanks in ``doc``."""
    want = {hw.tip_label: "tip", hw.total_label: "total", hw.signature_label: "signature"}
    out: dict[str, int] = {}
    line = 0
    for b in doc.blocks:
        if isinstance(b, Space) or b.kind in ("barcode", "qrcode"):
            continue
        if isinstance(b, TextLine) and len(b.segments) == 1 and b.segments[0].text in want:
            out[want[b.segments[0].text]] = line  # the last match: the blanks come after any printed label
        line += 1
    return out
