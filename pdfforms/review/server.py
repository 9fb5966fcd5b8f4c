"""The review page: a small HTTP server on 127.0.0.1 for one dataset.

Only the person who started it can open it. The server listens on the loopback
address only, and every request must carry the run's secret: the address printed
(and opened in the browser) holds it once, and the page trades it for a cookie
(HttpOnly, SameSite=Strict). Another user of the machine can reach the port but
not the secret. Requests naming another host are refused (DNS rebinding), and
changes must come as JSON from the page itself (no cross-site form posts).

The page is static (page.html, page.js, page.css) and talks to a JSON API:

    POST /api/next      {tab, previous?, skip?} → the unit to show, and counts
    POST /api/claim     {tab, key}              → a unit asked for by name (back)
    POST /api/decide    {tab, key, status, value, base, by, force?, empty?}
                        (an empty transcription needs "empty": true, or is refused)
    POST /api/heartbeat {tab}    POST /api/leaving {tab}
    GET  /api/state     → counts, reviewer, language, when the dataset was written
    GET  /image/<unit>/<n>  → a crop
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..model.messages import LANGUAGES, MESSAGES, in_language
from ..model.messages import text as msg
from .session import Refused, ReviewError, ReviewSession

COOKIE = "pdfforms_review"
STATIC = {
    "/": ("page.html", "text/html; charset=utf-8"),
    "/page.js": ("page.js", "text/javascript; charset=utf-8"),
    "/page.css": ("page.css", "text/css; charset=utf-8"),
}
MAX_BODY = 1_000_000


def page_texts() -> bytes:
    """The page's words in both languages, from the catalogue (keys "page.…"), as the
    script page.js reads them: PAGE_TEXTS, language → key → text with {names}."""
    texts = {
        lang: {
            k.removeprefix("page."): v[lang] for k, v in MESSAGES.items() if k.startswith("page.")
        }
        for lang in LANGUAGES
    }
    return f"const PAGE_TEXTS = {json.dumps(texts, ensure_ascii=False)};\n".encode()


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, session: ReviewSession, port: int, lang: str):
        self.session = session
        self.token = secrets.token_urlsafe(32)
        self.lang = lang
        super().__init__(("127.0.0.1", port), Handler)
        self.port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?t={self.token}"


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the log would name files and items of health data: nothing is printed

    # -- checks -------------------------------------------------------------------------

    def _allowed(self) -> bool:
        if self.headers.get("Host") not in self.server.hosts:
            self._send_text(HTTPStatus.MISDIRECTED_REQUEST, "wrong host")
            return False
        cookies = {}
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            cookies[name] = value
        if hmac.compare_digest(cookies.get(COOKIE, ""), self.server.token):
            return True
        self._send_text(
            HTTPStatus.FORBIDDEN,
            "Öppna adressen som `pdfforms review` skrev ut (den innehåller nyckeln).\n"
            "Open the address `pdfforms review` printed (it holds the key).",
        )
        return False

    # -- GET ----------------------------------------------------------------------------

    def handle_one_request(self):
        # The page shows some of the server's words (a refused answer's reason): in the
        # page's language, which may differ from the terminal's.
        with in_language(self.server.lang):
            super().handle_one_request()

    def do_GET(self):  # noqa: N802 - the base class's name
        url = urlsplit(self.path)
        token = parse_qs(url.query).get("t", [""])[0]
        if url.path == "/" and token:
            if self.headers.get("Host") not in self.server.hosts:
                self._send_text(HTTPStatus.MISDIRECTED_REQUEST, "wrong host")
            elif hmac.compare_digest(token, self.server.token):
                self.send_response(HTTPStatus.SEE_OTHER)
                self.send_header(
                    "Set-Cookie", f"{COOKIE}={self.server.token}; HttpOnly; SameSite=Strict; Path=/"
                )
                self.send_header("Location", "/")
                self.send_header("Content-Length", "0")
                self._security()
                self.end_headers()
            else:
                self._send_text(HTTPStatus.FORBIDDEN, msg("review.bad_key"))
            return
        if url.path == "/favicon.ico":
            self.send_response(HTTPStatus.NO_CONTENT)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not self._allowed():
            return
        if url.path in STATIC:
            name, kind = STATIC[url.path]
            data = resources.files(__package__).joinpath(name).read_bytes()
            self._send(HTTPStatus.OK, data, kind)
        elif url.path == "/page-texts.js":
            self._send(HTTPStatus.OK, page_texts(), "text/javascript; charset=utf-8")
        elif url.path == "/api/state":
            session = self.server.session
            self._send_json(
                HTTPStatus.OK,
                {
                    **session.counts(),
                    "dataset": session.dataset.name,
                    "reviewer": session.reviewer,
                    "lang": self.server.lang,
                    "saved": session.saved_this_session,
                    "written_at": session.rebuilt_at,
                    "write_error": session.rebuild_error,
                },
            )
        elif url.path.startswith("/image/"):
            try:
                _, _, index, n = url.path.split("/")
                path = self.server.session.image(int(index), int(n))
            except (ValueError, Refused):
                self._send_text(HTTPStatus.NOT_FOUND, msg("review.no_image"))
                return
            self._send(HTTPStatus.OK, path.read_bytes(), "image/png")
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "not found")

    # -- POST ---------------------------------------------------------------------------

    def do_POST(self):  # noqa: N802 - the base class's name
        if not self._allowed():
            return
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc not in self.server.hosts:
            self._send_json(HTTPStatus.FORBIDDEN, {"error": "wrong origin"})
            return
        if (self.headers.get("Content-Type") or "").split(";")[0] != "application/json":
            self._send_json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "JSON expected"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._send_json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "too large"})
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": "not a JSON object"})
            return
        tab = str(body.get("tab") or "")[:64]
        if not tab:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": "no tab"})
            return
        session = self.server.session
        path = urlsplit(self.path).path
        try:
            if path == "/api/next":
                out = session.next(
                    tab, str(body.get("previous") or "")[:64], str(body.get("skip") or "")
                )
            elif path == "/api/claim":
                out = session.claim(tab, str(body.get("key") or ""))
            elif path == "/api/decide":
                out = session.decide(tab, body)
            elif path == "/api/heartbeat":
                session.heartbeat(tab)
                out = session.counts()
            elif path == "/api/leaving":
                session.leaving(tab)
                out = {}
            else:
                self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
                return
        except Refused as exc:
            self._send_json(exc.status, {"error": str(exc), **exc.extra})
            return
        self._send_json(HTTPStatus.OK, out)

    # -- answers ------------------------------------------------------------------------

    def _security(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)

    def _send(self, status, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self._security()
        self.end_headers()
        self.wfile.write(data)

    def _send_json(self, status, obj) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode(), "application/json")

    def _send_text(self, status, text: str) -> None:
        self._send(status, (text + "\n").encode(), "text/plain; charset=utf-8")


# -- one server per dataset ----------------------------------------------------------------


class Running:
    """`stem.review.lock`: held while a server runs; says where it is (mode 0600)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.held = True
        except BlockingIOError:
            self.held = False

    def other(self) -> str:
        """The address of the server already running (its lock file's text)."""
        try:
            return json.loads(Path(self.path).read_text("utf-8")).get("url", "")
        except (OSError, ValueError):
            return ""

    def record(self, url: str) -> None:
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, json.dumps({"pid": os.getpid(), "url": url}).encode(), 0)

    def close(self) -> None:
        if self.held:
            os.ftruncate(self.fd, 0)
        os.close(self.fd)


def serve(
    dataset: Path,
    session: ReviewSession,
    port: int = 0,
    lang: str = "sv",
    on_ready=None,
) -> tuple[ReviewServer, threading.Thread]:
    """Start serving in a thread; `on_ready(url)` is told the address."""
    try:
        server = ReviewServer(session, port, lang)
    except OSError as exc:
        raise ReviewError(msg("review.cannot_listen", port=port, reason=exc.strerror)) from None
    session.start()
    thread = threading.Thread(target=server.serve_forever, name="review-server", daemon=True)
    thread.start()
    if on_ready:
        on_ready(server.url)
    return server, thread
