"""The asyncio network backend over TLS: a self-signed loopback server, trusted and not."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from scraper.fetch import Fetcher
from scraper.transport import GuardedTransport
from tests.support.faults import ARTICLE
from tests.support.fetchkit import fetch_config
from tests.support.httpserver import Page, TestServer


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate):
    cert, key = certificate
    server = TestServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server._httpd.socket = context.wrap_socket(server._httpd.socket, server_side=True)
    with server:
        yield server


def fetch_tls(url: str, verify: ssl.SSLContext | bool):
    async def run():
        transport = GuardedTransport(
            httpx.Limits(max_connections=4), allow_private=True, verify=verify
        )
        config = fetch_config(obey_robots=False, max_attempts=1)
        async with Fetcher(config, transport=transport) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def test_https_through_the_asyncio_backend(tls_server, certificate) -> None:
    tls_server.routes["/a"] = Page(ARTICLE)
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    result = fetch_tls(f"https://127.0.0.1:{tls_server.port}/a", trusted)
    assert result.ok and result.text == ARTICLE


def test_an_untrusted_certificate_is_a_connect_error(tls_server) -> None:
    tls_server.routes["/a"] = Page(ARTICLE)
    result = fetch_tls(f"https://127.0.0.1:{tls_server.port}/a", True)
    assert (result.status, result.error_kind) == ("error", "connect")
    assert "CERTIFICATE_VERIFY_FAILED" in (result.error or "")
    assert "/a" not in tls_server.paths()


def test_a_keepalive_connection_the_server_closed_is_not_reused() -> None:
    """The server closes each idle connection after answering: the pool must notice the EOF."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    connections: list[str] = []

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                body = ARTICLE.encode()
                head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}"
                conn.sendall(head.encode() + b"\r\n\r\n" + body)
                connections.append("served")
            # closed here, without "Connection: close": an idle keep-alive timeout

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    async def run():
        config = fetch_config(obey_robots=False, max_attempts=1)
        async with Fetcher(config) as fetcher:
            first = await fetcher.fetch(f"http://127.0.0.1:{port}/a")
            await asyncio.sleep(0.2)  # the server has closed its end by now
            second = await fetcher.fetch(f"http://127.0.0.1:{port}/b")
            return first, second

    try:
        first, second = asyncio.run(run())
    finally:
        listener.close()
    assert first.ok and second.ok, (first.error, second.error)
    assert connections == ["served", "served"]  # a second connection, not the dead one
