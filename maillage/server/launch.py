"""Start `maillage serve` in a child process on a free loopback port and stop it again (for the
tests and scripts/loadtest: the real command, the real server, nothing mocked)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from maillage.config import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``with ServerProcess(store_dir, "--timeout", "2") as srv: srv.url`` — the child's output
    goes to ``srv.log`` (read it with ``srv.output()``)."""

    def __init__(self, store_dir: Path, *options: str, base: str | None = None, startup_timeout: float = 60.0):
        self.store_dir = Path(store_dir)
        self.options = list(options)
        self.base = base
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="maillage-serve-", suffix=".log")[1])

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def start(self) -> ServerProcess:
        cmd = [sys.executable, "-m", "maillage.cli", "--store", str(self.store_dir)]
        if self.base:
            cmd += ["--base", self.base]
        cmd += ["serve", "--port", str(self.port), *self.options]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=str(REPO_ROOT), stdout=out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"maillage serve exited with code {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"maillage serve did not answer within {self.startup_timeout:g} s:\n{self.output()}")

    def health(self) -> dict:
        with urllib.request.urlopen(self.url + "/healthz", timeout=5) as r:
            return json.loads(r.read())

    def output(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)       # uvicorn shuts down, the pool stops its workers
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log.unlink(missing_ok=True)
