"""Atom feeds, for readers who follow a tag from a feed reader."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stories.listing import Criteria, Hidden, hidden_for, works_matching
from stories.models import Tag, Work

TAG_FEED_SIZE = 20


@dataclass(frozen=True)
class FeedSource:
    """The tag a feed follows and what its reader always hides."""

    tag: Tag
    hidden: Hidden


class TagFeed(Feed):
    """The newest posted works listed under one tag: /tags/<slug>/feed.atom."""

    feed_type = Atom1Feed
    description_template = "stories/_work_feed_entry.html"

    def get_object(self, request, slug):
        """Return the canonical tag whose works the feed lists, and the hidden.

        A feed reader has no session, so exclusions apply only when a signed-in
        reader opens the feed in their browser.
        """
        tag = get_object_or_404(Tag.objects.select_related("merger"), slug=slug)
        return FeedSource(tag=tag.merger or tag, hidden=hidden_for(request.user))

    def title(self, source):
        return _("%(tag)s – Fan Archive") % {"tag": source.tag.name}

    def subtitle(self, source):
        return _("The newest works listed under %(tag)s (%(kind)s).") % {
            "tag": source.tag.name,
            "kind": source.tag.get_kind_display(),
        }

    def link(self, source):
        return source.tag.get_absolute_url()

    def items(self, source):
        works = works_matching(
            Work.objects.posted(), Criteria(), base_tag=source.tag, hidden=source.hidden
        )
        return works.for_listing()[:TAG_FEED_SIZE]

    def get_context_data(self, **kwargs):
        """Give the entry template the work and the site's origin for its links."""
        request = kwargs["request"]
        return {
            "work": kwargs["item"],
            "origin": f"{request.scheme}://{kwargs['site'].domain}",
        }

    def item_title(self, work):
        # Atom titles are plain text that the feed generator escapes once; the
        # default double escaping is for RSS readers that render titles as HTML.
        return work.title

    def item_author_name(self, work):
        return work.credit

    def item_pubdate(self, work):
        return work.published_at

    def item_updateddate(self, work):
        return work.updated_at

    def item_categories(self, work):
        return [tagging.tag.name for tagging in work.tagged_items.all()]
