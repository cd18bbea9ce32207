"""Helpers of the pool server tests: a free port, a server in a subprocess, raw HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running pool server: its base URL and database."""

    url: str
    db_url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """Stop the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(db_url: str, log: Path, port: int | None = None, *extra: str) -> Server:
    """Start ``python -m paperwork.pool.serve`` and wait until it answers."""
    port = port or free_port()
    command = [sys.executable, "-m", "paperwork.pool.serve", "--db", db_url]
    command += ["--port", str(port), *extra]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", db_url, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the pool server stopped: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(server.url + "/api/pools/none/stats", timeout=2)
        except urllib.error.HTTPError:
            return server  # it answered (404): up
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the pool server did not start: {log.read_text()[-2000:]}")


def call(method: str, url: str, body: object = None, secret: str = "", raw: bytes | None = None):
    """(status, parsed JSON or text) of one HTTP request; never raises on 4xx/5xx."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if secret:
        request.add_header("Authorization", f"Bearer {secret}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read().decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def organiser_pool(run_cli, server_url: str, threshold: int = 2) -> str:
    """Through the command line: create a pool (this data folder organises it), make the
    sample case 1 and join it; the invite link."""
    from paperwork.services.demo import sample_case_path

    code, out, err = run_cli(
        "pool", "create", "--server", server_url, "--company", "Acme Broadband",
        "--country", "US", "--category", "billing", "--title", "Double billing",
        "--threshold", str(threshold),
    )  # fmt: skip
    assert code == 0, err
    link = out.strip().splitlines()[-1]
    assert run_cli("case", "new", "--from", str(sample_case_path()))[0] == 0
    code, _out, err = run_cli("pool", "join", link, "--case", "1")
    assert code == 0, err
    return link
