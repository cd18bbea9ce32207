"""The benchmark works: ``python benchmarks/run.py --quick`` runs every figure once
with tiny sizes, exits 0 and prints every figure. No timing is asserted: the
numbers of a quick run on a busy test machine mean nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FIGURES = (
    "letter PDF, in-process",
    "letter DOCX, in-process",
    "letter PDF, command line (whole process)",
    "letter PDF, command line vs LaTeX",
    "campaign, 4 letters PDF+DOCX",
    "campaign peak memory, 8 rows (largest process)",
    "campaign peak memory, 8 rows (all processes)",
    "due, 20 cases",
    "TUI first paint",
    "TUI open a case (5 events, 1 letter)",
    "TUI open a letter",
    "TUI open a case (20 events, 3 letters)",
    "bundle time",
    "bundle peak memory",
    "bundle output size",
)


@pytest.mark.slow
def test_quick_benchmark_runs_every_figure(tmp_path):
    results = tmp_path / "RESULTS.md"
    env = dict(os.environ, LANG="C.UTF-8", TMPDIR=str(tmp_path))
    env.pop("PAPERWORK_HOME", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--results", str(results)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for figure in FIGURES:
        assert figure in done.stdout, figure
        assert figure in results.read_text(encoding="utf-8"), figure
    assert "failed (" not in done.stdout
    # a missing baseline or figure is said in words, never printed as a number
    assert "Machine:" in done.stdout
