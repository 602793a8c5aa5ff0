"""A real HTTP server on 127.0.0.1 for tests: serves pages from a dict and records every request.

Routes map a path (with query) to a ``Page`` or to a callable that builds the
answer from the request (for faults: delays, resets, endless bodies... see
``tests/faults.py``). The server runs in a thread on any loopback address
(``127.0.0.2`` makes a second "host"); ``requests`` lists what it saw, with
monotonic times, and ``max_in_flight`` the most requests it handled at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Page:
    """A canned answer."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(
        default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"}
    )

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    host: str
    headers: dict[str, str]
    at: float


Handler = Callable[[BaseHTTPRequestHandler], None]


class TestServer:
    """``with TestServer() as server: server.routes['/'] = Page('<html>...')``."""

    __test__ = False  # not a pytest test class

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Page | Handler] = {}
        self.requests: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._accepted: dict[Any, float] = {}
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def parse_request(self) -> bool:
                # a new connection's first request arrived when it was accepted (the thread
                # serving it may start later); later ones when their request line was read
                accepted = getattr(self, "accepted", None)
                self.arrived = accepted if accepted is not None else time.monotonic()
                self.accepted = None
                return super().parse_request()

            def setup(self) -> None:
                super().setup()
                self.accepted = server._accepted.pop(self.request, None)

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(
                        Seen(
                            "GET",
                            self.path,
                            self.headers.get("Host", ""),
                            dict(self.headers),
                            self.arrived,
                        )
                    )
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer()
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self) -> None:
                route = server.routes.get(self.path)
                if route is None:
                    route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Page("not found", 404, {"Content-Type": "text/plain"})
                if callable(route):
                    route(self)
                    return
                body = route.payload()
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class _Server(ThreadingHTTPServer):
            def process_request(self, request: Any, client_address: Any) -> None:
                server._accepted[request] = time.monotonic()
                super().process_request(request, client_address)

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # faults break connections on purpose; no tracebacks on stderr

        self._httpd = _Server((host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def __enter__(self) -> TestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
