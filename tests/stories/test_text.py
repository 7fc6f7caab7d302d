import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stories.text import (
    SCENE_BREAK_RE,
    count_words,
    format_typed_text,
    sanitize_html,
    typed_text_of,
)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Fine <em>text</em></p>", "<p>Fine <em>text</em></p>"),
        ("<script>alert(1)</script>Hi", "Hi"),
        ("<style>p{color:red}</style>Hi", "Hi"),
        ('<iframe src="https://evil.example"></iframe>Hi', "Hi"),
        ('<p onclick="x()" style="color:red" class="c">Hi</p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow">x</a>'),
        (
            '<a href="https://example.org/" title="t">x</a>',
            '<a href="https://example.org/" title="t" rel="nofollow">x</a>',
        ),
        (
            '<a href="mailto:a@example.org">x</a>',
            '<a href="mailto:a@example.org" rel="nofollow">x</a>',
        ),
        ('<a href="/works/1/">x</a>', '<a href="/works/1/" rel="nofollow">x</a>'),
        (
            '<img src="https://example.org/a.png" alt="a">',
            '<img src="https://example.org/a.png" alt="a">',
        ),
        ('<img src="data:image/png;base64,xx" alt="a">', '<img alt="a">'),
        ('<img src="/local.png" alt="a">', '<img alt="a">'),
        (
            '<p align="center" dir="rtl" lang="ar">x</p>',
            '<p align="center" dir="rtl" lang="ar">x</p>',
        ),
        (
            "<details><summary>S</summary>D</details>",
            "<details><summary>S</summary>D</details>",
        ),
        (
            "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
            "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
        ),
        ("<form><input name=x></form>Hi", "Hi"),
    ],
)
def test_sanitize_keeps_ao3_allow_list_only(markup, expected):
    assert sanitize_html(markup) == expected


def test_typed_plain_text_becomes_paragraphs_and_line_breaks():
    text = "First line\nsecond line\r\n\r\nNew paragraph & more"
    assert format_typed_text(text) == (
        "<p>First line<br>second line</p><p>New paragraph &amp; more</p>"
    )


def test_typed_html_with_blocks_is_kept_as_written():
    assert format_typed_text("<p>One</p>\n<p>Two</p>") == "<p>One</p>\n<p>Two</p>"


def test_count_words_ignores_markup():
    assert count_words("<p>One <em>two</em></p><p>three</p><hr><p>four-five</p>") == 4


def test_a_typed_scene_break_line_is_a_scene_break():
    text = "The lamp turned.\n\n* * *\n\nThe sea answered.\n\n<hr>\n\nDawn."
    assert format_typed_text(text) == (
        "<p>The lamp turned.</p><hr><p>The sea answered.</p><hr><p>Dawn.</p>"
    )


@pytest.mark.parametrize(
    ("markup", "typed"),
    [
        (
            "<p>Tom &amp; Jerry &lt;3</p><hr><p>One<br>two <em>three</em></p>",
            "Tom & Jerry <3\n\n* * *\n\nOne\ntwo <em>three</em>",
        ),
        # Spelled out, these would read back as markup or as another entity.
        ("<p>&lt;em&gt; and &amp;amp;</p>", "&lt;em> and &amp;amp;"),
        ("<p>&nbsp;Indented</p>", "&nbsp;Indented"),
        # Spaces of other scripts are the writer's characters, not HTML's.
        (
            "<p>\u7b2c\u4e00\u7ae0\u3000\u6708\u591c</p>",
            "\u7b2c\u4e00\u7ae0\u3000\u6708\u591c",
        ),
        ("<p>0\u16800</p>", "0\u16800"),
    ],
)
def test_typed_text_of_writes_markup_as_an_author_types_it(markup, typed):
    assert typed_text_of(markup) == typed
    assert format_typed_text(typed) == markup


@pytest.mark.parametrize(
    "markup",
    ["<ul><li>A list</li></ul>", '<p align="center">Centred</p>', "<h2>Part</h2>"],
)
def test_typed_text_of_keeps_markup_plain_text_cannot_say(markup):
    assert typed_text_of(markup) == markup


PLAIN_LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\r\n"
    ),
    min_size=1,
    max_size=40,
).filter(lambda line: line.strip() and not SCENE_BREAK_RE.fullmatch(line.strip()))


@given(
    st.lists(
        st.one_of(st.lists(PLAIN_LINE, min_size=1, max_size=3), st.just(None)),
        min_size=1,
        max_size=6,
    )
)
def test_a_plain_text_chapter_reads_back_as_the_same_chapter(paragraphs):
    """Whatever a plain-text file gives, its typed text posts as the same markup."""
    blocks = [
        "<hr>"
        if lines is None
        else "<p>"
        + "<br>".join(html.escape(line.strip(), quote=False) for line in lines)
        + "</p>"
        for lines in paragraphs
    ]
    markup = sanitize_html("".join(blocks))
    typed = typed_text_of(markup)
    assert format_typed_text(typed) == markup
    assert "<p>" not in typed and "<br>" not in typed and "<hr>" not in typed
