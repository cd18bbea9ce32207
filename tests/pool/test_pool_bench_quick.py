"""The pool benchmark works: ``benchmarks/pool_bench.py --quick`` runs on PostgreSQL,
loses and doubles nothing. No timing is asserted (a busy test machine says nothing)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_pool_benchmark_quick_run():
    if not os.environ.get("PAPERWORK_TEST_PG_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("PAPERWORK_TEST_PG_URL is not set under CI")
        pytest.skip("PAPERWORK_TEST_PG_URL is not set")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "pool_bench.py"), "--quick", "--pause", "0.2"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "failures 0" in done.stdout
    assert "exactly once: ok" in done.stdout
    for figure in ("stats: p50", "page: p50", "20 clients ("):
        assert figure in done.stdout
