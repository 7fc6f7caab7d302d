"""Property tests: whatever a file or a piece of markup holds, the importers and
the sanitizer answer with their own error or with safe output, never a crash."""

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from stories.importing import ChapterFileError, import_chapter
from stories.imports.ao3 import WorkFileError, import_ao3_work
from stories.text import sanitize_html
from tests.stories.imports.office_files import make_docx, make_odt

QUICK = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

EXTENSIONS = [".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".odt", ".pdf",
              ".TXT", ".Html", "", ".", ".exe", ".docx.txt"]  # fmt: skip

# Pieces of hostile markup, shuffled together with arbitrary text.
HOSTILE = [
    "<script>alert(1)</script>", "<script", "</script>", "<style>p{}</style>",
    "<img src=x onerror=alert(1)>", "<img src='javascript:alert(1)'>",
    '<a href="javascript:alert(1)">x</a>', '<a href="  JaVaScRiPt:alert(1)">',
    '<a href="java&#x09;script:alert(1)">', '<a href="data:text/html,x">',
    "<svg onload=alert(1)>", "<iframe src=//evil.example>", "<p onclick='x'>",
    '<div style="background:url(javascript:alert(1))">', "<!--", "-->",
    "<![CDATA[", "]]>", "<math><mi xlink:href='javascript:1'>", "<p>", "</p>",
    "<b>", "<i>", "<table><tr><td>", "<br/>", "<hr>", "&lt;", "&", "&#0;",
    "&#x110000;", "\x00", "\x0c", "\r", "\n\n", "<h1>Chapter 1</h1>",
    "Chapter One", "by Someone", "* * *", "<title>T</title>", "<html><body>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
    '<a href="/works/1">', "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x', "<base href=//evil.example>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
]  # fmt: skip

hostile_markup = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)), max_size=25
).map("".join)

UNSAFE_TAGS = {"script", "style", "iframe", "object", "embed", "form", "base",
               "meta", "svg"}  # fmt: skip
EVENT_ATTRIBUTE_RE = re.compile(r"^on", re.IGNORECASE)


def assert_safe(markup):
    """Markup is safe to show: no script or style, no event handler, no address
    that runs code or carries a document."""
    if not markup.strip():
        return
    lowered = markup.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    fragments = lxml_html.fragments_fromstring(markup)
    for fragment in fragments:
        if isinstance(fragment, str):
            continue
        for element in fragment.iter():
            if not isinstance(element.tag, str):
                continue
            assert element.tag.lower() not in UNSAFE_TAGS
            for name, value in element.attrib.items():
                assert not EVENT_ATTRIBUTE_RE.match(name), (name, markup)
                assert name.lower() != "style", markup
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not scheme.startswith(("javascript:", "data:", "vbscript:")), (
                    markup
                )


@QUICK
@given(hostile_markup)
@example("<a href='javascript:alert(1)'>x</a><script>alert(1)</script>")
def test_sanitizer_never_raises_leaves_nothing_that_runs_and_is_idempotent(markup):
    cleaned = sanitize_html(markup)
    assert_safe(cleaned)
    assert sanitize_html(cleaned) == cleaned


@QUICK
@given(st.text(max_size=300))
def test_sanitizer_is_idempotent_on_any_text(text):
    cleaned = sanitize_html(text)
    assert sanitize_html(cleaned) == cleaned


def assert_chapter_safe(chapter):
    for markup in (chapter.body, chapter.beginning_notes, chapter.end_notes):
        assert_safe(markup)
        assert "\x00" not in markup
    assert chapter.word_count >= 0
    assert isinstance(chapter.work_title, str) and isinstance(chapter.creator, str)


def read_chapter(data, filename):
    try:
        chapter = import_chapter(data, filename)
    except ChapterFileError as error:
        assert str(error)
        return None
    assert_chapter_safe(chapter)
    return chapter


@QUICK
@given(
    data=st.binary(max_size=2000),
    stem=st.text(max_size=30),
    extension=st.sampled_from(EXTENSIONS),
)
@example(data=b"\xff\xfe\x00\x00", stem="a", extension=".txt")
@example(data=b"PK\x03\x04garbage", stem="a", extension=".docx")
def test_importer_on_any_bytes_answers_a_chapter_or_its_own_error(
    data, stem, extension
):
    read_chapter(data, stem + extension)


@QUICK
@given(
    text=hostile_markup,
    extension=st.sampled_from([".txt", ".md", ".html", ".htm"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "windows-1252", "utf-8-sig"]),
)
def test_importer_on_any_text_answers_a_safe_chapter_or_its_own_error(
    text, extension, encoding
):
    read_chapter(text.encode(encoding, errors="replace"), "chapter" + extension)


office_paragraph = st.one_of(
    hostile_markup,
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.tuples(st.sampled_from(["i", "b"]), st.text(max_size=20)),
            st.tuples(
                st.just("a"),
                st.text(max_size=10),
                st.sampled_from(HOSTILE + ["https://example.org", ""]),
            ),
        ),
        max_size=4,
    ),
    st.tuples(st.just("h"), st.text(max_size=30)),
    st.just(("image",)),
)


def without_xml_illegal(blocks):
    """Word processors can't store characters XML forbids; drop them."""
    illegal = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

    def clean(value):
        if isinstance(value, str):
            return illegal.sub("", value)
        if isinstance(value, (list, tuple)):
            return type(value)(clean(item) for item in value)
        return value

    return clean(blocks)


@QUICK
@given(
    blocks=st.lists(office_paragraph, max_size=8),
    kind=st.sampled_from(["docx", "odt"]),
)
def test_importer_on_any_office_file_answers_a_safe_chapter_or_its_own_error(
    blocks, kind
):
    blocks = without_xml_illegal(blocks)
    data = make_docx(blocks) if kind == "docx" else make_odt(blocks)
    read_chapter(data, f"chapter.{kind}")


@QUICK
@given(
    data=st.binary(max_size=300),
    start=st.integers(min_value=0, max_value=5000),
    kind=st.sampled_from(["docx", "odt"]),
)
def test_importer_on_damaged_office_files_answers_its_own_error(data, start, kind):
    """A real file with a stretch of it overwritten by arbitrary bytes."""
    whole = (
        make_docx(["Once upon a time."])
        if kind == "docx"
        else make_odt(["Once upon a time."])
    )
    start = start % len(whole)
    read_chapter(whole[:start] + data + whole[start + len(data) :], f"c.{kind}")


AO3_SKELETON = (
    '<html><head><title>{title}</title></head><body><div id="preface">'
    '<h2 class="toc-heading">{title}</h2><div class="byline">by {byline}</div>'
    '<dl class="tags">{tags}</dl><blockquote class="userstuff">{summary}</blockquote>'
    '</div><div id="chapters">{chapters}</div><div id="afterword">{after}</div>'
    "</body></html>"
)


def assert_work_safe(work):
    for markup in (work.summary, work.notes, work.end_notes):
        assert_safe(markup)
    for chapter in work.chapters:
        for markup in (chapter.body, chapter.notes, chapter.end_notes):
            assert_safe(markup)
        assert chapter.word_count >= 0


def read_work(data):
    try:
        work = import_ao3_work(data, "work.html")
    except WorkFileError as error:
        assert str(error)
        return None
    assert_work_safe(work)
    return work


@QUICK
@given(st.binary(max_size=2000))
def test_ao3_import_on_any_bytes_answers_a_work_or_its_own_error(data):
    read_work(data)


@QUICK
@given(
    title=hostile_markup,
    byline=hostile_markup,
    tags=hostile_markup,
    summary=hostile_markup,
    chapters=st.lists(
        st.one_of(
            hostile_markup,
            hostile_markup.map(
                lambda body: (
                    '<h2 class="heading">Chapter 1</h2>'
                    f'<div class="userstuff">{body}</div>'
                )
            ),
        ),
        max_size=4,
    ).map("".join),
    after=hostile_markup,
)
def test_ao3_import_on_any_markup_answers_a_safe_work_or_its_own_error(
    title, byline, tags, summary, chapters, after
):
    page = AO3_SKELETON.format(
        title=title, byline=byline, tags=tags, summary=summary,
        chapters=chapters, after=after,
    )  # fmt: skip
    read_work(page.encode("utf-8", errors="replace"))
