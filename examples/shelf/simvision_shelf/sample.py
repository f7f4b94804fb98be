"""``sample(rng, params, canvas) -> ShelfSpec``: every random choice of a shelf scene, drawn from one rng."""

from __future__ import annotations

import numpy as np

from simvision.canvas import Canvas
from simvision.distributions import coin
from simvision_shelf.config import ShelfParams
from simvision_shelf.spec import PriceTag, Product, ShelfSpec

HEIGHT = {"box": (0.55, 0.9), "bottle": (0.7, 0.95), "can": (0.35, 0.5)}  # share of the shelf's clear height
ASPECT = {"box": (0.5, 1.1), "bottle": (0.25, 0.4), "can": (0.55, 0.75)}  # width / height


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(20, 236, 3))


def _row(rng, p: ShelfParams, w: int, base: int, clear: int, back: bool) -> list[Product]:
    out, x = [], int(rng.integers(0, max(1, w // 30)))
    while True:
        kind = p.products.sample(rng)
        lo, hi = HEIGHT[kind]
        h = int(clear * rng.uniform(lo, hi) * (0.92 if back else 1.0))
        pw = int(min(h * rng.uniform(*ASPECT[kind]), w * p.width_px.max))
        facings = int(rng.integers(1, 4))  # the same product side by side, as shelves are stocked
        colour, band = _colour(rng), _colour(rng)
        for _ in range(facings):
            if x + pw > w:
                return out
            out.append(
                Product(kind=kind, x=x, base=base, width=pw, height=h, colour=colour, band=band, back=back)
            )
            x += pw + int(w * p.gap_px.sample(rng)) + 1


def sample(rng: np.random.Generator, p: ShelfParams, canvas: Canvas) -> ShelfSpec:
    w, h = canvas.width, canvas.height
    n = p.shelves.sample(rng)
    board_px = max(4, h // 60)
    pitch = h / n
    boards = tuple(int(round(pitch * (k + 1) - board_px)) for k in range(n))
    products, tags = [], []
    for base in boards:
        clear = int(pitch - board_px)
        if coin(rng, p.back_row_prob):
            products += _row(rng, p, w, base - max(2, board_px // 2), clear, back=True)
        front = _row(rng, p, w, base, clear, back=False)
        products += front
        for prod in front[:: max(1, len(front) // 4 or 1)]:
            if coin(rng, p.price_tag_prob):
                price = f"{int(rng.integers(0, 20))}.{int(rng.integers(0, 100)):02d}"
                tw = max(24, int(board_px * 5))
                tags.append(PriceTag(x=prod.x, y=base + 1, width=tw, height=max(8, board_px * 2), text=price))
    return ShelfSpec(
        width=w, height=h, boards=boards, board_px=board_px, wall=_colour(rng), board=_colour(rng),
        light=p.light.sample(rng), products=tuple(products), tags=tuple(tags),
        texture_seed=int(rng.integers(2**31)),
    )  # fmt: skip
