"""Scene-file parameters of the receipt generator (the ``params:`` section of ``scenes/receipt*.yaml``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
)

from simvision.distributions import Choice, FloatRange, IntRange, Strict, choice_of, within
from simvision.scenes.receipt.printers import PRINTERS  # how the text is printed; the default is thermal only
from simvision.scenes.receipt.template import SHIPPED, LayoutTemplate, shipped, template_from_scene
from simvision.scenes.receipt.template_parts import JsonAnyOf

MIN_FONT_PX = 14  # the smallest print the receipt renderer sets

#: The locales a scene file may name. The default choice is the first eight only (the benchmark locales
#: id_ID (CORD), en_MY (SROIE) and ja_JP are opt-in: see scenes/receipt_cord_id.yaml, receipt_sroie_my.yaml).
LOCALES: tuple[str, ...] = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "id_ID", "en_MY", "ja_JP",
)  # fmt: skip
DEFAULT_LOCALES: tuple[str, ...] = LOCALES[:8]
#: The shipped layouts (templates in ``simvision/scenes/receipt/templates/``); a scene file adds its own in
#: ``params.content.templates``.
LAYOUTS: tuple[str, ...] = SHIPPED
#: Key fields (their ``doc.Category`` names) a receipt may leave off the print: header, date/time, receipt
#: number, money lines and payment. ``sub_total.tax_price`` drops every tax line (and the VAT table with its
#: net/gross ``sub_total.etc``); cash fields apply to cash payments only, card fields to card payments only.
MissingField = Literal[
    "store.name",
    "store.addr",
    "store.tel",
    "store.date",
    "store.time",
    "store.receipt_no",
    "sub_total.subtotal_price",
    "sub_total.tax_price",
    "total.total_price",
    "total.cashprice",
    "total.changeprice",
    "total.creditcardprice",
    "payment.card_number",
]
MISSING_FIELDS: tuple[str, ...] = get_args(MissingField)


CODES: tuple[str, ...] = ("barcode", "qrcode", "none")

BACKGROUNDS: tuple[str, ...] = ("wood", "fabric", "stone", "plain", "white_cloth", "linen")


def font_ids() -> tuple[str, ...]:
    """The shipped fonts' ids (read from the font manifest when a scene file is checked, not at import)."""
    from simvision.fonts import fonts

    return tuple(sorted(fonts()))


#: Pens a writer fills a bill in with (colour and stroke: ``simvision.scenes.receipt.handwriting.PENS``).
PENS: tuple[str, ...] = ("blue_ballpoint", "black_ballpoint", "blue_felt_tip", "black_felt_tip")


def hand_font_ids() -> tuple[str, ...]:
    """The shipped handwriting fonts' ids (read from the font manifest when a scene file is checked)."""
    from simvision.fonts import hand_fonts

    return tuple(sorted(hand_fonts()))


def _even(keys: tuple[str, ...]) -> Choice:
    return Choice(choices={k: 1.0 for k in keys})


#: A layout template: a path to a template file (``.yaml``, relative to the scene file) or the template inline.
TemplateRef = Annotated[
    LayoutTemplate,
    BeforeValidator(template_from_scene),
    JsonAnyOf(
        {
            "type": "string",
            "pattern": r"\.ya?ml$",
            "description": "a template file, relative to the scene file",
        }
    ),
]


class ContentParams(Strict):
    """What is printed: shop, items, money, payment."""

    # A scene without templates may choose shipped layouts only (with templates, their names are allowed too:
    # a rule between two fields that JSON Schema cannot state).
    model_config = ConfigDict(
        **Strict.model_config,
        json_schema_extra={
            "if": {"not": {"required": ["templates"]}},
            "then": {
                "properties": {
                    "layout": {"properties": {"choices": {"propertyNames": {"enum": list(LAYOUTS)}}}}
                }
            },
        },
    )

    locale: Annotated[Choice, choice_of(LOCALES)] = Field(default_factory=lambda: _even(DEFAULT_LOCALES))
    # templates come before layout, whose check reads them
    templates: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")], TemplateRef] = Field(
        default_factory=dict,
        max_length=32,
        description="your own layouts: name -> a template file (a path relative to the scene file) or an inline "
        "template mapping; choose them in layout",
    )
    layout: Choice = Field(
        default_factory=lambda: _even(LAYOUTS),
        description=f"layouts, weighted: the shipped {', '.join(LAYOUTS)}, and the names in templates",
    )
    items: Annotated[IntRange, within(1, 100)] = Field(
        default_factory=lambda: IntRange(min=2, max=9), description="line items (non-supermarket)"
    )
    supermarket_items: Annotated[IntRange, within(1, 200)] = Field(
        default_factory=lambda: IntRange(min=12, max=30)
    )
    max_quantity: int = Field(default=4, ge=1, le=99)
    discount_prob: float = Field(default=0.3, ge=0, le=1, description="chance a receipt has item discounts")
    card_prob: float = Field(default=0.5, ge=0, le=1, description="chance of card payment (else cash)")
    tip_prob: float = Field(
        default=0.6, ge=0, le=1, description="restaurant bills: chance a tip line is printed"
    )
    cashier_prob: float = Field(default=0.7, ge=0, le=1)
    code: Annotated[Choice, choice_of(CODES)] = Field(
        default_factory=lambda: Choice(choices={"barcode": 1.0, "qrcode": 1.0, "none": 0.5})
    )
    missing_field_prob: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="edge case: chance a receipt leaves one key field off the print (0 = never)",
    )
    missing_fields: Annotated[Choice, choice_of(MISSING_FIELDS)] = Field(
        default_factory=lambda: _even(MISSING_FIELDS),
        description="which key field (category) is left off, weighted; drawn among those the receipt would print",
    )

    @field_validator("templates")
    @classmethod
    def _own_names(cls, v: dict[str, LayoutTemplate]) -> dict[str, LayoutTemplate]:
        clash = sorted(set(v) & set(LAYOUTS))
        if clash:
            raise ValueError(f"names {clash} are shipped layouts; give your templates other names")
        return v

    @field_validator("layout")
    @classmethod
    def _known_layouts(cls, v: Choice, info: ValidationInfo) -> Choice:
        if "templates" not in info.data:  # the templates were refused: that is the error to show
            return v
        allowed = [*LAYOUTS, *info.data["templates"]]
        bad = sorted(set(v.choices) - set(allowed))
        if bad:
            raise ValueError(
                f"unknown choice(s) {bad}; allowed: {allowed} (the shipped layouts and the names in templates)"
            )
        return v

    def template(self, layout: str) -> LayoutTemplate:
        """The template of ``layout``: one of :attr:`templates`, or a shipped one."""
        return self.templates[layout] if layout in self.templates else shipped(layout)

    @model_serializer(mode="wrap")
    def _omit_no_templates(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dumps leave ``templates`` out while there are none, so scene configs recorded before templates existed
        (and the records sealing them) stay byte-identical."""
        data = handler(self)
        if not self.templates:
            data.pop("templates", None)
        return data


POSES: tuple[str, ...] = ("thumb_press", "fingers_press", "hold_bottom")


class HandParams(Strict):
    """Hands holding or pressing the receipt (drawn over it; the print they cover is lost)."""

    p: float = Field(default=0.0, ge=0, le=1, description="chance a receipt has hands on it (0 = never)")
    max: int = Field(default=1, ge=1, le=3, description="hands at most, when it has any")
    poses: Annotated[Choice, choice_of(POSES)] = Field(
        default_factory=lambda: Choice(
            choices={"thumb_press": 2.0, "fingers_press": 1.0, "hold_bottom": 1.0}
        ),
        description="thumb on an edge or corner; fingertips pressing an edge; a hand holding it from below",
    )


class StampParams(Strict):
    """Rubber stamps (PAID, COPY, a shop's round stamp) inked on the receipt, over or under the print."""

    p: float = Field(default=0.0, ge=0, le=1, description="chance a receipt is stamped (0 = never)")
    max: int = Field(default=1, ge=1, le=3, description="stamps at most, when it has any")


class HandwritingParams(Strict):
    """Pen on the printed receipt: a tip and total written in (restaurant bills), the printed total circled or
    underlined, items ticked or crossed out, a signature."""

    p: float = Field(default=0.08, ge=0, le=1, description="chance a receipt was written on by hand")
    tip_prob: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="restaurant bills paid by card, written on, with no printed tip: chance of a written tip, total and signature",
    )
    circle_prob: float = Field(
        default=0.5, ge=0, le=1, description="chance the printed total is circled or underlined"
    )
    tick_prob: float = Field(default=0.25, ge=0, le=1, description="chance items are ticked off")
    strike_prob: float = Field(default=0.15, ge=0, le=1, description="chance one item is crossed out")
    size: Annotated[FloatRange, within(0.8, 3.0)] = Field(
        default_factory=lambda: FloatRange(min=1.8, max=2.6),
        description="handwriting size as a multiple of the print's font size",
    )
    pen: Annotated[Choice, choice_of(PENS)] = Field(
        default_factory=lambda: Choice(
            choices={
                "blue_ballpoint": 3.0,
                "black_ballpoint": 2.0,
                "blue_felt_tip": 0.5,
                "black_felt_tip": 1.0,
            }
        )
    )
    font: Annotated[Choice | None, choice_of(hand_font_ids)] = Field(
        default=None, description="handwriting font ids from the font manifest; null = any"
    )


class LookParams(Strict):
    """How it is printed and photographed flat: font, size, paper, ink, background."""

    font: Annotated[Choice | None, choice_of(font_ids)] = Field(
        default=None, description="font ids from the shipped fonts' manifest.json; null = any"
    )
    font_px: Annotated[IntRange, within(MIN_FONT_PX, 96)] = Field(
        default_factory=lambda: IntRange(min=17, max=22), description="cap-to-descender px"
    )

    @field_validator("font_px")
    @classmethod
    def _legible(cls, v: IntRange) -> IntRange:
        if v.min < MIN_FONT_PX:
            raise ValueError(
                f"min must be >= {MIN_FONT_PX} px: smaller print is not legible at this resolution"
            )
        return v

    margin_px: Annotated[IntRange, within(0, 400)] = Field(default_factory=lambda: IntRange(min=14, max=30))
    ink: Annotated[FloatRange, within(0, 1)] = Field(
        default_factory=lambda: FloatRange(min=0.75, max=1.0), description="print darkness 0..1"
    )
    paper_tint: Annotated[FloatRange, within(0, 1)] = Field(
        default_factory=lambda: FloatRange(min=0.0, max=0.08)
    )
    background: Annotated[Choice, choice_of(BACKGROUNDS)] = Field(
        default_factory=lambda: Choice(choices={"wood": 1.0, "fabric": 1.0, "stone": 1.0, "plain": 0.5})
    )
    rotation_deg: Annotated[FloatRange, within(-180, 180)] = Field(
        default_factory=lambda: FloatRange(min=-4.0, max=4.0)
    )
    hands: HandParams = Field(default_factory=HandParams)
    stamp: StampParams = Field(default_factory=StampParams)
    handwriting: HandwritingParams = Field(default_factory=HandwritingParams)
    printer: Annotated[Choice, choice_of(PRINTERS)] = Field(
        default_factory=lambda: Choice(choices={"thermal": 1.0}),
        description="print technology, weighted: thermal, dot_matrix (impact dots, worn ribbon), head_fault "
        "(thermal with dead dot columns), carbon (blue/purple carbon copy), inkjet (bleed)",
    )

    @model_serializer(mode="wrap")
    def _omit_default_printer(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dumps leave ``printer`` out while it is thermal only, so scene configs recorded before it existed (and
        the records sealing them) stay byte-identical."""
        data = handler(self)
        if {k for k, w in self.printer.choices.items() if w > 0} == {"thermal"}:
            data.pop("printer", None)
        return data


#: Receipts one photo may hold at most (each its own paper, content and placement; later ones lie over earlier).
MAX_RECEIPTS = 3


class ReceiptParams(Strict):
    content: ContentParams = Field(default_factory=ContentParams)
    look: LookParams = Field(default_factory=LookParams)
    receipts: Annotated[IntRange, within(1, MAX_RECEIPTS)] = Field(
        default_factory=lambda: IntRange(min=1, max=1),
        description="receipts per photo, each with its own content and placement, later ones lying over "
        "earlier ones (above 1: every instance names its receipt; cord and sroie write one row per receipt on its "
        "crop; the dewarp format is refused)",
    )
    overlap: Annotated[FloatRange, within(0, 0.9)] = Field(
        default_factory=lambda: FloatRange(min=0.0, max=0.35),
        description="several receipts: how far each one's strip of the photo reaches into its neighbour's, as a "
        "fraction of a strip's width (0 = side by side; the papers' rotation can still make them touch)",
    )

    @property
    def several(self) -> bool:
        """Whether a photo may hold more than one receipt (the spec then places each in its own strip)."""
        return self.receipts.max > 1

    @model_serializer(mode="wrap")
    def _omit_single(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dumps leave ``receipts`` and ``overlap`` out while a photo holds one receipt, so scene configs recorded
        before they existed (and the records sealing them) stay byte-identical."""
        data = handler(self)
        if not self.several:
            data.pop("receipts", None)
            data.pop("overlap", None)
        return data
