"""Driving wrk: the page as Lua data, the command line, and the JSON line it prints."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.load.pages import Page

SCRIPT = Path(__file__).resolve().parents[1] / "wrk" / "rotate.lua"
INSTALL_HINT = "wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) puts it in /usr/bin."


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    socket_errors: int
    problems: dict[str, int]
    example: str | None = None  # the start of one unexpected answer

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + sum(self.problems.values())


def find_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(INSTALL_HINT)
    return path


def wrk_version(wrk: str) -> str:
    """"wrk debian/4.1.0-3+b2 [epoll]" from the banner wrk prints (it has no --version)."""
    banner = subprocess.run([wrk, "-v"], capture_output=True, text=True)
    first = (banner.stdout or banner.stderr).splitlines()[0]
    return first.split(" Copyright")[0].strip()


def lua_string(text: str) -> str:
    """A Lua string literal; every byte outside printable ASCII as a 3-digit escape."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if 32 <= byte < 127 and char not in '"\\':
            out.append(char)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_page(page: Page) -> str:
    """The page as the Lua table rotate.lua reads."""
    def request(r) -> str:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in r.headers.items())
        body = lua_string(r.body) if r.body is not None else "nil"
        return (f"{{method = {lua_string(r.method)}, path = {lua_string(r.path)}, "
                f"headers = {{{headers}}}, body = {body}}}")

    threads = ",\n".join("  {\n" + ",\n".join(f"    {request(r)}" for r in thread) + "\n  }"
                         for thread in page.threads)
    expect = lua_string(page.expect) if page.expect else "nil"
    return (f"return {{\nstatus = {page.status},\nexpect = {expect},\n"
            f"threads = {{\n{threads}\n}}}}\n")


def parse_output(stdout: str) -> Result:
    """The JSON line from rotate.lua's done(); raises ``RuntimeError`` when there is none."""
    for line in stdout.splitlines():
        if line.startswith('{"wrk"'):
            data = json.loads(line)
            return Result(requests=data["requests"], seconds=data["duration_us"] / 1e6,
                          p50_ms=data["p50_us"] / 1000, p95_ms=data["p95_us"] / 1000,
                          p99_ms=data["p99_us"] / 1000, socket_errors=data["socket_errors"],
                          problems=data["problems"], example=data.get("example"))
    raise RuntimeError(f"wrk printed no result:\n{stdout}")


def run_wrk(wrk: str, base_url: str, page_file: Path, *, seconds: int, threads: int,
            connections: int) -> Result:
    # A generous timeout: a slow answer belongs in the percentiles, not among the errors.
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
               "-s", str(SCRIPT), base_url, "--", str(page_file)]
    done = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace")
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr}{done.stdout}")
    return parse_output(done.stdout)
