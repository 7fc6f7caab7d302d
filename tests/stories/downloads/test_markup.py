"""Sanitized chapter HTML made portable: valid XHTML content, absolute links, text."""

import pytest
from lxml import etree

from stories.downloads.markup import Fragment

BASE = "https://archive.example/works/1/chapters/2"


def xhtml(markup):
    return Fragment(markup, base_url=BASE).xhtml()


def test_obsolete_elements_and_align_become_html5_with_classes():
    assert xhtml("<center><big>Big</big> <tt>t</tt> <strike>s</strike></center>") == (
        '<div class="center"><span class="big">Big</span> '
        '<span class="tt">t</span> <s>s</s></div>'
    )
    assert xhtml('<p align="right">r</p>') == '<p class="align-right">r</p>'


def test_a_phrasing_element_holding_blocks_becomes_a_div():
    # The sanitizer keeps <em><div>...</div></em>; HTML5's content model does not.
    assert xhtml("<em><div>a</div></em>") == '<div class="em"><div>a</div></div>'


def test_stray_list_content_is_wrapped_in_items():
    assert xhtml("<ul>loose<li>kept</li><p>para</p></ul>") == (
        "<ul><li>loose</li><li>kept</li><li><p>para</p></li></ul>"
    )
    assert (
        xhtml("<dl><p>x</p><dt>t</dt></dl>")
        == "<dl><dt/><dd><p>x</p></dd><dt>t</dt><dd/></dl>"
    )


def test_links_are_made_absolute_and_same_page_links_unlinked():
    assert xhtml('<a href="/tags/x">t</a><a href="#top">u</a>') == (
        '<a href="https://archive.example/tags/x">t</a><a>u</a>'
    )


def test_images_become_links_to_them():
    assert xhtml('<img src="http://img.example/a b.png" alt="A cat">') == (
        '<a href="http://img.example/a%20b.png" class="image">[Image: A cat]</a>'
    )


def test_bad_language_and_direction_attributes_are_dropped():
    assert xhtml('<p lang="not a tag" dir="sideways">x</p>') == "<p>x</p>"
    assert xhtml('<p lang="ja" dir="RTL">x</p>') == '<p lang="ja" dir="rtl">x</p>'


@pytest.mark.parametrize(
    "markup",
    [
        "<p>x<script>alert(1)</script></p>",
        "text &amp; <b>bold</b> &lt;b&gt;",
        "<table><td>cell</td></table>",
        "<p>\x0bcontrol\x1f</p>",
        "<details><p>no summary</p></details>",
        "<details>before<summary>s</summary>after</details>",
        "<dfn>a <dfn>b</dfn></dfn>",
        "<ruby>no annotation <p>block</p></ruby>",
    ],
)
def test_every_fragment_is_well_formed_xml_without_scripts(markup):
    out = xhtml(markup)
    etree.fromstring(f"<div>{out}</div>")
    assert "<script" not in out


def test_text_separates_paragraphs_by_blank_lines():
    fragment = Fragment(
        "<p>One <em>two</em></p><p>Three<br>four</p><hr><ul><li>a</li></ul>",
        base_url=BASE,
    )
    assert fragment.text() == "One two\n\nThree\nfour\n\n* * *\n\n- a"
