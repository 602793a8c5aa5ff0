"""Content decoding with bounded output, so a compression bomb cannot exhaust memory.

httpx's own decoders hand back everything a network chunk inflates to: 64 KiB
of gzipped zeros is 64 MiB, and brotli is far worse. Here the raw bytes go
through ``zlib`` with ``max_length`` and brotli with ``output_buffer_limit``
(brotli >= 1.2), so each step yields at most ``STEP`` bytes and the reader
can stop at its cap having held no more than the cap plus one step. Supported
codings are the ones newsrack advertises: gzip, deflate (zlib or raw) and br,
stacked in the order the ``Content-Encoding`` header lists them.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli

#: Largest piece of decoded output produced at a time.
STEP = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate, br"


class DecodeError(Exception):
    """The body is not valid for its declared Content-Encoding (or the coding is unknown)."""


class _Zlib:
    """gzip (possibly multi-member), zlib-wrapped or raw deflate."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS
        self._d = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._d.decompress(data, STEP)
            except zlib.error as exc:
                if not self._gzip and not self._started:  # raw deflate without zlib header
                    self._wbits = -zlib.MAX_WBITS
                    self._d = zlib.decompressobj(self._wbits)
                    self._started = True
                    continue
                raise DecodeError(str(exc)) from exc
            self._started = True
            if out:
                yield out
            data = self._d.unconsumed_tail
            if self._d.eof and self._d.unused_data:
                data = self._d.unused_data  # next gzip member
                self._d = zlib.decompressobj(self._wbits)

    def finish(self) -> Iterator[bytes]:
        try:
            tail = self._d.flush()
        except zlib.error as exc:  # pragma: no cover - flush rarely fails
            raise DecodeError(str(exc)) from exc
        if tail:
            yield tail


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._d.process(data, output_buffer_limit=STEP)
            if out:
                yield out
            while not self._d.can_accept_more_data():
                out = self._d.process(b"", output_buffer_limit=STEP)
                if out:
                    yield out
        except brotli.error as exc:
            raise DecodeError(str(exc)) from exc

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> Iterator[bytes]:
        return iter(())


_Decoder = _Zlib | _Brotli | _Identity


def _decoder(coding: str) -> _Decoder:
    if coding in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if coding == "deflate":
        return _Zlib(gzip=False)
    if coding == "br":
        return _Brotli()
    if coding in ("identity", ""):
        return _Identity()
    raise DecodeError(f"unsupported Content-Encoding {coding!r}")


class BoundedDecoder:
    """Decodes a body coded with ``content_encoding`` in steps of at most ``STEP`` bytes."""

    def __init__(self, content_encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        # the header lists codings in the order they were applied; undo them in reverse
        self._chain = [_decoder(c) for c in reversed(codings) if c not in ("", "identity")]

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def finish(self) -> Iterator[bytes]:
        for index, decoder in enumerate(self._chain):
            for piece in decoder.finish():
                yield from self._through(index + 1, piece)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._chain):
            if data:
                yield data
            return
        for piece in self._chain[index].feed(data):
            yield from self._through(index + 1, piece)
