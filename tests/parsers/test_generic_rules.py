"""The generic parser's general rules, one test (or a few) per rule, on HTML written here.

Each rule is stated for the web at large, not for a page of the corpus: generated
ids are no class words, a figure framing a quotation is text, a layout table's
cells are paragraphs, and so on. The pages in ``tests/fixtures/generic`` exercise
the same rules together, in several languages and scripts.
"""

from __future__ import annotations

import pytest

from parsers.boilerplate import words_of
from parsers.extract import tree_of
from parsers.maintext import find_main_text, strip_boilerplate

PROSE = (
    "A paragraph of real prose, long enough to count, with commas, clauses, and a point "
    "that the reader follows to its end."
)


def _body(html: str) -> str:
    tree = tree_of(html)
    strip_boilerplate(tree)
    return find_main_text(tree).body


@pytest.mark.parametrize(
    ("marker", "words"),
    [
        ("block-c7bade55-970b-4fe0-b18a-852d64d121ac", {"block"}),
        ("c0cecd73-c1c9-4a00-9066-28832d68d09e", set()),
        ("ad-slot-1", {"ad", "slot", "adslot"}),
        ("ad300x250", {"ad", "x"}),
        ("carousel-v3__slide__1R_wR", {"carousel", "v", "slide", "r", "w"}),
        ("read-more", {"read", "more", "readmore"}),
    ],
)
def test_generated_ids_give_no_class_words(marker: str, words: set[str]) -> None:
    assert words_of(marker) == words


def test_a_paragraph_with_a_generated_id_is_not_taken_for_an_ad() -> None:
    odd = "An odd paragraph, with an id a content system generated, that still belongs here."
    html = f"<article><p>{PROSE}</p><p id='p-3b18a-852d64d1'>{odd}</p><p>{PROSE}</p></article>"
    assert odd in _body(html)


def test_a_figure_framing_a_quotation_is_text() -> None:
    quote = "We will keep the old bridge open to walkers and cyclists for as long as it stands."
    html = (
        f"<article><p>{PROSE}</p><figure><blockquote><p>{quote}</p></blockquote>"
        f"<figcaption>The mayor</figcaption></figure><p>{PROSE}</p>"
        "<figure><img src='a.jpg'><p>A photograph of the bridge at dusk, from the east.</p>"
        "</figure></article>"
    )
    body = _body(html)
    assert quote in body
    assert "The mayor" not in body
    assert "dusk" not in body


def test_a_layout_tables_cells_are_paragraphs_and_its_data_cells_are_not() -> None:
    first = (
        "The harbour board met on Monday evening and agreed, after a long debate, to keep "
        "the old ferry running through the winter months."
    )
    second = (
        "Fares will not change before spring, the board said, although fuel costs have "
        "risen twice since the summer timetable began."
    )
    html = (
        "<table><tr><td><a href='/'>Home</a></td><td>"
        f"<font>{first}<br><br>{second}</font></td></tr></table>"
        "<table><tr><td>Crossings</td><td>14</td></tr><tr><td>Fare</td><td>3.20</td></tr></table>"
    )
    tree = tree_of(html)
    strip_boilerplate(tree)
    assert find_main_text(tree).paragraphs == (first, second)


def test_a_contact_address_is_not_a_link_list() -> None:
    html = (
        f"<article><p>{PROSE}</p><p>{PROSE}</p><p>Write to the committee:</p>"
        "<p><a href='mailto:committee@example.org'>committee@example.org</a></p>"
        "<p><a href='/elsewhere'>Another story on this site</a></p></article>"
    )
    body = _body(html)
    assert "committee@example.org" in body
    assert "Another story" not in body


def test_a_row_of_numbers_is_not_prose() -> None:
    entry = "The home side pressed early, and the visitors held on until the break."
    html = (
        "<main><div class='timeline'>90' 88' 81' 74' 74' 65' 52' 46' 45' 14'</div>"
        + "".join(
            f"<div class='live-entry slider-item'><span>{m}'</span><div>{entry}</div></div>"
            for m in (90, 75, 60)
        )
        + "</main>"
    )
    body = _body(html) or _light_body(html)
    assert entry in body


def _light_body(html: str) -> str:
    tree = tree_of(html)
    strip_boilerplate(tree, light=True)
    return find_main_text(tree).body


def test_text_beside_a_block_is_read_once() -> None:
    html = (
        f"<article><div>{PROSE}<div>A short aside in its own block.</div>"
        f"Text of the outer block itself, long enough to count as its own.</div></article>"
    )
    paragraphs = find_main_text(tree_of(html)).paragraphs
    assert len(paragraphs) == len(set(paragraphs))


def test_paragraphs_inside_an_inline_wrapper_are_read_once() -> None:
    html = (
        "<article><div class='content'><span><div><h3>Share this article</h3></div>"
        + "".join(f"<p>{PROSE} Paragraph {n}.</p>" for n in range(4))
        + "</span></div></article>"
    )
    paragraphs = find_main_text(tree_of(html)).paragraphs
    assert not any("Paragraph 1" in p and "Paragraph 2" in p for p in paragraphs)
    assert sum("Paragraph" in p for p in paragraphs) == 4


def test_prose_in_a_sidebars_list_does_not_widen_a_short_post() -> None:
    books = "".join(
        f"<li><p>Book {n}, a bestseller, translated into many languages, in all shops.</p></li>"
        for n in range(8)
    )
    html = (
        "<div id='page'><div class='column'><div class='entry-content'>"
        f"<p>{PROSE}</p><p>{PROSE}</p></div></div>"
        f"<div class='column'><ul>{books}</ul></div></div>"
    )
    body = find_main_text(tree_of(html)).body
    assert PROSE in body
    assert "bestseller" not in body


def test_a_column_of_short_summaries_does_not_widen_a_short_post() -> None:
    teasers = "".join(
        f"<div class='box'><p>Story {n}: a summary, one line, with commas, of another story.</p>"
        "</div>"
        for n in range(8)
    )
    html = (
        "<div id='page'><div class='column'><div class='entry-content'>"
        f"<p>{PROSE}</p><p>{PROSE}</p></div></div>"
        f"<div class='column'>{teasers}</div></div>"
    )
    body = find_main_text(tree_of(html)).body
    assert PROSE in body
    assert "another story" not in body


def test_deeply_nested_inline_wrappers_around_a_paragraph() -> None:
    html = (
        "<article><div>Some words of the block itself"
        + "<span>" * 5000
        + f"<p>{PROSE}</p>"
        + "</span>" * 5000
        + "</div></article>"
    )
    assert PROSE in find_main_text(tree_of(html)).body


@pytest.mark.parametrize(
    "line",
    [
        "10:30 开馆仪式在一楼大厅举行，市民可以免费参加。",
        "自习室每天8:00开门，到晚上9:30关门。",
        "会議は10:00に始まり、市長が新しい計画を説明した。",
    ],
)
def test_cjk_sentences_with_a_time_are_not_stamps_or_datelines(line: str) -> None:
    tree = tree_of(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{line}</p></div>")
    assert line in find_main_text(tree).paragraphs


@pytest.mark.parametrize(
    "line",
    ["2024年05月10日 08:30 来源：示例日报", "21:00 Sophie Bateman", "Published 3 May 2024"],
)
def test_datelines_and_stamps_still_go(line: str) -> None:
    tree = tree_of(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{line}</p></div>")
    assert line not in find_main_text(tree).paragraphs


@pytest.mark.parametrize(
    "line",
    ["（责任编辑：王小明）", "来源：示例日报", "Фото: пресс-служба", "صورة: أرشيف", "写真：共同"],
)
def test_credits_in_other_scripts_are_furniture(line: str) -> None:
    tree = tree_of(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{line}</p></div>")
    assert line not in find_main_text(tree).paragraphs


def test_a_linked_source_introducing_a_quote_stays() -> None:
    html = (
        f"<article><p>{PROSE}</p><p>{PROSE}</p>"
        "<p><a href='https://paper.example/x'>The Evening Post</a> reported:</p>"
        "<p><a href='/other-story'>An entirely different story on this site</a></p></article>"
    )
    paragraphs = find_main_text(tree_of(html)).paragraphs
    assert "The Evening Post reported:" in paragraphs
    assert "An entirely different story on this site" not in paragraphs


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("本报记者 李华", False),
        ("（文／山田太郎）", False),
        ("김민지 기자 minji@example.kr", False),
        ("2024年6月1日 10時15分", False),
        ("文化节开幕", True),
        ("会议于2024年6月1日开始，持续三天，吸引了大量观众。", True),
    ],
)
def test_cjk_bylines_and_datelines(line: str, kept: bool) -> None:
    tree = tree_of(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{line}</p></div>")
    assert (line in find_main_text(tree).paragraphs) is kept


def test_text_clipped_for_screen_readers_is_left_out() -> None:
    hidden = "border:0;clip:rect(0 0 0 0);height:1px;overflow:hidden;position:absolute;width:1px"
    html = (
        f"<article><p>{PROSE}</p><p>The <a href='https://x.example/r'>full report"
        f"<span style='{hidden}'>, opens new tab</span></a> runs to seventy pages, "
        f"with maps and photographs of the site.</p><p>{PROSE}</p></article>"
    )
    body = _body(html)
    assert "The full report runs to seventy pages" in body
    assert "opens new tab" not in body


@pytest.mark.parametrize(
    "line",
    ["Atualizado em 12/05/2024 10h30", "Обновлено 12.05.2024 10:30", "آخر تحديث 12/05/2024"],
)
def test_update_lines_in_more_languages_go(line: str) -> None:
    tree = tree_of(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{line}</p></div>")
    assert line not in find_main_text(tree).paragraphs


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Подписывайтесь на наш канал в Telegram", False),
        ("تابعونا على فيسبوك", False),
        ("Siga-nos no Instagram", False),
        ("Они подписывались на газету много лет, говорит она.", True),
    ],
)
def test_calls_to_action_in_more_languages(line: str, kept: bool) -> None:
    tree = tree_of(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{line}</p></div>")
    assert (line in find_main_text(tree).paragraphs) is kept


def test_test_ids_name_blocks_when_classes_are_hashed() -> None:
    html = (
        f"<article><div class='sc-1x2y3z kQwErT'><p>{PROSE}</p><p>{PROSE}</p></div>"
        "<div class='sc-9a8b7c zXcVbN' data-testid='related-stories'>"
        "<p>Another story the site would like you to read next, with a long blurb.</p>"
        "</div></article>"
    )
    assert "Another story" not in _body(html)


def test_a_web_address_written_out_is_a_cited_source() -> None:
    html = (
        f"<article><p>{PROSE}</p><p>{PROSE}</p><p>Sources:</p>"
        "<p><a href='https://health.example.org/'>health.example.org</a></p>"
        "<p><a href='/next-story'>The next story on this site</a></p></article>"
    )
    paragraphs = find_main_text(tree_of(html)).paragraphs
    assert "health.example.org" in paragraphs
    assert "The next story on this site" not in paragraphs
