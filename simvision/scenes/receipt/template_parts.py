"""The parts of a receipt layout template (:mod:`~simvision.scenes.receipt.template`): text fields, random
choices (picks and coins), the blocks and the item columns and totals rows.

Every block and row is written ``name`` or ``{name: options}`` (``{name: value}`` for a shorthand) and dumps the
same way, so a template recorded in a dataset's identity validates again as written.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, ClassVar, Literal, Union, get_args

import numpy as np
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    Tag,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from simvision.distributions import Strict, Weight
from simvision.scenes.receipt.catalog import Venue
from simvision.scenes.receipt.doc import Category

#: Fields a line's text may name in braces, and the key-field category their words are labelled with. ``date``
#: and ``time`` take a strftime format after a colon (``{date:%d/%m/%Y}``); without one, the receipt's own.
FIELDS: dict[str, Category] = {
    "shop.name": "store.name",
    "shop.address": "store.addr",
    "shop.phone": "store.tel",
    "shop.vat_id": "other",
    "shop.number": "other",
    "date": "store.date",
    "time": "store.time",
    "receipt_no": "store.receipt_no",
    "register": "other",
    "cashier": "store.cashier",
    "table": "other",
    "guests": "other",
    "currency": "other",
    "item_count": "total.menuqty_cnt",
}
FORMATTED_FIELDS = ("date", "time")

Style = Literal["normal", "bold", "large", "small"]
Align = Literal["center", "left"]
RuleChar = Literal["-", "=", "*", "."]


def _some_weight(v: Any) -> Any:
    if isinstance(v, dict) and not any(w > 0 for w in v.values()):
        raise ValueError("at least one weight must be > 0")
    return v


class JsonAnyOf:
    """Annotation adding alternatives to a field's JSON Schema, for the shorthand forms a validator accepts."""

    def __init__(self, *alternatives: dict[str, Any]) -> None:
        self.alternatives = alternatives

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [*self.alternatives, handler(schema)]}


_NOT_ALL_ZERO = {"not": {"additionalProperties": {"const": 0}}}


def _one_form(allowed: tuple[Any, ...], weighted: bool) -> Any:
    """A before-check of a union field, so a bad value gets one message saying what is allowed (not one per
    member of the union)."""
    names = ", ".join(map(str, allowed))

    def check(v: Any) -> Any:
        if isinstance(v, str) and v in allowed:
            return v
        if weighted and isinstance(v, dict) and v and all(k in allowed for k in v):
            return v  # the weights are checked as numbers
        shape = (
            f"one of {names}, or weights such as {{{allowed[0]}: 2, {allowed[1]}: 1}}" if weighted else names
        )
        raise ValueError(f"must be {shape}")

    return BeforeValidator(check)


def _pick_of(t: Any) -> Any:
    """A fixed value, or ``{value: weight, ...}`` drawn with one rng number (cumulative, in written order)."""
    weights = Annotated[dict[t, Weight], Field(min_length=1, json_schema_extra=_NOT_ALL_ZERO)]  # type: ignore[valid-type]
    return Annotated[t | weights, AfterValidator(_some_weight), _one_form(get_args(t), weighted=True)]


def _coin(v: Any) -> Any:
    if isinstance(v, bool) or (isinstance(v, int | float) and 0 <= v <= 1):
        return v
    raise ValueError("must be true, false or a probability 0..1")


def _column_width(v: Any) -> Any:
    if v is None or v == "fill" or (isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 60):
        return v
    raise ValueError("must be a width of 1..60 characters, or fill")


AlignPick = _pick_of(Align)
StylePick = _pick_of(Style)
RulePick = _pick_of(RuleChar)
VenuePick = _pick_of(Venue)
#: ``true``/``false``: always/never, drawing nothing; a number 0..1: the chance, drawn with one rng number.
Coin = Annotated[bool | Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)], BeforeValidator(_coin)]


def pick(rng: np.random.Generator, value: Any) -> Any:
    """Draw a pick: a fixed value as is; a weighted mapping with one ``rng.random()`` (none for one option)."""
    if not isinstance(value, dict):
        return value
    keys = [k for k, w in value.items() if w > 0]
    if len(keys) == 1:
        return keys[0]
    total = sum(value[k] for k in keys)
    u, acc = float(rng.random()), 0.0
    for k in keys[:-1]:
        acc += value[k] / total
        if u < acc:
            return k
    return keys[-1]


def toss(rng: np.random.Generator, value: bool | float) -> bool:
    """Draw a :data:`Coin`: a bool as is (no draw), a probability with one ``rng.random()``."""
    if isinstance(value, bool):
        return value
    return bool(rng.random() < value)


def text_fields(text: str) -> list[tuple[str, str, str | None]]:
    """``(literal, field, format)`` parts of a line's text (``field`` is "" after the last literal).

    Raises ``ValueError`` naming an unknown field, a format on a field that takes none, or a bad brace."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as e:
        raise ValueError(f"bad braces in {text!r} ({e}); write {{{{ and }}}} for literal braces") from None
    out = []
    for literal, name, spec, conv in parts:
        if name is not None and name not in FIELDS:
            raise ValueError(f"unknown field {{{name}}}; allowed: {', '.join(FIELDS)}")
        if conv:
            raise ValueError(f"field {{{name}!{conv}}}: conversions are not allowed")
        if spec and name not in FORMATTED_FIELDS:
            raise ValueError(f"field {{{name}:{spec}}}: only {' and '.join(FORMATTED_FIELDS)} take a format")
        out.append((literal, name or "", spec or None))
    return out


def _check_text(text: str) -> str:
    text_fields(text)
    return text


LineText = Annotated[str, Field(max_length=400), AfterValidator(_check_text)]


class _Part(Strict):
    """A block or row: dumped as ``{kind: {options}}`` (the form a template file uses), never with ``kind``."""

    #: The option a bare value sets (``rule: "="`` is ``rule: {char: "="}``).
    shorthand: ClassVar[str | None] = None
    #: JSON Schema rules of the options beyond their fields' own.
    options_schema: ClassVar[dict[str, Any]] = {}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema of the written form, ``{kind: null | {options} | shorthand value}``."""
        ref = handler(schema)
        s = handler.resolve_ref_schema(ref)
        props = dict(s.get("properties", {}))
        kind = props.pop("kind", {})
        kinds = kind.get("enum") or [kind.get("const", kind.get("default"))]
        options = {"type": "object", "properties": props, "additionalProperties": False, **cls.options_schema}
        value: list[dict[str, Any]] = [{"type": "null"}, options]
        if cls.shorthand is not None:
            value.append({k: v for k, v in props[cls.shorthand].items() if k not in ("default", "title")})
        written = {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "propertyNames": {"enum": kinds},
            "additionalProperties": {"anyOf": value},
        }
        doc = {k: s[k] for k in ("title", "description") if k in s}
        s.clear()
        s.update({**doc, **written})
        return ref

    @model_serializer(mode="wrap")
    def _as_written(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        kind = data.pop("kind")
        return {kind: {k: v for k, v in data.items() if v is not None}}


# ----- blocks -----------------------------------------------------------------------------------------------


class HeaderBlock(_Part):
    """The shop header: name (large when it fits), address, phone and maybe the tax id (shipped style)."""

    kind: Literal["header"] = "header"
    vat_id: bool = Field(default=True, description="may print the tax id under the phone")


class DateTimeBlock(_Part):
    """Date and time, bare or labelled, on one or two lines (shipped style)."""

    kind: Literal["date_time"] = "date_time"


class MetaBlock(_Part):
    """Receipt number, register and cashier, packed two per line (shipped style)."""

    kind: Literal["meta"] = "meta"
    register_no: bool = Field(default=True, description="the till/register number")
    cashier: bool = True


class TableBlock(_Part):
    """Restaurant table, server and guests (needs ``shop.table``)."""

    kind: Literal["table"] = "table"


class RuleBlock(_Part):
    """A separator line; ``char`` null: the template's ``rule``."""

    kind: Literal["rule"] = "rule"
    shorthand: ClassVar[str | None] = "char"
    char: RuleChar | None = None


class SpaceBlock(_Part):
    """Vertical space in line heights."""

    kind: Literal["space"] = "space"
    shorthand: ClassVar[str | None] = "lines"
    lines: float = Field(default=1.0, ge=0, le=5)


class LineBlock(_Part):
    """One line of literal text and ``{fields}``: ``text`` aligned (wrapped when long), or ``left`` and/or
    ``right`` parts on one line. A part is printed only when every field in it has a value (no cashier, a field
    the receipt leaves off); a line with ``{shop.address}`` is printed once per address line."""

    kind: Literal["line"] = "line"
    shorthand: ClassVar[str | None] = "text"
    options_schema: ClassVar[dict[str, Any]] = {
        "anyOf": [{"required": ["text"]}, {"required": ["left"]}, {"required": ["right"]}]
    }
    # no null: a line names text, or left and/or right (None only while left out)
    text: LineText = None  # type: ignore[assignment]
    left: LineText = None  # type: ignore[assignment]
    right: LineText = None  # type: ignore[assignment]
    align: Literal["center", "left", "right"] | None = Field(
        default=None, description="for text; null: the template's align"
    )
    style: Style = "normal"
    margin: int = Field(default=0, ge=0, le=20, description="columns kept free at the aligned side(s)")
    p: Coin = Field(default=True, description="chance the line is printed")

    @model_validator(mode="after")
    def _one_form(self) -> LineBlock:
        if (self.text is None) == (self.left is None and self.right is None):
            raise ValueError("a line has either text, or left and/or right")
        return self


ItemField = Literal["name", "quantity", "unit_price", "amount", "code", "tax_code"]
MONEY_FIELDS = ("unit_price", "amount")


class Column(Strict):
    """One column of the item row. Numbers are never cut: a column widens for its longest value and the
    ``fill`` column (the name, by default) gives way; a name is cut to its room."""

    field: ItemField
    width: Annotated[
        Annotated[int, Field(ge=1, le=60)] | Literal["fill"] | None, BeforeValidator(_column_width)
    ] = Field(
        default=None, description="characters (1..60); fill: the room left over; null: fill for name, else 8"
    )
    align: Literal["left", "right"] | None = Field(
        default=None, description="null: left for name, else right"
    )
    format: Literal["number", "money", "plain"] | None = Field(
        default=None,
        description="money columns: number (locale digits, the default), money (with currency symbol), plain (1234.50)",
    )
    suffix: str = Field(default="", max_length=4, description="glued after the value, e.g. x for 2x")
    header: str | None = Field(
        default=None, max_length=40, description="column head; null: the locale's label"
    )

    @model_validator(mode="after")
    def _format_for_money(self) -> Column:
        if self.format is not None and self.field not in MONEY_FIELDS:
            raise ValueError(f"format applies to {' and '.join(MONEY_FIELDS)} columns only, not {self.field}")
        return self

    @property
    def fill(self) -> bool:
        return self.width == "fill" or (self.width is None and self.field == "name")

    @property
    def fixed_width(self) -> int:
        return self.width if isinstance(self.width, int) else 0 if self.fill else 8


DEFAULT_COLUMNS = (Column(field="name"), Column(field="amount", width=9))


class ItemsBlock(_Part):
    """The item lines: a shipped ``style`` (roll, slip, bill, market) or declared ``columns``. Discounts get a
    line under their item; with no quantity column, ``2 x 1,20`` goes under a multiple; weighed lines show their
    weight under the name."""

    kind: Literal["items"] = "items"
    shorthand: ClassVar[str | None] = "style"
    style: Literal["columns", "roll", "slip", "bill", "market"] = Field(
        default="columns", description="columns: the declared columns; or a shipped style"
    )
    columns: list[Column] = Field(default_factory=lambda: list(DEFAULT_COLUMNS), min_length=1, max_length=8)
    head: bool = Field(default=False, description="columns: print a bold row of column heads first")
    upper: Coin | None = Field(
        default=None, description="names in capitals; null: the template's upper_items"
    )
    unit_line: Coin = Field(default=False, description="bill style: a unit-price line under multiples")

    @model_validator(mode="after")
    def _one_form(self) -> ItemsBlock:
        if self.style != "columns" and self.columns != list(DEFAULT_COLUMNS):
            raise ValueError(f"columns apply to style columns only, not to the shipped style {self.style}")
        fields = [c.field for c in self.columns]
        dup = sorted({f for f in fields if fields.count(f) > 1})
        if dup:
            raise ValueError(f"columns name {dup} more than once")
        if "name" not in fields:
            raise ValueError("columns must include the name column (the menu.nm key field)")
        if sum(c.fill for c in self.columns) > 1:
            raise ValueError("at most one column may be width: fill")
        return self

    def min_width(self) -> int:
        """Characters the declared columns need at least (the give-way column 4: fill, else the name)."""
        cols = [c for c in self.columns if not (c.fill or (c.field == "name" and not self.has_fill))]
        return sum(c.fixed_width for c in cols) + 4 + len(self.columns) - 1

    @property
    def has_fill(self) -> bool:
        return any(c.fill for c in self.columns)


RowKind = Literal[
    "subtotal", "discount", "tax", "service", "total", "cash", "change", "card", "payment", "item_count"
]


class TotalRow(_Part):
    """One row of a declared totals block, ``label ..... amount``. Amounts come from the receipt's arithmetic
    (subtotal = sum of the item prices; total = subtotal + added tax + service), so the printed rows add up.

    ``tax`` prints one line per rate (``Tax 8.25%`` when added on top; ``incl. VAT 19%`` when included, unless
    ``included: false``); ``service`` the service charge or tip with its rate; ``payment`` is cash, change and
    card together; rows that do not apply to a receipt (change on a card payment) are skipped."""

    kind: RowKind
    label: str | None = Field(default=None, max_length=40, description="null: the locale's label")
    style: Style | None = Field(default=None, description="null: large for total, else normal")
    money: Literal["number", "symbol", "code", "receipt"] | None = Field(
        default=None, description="number, with symbol, after the currency code, or the receipt's own draw (null: "
        "receipt for total, number otherwise)",
    )  # fmt: skip
    included: bool = Field(default=True, description="tax: print included VAT lines too")


def _row(v: Any) -> Any:
    return _tagged(v, "totals row", get_args(RowKind), {})


TotalRows = list[
    Annotated[TotalRow, BeforeValidator(_row), JsonAnyOf({"type": "string", "enum": list(get_args(RowKind))})]
]


class TotalsBlock(_Part):
    """The money block: the shipped one (subtotal when asked or needed, added tax, service, TOTAL), or declared
    ``rows``, which must hold ``total``. So that the printed amounts add up, tax added on top and a service
    charge or tip are printed right before the total when the rows do not list ``tax`` / ``service``."""

    kind: Literal["totals"] = "totals"
    rows: TotalRows | None = Field(default=None, min_length=1, max_length=20)
    subtotal: Literal["auto", "always"] = Field(
        default="auto", description="shipped block: auto prints the subtotal when something is added to it"
    )
    style: StylePick = Field(default="large", description="shipped block: the TOTAL line's style")

    @model_validator(mode="after")
    def _rows_add_up(self) -> TotalsBlock:
        if self.rows is None:
            return self
        kinds = [r.kind for r in self.rows]
        dup = sorted({k for k in kinds if kinds.count(k) > 1})
        if dup:
            raise ValueError(f"totals rows {dup} appear more than once")
        if "total" not in kinds:
            raise ValueError(f"totals rows must include total; rows: {kinds}")
        if "payment" in kinds and {"cash", "change", "card"} & set(kinds):
            raise ValueError("payment already prints cash, change and card; list either payment or those")
        return self


def _simple(kind: str, doc: str) -> type[_Part]:
    return type(
        f"{kind.title().replace('_', '')}Block",
        (_Part,),
        {"__annotations__": {"kind": Literal[kind]}, "kind": kind, "__doc__": doc, "__module__": __name__},  # type: ignore[valid-type]
    )


DiscountTotalBlock = _simple("discount_total", "A line with the sum of item discounts, when there are any.")
ItemCountBlock = _simple("item_count", "Articles sold: ``Items: 12``.")
PaymentBlock = _simple(
    "payment", "Cash given and change, or card brand, masked number and amount (shipped style)."
)
VatLinesBlock = _simple("vat_lines", "Included VAT, one line per rate (nothing when tax is added on top).")
TipSuggestionsBlock = _simple("tip_suggestions", "Suggested tips, when the bill has them.")
SavingsBlock = _simple("savings", "``*** You saved 3,20 € ***`` when there are discounts.")
CodeBlock = _simple("code", "The receipt's barcode or QR code (params.content.code).")


class VatTableBlock(_Part):
    """A ``Rate | Net | Tax | Gross`` table, one row per rate; ``codes``: with the rate letters."""

    kind: Literal["vat_table"] = "vat_table"
    shorthand: ClassVar[str | None] = "codes"
    codes: Coin = False


class FooterBlock(_Part):
    """The sampled footer texts (thanks, returns, hours, web) in small type; ``vat_id``: and the tax id."""

    kind: Literal["footer"] = "footer"
    vat_id: bool = False


BLOCKS: dict[str, type[_Part]] = {
    c.model_fields["kind"].default: c
    for c in (
        HeaderBlock, DateTimeBlock, MetaBlock, TableBlock, RuleBlock, SpaceBlock, LineBlock, ItemsBlock,
        DiscountTotalBlock, TotalsBlock, ItemCountBlock, PaymentBlock, VatLinesBlock, VatTableBlock,
        TipSuggestionsBlock, SavingsBlock, FooterBlock, CodeBlock,
    )
}  # fmt: skip
#: The option a block's bare value sets: ``rule: "="``, ``space: 0.5``, ``line: "text"``, ``items: roll``.
SHORTHAND: dict[str, str] = {k: c.shorthand for k, c in BLOCKS.items() if c.shorthand is not None}


def _tagged(v: Any, what: str, kinds: tuple[str, ...], shorthand: dict[str, str]) -> Any:
    """``name`` or ``{name: options}`` (or ``{name: value}`` for a shorthand) as ``{"kind": name, **options}``."""
    if isinstance(v, str):
        v = {v: None}
    if not isinstance(v, dict) or len(v) != 1:
        shown = sorted(v) if isinstance(v, dict) else type(v).__name__
        raise ValueError(f"a {what} is one of {', '.join(kinds)}, bare or as {{kind: options}}; got {shown}")
    ((kind, opts),) = v.items()
    if kind not in kinds:
        raise ValueError(f"unknown {what} {kind!r}; allowed: {', '.join(kinds)}")
    if opts is None:
        return {"kind": kind}
    if isinstance(opts, dict):
        if "kind" in opts:
            raise ValueError(f"{what} {kind}: unknown option 'kind'")
        return {"kind": kind, **opts}
    if kind in shorthand:
        return {"kind": kind, shorthand[kind]: opts}
    raise ValueError(f"{what} {kind} takes a mapping of options, not {opts!r}")


def _block(v: Any) -> Any:
    return v if isinstance(v, _Part) else _tagged(v, "block", tuple(BLOCKS), SHORTHAND)


def _kind_of(v: Any) -> str | None:
    return v.get("kind") if isinstance(v, dict) else getattr(v, "kind", None)


AnyBlock = Annotated[
    Union[tuple(Annotated[cls, Tag(kind)] for kind, cls in BLOCKS.items())],  # type: ignore[valid-type]  # noqa: UP007
    Discriminator(_kind_of),
    BeforeValidator(_block),
    JsonAnyOf({"type": "string", "enum": list(BLOCKS)}),
]
