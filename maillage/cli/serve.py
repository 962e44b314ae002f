"""`maillage serve`: registered on the main CLI by maillage.cli."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from maillage.server.config import DEFAULT_CACHE_MB, DEFAULT_MAX_ROWS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, DEFAULT_WORKERS


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the CLI."""

    @app.command()
    def serve(ctx: typer.Context,
              host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: loopback only)"),
              port: int = typer.Option(8000, "--port", "-p", help="Port to listen on"),
              timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds a query may run; then it is stopped (504)"),
              max_rows: int = typer.Option(DEFAULT_MAX_ROWS, "--max-rows", help="Rows (or triples) a result may have; more is refused with 413 (0: no cap)"),
              workers: int = typer.Option(DEFAULT_WORKERS, "--workers", help="Query worker processes"),
              update_token: Optional[str] = typer.Option(None, "--update-token", envvar="MAILLAGE_UPDATE_TOKEN",
                                                         help="Allow SPARQL Update for requests with 'Authorization: Bearer TOKEN' [env MAILLAGE_UPDATE_TOKEN]; without it every update gets 403"),
              public_url: Optional[str] = typer.Option(None, "--public-url", help="The server's URL as seen by clients, for pages, the service and VoID descriptions and the base of relative IRIs (default: the listening address)"),
              allowed_host: list[str] = typer.Option([], "--allowed-host", help="A Host header value (name or name:port) whose URL pages may show when no --public-url is given; repeatable. Any other Host is never shown"),
              header_timeout: float = typer.Option(10.0, "--header-timeout", help="Seconds a client has to send a request's head; slower connections are closed"),
              keep_alive: int = typer.Option(5, "--keep-alive", help="Seconds an idle kept-alive connection stays open"),
              memory_mb: int = typer.Option(DEFAULT_MEMORY_MB, "--memory-mb", help="Address space of one worker in MB; a query that needs more is stopped (0: no limit)"),
              cache_mb: int = typer.Option(DEFAULT_CACHE_MB, "--cache-mb", help="Memory for answers kept until the graph changes; identical queries running together are evaluated once (0: neither)"),
              corpus: Optional[str] = typer.Option(None, "--corpus", envvar="MAILLAGE_CORPUS",
                                                   help="Folder of the source documents: a document page shows the cited passage highlighted [env MAILLAGE_CORPUS]"),
              licence: Optional[str] = typer.Option(None, "--licence", envvar="MAILLAGE_LICENCE", help="The dataset's licence (a URL or its name), shown on the dataset page and in VoID"),
              publisher: Optional[str] = typer.Option(None, "--publisher", envvar="MAILLAGE_PUBLISHER", help="Who publishes the dataset"),
              log_level: str = typer.Option("warning", "--log-level", help="uvicorn's log level (info shows every request)")) -> None:
        """Serve the graph: SPARQL 1.1 endpoint at /sparql, linked data at /id/…, explorer at /."""
        from maillage.server import http
        from maillage.server.app import create_app
        from maillage.server.config import ServerConfig
        from maillage.store import StoreMissing, open_store, read_meta

        settings = ctx.obj
        try:
            read_meta(settings.store_dir)
            probe = open_store(settings.store_dir)   # a store that cannot be opened is refused here, not in every worker
            del probe                                 # let it go before the workers open it
        except StoreMissing as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        except (OSError, ValueError) as exc:   # a build stamp over no store, an unreadable stamp
            typer.echo(f"cannot open the graph at {settings.store_dir}: {getattr(exc, 'strerror', None) or exc}; "
                       "run `maillage build --force` to write it again", err=True)
            raise typer.Exit(1) from None
        try:
            config = ServerConfig(store_dir=Path(os.path.abspath(settings.store_dir)),  # not resolved: the link flips to each new build
                                  base=settings.base, host=host, port=port,
                                  timeout=timeout, max_rows=max_rows, workers=workers, update_token=update_token or None,
                                  public_url=public_url, allowed_hosts=tuple(allowed_host), header_timeout=header_timeout,
                                  keep_alive=keep_alive, memory_mb=memory_mb, cache_mb=cache_mb,
                                  corpus_dir=Path(corpus).resolve() if corpus else None, licence=licence, publisher=publisher)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        refusal = http.check_memory(config.store_dir, config.base, memory_mb)
        if refusal:
            typer.echo(f"error: {refusal}", err=True)
            raise typer.Exit(2) from None
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"maillage serve: http://{shown}:{port}/  (SPARQL endpoint /sparql, linked data /id/…; "
                   f"time limit {timeout:g} s, {'no row cap' if not max_rows else f'at most {max_rows:,} rows'}, "
                   f"{'updates with the token' if update_token else 'read-only'}, {workers} worker(s); pid {os.getpid()})",
                   err=True)
        http.run(create_app(config), host, port, log_level=log_level, header_timeout=header_timeout,
                 keep_alive=keep_alive)
