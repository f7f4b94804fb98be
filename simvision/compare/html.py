"""The comparison page: tables and inline SVG histograms, no script and nothing fetched. Every value that came
from a file (class names, paths, numbers) goes through :func:`esc`."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

STYLE = (
    "body{font:14px system-ui,sans-serif;margin:24px;max-width:1200px}table{border-collapse:collapse;margin:8px 0}"
    "td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}td:first-child,th:first-child{text-align:left}"
    ".big{font-size:22px}.r{fill:#1f77b4;opacity:.55}.s{fill:#d62728;opacity:.55}.grid{display:flex;"
    "flex-wrap:wrap;gap:14px}.grid div{width:270px}small{color:#555}"
)


def esc(v: Any) -> str:
    return html.escape(str(v), quote=True)


def num(v: Any, fmt: str = ".3g") -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return esc(format(v, fmt))
    return esc(v)


def table(head: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{num(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def svg_hist(title: str, h: Mapping[str, Sequence[float]] | None) -> str:
    """Real (blue) and synthetic (red) shares on common bins, overlaid."""
    if not h:
        return ""
    w, ht, n = 260, 90, len(h["real"])
    top = max([*h["real"], *h["synth"], 1e-9])
    bars = []
    for k in range(n):
        for cls, v in (("r", h["real"][k]), ("s", h["synth"][k])):
            bh = ht * v / top
            bars.append(
                f'<rect class="{cls}" x="{k * w / n:.1f}" y="{ht - bh:.1f}" width="{w / n:.1f}" height="{bh:.1f}"/>'
            )
    lo, hi = h["edges"][0], h["edges"][-1]
    return (
        f'<div><b>{esc(title)}</b><br><svg width="{w}" height="{ht}" role="img">{"".join(bars)}</svg>'
        f"<br><small>{num(lo)} … {num(hi)}</small></div>"
    )


def dist_rows(items: Mapping[str, Mapping[str, Any]]) -> list[list[Any]]:
    return [
        [name, d["real"].get("median"), d["synth"].get("median"), d.get("median_ratio"), d.get("wasserstein"),
         d.get("wasserstein_std"), d.get("ks"), d.get("ks_p")]
        for name, d in items.items()
    ]  # fmt: skip


DIST_HEAD = (
    "statistic",
    "real median",
    "synthetic median",
    "ratio",
    "Wasserstein",
    "W / real std",
    "KS",
    "KS p",
)


def findings(rows: Sequence[Mapping[str, Any]], score: str) -> str:
    if not rows:
        return "<p>No statistic differs past the threshold.</p>"
    return table(
        (score, "what differs", "what moves it"), [[f[score], f["finding"], f["change"]] for f in rows]
    )


def labels_html(lab: Mapping[str, Any]) -> str:
    parts = ["<h2>Labels</h2>"]
    parts.append(
        f"<p>Shared classes: {esc(', '.join(lab['shared_classes']) or 'none')}. Synthetic classes with no real "
        f"counterpart (left out): {esc(', '.join(lab['unmatched_synthetic']) or 'none')}. Real classes with no "
        f"synthetic counterpart: {esc(', '.join(lab['unmatched_real']) or 'none')}.</p>"
    )
    cs = lab["class_shares"]
    parts.append(f"<h3>Class shares (total variation {num(lab['class_tv'])})</h3>")
    parts.append(
        table(("class", "real", "synthetic"), [[c, cs["real"][c], cs["synth"][c]] for c in cs["real"]])
    )
    parts.append("<h3>Objects per image and boxes (shared classes)</h3>")
    rows = {"objects per image": lab["objects_per_image"], **{f"box {k}": v for k, v in lab["boxes"].items()}}
    parts.append(table(DIST_HEAD, dist_rows(rows)))
    parts.append(
        '<div class="grid">' + "".join(svg_hist(k, v.get("hist")) for k, v in rows.items()) + "</div>"
    )
    per = {f"{c} {k}": v for c, stats in lab["per_class"].items() for k, v in stats.items()}
    if per:
        parts.append("<h3>Per class</h3>" + table(DIST_HEAD, dist_rows(per)))
    return "".join(parts)


def images_html(im: Mapping[str, Any], top: int = 25) -> str:
    c = im["classifier"]
    parts = [
        "<h2>Image statistics</h2>",
        f"<p>{num(im['n_real'])} real and {num(im['n_synth'])} synthetic images, each centre-cropped and resized "
        f"to {num(im['working_size'][0])}x{num(im['working_size'][1])}.</p>",
        table(DIST_HEAD, dist_rows(im["headline"])),
        '<div class="grid">'
        + "".join(svg_hist(k, v.get("hist")) for k, v in im["headline"].items())
        + "</div>",
        f"<h3>Statistics that give the synthetic set away (top {top} by single-statistic AUC)</h3>",
        table(
            ("statistic", "AUC", "std diff", "real mean", "real std", "synthetic mean", "synthetic std"),
            [
                [
                    f["feature"],
                    f["auc"],
                    f["std_diff"],
                    f["real_mean"],
                    f["real_std"],
                    f["synth_mean"],
                    f["synth_std"],
                ]
                for f in im["features"][:top]
            ],
        ),
        f"<p><small>Classifier: {esc(c['model'])}, {num(c['folds'])}-fold; fold AUCs "
        f"{esc(', '.join(num(a) for a in c['fold_aucs']))}</small></p>",
    ]
    d = im["diversity"]
    rows = [[k, v.get("median"), v.get("p10"), v.get("p90")] for k, v in d.items() if isinstance(v, dict)]
    parts.append("<h2>Diversity (nearest-neighbour distance, real-standardised statistics)</h2>")
    parts.append(table(("from → to", "median", "p10", "p90"), rows))
    parts.append("<h3>Real images farthest from any synthetic one (gaps)</h3>")
    parts.append(table(("real", "nearest synthetic", "distance"), [list(g.values()) for g in d["real_gaps"]]))
    if "closest_synthetic_pairs" in d:
        parts.append("<h3>Closest synthetic pairs (clusters)</h3>")
        parts.append(table(("a", "b", "distance"), [list(g.values()) for g in d["closest_synthetic_pairs"]]))
    return "".join(parts)


def summary_html(n: Mapping[str, Any], link: str | None = None) -> str:
    """The headline: AUC, the findings; also the section the dataset report embeds (``link``: the full page)."""
    auc = n["images"]["classifier"]["auc"]
    verdict = "cannot be told apart" if auc is not None and auc < 0.6 else "are told apart"
    more = f' <a href="{esc(link)}">full comparison</a>' if link else ""
    return (
        f"<p>Synthetic <code>{esc(n['synthetic']['source'])}</code> ({num(n['synthetic']['images'])} images, "
        f"{esc(n['synthetic']['layout'])}) against real <code>{esc(n['real']['source'])}</code> "
        f"({num(n['real']['images'])} images, {esc(n['real']['layout'])}).{more}</p>"
        f'<p class="big">Real-vs-synthetic ROC AUC <b>{num(auc)}</b> <small>(0.5: the image statistics '
        f"cannot tell the sets apart; 1.0: every image is given away) — they {verdict}</small></p>"
        "<h3>Label differences</h3>" + findings(n["label_findings"], "ks") +
        "<h3>Image differences</h3>" + findings(n["image_findings"], "auc")
    )  # fmt: skip


def render_html(n: Mapping[str, Any]) -> str:
    body = ["<h1>simvision compare</h1>", summary_html(n)]
    if n.get("labels"):
        body.append(labels_html(n["labels"]))
    body.append(images_html(n["images"]))
    sizes = n["image_sizes"]
    body.append("<h2>Image sizes (before the common working size)</h2>" + table(DIST_HEAD, dist_rows(sizes)))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>simvision compare</title>'
        f"<style>{STYLE}</style></head><body>{''.join(body)}"
        '<p><small><svg width="10" height="10"><rect class="r" width="10" height="10"/></svg> real '
        '<svg width="10" height="10"><rect class="s" width="10" height="10"/></svg> synthetic</small></p>'
        "</body></html>\n"
    )
