"""Receipt layouts: turn a :class:`ReceiptContent` into a :class:`ReceiptDoc` (lines, no pixels).

Every layout is a template (:mod:`~simvision.scenes.receipt.template`); the four shipped ones live in
``templates/``:

- ``thermal_roll``: narrow roll (32-36 columns), centred header, one line per item, ``-`` rules, large total.
- ``till_slip``: wide slip (44-52), left header block, ``Qty | Item | Unit | Amount`` columns, VAT table.
- ``restaurant``: table/server/guests, count-first items, service or tip, suggested tips, ``=`` rules.
- ``supermarket``: item codes, weighed lines, VAT letters per item, item count, savings summary.

Every choice that varies (width, letter case, optional lines) is drawn from the ``rng`` passed in.
"""

from __future__ import annotations

import numpy as np

from simvision.scenes.receipt.content import ReceiptContent
from simvision.scenes.receipt.doc import Block, ReceiptDoc, Rule, Space
from simvision.scenes.receipt.template import LayoutTemplate, shipped
from simvision.scenes.receipt.template_apply import lay_out


def build_doc(content: ReceiptContent, layout: str | LayoutTemplate, rng: np.random.Generator) -> ReceiptDoc:
    """Lay ``content`` out as ``layout``: a shipped layout's name or a template (then named
    ``content.layout``); style choices come from ``rng``.

    Item segments share ``group`` = item index; tax lines use ``len(items) + k``. ``content.missing`` is left
    off the print; the style draws are the same either way. Raises ``KeyError`` for an unknown layout name.
    ``content`` should have been sampled for the same layout (restaurant fields, weighed lines).
    """
    if isinstance(layout, str):
        template, name = shipped(layout), layout
    else:
        template, name = layout, content.layout
    doc = lay_out(template, name, content, rng)
    if content.missing is None:
        return doc
    return ReceiptDoc(layout=doc.layout, width_chars=doc.width_chars, blocks=_without_gaps(doc.blocks))


def _without_gaps(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Blocks with no rule right after a rule and no space right after a space (the larger space kept): what
    leaving a field off (a total or VAT block between two rules) would otherwise leave behind."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Rule) and isinstance(prev, Rule):
            continue
        if isinstance(b, Space) and isinstance(prev, Space):
            out[-1] = Space(lines=max(prev.lines, b.lines))
            continue
        out.append(b)
    return tuple(out)
