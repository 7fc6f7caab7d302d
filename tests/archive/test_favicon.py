"""The site's icon: an SVG every page links, and /favicon.ico answered."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from lxml import etree

pytestmark = pytest.mark.django_db


def test_every_page_links_the_icon(client):
    page = client.get(reverse("stories:home")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}"' in page


def test_favicon_ico_is_sent_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")


def test_the_icon_is_a_small_svg_that_needs_nothing_else():
    path = finders.find("favicon.svg")
    assert path is not None
    tree = etree.parse(path)
    assert tree.getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert tree.getroot().get("viewBox") == "0 0 32 32"
    text = Path(path).read_text()
    # No scripts, no outside references (the CSP allows the site's own only).
    assert "<script" not in text and "href" not in text
    assert len(text.encode()) < 2048
