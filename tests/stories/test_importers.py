import html
import re

import pytest

from stories.importing import (
    ACCEPTED_EXTENSIONS,
    MAX_FILE_BYTES,
    ChapterFileError,
    ImportedChapter,
    decode_text,
    import_chapter,
    parse_number_words,
)
from tests.factories import SEED_CHAPTER

PARAGRAPH_RE = re.compile(r"<p>(.*?)</p>", re.S)

STORY = "She walked home in the rain.\n\nThe lamps were already lit."


def paragraphs(markup):
    """Return the text of each paragraph in the markup."""
    return [html.unescape(text) for text in PARAGRAPH_RE.findall(markup)]


def read_text(text, filename="chapter.txt", **options):
    return import_chapter(text.encode("utf-8"), filename, **options)


@pytest.fixture(scope="module")
def seed_text():
    if not SEED_CHAPTER.parent.is_dir():
        pytest.skip(f"the shared seed chapters are not checked out at {SEED_CHAPTER}")
    return SEED_CHAPTER.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_chapter():
    if not SEED_CHAPTER.parent.is_dir():
        pytest.skip(f"the shared seed chapters are not checked out at {SEED_CHAPTER}")
    return import_chapter(SEED_CHAPTER.read_bytes(), SEED_CHAPTER.name)


def test_seed_chapter_reads_work_title_and_creator(seed_chapter):
    assert seed_chapter.work_title == "Through the Well"
    assert seed_chapter.creator == "Miztikal-Dragon"


def test_seed_chapter_reads_spelled_out_chapter_number_and_title(seed_chapter):
    assert seed_chapter.chapter_number == 47
    assert seed_chapter.chapter_title == "To say our final goodbyes"


def test_seed_chapter_keeps_disclaimer_as_beginning_notes(seed_chapter):
    notes = paragraphs(seed_chapter.beginning_notes)
    assert len(notes) == 1
    assert notes[0].startswith("Don't own InuYasha")
    assert "Don't own InuYasha" not in seed_chapter.body


def test_seed_chapter_keeps_header_out_of_the_body(seed_chapter):
    first = paragraphs(seed_chapter.body)[0]
    assert "Through the Well" not in first
    assert "Miztikal-Dragon" not in seed_chapter.body
    assert "Forty-seven" not in seed_chapter.body


def test_seed_chapter_keeps_five_scene_breaks(seed_chapter):
    assert seed_chapter.body.count("<hr>") == 5
    assert "<hr><hr>" not in seed_chapter.body
    assert not seed_chapter.body.startswith("<hr>")
    assert not seed_chapter.body.endswith("<hr>")


def test_seed_chapter_keeps_the_letter_paragraphs_in_order(seed_chapter, seed_text):
    source = [part.strip() for part in seed_text.split("\n\n") if part.strip()]
    letter = source[source.index("Dear Inuyasha,") : source.index("Love, Kagome") + 1]
    body = paragraphs(seed_chapter.body)
    start = body.index("Dear Inuyasha,")
    assert len(letter) > 2
    assert body[start : start + len(letter)] == letter


def test_seed_chapter_body_ends_with_the_last_story_line(seed_chapter):
    assert paragraphs(seed_chapter.body)[-1].startswith('"Over hill, Over dale')


def test_seed_chapter_moves_to_be_continued_to_end_notes(seed_chapter):
    assert "To be Continued" in seed_chapter.end_notes
    assert "Continued" not in seed_chapter.body
    assert seed_chapter.in_progress is True


def test_seed_chapter_counts_the_words_of_the_body_only(seed_chapter):
    assert seed_chapter.word_count == pytest.approx(3964, rel=0.02)


def test_seed_chapter_explains_its_guesses(seed_chapter):
    guesses = seed_chapter.guesses
    assert 'Work title "Through the Well" from line 3.' in guesses
    assert any(
        guess.startswith("Chapter number 47 from the heading") for guess in guesses
    )
    assert (
        "Disclaimer before the title kept as the chapter's beginning notes." in guesses
    )
    assert "5 scene breaks." in guesses
    assert any("moved to the end notes" in guess for guess in guesses)


@pytest.mark.parametrize(
    ("heading", "number", "title"),
    [
        ("Chapter 12", 12, ""),
        ("Chapter 12: The Lake", 12, "The Lake"),
        ("Chapter Twelve: The Lake", 12, "The Lake"),
        ("Ch. 12 - The Lake", 12, "The Lake"),
        ("Ch 12", 12, ""),
        ("12. The Lake", 12, "The Lake"),
        ("XII. The Lake", 12, "The Lake"),
        ("Chapter XII", 12, ""),
        ("Part 3: The Lake", 3, "The Lake"),
        ("Chapter 4 – The Lake", 4, "The Lake"),
        ("Chapter 4 — The Lake.", 4, "The Lake"),
        ("~Chapter 5~", 5, ""),
        ("Forty-seven: The Lake.", 47, "The Lake"),
        ("Twenty one", 21, ""),
        ("twenty-one: The Lake", 21, "The Lake"),
        ("One hundred and one: The Lake", 101, "The Lake"),
        ("One Hundred One - The Lake", 101, "The Lake"),
        ("Nine hundred and ninety-nine: The Lake", 999, "The Lake"),
        ("Nine Hundred Ninety-Nine: The Lake", 999, "The Lake"),
    ],
)
def test_chapter_heading_gives_number_and_title(heading, number, title):
    chapter = read_text(f"Rain Over Hollow\n\n{heading}\n\n{STORY}")
    assert chapter.work_title == "Rain Over Hollow"
    assert (chapter.chapter_number, chapter.chapter_title) == (number, title)
    assert paragraphs(chapter.body) == STORY.split("\n\n")


@pytest.mark.parametrize(
    "opening",
    [
        "One day she walked to the shop and bought bread.",
        "Ten minutes later, the bell rang.",
        "Twenty-one candles burned on the cake.",
        "Ten. Nine. Eight. She counted down under her breath.",
        "I... I don't know what to say.",
        "Part one of the plan was simple.",
        "2014: the year it all began.",
    ],
)
def test_prose_opening_with_a_number_is_not_a_heading(opening):
    chapter = read_text(f"{opening}\n\n{STORY}")
    assert chapter.chapter_number is None
    assert chapter.work_title == ""
    assert paragraphs(chapter.body)[0] == opening


@pytest.mark.parametrize(
    "byline",
    ["By Ink Fox", "by Ink Fox", "Author: Ink Fox", "Written by Ink Fox"],
)
def test_byline_gives_the_creator(byline):
    chapter = read_text(f"Rain Over Hollow\n\n{byline}\n\nChapter 2\n\n{STORY}")
    assert chapter.creator == "Ink Fox"
    assert chapter.work_title == "Rain Over Hollow"
    assert chapter.chapter_number == 2
    assert chapter.beginning_notes == ""


def test_prose_starting_with_by_is_not_a_byline():
    chapter = read_text(f"By the river, she sat down and wept.\n\n{STORY}")
    assert chapter.creator == ""
    assert len(paragraphs(chapter.body)) == 3


def test_text_before_the_title_becomes_beginning_notes():
    chapter = read_text(
        f"Disclaimer: the moors belong to nobody.\n\nRain Over Hollow\n\n"
        f"Chapter 1\n\n{STORY}"
    )
    assert paragraphs(chapter.beginning_notes) == [
        "Disclaimer: the moors belong to nobody."
    ]
    assert chapter.work_title == "Rain Over Hollow"


def test_text_without_a_header_is_all_body():
    chapter = read_text(STORY)
    assert chapter.work_title == chapter.creator == chapter.chapter_title == ""
    assert chapter.chapter_number is None
    assert chapter.beginning_notes == chapter.end_notes == ""
    assert paragraphs(chapter.body) == STORY.split("\n\n")


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    chapter = read_text("Roses are red,\nviolets are blue.\n\nThe end of the poem.")
    assert chapter.body == (
        "<p>Roses are red,<br>violets are blue.</p><p>The end of the poem.</p>"
    )


def test_word_count_covers_the_body_only():
    chapter = read_text(
        f"Rain Over Hollow\n\nBy Ink Fox\n\nChapter 1: Wet\n\n{STORY}\n\nThe End"
    )
    assert chapter.word_count == 11


SAMPLE = "Café “quoted” — naïve\n\nSecond paragraph."


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),
        b"\xff\xfe" + SAMPLE.encode("utf-16-le"),
        b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-native-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_unicode_encodings_are_read_by_their_marks(data):
    assert decode_text(data) == SAMPLE
    chapter = import_chapter(data, "chapter.txt")
    assert paragraphs(chapter.body) == SAMPLE.split("\n\n")
    assert not any("Windows-1252" in guess for guess in chapter.guesses)


def test_text_that_is_not_utf8_is_read_as_windows_1252():
    text = "“Café,” she said — it’s late.\n\nShe left."
    data = text.encode("cp1252")
    assert decode_text(data) == text
    chapter = import_chapter(data, "chapter.txt")
    assert paragraphs(chapter.body)[0] == "“Café,” she said — it’s late."
    assert any("Windows-1252" in guess for guess in chapter.guesses)


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_are_normalised(line_end):
    text = "Roses are red,\nviolets are blue.\n\nIt was late."
    data = text.replace("\n", line_end).encode("utf-8")
    assert decode_text(data) == text
    chapter = import_chapter(data, "chapter.txt")
    assert (
        chapter.body == "<p>Roses are red,<br>violets are blue.</p><p>It was late.</p>"
    )


@pytest.mark.parametrize(
    "mark",
    ["***", "* * *", "~~~", "-x-", "o0o", "oOo", "###", "---", "<hr>", "xXx", "~*~"],
)
def test_scene_break_mark_becomes_one_rule(mark):
    chapter = read_text(f"The first scene.\n\n{mark}\n\nThe second scene.")
    assert chapter.body == "<p>The first scene.</p><hr><p>The second scene.</p>"
    assert "1 scene break." in chapter.guesses


def test_two_blank_lines_make_a_scene_break():
    chapter = read_text("The first scene.\n\n\nThe second scene.")
    assert chapter.body == "<p>The first scene.</p><hr><p>The second scene.</p>"


def test_scene_breaks_are_never_doubled_nor_at_the_edges():
    chapter = read_text(
        "***\n\nThe first scene.\n\n\n\n* * *\n\n\n~~~\n\nThe second scene.\n\n\n\n-x-"
    )
    assert chapter.body == "<p>The first scene.</p><hr><p>The second scene.</p>"


def test_double_spaced_text_keeps_its_paragraphs_apart_from_scene_breaks():
    scene = "\n\n\n".join(f"Paragraph {word} of the scene." for word in "abcdef")
    chapter = read_text(f"{scene}\n\n\n\n{scene}")
    assert chapter.body.count("<hr>") == 1
    assert len(paragraphs(chapter.body)) == 12


def test_text_without_blank_lines_takes_each_line_as_a_paragraph():
    chapter = read_text("She ran.\nHe followed.\nThe door slammed.")
    assert paragraphs(chapter.body) == ["She ran.", "He followed.", "The door slammed."]


@pytest.mark.parametrize(
    "closing", ["To be continued", "-To be Continued-", "TBC", "~To Be Continued...~"]
)
def test_to_be_continued_closing_marks_the_work_in_progress(closing):
    chapter = read_text(f"{STORY}\n\n{closing}")
    assert chapter.in_progress is True
    assert paragraphs(chapter.end_notes) == [closing]
    assert paragraphs(chapter.body) == STORY.split("\n\n")


def test_the_end_closing_goes_to_end_notes_without_marking_in_progress():
    chapter = read_text(f"{STORY}\n\nThe End")
    assert chapter.in_progress is False
    assert paragraphs(chapter.end_notes) == ["The End"]
    assert "The End" not in chapter.body
    assert '"The End" moved to the end notes.' in chapter.guesses


def test_author_note_after_the_closing_line_goes_to_end_notes():
    chapter = read_text(f"{STORY}\n\nTBC\n\nA/N: Thank you for reading!")
    assert paragraphs(chapter.end_notes) == ["TBC", "A/N: Thank you for reading!"]
    assert paragraphs(chapter.body) == STORY.split("\n\n")


def test_author_note_right_after_the_heading_joins_the_beginning_notes():
    chapter = read_text(f"Chapter 3\n\nA/N: Sorry for the wait!\n\n{STORY}")
    assert paragraphs(chapter.beginning_notes) == ["A/N: Sorry for the wait!"]
    assert paragraphs(chapter.body) == STORY.split("\n\n")


def test_plain_text_markup_is_shown_as_text():
    chapter = read_text('She typed <script>alert("hi")</script> and <b>laughed</b>.')
    assert "<script>" not in chapter.body
    assert "<b>" not in chapter.body
    assert paragraphs(chapter.body) == [
        'She typed <script>alert("hi")</script> and <b>laughed</b>.'
    ]


def test_markdown_keeps_emphasis_and_rules():
    chapter = read_text(
        "She was *very* late and **very** wet.\n\n***\n\nThe next day.\n\n---\n\nEnd.",
        "chapter.md",
    )
    assert "<em>very</em>" in chapter.body
    assert "<strong>very</strong>" in chapter.body
    assert chapter.body.count("<hr>") == 2


def test_markdown_header_gives_title_creator_and_heading():
    chapter = read_text(
        f"# Rain Over Hollow\n\nby Ink Fox\n\n## Chapter 3: Wet\n\n{STORY}",
        "chapter.markdown",
    )
    assert chapter.work_title == "Rain Over Hollow"
    assert chapter.creator == "Ink Fox"
    assert (chapter.chapter_number, chapter.chapter_title) == (3, "Wet")
    assert paragraphs(chapter.body) == STORY.split("\n\n")


HOSTILE = (
    '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a></p>'
    '<script>alert("x")</script><style>p { display: none }</style>'
    '<iframe src="https://evil.example/"></iframe>'
    '<img src="x" onerror="alert(1)"><img src="data:image/png;base64,AAAA">'
    '<p style="color: red">Goodbye.</p>'
)


@pytest.mark.parametrize("filename", ["chapter.html", "chapter.htm", "chapter.md"])
def test_hostile_markup_never_survives(filename):
    chapter = read_text(f"<html><body>{HOSTILE}</body></html>", filename)
    body = chapter.body.lower()
    for hostile in (
        "<script",
        "alert",
        "onclick",
        "onerror",
        "javascript:",
        "<iframe",
        "<style",
        "display",
        "style=",
        "data:",
    ):
        assert hostile not in body
    assert paragraphs(chapter.body)[-1] == "Goodbye."
    assert "there</a>" in chapter.body


def test_html_is_reduced_to_its_body():
    page = (
        "<!DOCTYPE html><html><head><title>Rain Over Hollow</title>"
        "<meta charset='utf-8'><style>body { color: red }</style>"
        "<script>track()</script></head>"
        "<body><p>She walked home.</p><p>It <i>rained</i>.</p></body></html>"
    )
    chapter = read_text(page, "chapter.html")
    assert chapter.body == "<p>She walked home.</p><p>It <i>rained</i>.</p>"
    assert chapter.work_title == "Rain Over Hollow"
    assert 'Work title "Rain Over Hollow" from the page title.' in chapter.guesses


def test_html_header_blocks_give_title_and_heading():
    page = (
        "<body><h1>Rain Over Hollow</h1><p>By Ink Fox</p>"
        "<h2>Chapter Two: Wet</h2><p>She walked home.</p>"
        "<p>* * *</p><p>It rained.</p><p>~TBC~</p></body>"
    )
    chapter = read_text(page, "chapter.html")
    assert (chapter.work_title, chapter.creator) == ("Rain Over Hollow", "Ink Fox")
    assert (chapter.chapter_number, chapter.chapter_title) == (2, "Wet")
    assert chapter.body == "<p>She walked home.</p><hr><p>It rained.</p>"
    assert chapter.in_progress is True


@pytest.mark.parametrize(
    "data",
    [
        b"Some text\x00with a NUL byte",
        b"\x89PNG\r\n\x1a\n" + b"picture",
        b"%PDF-1.7\nstream",
        b"PK\x03\x04" + b"word/document.xml",
        b"GIF89a",
        b"\xff\xd8\xff\xe0JFIF",
        bytes(range(1, 32)) * 20 + b"a few letters",
    ],
    ids=["nul", "png", "pdf", "zip", "gif", "jpeg", "control-characters"],
)
def test_binary_file_is_refused(data):
    with pytest.raises(ChapterFileError, match="looks like a binary file") as caught:
        import_chapter(data, "chapter.txt")
    assert ".txt, .md or .html" in str(caught.value)


@pytest.mark.parametrize(
    "data", [b"", b"   \n\n\t  \r\n", b"\xef\xbb\xbf \n", "  \n".encode("utf-16")]
)
def test_empty_file_is_refused(data):
    with pytest.raises(ChapterFileError, match="^The file is empty.$"):
        import_chapter(data, "chapter.txt")


def test_oversized_file_is_refused_with_the_limit_in_megabytes():
    with pytest.raises(ChapterFileError, match="MB") as caught:
        import_chapter(b"x" * (MAX_FILE_BYTES + 1), "chapter.txt")
    assert "up to 4 MB" in str(caught.value)


def test_file_over_a_smaller_limit_is_refused():
    with pytest.raises(ChapterFileError, match="MB"):
        import_chapter(STORY.encode("utf-8"), "chapter.txt", max_bytes=10)


@pytest.mark.parametrize(
    "filename", ["chapter.rtf", "chapter.pdf", "chapter", "chapter.txt.exe"]
)
def test_file_type_the_archive_does_not_read_is_refused(filename):
    with pytest.raises(ChapterFileError, match="not a file type the archive reads"):
        import_chapter(STORY.encode("utf-8"), filename)


@pytest.mark.parametrize(
    "extension", [ext for ext in ACCEPTED_EXTENSIONS if ext not in (".docx", ".odt")]
)
def test_accepted_extensions_are_read_in_any_case(extension):
    chapter = import_chapter(
        b"She walked home.", f"C:\\Fics\\Chapter{extension.upper()}"
    )
    assert paragraphs(chapter.body) == ["She walked home."]


def test_file_with_only_a_header_has_no_chapter_text():
    with pytest.raises(ChapterFileError, match="No chapter text found"):
        read_text("Rain Over Hollow\n\nBy Ink Fox\n\nChapter 1\n\n* * *")


def test_imported_chapter_is_a_plain_frozen_record():
    chapter = read_text(STORY)
    assert isinstance(chapter, ImportedChapter)
    with pytest.raises(AttributeError):
        chapter.body = ""


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("one", 1),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("nineteen", 19),
        ("twenty", 20),
        ("Twenty one", 21),
        ("twenty-one", 21),
        ("Forty-seven", 47),
        ("ninety-nine", 99),
        ("one hundred", 100),
        ("One hundred and one", 101),
        ("one hundred one", 101),
        ("two hundred and twelve", 212),
        ("seven hundred seventy-seven", 777),
        ("nine hundred and ninety-nine", 999),
        ("Nine Hundred Ninety-Nine", 999),
    ],
)
def test_number_words_are_parsed(words, number):
    assert parse_number_words(words) == number


def test_number_words_cover_one_to_nine_hundred_ninety_nine():
    units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"]
    teens += ["sixteen", "seventeen", "eighteen", "nineteen"]
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty"]
    tens += ["ninety"]
    below_hundred = (
        units
        + teens
        + [f"{ten}-{unit}" if unit else ten for ten in tens for unit in ["", *units]]
    )
    spelled = below_hundred + [
        f"{unit} hundred" + (f" and {rest}" if rest else "")
        for unit in units
        for rest in ["", *below_hundred]
    ]
    assert sorted(parse_number_words(words) for words in spelled) == list(
        range(1, 1000)
    )


@pytest.mark.parametrize(
    "words",
    ["", "XII", "12", "one one", "twenty twenty", "hundred", "and", "one and twenty",
     "one hundred and", "ninety-ten", "forty-seventh", "one day"],
)  # fmt: skip
def test_text_that_is_not_a_number_gives_none(words):
    assert parse_number_words(words) is None
