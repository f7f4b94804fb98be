"""What ``simvision compare`` suggests for a receipt scene file: per topic, (to raise the statistic, to lower it)."""

from __future__ import annotations

ADVICE: dict[str, tuple[str, str]] = {
    "brightness": (
        "lower `look.paper_tint`; a lighter `look.background`",
        "raise `look.paper_tint`; a darker `look.background`",
    ),
    "contrast": ("raise `look.ink`", "lower `look.ink`; a photo `augment` preset (e.g. phone_photo)"),
    "objects_per_image": (
        "raise `content.items` and `content.supermarket_items`",
        "lower `content.items` and `content.supermarket_items`",
    ),
    "box_size": ("raise `look.font_px`; lower `look.margin_px`", "lower `look.font_px`"),
    "box_aspect": (
        "wider fonts or longer words (`look.font`, `content.locale`)",
        "narrower fonts (`look.font`)",
    ),
    "box_cy": ("lower `look.margin_px` at the top; more `content.items`", "fewer `content.items`"),
}
