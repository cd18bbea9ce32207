"""Paperwork's benchmark: every figure beside a baseline measured in the same run.

    python benchmarks/run.py            # the full run (13 minutes on 2 busy cores)
    python benchmarks/run.py --quick    # every figure once, tiny sizes: proves it works
    python benchmarks/run.py --only letter,due

Prints the machine and a table of median, min and max for each figure and its
baseline, their ratio and the target; the full run also writes the table as
Markdown to benchmarks/RESULTS.md (after every figure, so a stopped run keeps
what it measured). A figure that cannot be measured on this machine says
"not measured: <reason>" instead of a number.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import figures  # noqa: E402
from figures import FIGURES, FULL, QUICK, Row, Sizes  # noqa: E402
from measure import Samples, machine  # noqa: E402

RESULTS = HERE / "RESULTS.md"
CACHE = Path(tempfile.gettempdir()) / "paperwork-bench-cache"


def fmt(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value / 1e6:.1f} MB"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def cells(row: Row) -> list[str]:
    """Figure, median, min, max, baseline, baseline median (min-max), ratio, target, met."""
    if row.not_measured:
        value = [f"not measured: {row.not_measured}", "", ""]
    elif row.value is not None:
        v = row.value
        value = [fmt(v.median, v.unit), fmt(v.low, v.unit), fmt(v.high, v.unit)]
    else:
        value = ["", "", ""]
    if row.base_missing:
        base = f"not measured: {row.base_missing}"
    elif row.base is not None:
        b: Samples = row.base
        base = fmt(b.median, b.unit) + (
            f" ({fmt(b.low, b.unit)}–{fmt(b.high, b.unit)})" if len(b.values) > 1 else ""
        )
    else:
        base = ""
    ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "–"
    cpu = f"{row.cpu_ratio:.2f}x" if row.cpu_ratio is not None else "–"
    met = {True: "met", False: "MISSED", None: "–"}[row.met]
    if row.met is None and (row.max_ratio is not None or row.max_value is not None):
        met = "not measured"
    n = f" (n={len(row.value.values)})" if row.value is not None and not row.not_measured else ""
    return [row.figure + n, *value, row.baseline, base, ratio, cpu, row.target, met]


HEADER = [
    "Figure",
    "Median",
    "Min",
    "Max",
    "Baseline",
    "Baseline median (min–max)",
    "Ratio",
    "CPU ratio",
    "Target",
    "Target met",
]


def text_table(rows: list[Row]) -> str:
    table = [HEADER, *(cells(r) for r in rows)]
    widths = [min(48, max(len(line[i]) for line in table)) for i in range(len(HEADER))]
    out = []
    for n, line in enumerate(table):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown(
    rows: list[Row], info: dict[str, str], sizes: Sizes, seconds: float, finished: bool
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"`python benchmarks/run.py` ({sizes.label} run), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{seconds / 60:.1f} min{'' if finished else ' (stopped early: later figures missing)'}.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, {info['os']}, {info['python']}; {info['load']}.",
        "Ratio is median over baseline median (wall clock); CPU ratio is the same for the CPU seconds "
        "(user + system, all processes) of the same runs, which a busy machine disturbs less. "
        "Target met is judged on the wall-clock ratio.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells(row)) + " |")
    notes = [f"- **{r.figure}**: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines) + "\n"


def compile_sources() -> None:
    """Byte-compile the project first, as installing it does. The timed commands run
    with PYTHONDONTWRITEBYTECODE (figures.child_env), so a module edited since its
    .pyc was written would otherwise be compiled from source on every timed run."""
    root = HERE.parent
    for folder in ("paperwork", "tui"):
        compileall.compile_dir(root / folder, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every figure once with tiny sizes (no timing worth reading)",
    )
    parser.add_argument("--only", default="", help=f"comma-separated figures: {','.join(FIGURES)}")
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="Markdown file to write (full run default: benchmarks/RESULTS.md)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=None,
        help="stop the longest runs past this budget (they say so)",
    )
    args = parser.parse_args(argv)

    sizes = QUICK if args.quick else FULL
    chosen = [name for name in args.only.split(",") if name] or list(FIGURES)
    unknown = [name for name in chosen if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}")
    results = args.results if args.results is not None else (None if args.quick else RESULTS)
    info = machine()
    print(f"Paperwork benchmark, {sizes.label} run")
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['python']}; {info['os']}; {info['load']}"
    )
    compile_sources()
    work = Path(tempfile.mkdtemp(prefix="paperwork-bench-"))
    cache = work / "cache" if args.quick else CACHE
    start = time.perf_counter()
    if args.max_minutes:
        figures.DEADLINE = time.monotonic() + args.max_minutes * 60
    rows: list[Row] = []
    try:
        for name in chosen:
            print(f"... {name}", file=sys.stderr, flush=True)
            began = time.perf_counter()
            folder = work / name
            folder.mkdir()
            try:
                extra = (cache,) if name == "bundle" else ()
                rows += FIGURES[name](sizes, folder, *extra)
            except Exception as exc:  # one broken figure must not hide the others
                rows += figures.failed(name, exc)
            print(f"    {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
            if results is not None:
                results.write_text(
                    markdown(rows, info, sizes, time.perf_counter() - start, False),
                    encoding="utf-8",
                )
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work folder kept: {work}", file=sys.stderr)
    print()
    print(text_table(rows))
    for row in rows:
        if row.note:
            print(f"  {row.figure}: {row.note}")
    if results is not None:
        results.write_text(
            markdown(rows, info, sizes, time.perf_counter() - start, True), encoding="utf-8"
        )
        print(f"\nwritten to {results}")
    broken = [r for r in rows if r.not_measured.startswith("failed")]
    return 1 if broken else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
