"""Where a work's downloads live: `/downloads/<id>/<ascii title>.<ext>`, as on AO3."""

import re
import unicodedata

from django.urls import reverse

# Extension -> media type, in the order the work page offers them.
FORMATS = {
    "epub": "application/epub+zip",
    "pdf": "application/pdf",
    "html": "text/html",
    "txt": "text/plain",
}

FILE_NAME_MAX_LENGTH = 60


def file_name(title):
    """The title in ASCII letters, digits and underscores, as AO3 names its files."""
    ascii_title = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    )
    words = re.sub(r"[^A-Za-z0-9]+", "_", ascii_title).strip("_")
    return words[:FILE_NAME_MAX_LENGTH].rstrip("_") or "Work"


def download_url(work, ext):
    """The address of one of `work`'s downloads; `ext` is a key of FORMATS."""
    return reverse(
        "downloads:download",
        kwargs={"pk": work.pk, "name": file_name(work.title), "ext": ext},
    )
