"""The figures of the benchmark, each measured beside its baseline in the same run.

Every figure is a function ``(Sizes, workspace) -> list[Row]``. A figure that
cannot be measured here returns rows marked "not measured: <reason>" instead of
a number; one that fails returns its error the same way, so one broken figure
never hides the others.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import fixtures
from measure import (
    Samples,
    call_timer,
    interleaved,
    process_timer,
    python,
    run_process,
)

from paperwork.services.letters import layout_for, render_bytes

HERE = Path(__file__).resolve().parent
DATE = fixtures.TODAY.isoformat()
# time.monotonic() past which long runs are stopped (set by run.py --max-minutes)
DEADLINE: float | None = None
# what one figure leaves for a later one (the 1,000-row campaign's memory)
SHARED: dict[str, object] = {}


def remaining() -> float | None:
    """Seconds left before the deadline (None: no deadline)."""
    import time

    return None if DEADLINE is None else max(1.0, DEADLINE - time.monotonic())


@dataclass(frozen=True)
class Sizes:
    """How big and how often: the full run and ``--quick`` differ only here."""

    repeat_fast: int  # in-process letters
    repeat_process: int  # whole-process figures (CLI, TUI)
    repeat_due: int
    campaign_rows: int
    campaign_rows_large: int
    campaign_repeat: int
    due_cases: int
    due_events_per_case: int
    photos: int
    photo_size: tuple[int, int]
    pdf_pages: int
    # the app opening a case: the large case's calls and letters (the small one has 5 and 1)
    open_events: int = 500
    open_letters: int = 100

    @property
    def label(self) -> str:
        return "quick" if self.campaign_rows < 100 else "full"


FULL = Sizes(
    repeat_fast=30,
    repeat_process=11,  # issue #17: medians of at least 11 paired runs
    repeat_due=5,
    campaign_rows=1000,
    campaign_rows_large=10000,
    campaign_repeat=1,
    due_cases=10000,
    due_events_per_case=10,
    photos=50,
    photo_size=(4000, 3000),
    pdf_pages=300,
)
QUICK = Sizes(
    repeat_fast=1,
    repeat_process=1,
    repeat_due=1,
    campaign_rows=4,
    campaign_rows_large=8,
    campaign_repeat=1,
    due_cases=20,
    due_events_per_case=2,
    photos=2,
    photo_size=(400, 300),
    pdf_pages=5,
    open_events=20,
    open_letters=3,
)


@dataclass
class Row:
    """One line of the table."""

    figure: str
    baseline: str
    value: Samples | None = None
    base: Samples | None = None
    target: str = ""
    max_ratio: float | None = None  # met when value / base <= this
    max_value: float | None = None  # met when value <= this (same unit as value)
    not_measured: str = ""  # why the figure itself has no number
    base_missing: str = ""  # why the baseline has no number
    note: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.base is None or not self.base.median:
            return None
        return self.value.median / self.base.median

    @property
    def cpu_ratio(self) -> float | None:
        if self.value is None or self.base is None:
            return None
        a, b = self.value.cpu_median, self.base.cpu_median
        return a / b if a is not None and b else None

    @property
    def met(self) -> bool | None:
        if self.max_value is not None and self.value is not None:
            return self.value.median <= self.max_value
        if self.max_ratio is not None and self.ratio is not None:
            return self.ratio <= self.max_ratio
        return None


def cli() -> list[str]:
    """How a person starts Paperwork: the console script beside this Python, else -m."""
    script = Path(python()).with_name("paperwork")
    return [str(script)] if script.is_file() else [python(), "-m", "paperwork"]


def child_env(home: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    env.pop("LC_ALL", None)
    if home is not None:
        env["PAPERWORK_HOME"] = str(home)
        # A cache folder of the run's own (filled by the untimed first round): the
        # user's one is shared with every checkout on the machine, and a kept font or
        # holiday table written by another checkout is computed again here.
        env["PAPERWORK_CACHE"] = str(home.parent / "cache")
    return env


# ---------------------------------------------------------------------------
# one letter, in-process


def letter_in_process(sizes: Sizes, work: Path) -> list[Row]:
    from docxtpl import DocxTemplate

    from paperwork.core.resources import templates_root
    from paperwork.render.docx import docx_context

    pw, letter = fixtures.letter_home(work / "letter-home")
    layout = layout_for(pw, letter)
    context = docx_context(letter.document)
    layout_path = str(templates_root() / "layouts" / f"{layout.name}.docx")

    def plain_docx() -> bytes:
        import io

        template = DocxTemplate(layout_path)
        template.render(context, autoescape=True)
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()

    def bare_reportlab() -> bytes:
        import io
        from xml.sax.saxutils import escape

        from reportlab.lib.pagesizes import LETTER
        from reportlab.lib.styles import getSampleStyleSheet
        from reportlab.platypus import Paragraph, SimpleDocTemplate

        doc = letter.document
        styles = getSampleStyleSheet()
        out = io.BytesIO()
        texts = [
            *doc.sender_lines,
            *doc.recipient_lines,
            doc.place_date,
            doc.subject,
            doc.salutation,
            *doc.paragraphs,
            doc.closing,
            doc.signature,
        ]
        SimpleDocTemplate(out, pagesize=LETTER, invariant=1).build(
            [Paragraph(escape(t), styles["Normal"]) for t in texts]
        )
        return out.getvalue()

    n = sizes.repeat_fast
    pdf, pdf_base = interleaved(
        [call_timer(lambda: render_bytes(pw, letter, "pdf")), call_timer(bare_reportlab)], n
    )
    docx, docx_base = interleaved(
        [call_timer(lambda: render_bytes(pw, letter, "docx")), call_timer(plain_docx)], n
    )
    pw.close()
    return [
        Row(
            "letter PDF, in-process",
            "bare reportlab SimpleDocTemplate, same text, built-in font",
            pdf,
            pdf_base,
            target="(none; for scale)",
            note="warm process: fonts and styles already registered",
        ),
        Row(
            "letter DOCX, in-process",
            "plain DocxTemplate(path).render() + save, template re-read each time",
            docx,
            docx_base,
            target="<= 1/3 of baseline",
            max_ratio=1 / 3,
            note="layout parsed and compiled once per process",
        ),
    ]


# ---------------------------------------------------------------------------
# one letter, whole process


def letter_command_line(sizes: Sizes, work: Path) -> list[Row]:
    home = work / "cli-home"
    pw, letter = fixtures.letter_home(home)
    pw.close()
    out = work / "cli-out"
    env = child_env(home)
    cmd = [
        *cli(),
        "--home",
        str(home),
        "letter",
        "render",
        str(letter.id),
        "--out",
        str(out),
        "--format",
        "pdf",
    ]
    n = sizes.repeat_process
    timers = [
        process_timer(cmd, env),
        process_timer([python(), "-c", "import reportlab.platypus"], env),
    ]
    # LaTeX runs in the same rounds (render, import, LaTeX, render, ...), so that a
    # machine whose speed drifts during the run moves all three alike
    latex, latex_missing = shutil.which("pdflatex"), ""
    if latex is None:
        latex_missing = "pdflatex not installed"
    else:
        tex = work / "latex" / "letter.tex"
        tex.parent.mkdir(parents=True, exist_ok=True)
        tex.write_text(scrlttr2_source(letter.document), encoding="utf-8")
        passes = f'cd "{tex.parent}" && {latex} -interaction=batchmode letter.tex >/dev/null && {latex} -interaction=batchmode letter.tex >/dev/null'
        try:
            run_process(["sh", "-c", passes], env=env)
            timers.append(process_timer(["sh", "-c", passes], env))
        except RuntimeError as exc:
            latex_missing = f"pdflatex failed: {str(exc).splitlines()[0][:80]}"
    value, bare, *with_latex = interleaved(timers, n)
    rows = [
        Row(
            "letter PDF, command line (whole process)",
            'python -c "import reportlab.platypus"',
            value,
            bare,
            target="<= 1.3x baseline",
            max_ratio=1.3,
            note="`paperwork letter render ID --format pdf`, start to exit",
        )
    ]
    row = Row(
        "letter PDF, command line vs LaTeX",
        "pdflatex, scrlttr2 letter, two passes",
        value,
        with_latex[0] if with_latex else None,
        target="<= 0.3x baseline",
        max_ratio=0.3,
    )
    row.base_missing = latex_missing
    rows.append(row)
    return rows


def scrlttr2_source(doc) -> str:
    """The same letter for KOMA-Script's scrlttr2, with "Page N of M" (a label on the
    last page read back on the second pass, as the lastpage package does)."""

    def tex(text: str) -> str:
        table = {
            "\\": r"\textbackslash{}",
            "&": r"\&",
            "%": r"\%",
            "$": r"\$",
            "#": r"\#",
            "_": r"\_",
            "{": r"\{",
            "}": r"\}",
            "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}",
        }
        return "".join(table.get(ch, ch) for ch in text)

    body = "\n\n".join(tex(p[2:]) if p.startswith("- ") else tex(p) for p in doc.paragraphs)
    newline = " \\\\ "
    sender = newline.join(tex(x) for x in doc.sender_lines)
    recipient = newline.join(tex(x) for x in doc.recipient_lines)
    return rf"""\documentclass[version=last,paper=letter,fromalign=left,foldmarks=true]{{scrlttr2}}
\usepackage[T1]{{fontenc}}
\usepackage[utf8]{{inputenc}}
\usepackage{{lmodern}}
\setkomavar{{fromname}}{{{tex(doc.sender_name)}}}
\setkomavar{{fromaddress}}{{{sender}}}
\setkomavar{{date}}{{{tex(doc.place_date)}}}
\setkomavar{{subject}}{{{tex(doc.subject)}}}
\setkomavar{{nextfoot}}{{\hfill Page \thepage{{}} of \pageref{{paperwork-last}}}}
\setkomavar{{firstfoot}}{{\hfill Page \thepage{{}} of \pageref{{paperwork-last}}}}
\begin{{document}}
\begin{{letter}}{{{recipient}}}
\opening{{{tex(doc.salutation)}}}
{body}
\closing{{{tex(doc.closing)}}}
\label{{paperwork-last}}
\end{{letter}}
\end{{document}}
"""


# ---------------------------------------------------------------------------
# campaigns: time and memory


def _campaign_render(sizes: Sizes, work: Path, rows: int, name: str, timeout: float | None = None):
    folder = work / "campaign"
    campaign_file, members = fixtures.campaign_files(folder, rows)
    home, out = folder / f"{name}-home", folder / f"{name}-out"
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    cmd = [
        *cli(),
        "--home",
        str(home),
        "campaign",
        "render",
        str(campaign_file),
        str(members),
        "--kind",
        fixtures.KIND,
        "--out",
        str(out),
        "--on",
        DATE,
    ]
    run = run_process(cmd, env=child_env(home), sample_tree=True, timeout=timeout)
    written = len(list(out.glob("*.pdf")))
    shutil.rmtree(out, ignore_errors=True)
    return run, written, campaign_file, members


def campaign(sizes: Sizes, work: Path) -> list[Row]:
    """Time of a campaign on all cores against the naive one-process run; memory at
    the smaller size is kept for :func:`campaign_memory`."""
    jobs = os.cpu_count() or 1
    fast, largest, tree = Samples(), Samples(unit="B"), Samples(unit="B")
    written = 0
    for index in range(sizes.campaign_repeat):
        run, written, campaign_file, members = _campaign_render(
            sizes, work, sizes.campaign_rows, f"fast-{index}"
        )
        fast.values.append(run.seconds)
        fast.cpu.append(run.cpu)
        largest.values.append(run.maxrss)
        tree.values.append(run.tree_peak)
    SHARED["campaign_memory"] = (largest, tree)
    folder = work / "campaign"
    home, out = folder / "naive-home", folder / "naive-out"
    naive_cmd = [
        python(),
        str(HERE / "naive.py"),
        "campaign",
        str(home),
        str(campaign_file),
        str(members),
        fixtures.KIND,
        str(out),
        DATE,
    ]
    naive_run = run_process(naive_cmd, env=child_env(home))
    naive = Samples([naive_run.seconds], cpu=[naive_run.cpu])
    shutil.rmtree(out, ignore_errors=True)
    rows_label = f"{sizes.campaign_rows:,}"
    return [
        Row(
            f"campaign, {rows_label} letters PDF+DOCX, {jobs} cores",
            f"same {rows_label} letters naively in one process (docxtpl re-reading the layout)",
            fast,
            naive,
            target="<= 0.2x baseline",
            max_ratio=0.2,
            note=f"`paperwork campaign render`, whole process; {written} PDFs + {written} DOCX written; baseline run once",
        ),
    ]


def campaign_memory(sizes: Sizes, work: Path) -> list[Row]:
    """Peak memory of the large campaign against the small one (from :func:`campaign`)."""
    jobs = os.cpu_count() or 1
    rows_label = f"{sizes.campaign_rows:,}"
    large_label = f"{sizes.campaign_rows_large:,}"
    names = (
        f"campaign peak memory, {large_label} rows (largest process)",
        f"campaign peak memory, {large_label} rows (all processes)",
    )
    if "campaign_memory" in SHARED:
        largest, tree = SHARED["campaign_memory"]  # type: ignore[misc]
    else:
        largest, tree = Samples(unit="B"), Samples(unit="B")
        run, _, _, _ = _campaign_render(sizes, work, sizes.campaign_rows, "small")
        largest.values.append(run.maxrss)
        tree.values.append(run.tree_peak)
    rows = [
        Row(
            names[0],
            f"same at {rows_label} rows",
            None,
            largest,
            target="<= 1.3x baseline",
            max_ratio=1.3,
            note="ru_maxrss via wait4 over the process tree",
        ),
        Row(
            names[1],
            f"same at {rows_label} rows",
            None,
            tree,
            target="<= 1.3x baseline",
            max_ratio=1.3,
            note=f"sum of RSS of the main process and {jobs} workers, sampled every 0.1 s",
        ),
    ]
    try:
        run, written, _, _ = _campaign_render(
            sizes, work, sizes.campaign_rows_large, "large", timeout=remaining()
        )
    except TimeoutError as exc:
        for row in rows:
            row.not_measured = f"{exc} (time budget of this run)"
        return rows
    rows[0].value = Samples([run.maxrss], unit="B")
    rows[1].value = Samples([run.tree_peak], unit="B")
    rows[0].note += f"; {written} letters written in {run.seconds:.0f} s"
    return rows


# ---------------------------------------------------------------------------
# due


def due(sizes: Sizes, work: Path) -> list[Row]:
    small, large = work / "due-small", work / "due-large"
    fixtures.due_store(small, 10, sizes.due_events_per_case)
    fixtures.due_store(large, sizes.due_cases, sizes.due_events_per_case)
    events = sizes.due_cases * sizes.due_events_per_case
    outputs, first_runs, timers = {}, {}, []
    for name, home in (("small", small), ("large", large)):
        cmd = [*cli(), "--home", str(home), "due", "--on", DATE, "--json"]
        # The first `due` after cases were written plans them all and caches each
        # case's next-due day; later runs read only the cases near their day.
        first = run_process(cmd, env=child_env(home))
        outputs[name], first_runs[name] = first.stdout, first.seconds
        timers.append(process_timer(cmd, child_env(home)))
    small_samples, large_samples = interleaved(timers, sizes.repeat_due, warmup=0)
    samples = {"small": small_samples, "large": large_samples}
    due_rows = outputs["small"].count('"case"')
    same = outputs["small"] == outputs["large"]
    return [
        Row(
            f"due, {sizes.due_cases:,} cases / {events:,} events",
            f"due, 10 cases / {10 * sizes.due_events_per_case} events",
            samples["large"],
            samples["small"],
            target="<= 1.5x baseline",
            max_ratio=1.5,
            note=(
                "`paperwork due --json`, whole process; 10 cases wait for a reply in both stores, the rest are "
                "closed or hold only a draft; "
                + (f"same output in both ({due_rows} rows)" if same else "OUTPUTS DIFFER")
                + f"; the first run after the store was written (it fills the next-due cache) is not in the samples: "
                f"{first_runs['large']:.2f} s at {sizes.due_cases:,} cases, {first_runs['small']:.2f} s at 10"
            ),
        )
    ]


# ---------------------------------------------------------------------------
# TUI


def tui(sizes: Sizes, work: Path) -> list[Row]:
    import importlib.util
    import time

    if importlib.util.find_spec("paperwork.tui.app") is None:
        return [
            Row(
                "TUI first paint",
                "bare Textual app, same widgets",
                not_measured="paperwork.tui.app does not exist",
            )
        ]
    home = work / "tui-home"
    pw, _ = fixtures.letter_home(home)
    pw.close()

    def paint(which: str):
        def measure() -> tuple[float, None]:
            start = time.time()
            run = run_process(
                [python(), str(HERE / "tui_probe.py"), which, str(home)], env=child_env(home)
            )
            return float(run.stdout.strip().splitlines()[-1]) - start, None

        return measure

    app, bare = interleaved([paint("paperwork"), paint("bare")], sizes.repeat_process)
    return [
        Row(
            "TUI first paint",
            "bare Textual app, same widgets",
            app,
            bare,
            target="<= 1.15x baseline",
            max_ratio=1.15,
            note="headless, 100x30; spawn to first refresh of the cases screen (one case in the store)",
        )
    ]


def tui_open(sizes: Sizes, work: Path) -> list[Row]:
    """The app, after its case list has shown: opening a case, then its letter (time
    from the action to the first refresh showing the loaded screen), for a case with 5
    events and one letter and for one with many events and letters, in turn."""
    import importlib.util

    names = (
        "TUI open a case (5 events, 1 letter)",
        "TUI open a letter",
        f"TUI open a case ({sizes.open_events} events, {sizes.open_letters} letters)",
    )
    if importlib.util.find_spec("paperwork.tui.app") is None:
        return [Row(n, "", not_measured="paperwork.tui.app does not exist") for n in names]
    home = work / "open-home"
    (small_case, small_letter), (large_case, _large_letter) = fixtures.open_case_home(
        home, sizes.open_events, sizes.open_letters
    )

    def opening(case_id: int, letter_id: int, results: dict[str, Samples]):
        def measure() -> tuple[float, None]:
            run = run_process(
                [
                    python(),
                    str(HERE / "tui_probe.py"),
                    "open",
                    str(home),
                    str(case_id),
                    str(letter_id),
                ],
                env=child_env(home),
            )
            times = dict(line.split() for line in run.stdout.strip().splitlines() if " " in line)
            if "letter" in times:
                results["letter"].values.append(float(times["letter"]) / 1000)
            return float(times["case"]) / 1000, None

        return measure

    # The large case's letter is not opened: with 100 letters, `l` asks which one.
    small_letters, large_letters = {"letter": Samples()}, {"letter": Samples()}
    small, large = interleaved(
        [
            opening(small_case, small_letter, small_letters),
            opening(large_case, 0, large_letters),
        ],
        sizes.repeat_process,
    )
    warm = len(small_letters["letter"].values) - len(small.values)
    letter = Samples(small_letters["letter"].values[warm:])
    note = (
        "headless, 100x30; the cursor is put on the case's row 1 s after the case list has "
        "shown its rows and the app has loaded the screens opened next, and Enter pressed "
        "0.3 s later"
    )
    return [
        Row(
            names[0],
            "(none)",
            small,
            None,
            target="< 100 ms",
            max_value=0.1,
            note=note + "; from the key to the end of the refreshes that show the timeline",
        ),
        Row(
            names[1],
            "(none)",
            letter,
            None,
            target="< 100 ms",
            max_value=0.1,
            note="the small case's letter, with `l` on the case screen; to the refreshes that show its text",
        ),
        Row(
            names[2],
            "TUI open a case (5 events, 1 letter)",
            large,
            small,
            target="<= 1.5x baseline",
            max_ratio=1.5,
            note="same data folder, opened in turn with the small case",
        ),
    ]


# ---------------------------------------------------------------------------
# bundle


def bundle(sizes: Sizes, work: Path, cache: Path) -> list[Row]:
    width, height = sizes.photo_size
    photo_paths = fixtures.photos(cache / "photos", sizes.photos, sizes.photo_size)
    pdf = fixtures.long_pdf(cache / f"statement-{sizes.pdf_pages}.pdf", sizes.pdf_pages)
    home = work / "bundle-home"
    case_id = fixtures.bundle_home(home, photo_paths, pdf)
    out = work / "bundle.pdf"
    cmd = [*cli(), "--home", str(home), "bundle", str(case_id), "--out", str(out), "--on", DATE]
    run = run_process(cmd, env=child_env(home))
    naive_out = work / "naive-bundle.pdf"
    naive_run = run_process(
        [
            python(),
            str(HERE / "naive.py"),
            "bundle",
            str(naive_out),
            str(pdf),
            *map(str, photo_paths),
        ],
        env=child_env(),
    )
    inputs = sum(p.stat().st_size for p in photo_paths) + pdf.stat().st_size
    what = f"{sizes.photos} photos of {width * height / 1e6:.0f} MP + {sizes.pdf_pages}-page PDF"
    naive = "naive: Pillow saves each photo as a PDF page, pypdf appends"
    return [
        Row(
            f"bundle time ({what})",
            naive,
            Samples([run.seconds], cpu=[run.cpu]),
            Samples([naive_run.seconds], cpu=[naive_run.cpu]),
            target="(none)",
            note="`paperwork bundle`, whole process, run once",
        ),
        Row(
            "bundle peak memory",
            naive,
            Samples([run.maxrss], unit="B"),
            Samples([naive_run.maxrss], unit="B"),
            target="(none)",
            note="ru_maxrss",
        ),
        Row(
            "bundle output size",
            naive,
            Samples([out.stat().st_size], unit="B"),
            Samples([naive_out.stat().st_size], unit="B"),
            target="< 15 MB",
            max_value=15_000_000,
            note=f"inputs total {inputs / 1e6:.1f} MB",
        ),
    ]


# in the order they run: the longest last, so a stopped run keeps the most
FIGURES: dict[str, Callable[..., list[Row]]] = {
    "letter": letter_in_process,
    "cli": letter_command_line,
    "due": due,
    "tui": tui,
    "tui-open": tui_open,
    "bundle": bundle,
    "campaign": campaign,
    "campaign-memory": campaign_memory,
}


def failed(name: str, exc: BaseException) -> list[Row]:
    """A figure that broke: one row saying so, never a number."""
    reason = (
        f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"[
            :160
        ]
    )
    placeholder = {
        "letter": ["letter PDF, in-process", "letter DOCX, in-process"],
        "cli": ["letter PDF, command line (whole process)", "letter PDF, command line vs LaTeX"],
        "campaign": ["campaign, letters PDF+DOCX"],
        "campaign-memory": ["campaign peak memory"],
        "due": ["due, many cases"],
        "tui": ["TUI first paint"],
        "tui-open": ["TUI open a case", "TUI open a letter", "TUI open a large case"],
        "bundle": ["bundle time", "bundle peak memory", "bundle output size"],
    }[name]
    print(f"figure {name} failed: {reason}", file=sys.stderr)
    return [Row(figure, "", not_measured=f"failed ({reason})") for figure in placeholder]
