"""Turn measured differences into sentences and the scene parameters that move them.

Image statistics are grouped into topics (brightness, contrast, colour, sharpness, noise, jpeg_quality); the scene
kind's ``advice`` table (:attr:`simvision.scenekind.SceneKind.advice`) says which of its parameters move each topic
and each box statistic. What any scene file has (its augmentation and ``image.jpeg_quality``) is the generic
fallback here; generic code never names a kind.
"""

from __future__ import annotations

from collections.abc import Mapping

# Feature name prefix -> topic; the first match wins.
TOPICS: tuple[tuple[str, str], ...] = (
    ("jpeg_quality", "jpeg_quality"),
    ("noise_sigma", "noise"),
    ("flat_", "noise"),
    ("grey_mean", "brightness"),
    ("r_mean", "brightness"),
    ("g_mean", "brightness"),
    ("b_mean", "brightness"),
    ("grey_hist", "brightness"),
    ("clip_", "brightness"),
    ("grey_skew", "brightness"),
    ("contrast", "contrast"),
    ("grey_", "contrast"),
    ("r_std", "contrast"),
    ("g_std", "contrast"),
    ("b_std", "contrast"),
    ("sat_", "colour"),
    ("colourfulness", "colour"),
    ("hue_", "colour"),
    ("hist_", "colour"),
)
GENERIC: dict[str, tuple[str, str]] = {
    "noise": (
        "add sensor noise: an `augment` preset or effect with noise (e.g. `--augment phone_photo`)",
        "less noise in `augment` (e.g. `--augment none`)",
    ),
    "sharpness": (
        "less blur in `augment`; a larger `image` size rendered and scaled down",
        "add blur or motion blur in `augment` (e.g. `--augment phone_photo`)",
    ),
    "jpeg_quality": (
        "raise `image.jpeg_quality` in the scene file",
        "lower `image.jpeg_quality` in the scene file",
    ),
    "brightness": ("a brighter `augment` (exposure, gamma)", "a darker `augment` (exposure, gamma)"),
    "contrast": ("more contrast in `augment`", "less contrast in `augment`"),
    "colour": ("more saturation in `augment`", "less saturation in `augment`"),
}


def topic(feature: str) -> str:
    """A statistic's topic; what is not listed (gradients, edges, LBP, band energies, spectrum) is sharpness."""
    for prefix, name in TOPICS:
        if feature.startswith(prefix):
            return name
    return "sharpness"


def suggest(key: str, raise_it: bool, table: Mapping[str, tuple[str, str]]) -> str:
    """The parameters that raise (or lower) a statistic: the kind's entry for ``key``, else for its part before
    ``:`` (``box_size:person`` -> ``box_size``), else the generic one, else ''."""
    for k in (key, key.split(":")[0]):
        for t in (table, GENERIC):
            if k in t:
                return t[k][0 if raise_it else 1]
    return ""


WORDS = {"size": ("larger", "smaller"), "aspect": ("wider", "taller"), "cx": ("further right", "further left"),
         "cy": ("lower in the image", "higher in the image")}  # fmt: skip


def box_findings(
    boxes: Mapping,
    table: Mapping[str, tuple[str, str]],
    threshold: float = 0.25,
    p: float = 0.01,
    min_n: int = 8,
) -> list[dict]:
    """A finding for each box statistic whose KS statistic passes ``threshold`` with p-value under ``p`` and at
    least ``min_n`` values on each side (a class seen twice says nothing): what differs and what moves it."""
    out: list[dict] = []

    def add(key: str, what: str, d: Mapping, stat: str) -> None:
        if d.get("ks") is None or d["ks"] < threshold or d["ks_p"] > p:
            return
        if min(d["real"]["n"], d["synth"]["n"]) < min_n:
            return
        r, s = d["real"]["median"], d["synth"]["median"]
        up = r > s  # the synthetic statistic has to go up to meet the real one
        if stat == "size" and s > 0:
            text = f"{what}: real median is {r / s:.2f}x the synthetic ({r:.3g} vs {s:.3g} of the image side)"
        elif stat in WORDS:
            text = f"{what}: real boxes are {WORDS[stat][0 if up else 1]} (median {r:.3g} vs {s:.3g})"
        else:
            text = f"{what}: real median {r:.3g} vs synthetic {s:.3g}"
        out.append({"statistic": key, "ks": d["ks"], "finding": text, "change": suggest(key, up, table)})

    add("objects_per_image", "objects per image", boxes["objects_per_image"], "count")
    for stat, d in boxes["boxes"].items():
        add(f"box_{stat}", f"box {stat} (all shared classes)", d, stat)
    for cls, per in boxes["per_class"].items():
        for stat, d in per.items():
            add(f"box_{stat}:{cls}", f"{cls} box {stat}", d, stat)
    out.sort(key=lambda f: -f["ks"])
    return out


# The statistic that says which way a topic has to move: a histogram bin or an LBP share has no direction of its
# own (more of bin 3 can mean brighter or darker), the topic's headline statistic does.
DIRECTION = {"brightness": "grey_mean", "contrast": "contrast_rms", "colour": "sat_mean",
             "sharpness": "sharpness_log_lapvar", "noise": "noise_sigma", "jpeg_quality": "jpeg_quality"}  # fmt: skip


def image_findings(
    features: list[Mapping], table: Mapping[str, tuple[str, str]], threshold: float = 0.75, top: int = 12
) -> list[dict]:
    """The statistics that give the synthetic set away (single-feature AUC past ``threshold``), with the change
    that would move the synthetic images towards the real ones (its direction from the topic's headline
    statistic, :data:`DIRECTION`)."""
    by_name = {str(r["feature"]): r for r in features}
    out = []
    for row in features:
        if row["auc"] < threshold or len(out) >= top:
            continue
        t = topic(str(row["feature"]))
        head = by_name.get(DIRECTION[t], row)
        up = head["real_mean"] > head["synth_mean"]
        out.append(
            {
                "statistic": row["feature"],
                "topic": t,
                "auc": row["auc"],
                "finding": f"{row['feature']} ({t}): real mean {row['real_mean']:.4g}, synthetic "
                f"{row['synth_mean']:.4g} ({row['std_diff']:+.2f} pooled std); {head['feature']}: real "
                f"{head['real_mean']:.4g}, synthetic {head['synth_mean']:.4g}",
                "change": suggest(t, up, table),
            }
        )
    return out
