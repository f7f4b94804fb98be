"""One sampled shelf: plain, JSON-serialisable data; the renderer draws it and nothing else."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

RGB = tuple[int, int, int]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Product(_Spec):
    kind: str  # box | bottle | can
    x: int  # left edge, px
    base: int  # y of the shelf board it stands on, px
    width: int
    height: int
    colour: RGB
    band: RGB  # label band colour
    back: bool  # in the back row (drawn first, darker)


class PriceTag(_Spec):
    x: int
    y: int
    width: int
    height: int
    text: str


class ShelfSpec(_Spec):
    width: int
    height: int
    boards: tuple[int, ...]  # y of each board's top surface, px
    board_px: int
    wall: RGB
    board: RGB
    light: str
    products: tuple[Product, ...]
    tags: tuple[PriceTag, ...]
    texture_seed: int
