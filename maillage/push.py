"""`maillage push`: copy the built graph into a SPARQL store through the SPARQL 1.1 Graph Store
HTTP Protocol, one named graph per request (PUT replaces it: pushing twice adds nothing twice)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


@dataclass
class PushReport:
    graphs: int
    triples: int
    seconds: float


class _Auth:
    """Credentials sent with every request, before the upload starts.

    urllib's auth handlers wait for a 401 and then resend: with a large PUT, a server that answers
    401 and closes the connection at once (Virtuoso does) breaks the pipe while the body is still
    being sent. So the challenge is fetched once with a bodiless request and each PUT carries its
    own Digest (RFC 7616, MD5, qop=auth) or Basic header."""

    def __init__(self, url: str, user: str | None, password: str | None, timeout: float):
        self.url, self.user, self.password, self.timeout = url, user, password or "", timeout
        self.count = 0
        self.challenge = self._fetch_challenge() if user is not None else None

    def _fetch_challenge(self) -> dict | None:
        try:
            with urllib.request.urlopen(urllib.request.Request(self.url, method="HEAD"), timeout=self.timeout):
                return None  # no credentials asked for
        except urllib.error.HTTPError as exc:
            header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        scheme, _, params = header.partition(" ")
        if not scheme:
            return None
        return {"scheme": scheme.lower(), **urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))}

    def refresh(self) -> None:
        if self.user is not None:
            self.challenge = self._fetch_challenge()

    def header(self, method: str, url: str) -> str | None:
        c = self.challenge
        if c is None:
            return None
        if c["scheme"] == "basic":
            return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        if c["scheme"] != "digest":
            raise RuntimeError(f"{self.url}: unsupported authentication scheme {c['scheme']!r}")
        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - the protocol's own hash
        parts = urllib.parse.urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        ha1 = md5(f"{self.user}:{c.get('realm', '')}:{self.password}")
        ha2 = md5(f"{method}:{uri}")
        fields = {"username": self.user, "realm": c.get("realm", ""), "nonce": c.get("nonce", ""), "uri": uri}
        if "auth" in [q.strip() for q in c.get("qop", "").split(",")]:
            self.count += 1
            nc, cnonce = f"{self.count:08x}", secrets.token_hex(8)
            fields["response"] = md5(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            quoted = ", ".join(f'{k}="{v}"' for k, v in fields.items())
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            fields["response"] = md5(f"{ha1}:{fields['nonce']}:{ha2}")
            quoted, extra = ", ".join(f'{k}="{v}"' for k, v in fields.items()), ""
        if "opaque" in c:
            extra += f', opaque="{c["opaque"]}"'
        return f"Digest {quoted}, algorithm=MD5{extra}"


def _put(auth: _Auth, url: str, body: bytes, graph: str) -> None:
    for attempt in (1, 2):  # a second try with a fresh challenge: nonces go stale
        headers = {"Content-Type": "text/turtle; charset=utf-8"}
        if (value := auth.header("PUT", url)) is not None:
            headers["Authorization"] = value
        request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=auth.timeout) as response:
                if response.status not in (200, 201, 204):
                    raise RuntimeError(f"{auth.url}: graph {graph}: HTTP {response.status}")
                return
        except urllib.error.HTTPError as exc:
            if exc.code == 401 and attempt == 1:
                auth.refresh()
                continue
            raise RuntimeError(f"{auth.url}: graph {graph}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, ConnectionError) as exc:
            if attempt == 1:
                auth.refresh()
                continue
            raise RuntimeError(f"{auth.url}: graph {graph}: {getattr(exc, 'reason', exc)}") from None


def push(store, gsp_url: str, *, user: str | None = None, password: str | None = None,
         progress=None) -> PushReport:
    """Every named graph of ``store`` (any maillage.store.Store) PUT as N-Triples."""
    say = progress or (lambda _m: None)
    auth = _Auth(gsp_url, user, password, timeout=600)
    start = time.perf_counter()
    graphs = triples = 0
    for graph in store.graphs():
        body = store.dump("nt", graph=graph)
        count = body.count(b"\n")
        url = f"{gsp_url}{'&' if '?' in gsp_url else '?'}{urllib.parse.urlencode({'graph-uri': graph, 'graph': graph})}"
        _put(auth, url, body, graph)
        graphs += 1
        triples += count
        say(f"{graphs} graphs, {triples:,} triples")
    return PushReport(graphs, triples, time.perf_counter() - start)
