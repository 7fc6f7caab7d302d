"""OPDS 1.2 documents: Atom feeds of navigation and acquisition, and the
OpenSearch description, written with lxml so that every text is escaped once
and rightly, whatever an author put in a title, a name or a summary."""

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from lxml.builder import ElementMaker

from stories.downloads.addresses import FORMATS, download_url
from stories.text import html_to_text

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
SEARCH_DESCRIPTION = "application/opensearchdescription+xml"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
SORT_NEW = "http://opds-spec.org/sort/new"
# The downloads an entry offers, in the order e-readers prefer them.
ACQUIRED_AS = ("epub", "pdf")
SITE_NAME = "Fan Archive"

atom = ElementMaker(namespace=ATOM, nsmap={None: ATOM, "dc": DC, "opds": OPDS})
dc = ElementMaker(namespace=DC, nsmap={"dc": DC})

# What XML 1.0 cannot carry at all; forms refuse most of it, old rows may not.
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """Return text that XML can carry: characters it forbids are left out."""
    return NOT_XML_RE.sub("", str(value))


def rfc3339(moment):
    """Return a date as Atom writes it."""
    return (moment or timezone.now()).isoformat()


@dataclass(frozen=True)
class Link:
    """A link of a feed or an entry."""

    rel: str
    href: str
    type: str
    title: str = ""

    def element(self):
        attributes = {"rel": self.rel, "href": self.href, "type": self.type}
        if self.title:
            attributes["title"] = xml_text(self.title)
        return atom.link(**attributes)


def work_entry(work, origin):
    """Return an acquisition entry for a work, as XML text.

    work is loaded for a listing (owner, creators, tags); origin is the
    scheme and host every link starts with.
    """
    work_url = origin + work.get_absolute_url()
    entry = atom.entry(
        atom.title(xml_text(work.title)),
        atom.id(work_url),
        atom.updated(rfc3339(work.updated_at)),
    )
    if work.published_at:
        entry.append(atom.published(rfc3339(work.published_at)))
    if work.is_archived_for_someone:
        entry.append(atom.author(atom.name(xml_text(work.creator_credit))))
    for pseud in work.credited_pseuds:
        person = atom.author if not work.is_archived_for_someone else atom.contributor
        entry.append(
            person(
                atom.name(xml_text(pseud.byline)),
                atom.uri(origin + pseud.get_absolute_url()),
            )
        )
    entry.append(dc.language(work.language))
    entry.append(
        atom.category(
            term=xml_text(work.get_rating_display()),
            label=xml_text(work.get_rating_display()),
        )
    )
    for _kind, tags in work.tag_sections:
        for tag in tags:
            name = xml_text(tag.name)
            entry.append(atom.category(term=name, label=name))
    if work.summary:
        entry.append(atom.summary(xml_text(html_to_text(work.summary).strip())))
    content = render_to_string("opds/_work_content.html", {"work": work})
    entry.append(atom.content(xml_text(content.strip()), type="html"))
    entry.append(Link("alternate", work_url, "text/html", work.title).element())
    for ext in ACQUIRED_AS:
        link = Link(OPEN_ACCESS, origin + download_url(work, ext), FORMATS[ext])
        entry.append(link.element())
    return etree.tostring(entry, encoding="unicode")


def navigation_entry(*, href, title, content, rel="subsection", kind=NAVIGATION):
    """Return a navigation entry leading to another feed."""
    return atom.entry(
        atom.title(xml_text(title)),
        atom.id(href),
        atom.updated(rfc3339(None)),
        atom.content(xml_text(content), type="text"),
        Link(rel, href, kind).element(),
    )


def feed(*, feed_id, title, links, entries, origin, subtitle=""):
    """Return a feed document as bytes.

    entries are entry elements, or entries as XML text (kept in the cache).
    """
    document = atom.feed(
        atom.id(feed_id),
        atom.title(xml_text(title)),
        atom.updated(rfc3339(None)),
        atom.author(atom.name(SITE_NAME), atom.uri(origin + "/")),
    )
    if subtitle:
        document.append(atom.subtitle(xml_text(subtitle)))
    for link in links:
        document.append(link.element())
    for entry in entries:
        document.append(etree.fromstring(entry) if isinstance(entry, str) else entry)
    etree.cleanup_namespaces(document, top_nsmap={None: ATOM, "dc": DC, "opds": OPDS})
    return etree.tostring(document, encoding="utf-8", xml_declaration=True)


def search_description(*, template, html_template):
    """Return the OpenSearch description of the catalogue's search, as bytes.

    template is the acquisition feed's address with {searchTerms} in it.
    """
    search = ElementMaker(namespace=OPENSEARCH, nsmap={None: OPENSEARCH})
    document = search.OpenSearchDescription(
        search.ShortName(SITE_NAME),
        search.Description(_("Search the works of the %(site)s") % {"site": SITE_NAME}),
        search.InputEncoding("UTF-8"),
        search.OutputEncoding("UTF-8"),
        search.Url(type=ACQUISITION, template=template),
        search.Url(type="text/html", template=html_template),
    )
    return etree.tostring(document, encoding="utf-8", xml_declaration=True)
