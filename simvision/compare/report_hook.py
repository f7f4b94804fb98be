"""``simvision report --real``: the comparison written next to the report, and its summary in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simvision.compare.html import summary_html
from simvision.compare.run import compare, write_compare


def compare_into_report(dataset: Path, folder: Path, real: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Run the comparison into ``folder``; (the summary for report.json, the HTML section for the page)."""
    numbers = compare(dataset, **real)
    write_compare(numbers, folder)
    link = f"{folder.name}/index.html"
    summary = {
        "page": link,
        "real": numbers["real"],
        "auc": numbers["images"]["classifier"]["auc"],
        "label_findings": numbers["label_findings"],
        "image_findings": numbers["image_findings"],
    }
    return summary, "<h2>Against real data</h2>" + summary_html(numbers, link)
