import pytest

from stories.text import count_words, format_typed_text, sanitize_html


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
