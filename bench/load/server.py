"""gunicorn under the benchmark: start on a free loopback port, wait, measure, always stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # the gunicorn master


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(app: str, port: int, log: Path) -> list[str]:
    """The same settings for the application and the ceiling: only ``app`` differs."""
    return [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS),
            "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
            "--error-logfile", str(log), "--log-level", "warning", app]


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path, ready_path: str = "/"
             ) -> Iterator[Server]:
    """Serve ``app`` (``module:variable``) until the block ends, however it ends."""
    port = free_port()
    # A session of its own: the harness alone decides when the server stops,
    # so a Ctrl-C reaches it through the ``finally`` below, in order.
    process = subprocess.Popen(gunicorn_command(app, port, log), cwd=ROOT, env=env,
                               start_new_session=True)
    try:
        server = Server(f"http://127.0.0.1:{port}", process.pid)
        _wait_until_ready(process, server.url + ready_path, log)
        yield server
    finally:
        _stop(process)


def _wait_until_ready(process: subprocess.Popen, url: str, log: Path,
                      timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s:\n{_tail(log)}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM lets the workers finish their request; SIGKILL the group if that hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text().splitlines()[-lines:])
    except OSError:
        return "(no log)"


def worker_memory(master_pid: int) -> list[tuple[int, int, int]]:
    """``(pid, resident kB, peak resident kB)`` of each worker (the master's children)."""
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = dict(line.split(":", 1) for line in
                          (entry / "status").read_text().splitlines() if ":" in line)
        except OSError:
            continue  # gone meanwhile
        if int(status["PPid"]) == master_pid:
            workers.append((int(entry.name), _kilobytes(status["VmRSS"]),
                            _kilobytes(status["VmHWM"])))
    return sorted(workers)


def _kilobytes(value: str) -> int:
    return int(value.split()[0])
