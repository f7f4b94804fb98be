"""What a shelf scene file may vary (``params:``), validated when the file loads."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from simvision.distributions import Choice, FloatRange, IntRange, Strict, choice_of

PRODUCTS = ("box", "bottle", "can")
LIGHTS = ("store", "warm", "dim")


class ShelfParams(Strict):
    shelves: IntRange = IntRange(min=3, max=5)
    products: Annotated[Choice, choice_of(PRODUCTS)] = Choice(choices={"box": 3, "bottle": 2, "can": 2})
    width_px: FloatRange = FloatRange(min=0.06, max=0.14)  # product width, share of the image width
    gap_px: FloatRange = FloatRange(min=0.0, max=0.02)  # gap between neighbours, share of the image width
    back_row_prob: float = Field(default=0.5, ge=0, le=1, description="a second, partly hidden row behind")
    price_tag_prob: float = Field(default=0.8, ge=0, le=1)
    light: Annotated[Choice, choice_of(LIGHTS)] = Choice(choices={"store": 3, "warm": 1, "dim": 1})
