"""A built wheel works with no checkout around: templates, fonts, sample case."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_runs_the_core_path_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("paperwork-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    # the dependencies come from this interpreter; paperwork itself only from the wheel
    env = {**os.environ, "PYTHONPATH": str(target), "PAPERWORK_HOME": str(tmp_path / "home")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*args: str) -> str:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from paperwork.cli.main import main; main(sys.argv[1:])",
                *args,
            ],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    out = run("demo", "--no-tui", "--out", str(tmp_path / "letters"))
    paths = [Path(p) for p in out.split()]
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import paperwork, paperwork.letter_templates as t; print(paperwork.__file__); print(t.__file__)",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(str(target) in line for line in probe.stdout.split())
