"""Run by the donut tool venv's python (``make tools-donut``): CORD ``gt_parse`` dicts (a JSON list on stdin)
through donut's own code, as its CORD training and test scripts use it: ``DonutModel.json2token`` (the target
sequence), ``DonutModel.token2json`` (back to JSON) and ``JSONParseEvaluator`` (tree-edit accuracy and field F1).

donut-python's package imports torch, timm and transformers at import time for the model; these three pieces need
none of that, so their source is taken from the installed package's files unchanged and run with the modules they
use (the model's decoder only supplies special-token lists: none for CORD's plain-text values). Prints a JSON list
of ``{"back": ..., "acc": ..., "f1": ...}``, one per input.
"""

from __future__ import annotations

import ast
import collections
import json
import re
import sys
import sysconfig
import typing
from pathlib import Path
from types import SimpleNamespace

import zss
from nltk import edit_distance

DONUT = Path(sysconfig.get_paths()["purelib"]) / "donut"


def _defs(path: Path, names: set[str], inside: str | None = None) -> dict[str, typing.Any]:
    """Compile the named top-level classes (or the methods of class ``inside``) from ``path``, unchanged."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = (
        tree.body if inside is None else next(n for n in tree.body if getattr(n, "name", "") == inside).body
    )
    nodes = [n for n in body if getattr(n, "name", None) in names]
    namespace: dict[str, typing.Any] = {
        "re": re,
        "zss": zss,
        "Node": zss.Node,
        "edit_distance": edit_distance,
    }
    namespace.update({k: getattr(typing, k) for k in ("Any", "Dict", "List", "Optional", "Tuple", "Union")})
    namespace["defaultdict"] = collections.defaultdict
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(path), "exec"), namespace)
    return {n: namespace[n] for n in names}


def main() -> None:
    evaluator = _defs(DONUT / "util.py", {"JSONParseEvaluator"})["JSONParseEvaluator"]()
    methods = _defs(DONUT / "model.py", {"json2token", "token2json"}, inside="DonutModel")
    model = type("DonutModel", (), methods)()
    tokenizer = SimpleNamespace(all_special_tokens=[], get_added_vocab=dict)
    model.decoder = SimpleNamespace(tokenizer=tokenizer, add_special_tokens=lambda tokens: None)
    out = []
    for gt in json.load(sys.stdin):
        # as DonutDataset builds a training target: keys sorted, special tokens added for every key
        back = model.token2json(
            model.json2token(gt, update_special_tokens_for_json_key=True, sort_json_key=True)
        )
        out.append({"back": back, "acc": evaluator.cal_acc(back, gt), "f1": evaluator.cal_f1([back], [gt])})
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
