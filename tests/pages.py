"""Pages as readers see them, and the forms staff send."""

import re
from html import unescape

from lxml import html

# h3 on listings; h4.heading on a series page, where AO3's tools read it.
BLURB_TITLE = re.compile(
    r'<h[34] class="blurb-title(?: heading)?"[^>]*>\s*<a href="[^"]*">([^<]*)</a>'
)


def titles(response):
    """Return the titles of the works a listing shows, in order."""
    return [unescape(title) for title in BLURB_TITLE.findall(response.content.decode())]


def text(response):
    """Return the page with runs of white space folded, as a reader sees it."""
    return " ".join(response.content.decode().split())


def words(response):
    """Return the page's words without its markup, as a reader reads them."""
    return " ".join(
        unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()
    )


def page_of(client, url):
    """Return the page at url, which must answer 200, parsed by lxml for
    CSS selectors (as AO3's tools select from it)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content)


def element_text(element):
    """Return an element's text with runs of white space folded."""
    return " ".join(element.text_content().split())


def admin_work_form(work, **fields):
    """Return the POST data of a work's change form as it stands, with changes."""
    chapters = list(work.chapters.all())
    data = {
        "owner": work.owner_id,
        "title": work.title,
        "creator_credit": work.creator_credit,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "status": work.status,
        "rating": work.rating,
        "language": work.language,
        "expected_chapters": work.expected_chapters or "",
        "chapters-TOTAL_FORMS": len(chapters),
        "chapters-INITIAL_FORMS": len(chapters),
        "chapters-MIN_NUM_FORMS": 0,
        "chapters-MAX_NUM_FORMS": 1000,
    }
    for index, chapter in enumerate(chapters):
        data[f"chapters-{index}-id"] = chapter.pk
        data[f"chapters-{index}-work"] = work.pk
    creatorships = list(work.creatorships.order_by("position", "id"))
    data.update(
        {
            "creatorships-TOTAL_FORMS": len(creatorships),
            "creatorships-INITIAL_FORMS": len(creatorships),
            "creatorships-MIN_NUM_FORMS": 0,
            "creatorships-MAX_NUM_FORMS": 1000,
        }
    )
    for index, creatorship in enumerate(creatorships):
        data[f"creatorships-{index}-id"] = creatorship.pk
        data[f"creatorships-{index}-work"] = work.pk
    return {**data, **fields}
