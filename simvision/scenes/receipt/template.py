"""Layout templates: a chain's receipt described in YAML (header lines, item columns, totals rows, footer).

A template says *where* things go; the content (shop, items, money) is still sampled per receipt, so one
template gives endless receipts in that chain's layout. The four shipped layouts are templates of the same kind
(``templates/*.yaml`` beside this module). Its parts (blocks, columns, rows, fields) are in ``template_parts``;
:mod:`~simvision.scenes.receipt.template_apply` lays a template out.

A template file::

    width: {min: 38, max: 42}        # characters per line (an int for a fixed width)
    align: center                    # header and footer lines: center | left | {center: 3, left: 1}
    paper: thermal                   # thermal (black print, torn edges) | plain (ink colours)
    shop: {venue: grocery}           # what kind of shop, so the content fits (see Shop)
    blocks:                          # top to bottom; each is a block kind, bare or with its options
      - line: {text: "{shop.name}", style: large}
      - line: "{shop.address}"
      - rule: "="
      - items: {columns: [{field: quantity, width: 3}, {field: name}, {field: amount, width: 9}]}
      - totals: {rows: [subtotal, tax, total, payment]}
      - footer

Random choices a template makes (``{center: 3, left: 1}``, a probability such as ``upper_items: 0.3``) are drawn
from the layout rng in the order the receipt is laid out: width, align, the label style, ``rule``,
``upper_items``, then each block's own as it is reached. A choice with one option draws nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, ValidationInfo, model_validator

from simvision.distributions import IntRange, Strict, within
from simvision.safe_yaml import load_yaml
from simvision.scenes.receipt.template_parts import (
    AlignPick,
    AnyBlock,
    Coin,
    ItemsBlock,
    JsonAnyOf,
    RulePick,
    VenuePick,
)

#: The shipped layouts, each a template file in ``templates/``.
SHIPPED: tuple[str, ...] = ("thermal_roll", "till_slip", "restaurant", "supermarket")
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
MAX_TEMPLATE_BYTES = 256 * 1024


class Shop(Strict):
    """What kind of shop the template is for, so the sampled content fits it."""

    venue: VenuePick = Field(default="grocery", description="grocery | cafe | restaurant, or weighted")
    items: Literal["short", "long"] = Field(
        default="short",
        description="how many lines: params.content.items (short) or supermarket_items (long)",
    )
    weighed_items: bool = Field(default=False, description="fruit and cheese sold by weight")
    item_codes: Literal["short", "long"] = Field(
        default="short", description="1-998, or 4-6 digit article codes"
    )
    table: bool = Field(default=False, description="a table number and guest count (restaurants)")
    service: bool = Field(default=False, description="a service charge or tip (params.content.tip_prob)")


def _width(v: Any) -> Any:
    return {"min": v, "max": v} if isinstance(v, int) and not isinstance(v, bool) else v


class LayoutTemplate(Strict):
    """A receipt layout: page width and alignment, the kind of shop, and the blocks top to bottom."""

    description: str = Field(default="", max_length=2000)
    width: Annotated[
        IntRange,
        within(20, 64),
        BeforeValidator(_width),
        JsonAnyOf({"type": "integer", "minimum": 20, "maximum": 64}),
    ] = Field(description="characters per line: an int, or {min, max} (20..64)")
    align: AlignPick = Field(
        default="center", description="header/footer alignment: center | left, or weighted"
    )
    paper: Literal["thermal", "plain"] = Field(
        default="thermal", description="thermal: black print, usually torn edges; plain: ink colours"
    )
    shop: Shop = Field(default_factory=Shop)
    rule: RulePick = Field(default="-", description="the character of `- rule` blocks: - = * . or weighted")
    upper_items: Coin = Field(default=False, description="chance item names are printed in capitals")
    blocks: list[AnyBlock] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _complete(self) -> LayoutTemplate:
        kinds = [b.kind for b in self.blocks]  # type: ignore[attr-defined]
        for need in ("items", "totals"):
            if kinds.count(need) != 1:
                raise ValueError(f"blocks must hold exactly one {need} block; found {kinds.count(need)}")
        items = next(b for b in self.blocks if isinstance(b, ItemsBlock))
        if items.style == "columns" and items.min_width() > self.width.min:
            raise ValueError(
                f"the item columns need {items.min_width()} characters but width.min is {self.width.min}"
            )
        if "table" in kinds and not self.shop.table:
            raise ValueError("a table block needs shop.table: true")
        return self


def parse_template(data: Any, where: str) -> LayoutTemplate:
    """Validate parsed YAML as a template; ``ValueError`` naming ``where``, the field, the value and what is
    allowed, for the first problem (and how many more there are)."""
    from simvision.scene import format_validation_error

    try:
        return LayoutTemplate.model_validate(data)
    except ValidationError as err:
        n = err.error_count()
        first = format_validation_error(err, where).splitlines()[0]
        raise ValueError(first + (f" (and {n - 1} more problems)" if n > 1 else "")) from None


def read_template(path: Path, where: str | None = None) -> LayoutTemplate:
    """Load a template file; ``ValueError`` naming the file (``where``: as the user wrote it) for a missing file,
    bad YAML or a bad field."""
    import yaml

    from simvision.safe_yaml import yaml_error_message

    if path.suffix not in (".yaml", ".yml"):
        raise ValueError(f"{path}: a template file must end in .yaml or .yml")
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise ValueError(f"{path}: larger than {MAX_TEMPLATE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: template file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read the template file: {e}") from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as err:
        raise ValueError(str(yaml_error_message(where or str(path), err))) from None
    return parse_template(data, where or str(path))


@cache
def shipped(name: str) -> LayoutTemplate:
    """A shipped layout's template (``KeyError`` for an unknown name)."""
    if name not in SHIPPED:
        raise KeyError(f"unknown receipt layout {name!r}; shipped: {list(SHIPPED)}")
    return read_template(TEMPLATE_DIR / f"{name}.yaml")


def template_from_scene(v: Any, info: ValidationInfo) -> Any:
    """A ``params.content.templates`` value: a path (relative to the scene file, ``info.context["base_dir"]``;
    else the working directory) or an inline mapping."""
    if isinstance(v, LayoutTemplate):
        return v
    if isinstance(v, str):
        base = (info.context or {}).get("base_dir")
        path = Path(v).expanduser()
        if not path.is_absolute() and base is not None:
            path = Path(base) / path
        return read_template(path, v)
    if isinstance(v, dict):
        return v  # validated in place, so problems are named by their full field path
    raise ValueError("a template is a path to a .yaml template file, or an inline template mapping")
