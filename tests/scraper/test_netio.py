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
