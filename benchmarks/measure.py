"""Timing and memory probes for the benchmark: in-process calls and whole processes.

A whole process is started through a small launcher (this file run as a
script), which times it and reaps it with ``os.wait4``: that resource usage is
the child's own plus that of every descendant it waited for, so ``ru_maxrss`` is
the peak of the largest single process in the tree (a campaign's workers
included). The launcher matters: Linux carries the memory high-water mark of the
process that forks over ``exec`` into the child's ``ru_maxrss``, so a child
forked straight from the benchmark (100 MB with reportlab loaded) would never
report less than that. The summed RSS of the whole tree is also sampled from
/proc while it runs, because workers run at the same time.

    python measure.py REPORT_FILE COMMAND...   (used by run_process only)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Samples:
    """Repeated measurements of one quantity (seconds, bytes...)."""

    values: list[float] = field(default_factory=list)
    unit: str = "s"
    cpu: list[float] = field(default_factory=list)  # CPU seconds of the same runs, when known

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


@dataclass
class ProcessRun:
    """One finished child process."""

    seconds: float
    cpu: float  # user + system seconds of the whole tree (wait4)
    maxrss: int  # bytes, largest single process of the tree (wait4)
    tree_peak: int  # bytes, largest sampled sum of RSS over the tree (0 if not sampled)
    returncode: int
    stdout: str
    stderr: str


def time_calls(fn: Callable[[], object], repeat: int, warmup: int = 1) -> Samples:
    """Wall time of ``fn()`` called ``repeat`` times after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = Samples()
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        samples.values.append(time.perf_counter() - start)
        samples.cpu.append(time.process_time() - cpu)
    return samples


def _children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: split after the last ')'
        fields = stat[stat.rfind(b")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def tree_rss(root: int, include_root: bool = True) -> int:
    """Sum of resident memory of ``root`` (or not) and all its descendants, in bytes."""
    tree = _children_map()
    total, todo = 0, [root] if include_root else list(tree.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


def run_process(
    cmd: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    sample_tree: bool = False,
    check: bool = True,
    timeout: float | None = None,
) -> ProcessRun:
    """Run ``cmd`` to completion through the launcher; wall time, peak memory, output.
    Past ``timeout`` seconds the whole tree is killed and TimeoutError raised."""
    import json
    import signal
    import tempfile

    sampling = sample_tree and os.path.isdir("/proc")
    fd, report = tempfile.mkstemp(prefix="paperwork-bench-", suffix=".json")
    os.close(fd)
    child = subprocess.Popen(
        [sys.executable, __file__, report, *cmd],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a timeout ends the whole tree
    )
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(child.pid, include_root=False))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True) if sampling else None
    if sampler:
        sampler.start()
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        os.unlink(report)
        raise TimeoutError(f"stopped after {timeout / 60:.0f} min") from None
    finally:
        stop.set()
        if sampler:
            sampler.join()
    try:
        with open(report, encoding="utf-8") as handle:
            measured = json.load(handle)
    except (OSError, ValueError):
        measured = {"seconds": 0.0, "cpu": 0.0, "maxrss": 0, "returncode": child.returncode}
    finally:
        os.unlink(report)
    run = ProcessRun(
        seconds=measured["seconds"],
        cpu=measured["cpu"],
        maxrss=measured["maxrss"],
        tree_peak=peak[0],
        returncode=measured["returncode"],
        stdout=stdout,
        stderr=stderr,
    )
    if check and run.returncode != 0:
        raise RuntimeError(
            f"command failed with status {run.returncode}: {' '.join(cmd)}\n{run.stderr[-2000:]}"
        )
    return run


def _launch(report: str, cmd: list[str]) -> int:
    """The launcher: run ``cmd`` with this process's stdio, write its time and peak."""
    import json

    start = time.perf_counter()
    try:
        child = subprocess.Popen(cmd)
    except OSError as exc:
        print(f"cannot start {cmd[0]}: {exc}", file=sys.stderr)
        code, maxrss, cpu = 127, 0, 0.0
    else:
        _, status, usage = os.wait4(child.pid, 0)
        code, maxrss = os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024  # Linux: kilobytes
        cpu = usage.ru_utime + usage.ru_stime
    seconds = time.perf_counter() - start
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({"seconds": seconds, "cpu": cpu, "maxrss": maxrss, "returncode": code}, handle)
    return code


def time_process(
    cmd: Sequence[str], repeat: int, env: dict[str, str] | None = None, warmup: int = 1
) -> Samples:
    """Wall time of a whole process, ``repeat`` times after ``warmup`` untimed runs
    (so every run finds the same warm file cache)."""
    for _ in range(warmup):
        run_process(cmd, env=env)
    runs = [run_process(cmd, env=env) for _ in range(repeat)]
    return Samples([r.seconds for r in runs], cpu=[r.cpu for r in runs])


def interleaved(
    measures: Sequence[Callable[[], tuple[float, float | None]]], repeat: int, warmup: int = 1
) -> list[Samples]:
    """Run several measurements in turn (A B A B ...), ``repeat`` rounds after
    ``warmup`` untimed ones, so a machine whose load drifts during the run
    disturbs a figure and its baseline alike. Each measure returns (seconds, CPU
    seconds or None)."""
    for _ in range(warmup):
        for measure in measures:
            measure()
    series = [Samples() for _ in measures]
    for _ in range(repeat):
        for samples, measure in zip(series, measures, strict=True):
            seconds, cpu = measure()
            samples.values.append(seconds)
            if cpu is not None:
                samples.cpu.append(cpu)
    return series


def call_timer(fn: Callable[[], object]) -> Callable[[], tuple[float, float]]:
    """A measure for :func:`interleaved`: one in-process call."""

    def measure() -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - start, time.process_time() - cpu

    return measure


def process_timer(
    cmd: Sequence[str], env: dict[str, str] | None = None
) -> Callable[[], tuple[float, float]]:
    """A measure for :func:`interleaved`: one whole process."""

    def measure() -> tuple[float, float]:
        run = run_process(cmd, env=env)
        return run.seconds, run.cpu

    return measure


def python() -> str:
    """The interpreter running the benchmark (children use the same one)."""
    return sys.executable


def machine() -> dict[str, str]:
    """CPU model, cores and Python version, for the table's heading."""
    import platform

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(handle.readline().split()[1])
            memory = f"{kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = "load average at start {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return {
        "cpu": model,
        "cores": str(os.cpu_count() or 1),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
        "memory": memory,
        "load": load,
    }


if __name__ == "__main__":
    sys.exit(_launch(sys.argv[1], sys.argv[2:]))
