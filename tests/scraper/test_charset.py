"""Charset: BOM, then HTTP header, then ``<meta>``, then detection when the declared one fails."""

from __future__ import annotations

import codecs

import pytest

from scraper.charset import decode_html
from scraper.results import looks_binary

FRENCH = "<html lang='fr'><p>L’été, « déjà » : c’est l’œuvre d’un garçon âgé — voilà.</p></html>"
ARABIC = (
    "<html lang='ar'><p>قالت الحكومة إن الميزانية الجديدة ستُعرض على البرلمان "
    "الأسبوع المقبل.</p></html>"
)


def test_the_header_charset_is_used_when_it_decodes() -> None:
    assert decode_html(FRENCH.encode("cp1252"), "windows-1252") == (FRENCH, "cp1252")


def test_a_bom_wins_over_the_header() -> None:
    body = codecs.BOM_UTF8 + FRENCH.encode("utf-8")
    assert decode_html(body, "iso-8859-1") == (FRENCH, "utf-8")


def test_meta_charset_when_the_header_has_none() -> None:
    html = ARABIC.replace("<p>", "<head><meta charset='windows-1256'></head><p>")
    assert decode_html(html.encode("cp1256"), None) == (html, "cp1256")


@pytest.mark.parametrize("declared", ["utf-8", "UTF8", None])
def test_utf8_declared_but_cp1252_written_still_reads_french(declared) -> None:
    text, encoding = decode_html(FRENCH.encode("cp1252"), declared)
    assert text == FRENCH
    assert encoding == "cp1252"


def test_utf8_declared_but_cp1256_arabic_is_detected_by_language() -> None:
    text, encoding = decode_html(ARABIC.encode("cp1256"), "utf-8")
    assert (text, encoding) == (ARABIC, "cp1256")


def test_latin1_is_read_as_windows_1252_like_browsers() -> None:
    body = "<p>l’été</p>".encode("cp1252")
    assert decode_html(body, "iso-8859-1") == ("<p>l’été</p>", "cp1252")


def test_an_unknown_charset_name_falls_through() -> None:
    assert decode_html(FRENCH.encode("utf-8"), "x-no-such-charset") == (FRENCH, "utf-8")


# --- the HTML standard's rules for declarations ----------------------------------------------


@pytest.mark.parametrize("declared", ["utf-16", "UTF-16LE", "utf-16be", "utf-32", "UTF-32LE"])
def test_a_wide_meta_charset_means_utf8(declared) -> None:
    html = f'<html><head><meta charset="{declared}"><title>Bonjour</title></head></html>'
    text, encoding = decode_html(html.encode("ascii"), None)
    assert (text, encoding) == (html, "utf-8")  # not CJK read from ASCII pairs
    accented = html.replace("Bonjour", "Été").encode("utf-8")
    assert decode_html(accented, None) == (accented.decode("utf-8"), "utf-8")


@pytest.mark.parametrize("where", ["meta", "header"])
def test_utf7_is_never_honoured(where) -> None:
    meta = '<meta charset="utf-7">' if where == "meta" else ""
    html = f"<html><head>{meta}</head><body>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</body></html>"
    text, encoding = decode_html(html.encode("ascii"), "utf-7" if where == "header" else None)
    assert "<script>" not in text
    assert text == html and encoding == "ascii"


def test_ebcdic_is_not_honoured_from_a_meta() -> None:
    html = '<html><head><meta charset="cp037"></head><p>plain</p></html>'
    assert decode_html(html.encode("ascii"), None) == (html, "ascii")


def test_a_header_may_still_say_utf16_for_a_page_served_in_it() -> None:
    html = "<html><p>L’été</p></html>"
    assert decode_html(html.encode("utf-16-le"), "utf-16le") == (html, "utf-16-le")


# --- binary or page: content type and a share of control bytes, not one NUL ------------------


def test_one_nul_in_a_page_does_not_make_it_binary() -> None:
    page = b"<html><head><title>x</title></head><body><p>a\x00b</p>" + b"<p>text</p>" * 50
    assert not looks_binary(page, "text/html; charset=utf-8")
    assert not looks_binary(page, None)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"%PDF-1.7\n" + b"x" * 100, "text/html"),
        (b"\x89PNG\r\n\x1a\n" + b"x" * 100, "text/html"),
        (b"\x1f\x8b\x08\x00" + b"x" * 100, None),
        (bytes(range(32)) * 20, "text/html"),  # all control bytes
        (b"<p>" + b"\x00\x01\x02" * 40 + b"</p>" * 20, None),  # well over a tenth
    ],
)
def test_binary_bodies_are_told_by_signature_or_share_of_control_bytes(body, content_type) -> None:
    assert looks_binary(body, content_type)


def test_a_utf16_page_without_bom_is_not_binary_when_served_as_html() -> None:
    body = "<html><p>hello</p></html>".encode("utf-16-le")  # half NUL bytes
    assert not looks_binary(body, "text/html; charset=utf-16le")


def test_fetched_pages_with_a_stray_nul_or_a_utf16_meta_are_read_as_pages(server) -> None:
    from tests.support.fetchkit import fetch
    from tests.support.httpserver import Page

    nul = "<html><body><p>avant\x00après</p>" + "<p>suite</p>" * 20 + "</body></html>"
    wide = '<html><head><meta charset="utf-16"></head><body><p>Bonjour</p></body></html>'
    server.routes["/nul"] = Page(nul)
    server.routes["/wide"] = Page(wide.encode("ascii"), 200, {"Content-Type": "text/html"})
    got = fetch(server.url("/nul"), obey_robots=False)
    assert got.ok and got.text == nul
    got = fetch(server.url("/wide"), obey_robots=False)
    assert (got.ok, got.text, got.encoding) == (True, wide, "utf-8")
