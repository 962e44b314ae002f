"""The HTTP side of `maillage serve` that uvicorn does not do by itself: a deadline for a
request's head (uvicorn's h11 protocol waits forever for a client that sends its headers a byte
at a time: 1,100 such connections used up a 1,024-descriptor limit and normal requests timed
out), the descriptor limit raised, the public URL never taken from an unexpected ``Host:``,
and a ``--memory-mb`` too small for a worker refused at start.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
from pathlib import Path
from urllib.parse import urlsplit

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from maillage.query import internal

HEADER_TIMEOUT = 10.0         # seconds a client has to send a whole request head
KEEP_ALIVE = 5                # seconds an idle keep-alive connection is kept
MAX_HEAD_BYTES = 16 * 1024    # longest request head (request line + headers)
BACKLOG = 4096


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request head: from the connection (or the
    end of the previous response) the client has ``header_timeout`` seconds to send the request
    line and every header, however it dribbles them; then the connection is closed."""

    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if getattr(self, "_head_deadline", None) is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timed_out(self) -> None:
        self._head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()        # no head yet: nothing to answer

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()                # the head is in: the request runs under its own limits

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()                   # the next request's head, on a kept-alive connection

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)


def raise_fd_limit(wanted: int = 65536) -> int:
    """The soft descriptor limit raised towards the hard one (every connection holds one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return target
        except (ValueError, OSError):
            pass
    return soft


# ---------------------------------------------------------------- Host

def host_allowed(host: str, public_url: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether a request's ``Host`` (``name[:port]``) is one this server was told it answers to:
    that of --public-url or one of --allowed-host (a name, or name:port)."""
    host = host.strip().lower()
    if not host:
        return False
    names = {a.strip().lower() for a in allowed if a.strip()}
    if public_url:
        names.add(urlsplit(public_url).netloc.lower())
    bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return host in names or bare in names


def public_url(config, scheme: str, host: str) -> str:
    """The server's URL for pages, the service description and VoID: --public-url, else the
    request's own ``Host`` only when it is allowed, else the address the server listens on (a
    forged Host never ends up in a page)."""
    if config.public_url:
        return config.public_url.rstrip("/")
    if host and host_allowed(host, None, tuple(config.allowed_hosts)):
        return f"{scheme}://{host}"
    shown = f"[{config.host}]" if ":" in config.host else config.host
    return f"http://{shown}:{config.port}"


# ---------------------------------------------------------------- memory

def probe_worker(store_dir, base: str, memory_mb: int, timeout: float = 60.0) -> tuple[bool, int | None]:
    """Run one query in a worker process under ``memory_mb``: (did it answer, its peak address
    space in MB). With too small a limit a worker cannot even start RocksDB's threads (it
    aborts), which made every query of a server started with --memory-mb 300 fail."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_quiet_worker, args=(child, str(store_dir), base, memory_mb), daemon=True)
    process.start()
    child.close()
    ok, peak = False, None
    try:
        parent.send(("sparql", ("probe",), {"text": internal("memory-probe").text,
                                            "select_fmt": "json", "graph_fmt": None, "max_rows": 10}))
        if parent.poll(timeout):
            reply = parent.recv()
            ok = reply[0] == "ok"
            peak = _peak_mb(process.pid)
    except (EOFError, OSError):
        ok = False
    finally:
        try:
            parent.send(None)
        except OSError:
            pass
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join(5)
    return ok, peak


def _quiet_worker(conn, store_dir: str, base: str, memory_mb: int) -> None:
    """A worker whose dying words (the C++ runtime's, when it cannot start a thread) are not
    printed: the refusal says what happened."""
    import os

    from maillage.server import worker

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    worker.serve(conn, store_dir, base, memory_mb, False)


def _peak_mb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def check_memory(store_dir, base: str, memory_mb: int) -> str | None:
    """None if a worker runs a query within ``memory_mb`` (0: no limit), else the message to
    refuse the start with."""
    if not memory_mb:
        return None
    ok, _ = probe_worker(store_dir, base, memory_mb)
    if ok:
        return None
    _, peak = probe_worker(store_dir, base, 0)
    need = f"about {peak} MB of address space here" if peak else "more"
    return (f"--memory-mb {memory_mb} is below what a query worker needs ({need}: the store's engine "
            f"reserves it when it opens); give at least {((peak or memory_mb) // 100 + 2) * 100} or 0 for no limit")


# ---------------------------------------------------------------- uvicorn

def run(app, host: str, port: int, *, log_level: str, header_timeout: float = HEADER_TIMEOUT,
        keep_alive: int = KEEP_ALIVE) -> None:
    import uvicorn

    raise_fd_limit()
    protocol = type("GuardedH11", (GuardedH11,), {"header_timeout": header_timeout})
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=log_level == "info",
                            server_header=False, proxy_headers=False, http=protocol,
                            timeout_keep_alive=keep_alive, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
                            backlog=BACKLOG)
    uvicorn.Server(config).run()
