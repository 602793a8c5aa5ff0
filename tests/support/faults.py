"""Faults on demand for ``tests.support.httpserver.TestServer``: each builds a route handler.

A handler takes the ``BaseHTTPRequestHandler`` and answers (or misbehaves):
status sequences, Retry-After, resets, stalls, truncated and endless bodies, a
1 GiB gzip bomb generated on the fly from one precomputed 16 MiB block (never
held in memory), redirect loops, wrong charsets, binary bodies, challenges and
conditional GET. Bytes written are counted in ``Sent`` so tests can prove a
client stopped early.
"""

from __future__ import annotations

import functools
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

import brotli

from tests.support.httpserver import Page

Handler = Callable[[BaseHTTPRequestHandler], None]
GIB = 1 << 30
_BLOCK = 16 << 20  # zeros per precomputed deflate block

ARTICLE = (
    "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Un article</title></head>"
    "<body><article><h1>Un article</h1><p>Texte de l'article, assez long pour être lu.</p>"
    "</article></body></html>"
)


@dataclass
class Sent:
    """Bytes a handler wrote, and whether the client hung up before the end."""

    bytes: int = 0
    client_left: bool = False


def _head(
    request: BaseHTTPRequestHandler,
    status: int,
    headers: dict[str, str] | Iterable[tuple[str, str]],
) -> None:
    request.send_response(status)
    for key, value in headers.items() if isinstance(headers, dict) else headers:
        request.send_header(key, value)
    request.end_headers()


def answer(request: BaseHTTPRequestHandler, page: Page) -> None:
    body = page.payload()
    headers = {"Content-Length": str(len(body)), **page.headers}
    _head(request, page.status, headers)
    request.wfile.write(body)


def sequence(*pages: Page) -> Handler:
    """Answer the pages in order, the last one for ever after."""
    lock = threading.Lock()
    served = [0]

    def handle(request: BaseHTTPRequestHandler) -> None:
        with lock:
            index = min(served[0], len(pages) - 1)
            served[0] += 1
        answer(request, pages[index])

    return handle


def reset(request: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP RST before answering."""
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.connection.close()
    request.close_connection = True


def stall(seconds: float) -> Handler:
    """Send the headers and a first part of the body, then say nothing for ``seconds``."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        _head(request, 200, {"Content-Type": "text/html", "Content-Length": "1000"})
        request.wfile.write(b"<html><body>")
        request.wfile.flush()
        time.sleep(seconds)
        request.close_connection = True

    return handle


def trickle(interval: float, total: float) -> Handler:
    """A byte every ``interval`` seconds for ``total`` seconds: no read timeout ever fires."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        _head(request, 200, {"Content-Type": "text/html", "Connection": "close"})
        end = time.monotonic() + total
        try:
            while time.monotonic() < end:
                request.wfile.write(b" ")
                request.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass
        request.close_connection = True

    return handle


def truncated(request: BaseHTTPRequestHandler) -> None:
    """Promise 1000 bytes, send 500, hang up."""
    _head(request, 200, {"Content-Type": "text/html", "Content-Length": "1000"})
    request.wfile.write(b"<html>" + b"x" * 494)
    request.wfile.flush()
    request.close_connection = True


def _stream(request: BaseHTTPRequestHandler, pieces: Iterator[bytes], sent: Sent) -> None:
    try:
        for piece in pieces:
            request.wfile.write(piece)
            sent.bytes += len(piece)
        request.wfile.flush()
    except OSError:
        sent.client_left = True
    request.close_connection = True


def endless(sent: Sent) -> Handler:
    """An HTML body that never ends (no length, never closed by the server)."""

    def pieces() -> Iterator[bytes]:
        yield b"<html><body>"
        line = b"<p>" + b"la suite " * 100 + b"</p>\n"
        while True:
            yield line * 64

    def handle(request: BaseHTTPRequestHandler) -> None:
        _head(request, 200, {"Content-Type": "text/html", "Connection": "close"})
        _stream(request, pieces(), sent)

    return handle


@functools.cache
def gzip_blocks() -> tuple[bytes, bytes]:
    """(gzip header + first 16 MiB block, any later 16 MiB block) of deflated zeros.

    After a full flush the compressor starts afresh, so every later block of the
    same zeros compresses to the same bytes: 1 GiB is the first block and 63 copies.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(_BLOCK)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH) == block
    return first, block


def gzip_bomb_stream(size: int = GIB) -> Iterator[bytes]:
    """A valid gzip stream of ``size`` zero bytes (a multiple of 16 MiB), made on the fly."""
    first, block = gzip_blocks()
    yield first
    for _ in range(size // _BLOCK - 1):
        yield block
    crc = 0
    zeros = bytes(64 * 1024)
    for _ in range(size // len(zeros)):  # only reached once the client has read it all
        crc = zlib.crc32(zeros, crc)
    yield b"\x03\x00" + struct.pack("<II", crc, size & 0xFFFFFFFF)


def gzip_bomb(sent: Sent, size: int = GIB) -> Handler:
    """``size`` bytes of zeros as ``Content-Encoding: gzip`` text/html, about 1 MiB on the wire."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        _head(
            request,
            200,
            {"Content-Type": "text/html", "Content-Encoding": "gzip", "Connection": "close"},
        )
        _stream(request, gzip_bomb_stream(size), sent)

    return handle


@functools.cache
def brotli_zeros(size: int) -> bytes:
    return brotli.compress(bytes(size), quality=5)


def brotli_bomb(sent: Sent, size: int = 256 << 20) -> Handler:
    """``size`` zero bytes brotli-compressed (a few hundred bytes on the wire)."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        _head(request, 200, {"Content-Type": "text/html", "Content-Encoding": "br"})
        _stream(request, iter([brotli_zeros(size)]), sent)

    return handle


def encoded(html: str, coding: str) -> Page:
    """An HTML page served compressed with gzip or br."""
    raw = html.encode("utf-8")
    body = (
        zlib.compress(raw, wbits=16 + zlib.MAX_WBITS) if coding == "gzip" else brotli.compress(raw)
    )
    return Page(body, 200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": coding})


def redirect(location: str, status: int = 302) -> Page:
    return Page(b"", status, {"Location": location})


def conditional(body: str, etag: str, last_modified: str) -> Handler:
    """200 with validators, or 304 when the request carries the same ETag."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if request.headers.get("If-None-Match") == etag:
            _head(request, 304, {**validators, "Content-Length": "0"})
            return
        answer(request, Page(body, 200, {"Content-Type": "text/html; charset=utf-8", **validators}))

    return handle


def slow(seconds: float, page: Page) -> Handler:
    """Answer ``page`` after ``seconds`` (to see how many requests are in flight at once)."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        answer(request, page)

    return handle


CLOUDFLARE_CHALLENGE = Page(
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    "<script>window._cf_chl_opt={cvId: '3'};</script></body></html>",
    503,
    {
        "Content-Type": "text/html; charset=UTF-8",
        "cf-mitigated": "challenge",
        "Server": "cloudflare",
    },
)
