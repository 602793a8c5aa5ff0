"""Turn a page's bytes into text: BOM, then the HTTP charset, then ``<meta>``, then detection.

Declarations follow the HTML standard's rules: a ``<meta>`` naming UTF-16 or
UTF-32 means UTF-8 (the meta was read as ASCII, so the page cannot be UTF-16),
and an encoding that does not read ASCII bytes as ASCII (UTF-7, EBCDIC) is never
honoured, whether the header or a meta names it: UTF-7 would turn
``+ADw-script+AD4-`` into ``<script>``. The header may still say UTF-16 (a
page served that way without a BOM). A declared charset is trusted only if the
bytes decode with it strictly; a page
declared UTF-8 but written in Windows-1252 (common on old CMSs) falls through to
detection, and bytes that are valid multi-byte UTF-8 are read as UTF-8 whatever
the declaration says. charset-normalizer is restricted to the encodings plausible for the
page's language, since unrestricted it mistakes French cp1252 for cp1250.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_HTML_LANG_RE = re.compile(rb"""<html[^>]*\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Candidate legacy encodings by language, tried with UTF-8 when the declared charset fails.
_LEGACY_BY_LANGUAGE = {
    "ar": ["cp1256", "iso8859_6"],
    "fa": ["cp1256"],
    "ru": ["cp1251", "koi8_r"],
    "uk": ["cp1251", "koi8_u"],
    "bg": ["cp1251"],
    "sr": ["cp1251", "cp1250"],
    "pl": ["cp1250", "iso8859_2"],
    "cs": ["cp1250", "iso8859_2"],
    "hu": ["cp1250", "iso8859_2"],
    "el": ["cp1253", "iso8859_7"],
    "tr": ["cp1254", "iso8859_9"],
    "he": ["cp1255", "iso8859_8"],
    "ja": ["shift_jis", "euc_jp", "iso2022_jp"],
    "zh": ["gb18030", "big5"],
    "ko": ["euc_kr"],
}
_WESTERN = ["cp1252", "iso8859_15"]


#: Every printable ASCII byte and the usual whitespace: an ASCII-compatible codec reads it as is.
_ASCII_PROBE = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_WIDE = ("utf-16", "utf-32")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None


def _ascii_compatible(codec: str) -> bool:
    try:
        return _ASCII_PROBE.decode(codec) == _ASCII_PROBE.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def header_encoding(name: str | None) -> str | None:
    """The codec an HTTP ``charset`` names, if it may be honoured (UTF-16/32 may; UTF-7 not)."""
    codec = _codec(name)
    if codec is None or not (codec.startswith(_WIDE) or _ascii_compatible(codec)):
        return None
    return codec


def meta_encoding(name: str | None) -> str | None:
    """The codec a ``<meta>`` charset names, by the HTML standard: UTF-16/32 mean UTF-8."""
    codec = _codec(name)
    if codec is None:
        return None
    if codec.startswith(_WIDE):
        return "utf-8"
    return codec if _ascii_compatible(codec) else None


def meta_charset(body: bytes) -> str | None:
    """The charset a ``<meta>`` tag in the first 4 KiB declares, if any."""
    match = _META_CHARSET_RE.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def page_language(body: bytes) -> str | None:
    """The two-letter ``<html lang>`` of the page, read from its raw bytes."""
    match = _HTML_LANG_RE.search(body[:8192])
    return match.group(1).decode("ascii").lower() if match else None


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """(text, encoding used) for an HTML body; never raises, replaces what cannot decode."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name
    if not body.isascii():
        # Valid multi-byte UTF-8 is almost never real single-byte text, whatever is declared.
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    for declared in (header_encoding(header_charset), meta_encoding(meta_charset(body))):
        if declared:
            if declared in ("ascii", "latin-1", "iso8859-1"):  # browsers read these as cp1252
                declared = "cp1252"
            try:
                return body.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                continue
    if body.isascii():
        return body.decode("ascii"), "ascii"
    language = page_language(body)
    candidates = ["utf_8", *(_LEGACY_BY_LANGUAGE.get(language or "", _WESTERN))]
    best = from_bytes(body, cp_isolation=candidates).best()
    if best is None:
        best = from_bytes(body).best()
    encoding = best.encoding if best is not None else "cp1252"
    return body.decode(encoding, errors="replace"), encoding
