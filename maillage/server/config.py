"""What `maillage serve` was started with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from maillage.config import DEFAULT_BASE

DEFAULT_TIMEOUT = 10.0        # seconds a query may run before its worker is killed
DEFAULT_MAX_ROWS = 10_000     # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return
DEFAULT_WORKERS = 2           # query worker processes (the machine this was written on has 2 cores)
DEFAULT_MEMORY_MB = 4096      # address space of one worker process (a query that needs more is stopped)
DEFAULT_CACHE_MB = 64         # answers kept per graph generation (0: no cache, no sharing of identical queries)
MAX_QUERY_BYTES = 1_000_000   # longest query text or request body accepted
BATCH_TIMEOUT = 600.0         # dumps and network pages: computed once per graph, in their own process


@dataclass(frozen=True)
class ServerConfig:
    store_dir: Path
    base: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS          # 0: no cap
    workers: int = DEFAULT_WORKERS
    update_token: str | None = None           # None: every SPARQL Update is refused (403)
    public_url: str | None = None             # e.g. https://maillage.example.org (default: the listening address)
    allowed_hosts: tuple[str, ...] = ()       # Host values whose URL may be shown (besides --public-url's)
    header_timeout: float = 10.0              # seconds to send a request head (slow-header clients are cut)
    keep_alive: int = 5                       # seconds an idle kept-alive connection stays open
    memory_mb: int = DEFAULT_MEMORY_MB        # 0: no limit
    cache_mb: int = DEFAULT_CACHE_MB
    network_max_nodes: int = 500
    batch_timeout: float = BATCH_TIMEOUT
    licence: str | None = None                # the dataset's licence (a URL or its name), shown and in VoID
    publisher: str | None = None              # who publishes the dataset
    corpus_dir: Path | None = None            # the source documents: document pages show the passage

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")
        if self.timeout <= 0:
            raise ValueError("the time limit must be a positive number of seconds")
        if self.workers < 1:
            raise ValueError("at least one worker process is needed")
        if self.header_timeout <= 0 or self.keep_alive < 0:
            raise ValueError("--header-timeout must be a positive number of seconds, --keep-alive at least 0")
        if self.max_rows < 0:
            raise ValueError("--max-rows is a number of rows (0: no cap)")
