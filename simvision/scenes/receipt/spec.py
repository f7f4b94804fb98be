"""The concrete, JSON-serialisable spec of one receipt image: everything the renderer needs, nothing random left."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from simvision.scenes.receipt.content import ReceiptContent
from simvision.scenes.receipt.doc import ReceiptDoc
from simvision.scenes.receipt.hands import HandSpec
from simvision.scenes.receipt.handwriting import Handwriting
from simvision.scenes.receipt.stamps import StampSpec


class ReceiptSpec(BaseModel):
    """One sampled receipt scene. ``render_receipt(spec)`` is a pure function of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    width: int  # the rendered canvas
    height: int
    frame: tuple[
        int, int, int, int
    ]  # (x0, y0, w, h) of the output image in the canvas; the paper fits inside it
    locale: str
    layout: str
    content: ReceiptContent
    doc: ReceiptDoc
    font_id: str
    font_px: int
    line_spacing: float
    margin_px: int
    ink: float
    ink_rgb: tuple[int, int, int]
    paper_rgb: tuple[int, int, int]
    background: str
    rotation_deg: float
    place: tuple[float, float]  # where the paper sits in the free space, as fractions (0..1) of x and y slack
    torn_top: bool
    torn_bottom: bool
    texture_seed: int  # seeds the paper grain, print fade and background patterns
    stamps: tuple[StampSpec, ...] = ()  # rubber stamps inked on the paper
    hands: tuple[HandSpec, ...] = ()  # hands holding or pressing the paper, drawn over it
    handwriting: Handwriting | None = None  # pen on the print: written tip/total, marks, signature
    printer: str = "thermal"  # see printers.PRINTERS
    # Several receipts in one photo: the strip (x0, y0, w, h) of the canvas this paper is placed and fitted in
    # (None: the whole frame, one receipt), and the receipts after this one, each its own full spec (its own
    # ``slot``), laid over this one and each other in order (on this one's table: their ``background`` is unused).
    slot: tuple[int, int, int, int] | None = None
    others: tuple[ReceiptSpec, ...] = ()

    @model_serializer(mode="wrap")
    def _drop_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Occluders and pen are left out of the stored spec when there are none, and the printer while it is
        thermal, so scenes without them keep their bytes (and one-receipt photos their ``slot`` and ``others``)."""
        out = handler(self)
        for key in ("stamps", "hands", "handwriting", "slot", "others"):
            if not out.get(key):
                out.pop(key, None)
        if self.printer == "thermal":
            out.pop("printer", None)
        return out


ReceiptSpec.model_rebuild()
