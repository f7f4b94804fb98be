"""The ``simvision`` command line (typer + rich). Bad input exits 2 with one message; failed checks exit 1."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from simvision.errors import SamplesFailed, UserError
from simvision.run_options import RunOptions
from simvision.writers.registry import format_help, markdown_table, writers

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Procedural scenes to exactly labeled synthetic image datasets (COCO, YOLO, per-sample records).",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[cyan]{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def run_generate(
    scene_path: Path,
    out_dir: Path,
    options: RunOptions,
    quiet: bool = False,
    augment: str | None = None,
    renderer: str | None = None,
    size: str | None = None,
) -> int:
    """Load the scene (with the command line's overrides), run it with ``options`` under a progress bar, and print
    the outcome; the exit status (1 if any sample failed)."""
    from simvision.pipeline import generate
    from simvision.scene import load_scene

    scene = load_scene(scene_path)
    if augment is not None:
        scene = scene.with_augment(augment)
    if renderer is not None:
        scene = scene.with_renderer(renderer)
    if size is not None:
        scene = scene.with_size(size)
    bar = _progress_bar()
    start: dict = {"t": None, "done": 0}

    def progress(done: int, total: int, failed: int = 0) -> None:
        if (
            start["t"] is None
        ):  # the first call comes after every argument was checked: no bar before an error
            bar.start()
            start["task"] = bar.add_task(f"{scene.name}", total=total, rate="")
            start["t"], start["done"] = bar.get_time(), done
        el = bar.get_time() - start["t"]
        made = done - start["done"] - failed  # failed samples are no throughput
        rate = f"{made / el:6.1f} samples/s" if el > 0 and made > 0 else ""
        if failed:
            rate += f" [red]{failed} failed[/]"
        bar.update(start["task"], completed=done, rate=rate)

    try:
        summary = generate(scene, out_dir, options, progress=None if quiet else progress)
    except SamplesFailed as failed:
        summary = failed.summary
    finally:
        bar.stop()
    for r in summary.repaired:  # damaged finished samples, found on resume and rendered again
        err.print(f"[yellow]repaired {r.line()}[/]")
    msg = f"{summary.out}: {summary.rendered} rendered, {summary.skipped} already there"
    msg += f", {len(summary.repaired)} repaired" if summary.repaired else ""
    if summary.failures:
        err.print(f"[red]{msg}, {len(summary.failures)} failed[/] (see {summary.out / 'failures.json'})")
        for f in summary.failures[:5]:
            err.print(f"  index {f['index']} (seed {f['seed']}): {f['error']}")
        return 1
    err.print(f"[green]{msg}[/]")
    return 0


@app.command()
def generate(
    scene: Annotated[Path, typer.Argument(help="Scene file, e.g. scenes/receipt.yaml")],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Output dataset folder (new, or one to resume)")
    ],
    n: Annotated[int, typer.Option("-n", "--count", help="Number of samples (indices 0..n-1)")] = 100,
    seed: Annotated[int, typer.Option(help="Dataset seed; sample i depends only on (seed, i)")] = 0,
    workers: Annotated[int, typer.Option(help="Worker processes; 0 = every core")] = 0,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help=f"Comma list of: {format_help()} (`simvision formats` lists what each writes)",
        ),
    ] = "coco,yolo",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
    augment: Annotated[
        str | None,
        typer.Option(
            help="Augmentation preset overriding the scene file's: none, scan, phone_photo, crumpled, harsh"
        ),
    ] = None,
    renderer: Annotated[
        str | None, typer.Option(help="Renderer overriding the scene file's: 2d, or blender (3D scenes)")
    ] = None,
    size: Annotated[
        str | None, typer.Option(help="Resolution WIDTHxHEIGHT overriding the scene file's")
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(help="K/N: render only every N-th block of indices, from block K (then merge)"),
    ] = None,
    shard_block: Annotated[int, typer.Option(help="Indices per shard block")] = 64,
    retries: Annotated[int, typer.Option(help="Retries of a failing sample before it is reported")] = 2,
    recycle_after: Annotated[
        int | None, typer.Option(help="Replace each worker process after this many samples")
    ] = None,
    backend: Annotated[str, typer.Option(help="local (process pool) or ray (needs the ray extra)")] = "local",
    address: Annotated[
        str | None, typer.Option(help="Ray cluster to join, e.g. auto; none starts a local Ray")
    ] = None,
    split: Annotated[
        str | None,
        typer.Option(
            help="Splits by hashing (seed, index), e.g. train=0.8,val=0.1,test=0.1; every writer honours them"
        ),
    ] = None,
    dedupe: Annotated[
        bool, typer.Option(help="Leave near-duplicate images out of the dataset files (see duplicates.json)")
    ] = False,
    gpus: Annotated[
        str | None,
        typer.Option(help="GPUs for Blender workers: all, or ids like 0,1 (one long-lived worker per GPU)"),
    ] = None,
    max_worker_memory: Annotated[
        str | None, typer.Option(help="Replace workers whose memory passes this, e.g. 4GB")
    ] = None,
    dedupe_distance: Annotated[
        int | None,
        typer.Option(help="Image-hash bits within which two images are duplicates (implies --dedupe)"),
    ] = None,
) -> None:
    """Render a labeled dataset. Rerunning the same command resumes and skips finished samples."""
    options = RunOptions.parse(
        n=n,
        seed=seed,
        workers=workers,
        formats=fmt,
        shard=shard,
        shard_block=shard_block,
        retries=retries,
        recycle_after=recycle_after,
        backend=backend,
        address=address,
        split=split,
        dedupe=dedupe_distance if dedupe_distance is not None else dedupe,
        gpus=gpus,
        max_worker_memory=max_worker_memory,
    )
    raise typer.Exit(run_generate(scene, out_dir, options, quiet, augment, renderer, size))


@app.command()
def merge(
    shards: Annotated[list[Path], typer.Argument(help="Shard folders written by generate --shard K/N")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="The merged dataset folder")],
    allow_partial: Annotated[
        bool, typer.Option(help="Merge even when some indices are in no shard (else exit 2 naming them)")
    ] = False,
) -> None:
    """Join shard outputs into one dataset, byte-identical to a single run of the same command."""
    from simvision.merge import merge as run

    count = run(out_dir, list(shards), allow_partial)
    err.print(f"[green]{out_dir}: {count} samples merged from {len(shards)} shards[/]")


@app.command()
def verify(dataset: Annotated[Path, typer.Argument(help="Dataset folder written by generate")]) -> None:
    """Re-derive every label from the stored maps and check all files; exit 1 on any mismatch."""
    from simvision.quality.verify import verify as run

    report = run(dataset)
    if report.ok:
        out.print(
            f"[green]OK[/] {dataset}: {report.samples} samples, {report.instances} instances, every label exact"
        )
        return
    for p in report.problems[:50]:
        err.print(Text("✗ ", style="red") + Text(p))
    more = len(report.problems) - 50
    err.print(f"[red]{len(report.problems)} problem(s)[/]" + (f" ({more} not shown)" if more > 0 else ""))
    raise typer.Exit(1)


@app.command()
def preview(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder written by generate")],
    path: Annotated[
        Path | None, typer.Option("--out", "-o", help="PNG path (default <dataset>/preview.png)")
    ] = None,
    count: Annotated[int, typer.Option("-n", help="How many samples to show")] = 12,
) -> None:
    """Write a contact sheet PNG with boxes, quads and key fields drawn."""
    from simvision.quality.preview import write_preview

    if count < 1:
        raise UserError(f"-n: value {count} — must be >= 1")
    out.print(str(write_preview(dataset, path, count)))


@app.command()
def report(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder written by generate")],
    gallery: Annotated[int, typer.Option("--gallery", help="Random samples shown with labels drawn")] = 12,
    distance: Annotated[
        int | None, typer.Option(help="Image-hash bits within which two images count as near-duplicates")
    ] = None,
    real: Annotated[
        Path | None, typer.Option(help="Compare with a real set (see `simvision compare --real`)")
    ] = None,
    real_images: Annotated[Path | None, typer.Option(help="Image folder of a real COCO JSON")] = None,
    mapping: Annotated[list[str] | None, typer.Option("--map", help="REAL=SYNTHETIC class names")] = None,
) -> None:
    """Write <dataset>/report/index.html (self-contained) and report.json: classes, boxes, visibility, scene
    parameters against the scene file, balance, edge cases, text, duplicates, splits, verification, gallery."""
    from simvision.quality.report import write_report

    if gallery < 0:
        raise UserError(f"--gallery: value {gallery} — must be >= 0")
    cmp = None
    if real is not None:
        from simvision.compare.datasets import parse_map

        cmp = {"real_path": real, "images": real_images, "mapping": parse_map(mapping or [])}
    html, numbers = write_report(dataset, gallery, distance, real=cmp)
    v = numbers["verification"]
    verdict = "[green]labels verified[/]" if v["ok"] else f"[red]{len(v['problems'])} label problems[/]"
    out.print(
        f"{html}: {numbers['samples']} samples, {verdict}, {len(numbers['duplicates']['pairs'])} near-duplicate pairs"
    )


@app.command()
def replay(record: Annotated[Path, typer.Argument(help="A record: <dataset>/records/<name>.json")]) -> None:
    """Rebuild a sample from its record alone; exit 1 unless image, maps and labels are identical."""
    from simvision.replay import replay as run

    res = run(record)
    parts = {
        "image bytes": res.image_identical,
        "id maps": res.maps_identical,
        "labels": res.labels_identical,
    }
    for k, v in parts.items():
        shown = {True: "[green]identical", False: "[red]DIFFERENT", None: "[yellow]not compared (no file)"}[v]
        out.print(f"{shown}[/] {k}")
    if not res.identical:
        raise typer.Exit(1)


@app.command()
def scenes(folder: Annotated[Path | None, typer.Argument(help="Folder of scene files")] = None) -> None:
    """List scene files and generators with one-line descriptions."""
    from simvision.registry import loadable_kinds
    from simvision.scene import default_scene_dir, load_scene

    folder = folder or default_scene_dir()
    t = Table(title=f"Scene files in {folder}")
    for col in ("file", "generator", "size", "augment", "description"):
        t.add_column(col)
    for p in sorted(folder.glob("*.yaml")):
        try:
            s = load_scene(p)
            a = s.augment
            names = a and (a.preset if a.presets is None else "|".join(a.presets.choices))
            aug = "-" if a is None else f"{names} +{len(a.effects)}"
            t.add_row(p.name, s.generator, f"{s.image.width}x{s.image.height}", aug, s.description)
        except UserError as e:
            t.add_row(p.name, "[red]invalid[/]", "", "", str(e).splitlines()[0])
    out.print(t)
    g = Table(title="Generators (scene kinds)")
    for col in ("name", "from", "renderers", "classes", "description"):
        g.add_column(col)
    kinds, broken = loadable_kinds()
    for gen in kinds:
        g.add_row(gen.name, gen.source, ", ".join(gen.renderers), ", ".join(gen.classes[1:]), gen.description)
    for name, why in broken.items():
        g.add_row(name, "[red]broken plugin[/]", "", "", why)
    out.print(g)


@app.command()
def formats(
    markdown: Annotated[bool, typer.Option(help="Print the README's Markdown table")] = False,
) -> None:
    """List the output formats (writers), the scene kinds each serves and the files it writes."""
    if markdown:
        out.print(markdown_table(), end="", markup=False, highlight=False, soft_wrap=True)
        return
    from simvision.writers.registry import BROKEN, kinds_of

    t = Table(title="Formats (--format)")
    for col in ("format", "for", "files"):
        t.add_column(col)
    for w in writers().values():
        t.add_row(w.name, kinds_of(w), w.files)
    for name, why in BROKEN.items():
        t.add_row(name, "[red]broken plugin[/]", why)
    out.print(t)


@app.command()
def schema(
    path: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file")] = None,
) -> None:
    """Print (or write) the JSON Schema of scene files."""
    from simvision.io import atomic_write
    from simvision.scene import scene_schema

    text = json.dumps(scene_schema(), indent=2, sort_keys=True) + "\n"
    if path:
        atomic_write(path, text.encode())
    else:
        sys.stdout.write(text)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the demo datasets go")] = Path(
        "outputs/demo"
    ),
    n: Annotated[int, typer.Option("-n", help="Samples per scene")] = 12,
    seed: Annotated[int, typer.Option(help="Seed")] = 0,
    workers: Annotated[int, typer.Option(help="Worker processes; 0 = every core")] = 0,
) -> None:
    """Generate a small dataset of every scene in scenes/ (Blender scenes: at most 4 frames; clip scenes: at most 3
    clips), verify it, and write preview PNGs (and clips' GIFs) and a report page."""
    from simvision.quality.preview import write_overview, write_preview
    from simvision.quality.report import write_report
    from simvision.scene import default_scene_dir, load_scene

    status = 0
    made = []
    for p in sorted(default_scene_dir().glob("*.yaml")):
        target = out_dir / p.stem
        if (target / "dataset.json").is_file():  # a demo from an older checkout: make it afresh
            shutil.rmtree(target)
        scene = load_scene(p)
        heavy = scene.render.engine == "blender"  # tens of CPU-s a frame: a few show the look
        count = min(n, 4) if heavy else min(n, 3) if scene.sequence is not None else n  # a clip: many frames
        options = RunOptions.parse(n=count, seed=seed, workers=workers, split="train=0.75,val=0.25")
        status |= run_generate(p, target, options)
        html, numbers = write_report(target, gallery=6)  # verifies every label on the way
        v = numbers["verification"]
        verdict = "[green]verified[/]" if v["ok"] else f"[red]{len(v['problems'])} problems[/]"
        status |= 0 if v["ok"] else 1
        out.print(f"{target}: {verdict}; preview: {write_preview(target)}; report: {html}")
        made.append(target)
    out.print(f"overview of every scene: {write_overview(made, out_dir / 'preview.png')}")
    raise typer.Exit(status)


MAX_LINE = 1000  # characters of one error line; a message never floods the terminal
MAX_LINES = 12


def _clipped(message: str) -> str:
    lines = [ln if len(ln) <= MAX_LINE else ln[: MAX_LINE - 3] + "..." for ln in message.splitlines()]
    return "\n".join(lines[:MAX_LINES]) or "(no message)"


def _os_error(e: OSError) -> tuple[str, int]:
    """One line for an operating-system error and its exit status: 1 for a full disk (the run could not finish),
    2 for a path the user gave that cannot be used."""
    from simvision.io import DISK_FULL

    where = " -> ".join(f"'{f}'" for f in (e.filename, e.filename2) if f is not None)
    what = e.strerror or type(e).__name__
    if e.errno in DISK_FULL:
        return f"disk full: {what}{': ' + where if where else ''} (free space and rerun to resume)", 1
    return f"{where + ': ' if where else ''}{what}", 2


def _register_compare() -> None:
    from simvision.compare.cli import register

    register(app)  # compare, mix, transfer (simvision/compare/)


_register_compare()


def main() -> None:
    try:
        app(standalone_mode=True)
    except UserError as e:
        err.print(Text("error: ", style="bold red") + Text(_clipped(str(e))), highlight=False)
        sys.exit(e.exit_code)
    except OSError as e:  # a full disk, a read-only or vanished folder: one line, not a traceback
        message, status = _os_error(e)
        err.print(Text("error: ", style="bold red") + Text(_clipped(message)), highlight=False)
        sys.exit(status)
