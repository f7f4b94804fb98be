"""The ``compare``, ``mix`` and ``transfer`` commands, registered on the main app by :func:`register` (cli.py
keeps one line for them). Heavy imports happen inside the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simvision.errors import UserError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

MapOpt = Annotated[
    list[str] | None,
    typer.Option("--map", help="REAL=SYNTHETIC class names, e.g. person=pedestrian (repeatable)"),
]
MapFileOpt = Annotated[
    Path | None, typer.Option("--map-file", help="A YAML mapping real: synthetic, or REAL=SYNTHETIC lines")
]


def compare(
    synthetic: Annotated[
        Path, typer.Argument(help="Synthetic set: a simvision dataset (or any layout --real takes)")
    ],
    real: Annotated[
        Path,
        typer.Option(
            help="Real set: COCO .json (+ --images), YOLO data.yaml, KITTI or Cityscapes folder, image folder"
        ),
    ],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where index.html and compare.json go")],
    images: Annotated[
        Path | None, typer.Option(help="Image folder of a COCO JSON (default: its folder)")
    ] = None,
    mapping: MapOpt = None,
    map_file: MapFileOpt = None,
    max_images: Annotated[
        int, typer.Option(help="Images per set for the image statistics (evenly spaced)")
    ] = 2000,
) -> None:
    """Compare a synthetic set with a real one: label and image statistics side by side with distances, a
    real-vs-synthetic classifier's AUC, diversity, and the scene parameters that move each difference."""
    from simvision.compare.datasets import parse_map
    from simvision.compare.run import run_compare

    if max_images < 2:
        raise UserError(f"--max-images: value {max_images} — must be >= 2")
    page, n = run_compare(synthetic, real, out_dir, images, parse_map(mapping or [], map_file), max_images)
    auc = n["images"]["classifier"]["auc"]
    out.print(f"{page}: real-vs-synthetic AUC {auc if auc is None else round(auc, 3)}")
    for f in n["label_findings"][:5] + n["image_findings"][:5]:
        out.print(f"  {f['finding']}" + (f" -> {f['change']}" if f["change"] else ""), markup=False)


def mix(
    real: Annotated[Path, typer.Option(help="Real set: YOLO data.yaml or COCO .json (its train split)")],
    synthetic: Annotated[Path, typer.Option(help="Synthetic set: a simvision dataset (or COCO/YOLO)")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="The mixed dataset folder (new)")],
    ratio: Annotated[
        float | None,
        typer.Option(help="Synthetic share of the training images, 0..1 (every real image kept)"),
    ] = None,
    counts: Annotated[
        str | None, typer.Option(help="REAL,SYNTHETIC training image counts, e.g. 200,800")
    ] = None,
    images: Annotated[Path | None, typer.Option(help="Image folder of a real COCO JSON")] = None,
    real_val: Annotated[
        Path | None, typer.Option(help="Real validation COCO .json (COCO input only)")
    ] = None,
    mapping: MapOpt = None,
    map_file: MapFileOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of which images are picked")] = 0,
) -> None:
    """A training set of real and synthetic images at a ratio or counts, classes mapped onto the real names,
    real val/test untouched, provenance per image; written as COCO and YOLO, byte-identical across runs."""
    from simvision.compare.datasets import parse_map
    from simvision.compare.mix import mix as run

    summary = run(
        real, synthetic, out_dir, ratio, counts, parse_map(mapping or [], map_file), seed, images, real_val
    )
    out.print(
        f"{out_dir}: {summary['train']['real']} real + {summary['train']['synthetic']} synthetic training images "
        f"(synthetic share {summary['train']['synthetic_share']:.3f}); data.yaml, coco.json, provenance.json"
    )


def transfer(
    real: Annotated[Path, typer.Option(help="Real training set: YOLO data.yaml or COCO .json")],
    synthetic: Annotated[Path, typer.Option(help="Synthetic set: a simvision dataset (or COCO/YOLO)")],
    real_val: Annotated[Path, typer.Option(help="Real validation set: COCO .json or a data.yaml (its val)")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the mixes, transfer.json and .md go")],
    ratios: Annotated[str, typer.Option(help="Synthetic shares to train at, comma list")] = "0,0.5",
    iterations: Annotated[
        int, typer.Option(help="Training iterations per ratio (the same budget for each)")
    ] = 300,
    batch: Annotated[int, typer.Option(help="Images per iteration")] = 4,
    size: Annotated[str, typer.Option(help="Training resolution WxH (multiples of 4)")] = "160x120",
    images: Annotated[Path | None, typer.Option(help="Image folder of a real COCO JSON")] = None,
    mapping: MapOpt = None,
    map_file: MapFileOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of the image picks and the training")] = 0,
) -> None:
    """Train the example detector (needs the train extra) with and without synthetic data at each ratio, on the
    same budget, and score each on the real validation set: mAP50, mAP50-95 and AP per class."""
    from simvision.compare.datasets import parse_map
    from simvision.compare.transfer import table
    from simvision.compare.transfer import transfer as run

    try:
        rs = [float(v) for v in ratios.split(",")]
        wh = tuple(int(v) for v in size.lower().split("x"))
    except ValueError as e:
        raise UserError(
            f"--ratios/--size: value {ratios!r}/{size!r} — e.g. --ratios 0,0.5 --size 160x120"
        ) from e
    if iterations < 1 or len(wh) != 2:
        raise UserError(f"--iterations/--size: value {iterations}/{size!r} — iterations >= 1, size WxH")
    mp = parse_map(mapping or [], map_file)
    result = run(real, synthetic, real_val, out_dir, rs, mp, iterations, batch, wh, seed, images)  # type: ignore[arg-type]
    out.print(table(result), markup=False)


def register(app: typer.Typer) -> None:
    app.command()(compare)
    app.command()(mix)
    app.command()(transfer)
