from django import template

from stories.downloads.addresses import FORMATS, download_url

register = template.Library()

LABELS = {"epub": "EPUB", "pdf": "PDF", "html": "HTML", "txt": "Text"}


@register.simple_tag
def download_links(work):
    """Return (label, address, media type) for each of a work's downloads."""
    return [(LABELS[ext], download_url(work, ext), FORMATS[ext]) for ext in FORMATS]
