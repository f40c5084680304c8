"""The status page `rwakit up` serves: ``/`` as HTML, ``/status.json`` as JSON, both read
live from the chain on every request.

The standard library's threading HTTP server is enough for one operator's browser; the
API issue brings FastAPI for real traffic.
"""

import errno
import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from jinja2 import Environment, PackageLoader, select_autoescape
from requests import RequestException
from web3.exceptions import Web3Exception

from rwakit.chain.system_status import SystemStatus
from rwakit.chain.system_status_reader import SystemStatusReader
from rwakit.domain.countries import country_label
from rwakit.errors import RwakitError

_templates = Environment(
    loader=PackageLoader("rwakit.web", "templates"), autoescape=select_autoescape()
)
_templates.filters["country"] = country_label


class StatusPageError(RwakitError):
    """The status page cannot listen where it was told to."""


def render_status_html(status: SystemStatus) -> str:
    return _templates.get_template("status.html").render(status=status)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow browser must not keep `rwakit up` from exiting
    reader: SystemStatusReader


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path not in ("/", "/status.json"):
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")
            return
        try:
            status = self.server.reader.read()
        except (RequestException, Web3Exception, OSError) as exc:
            # the node went away or misbehaves: say so instead of dropping the connection
            problem = {
                "type": "about:blank",
                "title": "chain unavailable",
                "status": 503,
                "code": "chain_unavailable",
                "detail": " ".join(str(exc).split()) or type(exc).__name__,
            }
            body = json.dumps(problem).encode()
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "application/problem+json", body)
            return
        if path == "/status.json":
            body = json.dumps(status.to_json(), indent=2).encode()
            self._send(HTTPStatus.OK, "application/json", body)
        else:
            body = render_status_html(status).encode()
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", body)

    def _send(self, code: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # the figures are live
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # an access line per refresh would drown the URL `rwakit up` prints


class StatusPage:
    """Listens on ``host:port`` as soon as it is made (port 0 picks a free one), so a taken
    port fails before any slow set-up; serving starts once there is a reader."""

    def __init__(self, host: str, port: int) -> None:
        try:
            self._server = _Server((host, port), _Handler)
        except OSError as exc:
            reason = "address in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise StatusPageError(
                f"cannot serve the status page on {host}:{port} ({reason}) "
                "— set RWAKIT_PORT to a free port or RWAKIT_HOST to another address"
            ) from None
        self.host = host
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._server.server_address[1]}/"

    def serve_forever(self, reader: SystemStatusReader) -> None:
        """Serve in this thread until interrupted (Ctrl-C, or SIGTERM via stop_on_signals)."""
        self._server.reader = reader
        self._server.serve_forever()

    def serve_in_background(self, reader: SystemStatusReader) -> Self:
        """Serve from a daemon thread (tests); ``close`` stops it."""
        self._server.reader = reader
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()  # only valid while serve_forever runs in another thread
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
