"""Charset: BOM, then HTTP header, then ``<meta>``, then detection when the declared one fails."""

from __future__ import annotations

import codecs

import pytest

from scraper.charset import decode_html

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
