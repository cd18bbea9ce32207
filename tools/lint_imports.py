"""Run import-linter's contracts (pyproject.toml) over the package as it installs.

The app lives in tui/ but imports as ``paperwork.tui`` (setuptools package-dir), which
import-linter cannot see in a checkout: it walks ``paperwork/`` only. This stages the
Python sources as installed (``paperwork/`` with ``tui/`` inside it) in a temporary
folder and runs ``lint-imports`` there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="paperwork-layers-") as tmp:
        staged = Path(tmp) / "paperwork"
        only_python = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / "paperwork", staged, ignore=only_python)
        shutil.copytree(ROOT / "tui", staged / "tui", ignore=only_python)
        env = {**os.environ, "PYTHONPATH": tmp}
        lint = Path(sys.executable).with_name("lint-imports")
        command = [str(lint), "--config", str(ROOT / "pyproject.toml"), *sys.argv[1:]]
        return subprocess.call(command, cwd=tmp, env=env)


if __name__ == "__main__":
    sys.exit(main())
