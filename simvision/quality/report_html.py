"""The report page: the numbers of ``report.json`` as inline PNG plots (matplotlib, Agg) and tables, one file."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from simvision.dataset_paths import capped, read_json, record_file, record_path
from simvision.io import read_rgb
from simvision.quality.preview import draw_labels

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1180px;padding:16px 24px;color:#222}
h1{margin:.2em 0}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:2em}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
.ok{color:#080;font-weight:600}.bad{color:#b00;font-weight:600}.muted{color:#777}
.plots img{max-width:49%;vertical-align:top}.gallery{display:flex;flex-wrap:wrap;gap:8px}
.gallery figure{margin:0;width:280px}.gallery img{width:280px;border:1px solid #ccc}
figcaption{font-size:12px;color:#555;word-break:break-all}
"""


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return f'<img alt="plot" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _figure(w: float = 6.0, h: float = 3.2) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(w, h))


def _hist_plot(h: dict[str, list], title: str, xlabel: str, band: list[float] | None = None) -> str:
    fig, ax = _figure()
    if h["counts"]:
        e = np.array(h["edges"])
        ax.bar(e[:-1], h["counts"], width=np.diff(e), align="edge", color="#4c78a8", edgecolor="white")
    if band is not None:
        ax.axvspan(band[0], band[1], color="#f58518", alpha=0.15, label="asked for")
        ax.legend()
    ax.set(title=title, xlabel=xlabel, ylabel="count")
    return _png(fig)


def _bars(labels: list[str], series: dict[str, list[float]], title: str, ylabel: str) -> str:
    fig, ax = _figure(max(6.0, 0.45 * len(labels) + 2), 3.4)
    x = np.arange(len(labels))
    width = 0.8 / max(1, len(series))
    for k, (name, vals) in enumerate(series.items()):
        ax.bar(x + k * width - 0.4 + width / 2, vals, width, label=name)
    ax.set_xticks(
        x, labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
    )
    ax.set(title=title, ylabel=ylabel)
    if len(series) > 1:
        ax.legend()
    return _png(fig)


def _heatmap(
    grid: list[list[int]], title: str, rows: list[str] | None = None, cols: list[str] | None = None
) -> str:
    fig, ax = _figure(5.0, 4.0)
    a = np.array(grid)
    im = ax.imshow(a, cmap="viridis", aspect="auto")
    fig.colorbar(im, ax=ax)
    if rows is not None and cols is not None:
        ax.set_yticks(range(len(rows)), rows)
        ax.set_xticks(range(len(cols)), cols)
        for (i, j), v in np.ndenumerate(a):
            ax.text(j, i, str(v), ha="center", va="center", color="w" if v < a.max() / 2 else "k")
    ax.set_title(title)
    return _png(fig)


def _e(value: Any) -> str:
    """Any value as HTML text or attribute content: names, tags, splits and descriptions come from files a user
    may have edited or been handed, so every one is escaped, quotes included."""
    return html.escape(str(value), quote=True)


def _table(head: list[str], rows: list[list[Any]]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def _thumb(out: Path, name: str) -> str:
    path = record_path(out, name, "gallery")
    rec = read_json(path, str(path))
    assert isinstance(rec, dict)  # load_dataset read it as an object already
    img = draw_labels(read_rgb(capped(record_file(out, rec, "image", name), f"{name}: files.image")), rec)
    scale = 280 / img.shape[1]
    img = cv2.resize(img, (280, max(1, round(img.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    tags = ", ".join(str(t) for t in rec.get("tags", [])) or "no tags"
    cap = f"{name} · {rec.get('split') or ''} · {len(rec['instances'])} labels · {tags}"
    src = base64.b64encode(buf.tobytes()).decode()
    return f'<figure><img alt="{_e(name)}" src="data:image/jpeg;base64,{src}"><figcaption>{_e(cap)}</figcaption></figure>'


def _sections(out: Path, n: dict[str, Any]) -> list[str]:
    s: list[str] = []
    total = n["samples"]
    v = n["verification"]
    verdict = (
        f'<span class="ok">every label exact</span> ({_e(v["samples"])} samples, {_e(v["instances"])} instances)'
        if v["ok"]
        else f'<span class="bad">{len(v["problems"])} problem(s)</span>'
    )
    s.append(f"<h2>Verification</h2><p>{verdict}</p>")
    if not v["ok"]:
        s.append("<ul>" + "".join(f"<li>{_e(p)}</li>" for p in v["problems"]) + "</ul>")
    cls = n["classes"]
    rows = [[c, x["instances"], x["images"], f"{x['images'] / total:.1%}"] for c, x in cls.items()]
    s.append("<h2>Classes</h2>" + _table(["class", "instances", "images", "share of images"], rows))
    s.append('<div class="plots">' + _bars(list(cls), {"instances": [x["instances"] for x in cls.values()],
             "images": [x["images"] for x in cls.values()]}, "instances and images per class", "count") + "</div>")  # fmt: skip
    b = n["boxes"]
    excl = f" (not {_e(', '.join(n['boxes_exclude']))})" if n["boxes_exclude"] else ""
    s.append(
        f"<h2>Boxes{excl}</h2><p>{_e(b['count'])} boxes; COCO sizes: " + _e(b["small_medium_large"]) + "</p>"
    )
    s.append('<div class="plots">' + _hist_plot(b["log10_area"], "box area", "log10(pixels)")
             + _hist_plot(b["log2_aspect"], "box aspect", "log2(width / height)")
             + _heatmap(b["centre_heatmap"], "box centres over the image") + "</div>")  # fmt: skip
    if n["visibility"]:
        s.append("<h2>Visibility</h2><div class='plots'>" + "".join(
            _hist_plot(h, k.replace("_", " "), "fraction") for k, h in n["visibility"].items()) + "</div>")  # fmt: skip
    if n["conditions"]:
        s.append("<h2>Scene conditions: sampled against asked</h2><div class='plots'>")
        for cond, c in n["conditions"].items():
            keys = sorted(set(c["observed"]) | set(c["expected_share"]))
            obs = [c["observed"].get(k, 0) / total for k in keys]
            exp = [c["expected_share"].get(k, 0.0) for k in keys]
            s.append(_bars(keys, {"asked": exp, "sampled": obs}, cond, "share of images"))
        s.append("</div>")
        g = n["condition_grid"]
        if g:
            s.append(_heatmap(g["counts"], f"{g['rows']} x {g['cols']}", g["row_values"], g["col_values"]))
    if n["numeric"]:
        s.append("<h2>Scene parameters</h2><div class='plots'>" + "".join(
            _hist_plot(x["histogram"], k, k, x["asked"]) for k, x in n["numeric"].items()) + "</div>")  # fmt: skip
    if n["effects"]:
        rows = [
            [k, x["asked_p"], x["applied"], f"{x['applied'] / total:.1%}"] for k, x in n["effects"].items()
        ]
        s.append("<h2>Augmentation effects</h2>" + _table(["effect", "asked p", "applied", "share"], rows))
    bal = n["balance"]
    s.append("<h2>Balance and edge cases</h2>")
    if bal["strata"]:
        rows = [[k, x["share"], x["target"], x["achieved"]] for k, x in bal["strata"].items()]
        s.append(_table(["stratum", "share", "target", "achieved"], rows + [["(rest)", "", "", bal["rest"]]]))
    if bal["edge_cases"]:
        rows = [
            [k, x["rate"], x["target"], x["achieved"], bal["tags"].get(k, 0)]
            for k, x in bal["edge_cases"].items()
        ]
        s.append(_table(["edge case", "rate", "target", "achieved", "tagged"], rows))
    s.append(_table(["tag", "images", "share"], [[t, c, f"{c / total:.1%}"] for t, c in bal["tags"].items()]))
    t = n["text"]
    if t:
        s.append(f"<h2>Text</h2><p>{_e(t['total_words'])} words, {_e(t['total_chars'])} characters</p><div class='plots'>"
                 + _hist_plot(t["words_per_image"], "words per image", "words")
                 + _hist_plot(t["chars_per_image"], "characters per image", "characters") + "</div>")  # fmt: skip
        rows = [[k, x["present"], x["missing"]] for k, x in t["key_fields"].items()]
        s.append(_table(["key field", "present", "missing"], rows))
    for title, table in n.get("sections", {}).items():  # the scene kind's own numbers
        cols = list(dict.fromkeys(c for row in table.values() for c in row))  # first-seen order
        rows = [[k, *(row.get(c, "") for c in cols)] for k, row in table.items()]
        s.append(f"<h2>{_e(title)}</h2>" + _table(["", *cols], rows))
    s.append("<h2>Splits</h2>" + _table(["split", "samples"], [[k, v] for k, v in n["splits"].items()]))
    d = n["duplicates"]
    s.append(f"<h2>Near-duplicates</h2><p>{len(d['pairs'])} pair(s) within {_e(d['max_distance'])} bits of the image "
             f"hash or with the same spec; {len(d['excluded_by_dedupe'])} left out by --dedupe.</p>")  # fmt: skip
    if d["pairs"]:
        rows = [[p["a_name"], p["b_name"], p["distance"], p["reason"]] for p in d["pairs"][:200]]
        s.append(_table(["sample", "duplicate of", "hash distance", "reason"], rows))
    s.append(
        "<h2>Gallery</h2><div class='gallery'>" + "".join(_thumb(out, g) for g in n["gallery"]) + "</div>"
    )
    return s


def render_html(out: Path, n: dict[str, Any]) -> str:
    """The whole page as one string (plots and gallery inline as data URIs)."""
    title = f"simvision report: {n['scene']}"
    head = (
        f"<h1>{_e(title)}</h1><p class='muted'>{_e(n['description'])}<br>"
        f"{_e(n['samples'])} samples of {_e(n['requested'])} requested, {_e(n['instances'])} instances, "
        f"generator {_e(n['generator'])}, seed {_e(n['seed'])}. The same numbers are in report.json.</p>"
    )
    body = head + "".join(_sections(out, n))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>\n"
    )
