"""HTTP responses of the web server: HTML pages with their security headers, plain-text errors,
worker payloads, and waiting for a job while watching whether the client left."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from maillage.server.pages import render
from maillage.server.pool import PoolError

# the explorer's own pages: nothing but this server, no inline script
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Content-Type, Content-Length"}


class ClientGone(Exception):
    """The client closed the connection while its query ran: the worker was stopped."""


def html(body: bytes, status: int = 200, headers: dict | None = None) -> Response:
    h = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    h.update(headers or {})
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=h)


def text_error(status: int, message: str, cors: bool = False, headers: dict | None = None) -> Response:
    h = {"X-Content-Type-Options": "nosniff", **(CORS if cors else {}), **(headers or {})}
    return Response(message.rstrip() + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=h)


# what a page says (in French) when the worker pool answered with its own message, written for
# machine clients in English: the time limit, a busy server, a worker that died, a result too big
PAGE_MESSAGES = {
    413: "le résultat dépasse la taille qu'une page de ce serveur peut montrer : précisez la question, ou téléchargez "
         "le graphe entier depuis la page du jeu de données",
    500: "erreur interne (le serveur l'a notée) ; réessayez, ou précisez la question",
    503: "le serveur est occupé : réessayez dans un instant",
    504: "la question a pris plus de temps que ce serveur n'en accorde : elle a été arrêtée ; précisez-la",
}


def page_message(status: int, message: str) -> str:
    return PAGE_MESSAGES[status] if status in PAGE_MESSAGES and not _french(message) else message


def page_error(server, status: int, message: str) -> Response:
    message = page_message(status, message)
    return html(render("error.html", site=server.site, status=status, message=message, title=TITLES.get(status, "Erreur")),
                status)


TITLES = {400: "Requête mal formée", 403: "Refusé", 404: "Introuvable", 406: "Format non disponible",
           413: "Résultat trop grand", 415: "Type de contenu non pris en charge", 500: "Erreur interne",
           503: "Serveur occupé", 504: "Délai dépassé"}


def _french(message: str) -> bool:
    return any(w in message for w in ("é", "è", "à", " le ", " la ", " les ", " de ", " du ", "aucun"))


def reply(payload, cors: bool = False, extra: dict | None = None) -> Response:
    status, media, body, headers = payload
    h = {"X-Content-Type-Options": "nosniff", **headers, **(extra or {})}
    if cors:
        h.update(CORS)
    if media.startswith("text/html"):
        return html(body, status, h)
    return Response(body, status_code=status, media_type=media, headers=h)


async def _watch_disconnect(request: Request) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def guarded(request: Request, work: Awaitable[Any]) -> Any:
    """Run ``work``; if the client disconnects first, cancel it (the pool then kills the worker)."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_watch_disconnect(request))
    try:
        done, _ = await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        watcher.cancel()
        raise
    if task in done:
        watcher.cancel()
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, PoolError):
        await task
    raise ClientGone()


async def answer_job(request: Request, server, key: tuple, job: str, fmt: str, *,
                     extra: dict | None = None, **kwargs: Any) -> Response:
    """Run the worker job ``job`` on the current graph with ``fmt`` and ``kwargs`` (its answer cached
    under ``key``) and reply:
    an error is a French page for HTML and plain text for the other formats; a client gone before
    the answer gets nothing (499)."""
    try:
        gen = server.generation()
        payload = await guarded(request, server.results.answer(gen, key, lambda: server.pool.run(job, gen, fmt=fmt, **kwargs)))
    except ClientGone:
        return Response(status_code=499)
    except PoolError as exc:
        if fmt != "html":
            return text_error(exc.status, exc.message, cors=True)
        return page_error(server, exc.status, exc.message)
    return reply(payload, cors=fmt != "html", extra=extra)
