"""Receipts that lack one key field, an edge case a scene asks for with ``missing_field_prob``.

:func:`sample_missing` draws which field (if any) a receipt leaves off; the content keeps every value (the
arithmetic still holds) and records the choice in ``ReceiptContent.missing``, and the layouts leave that
field's words off the print (see :func:`prints`).
"""

from __future__ import annotations

import numpy as np

from simvision.distributions import coin
from simvision.scenes.receipt.config import MISSING_FIELDS, ContentParams
from simvision.scenes.receipt.content import ReceiptContent

#: Fields that exist only for one payment method; every other field is printed on every receipt.
_PAYMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "cash": ("total.cashprice", "total.changeprice"),
    "card": ("total.creditcardprice", "payment.card_number"),
}
#: What leaving a field off removes besides its own words: no tax lines means no VAT table either.
ALSO_DROPPED: dict[str, tuple[str, ...]] = {"sub_total.tax_price": ("sub_total.etc",)}


def applicable(content: ReceiptContent) -> tuple[str, ...]:
    """The fields ``content`` could be missing: all but the other payment method's ones, in MISSING_FIELDS order."""
    other = _PAYMENT_FIELDS["card" if content.payment.method == "cash" else "cash"]
    return tuple(f for f in MISSING_FIELDS if f not in other)


def sample_missing(rng: np.random.Generator, params: ContentParams, content: ReceiptContent) -> str | None:
    """The field ``content`` leaves off the print, or None.

    With probability ``params.missing_field_prob`` one of ``params.missing_fields`` is drawn by weight among
    the :func:`applicable` ones (None when none of them has a weight). Always consumes exactly two draws of
    ``rng``, whatever the probability and the outcome.
    """
    has = coin(rng, params.missing_field_prob)
    u = float(rng.random())
    ok = set(applicable(content))
    keys = [k for k, w in params.missing_fields.choices.items() if w > 0 and k in ok]
    if not has or not keys:
        return None
    cdf = np.cumsum([params.missing_fields.choices[k] for k in keys], dtype=np.float64)
    return keys[min(int(np.searchsorted(cdf, u * cdf[-1], side="right")), len(keys) - 1)]


def prints(content: ReceiptContent, field: str) -> bool:
    """Whether the layouts may print ``field`` (a category) on ``content``: False for the missing field."""
    missing = content.missing
    return missing is None or (field != missing and field not in ALSO_DROPPED.get(missing, ()))
