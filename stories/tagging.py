"""How tag names are read from and written to text inputs."""

import re

TAG_NAME_MAX_LENGTH = 150
SEPARATOR_RE = re.compile(r"[,，、]")


def parse_tag_names(text):
    """Return the tag names in comma-separated text, in order, without repeats.

    Only commas separate tags: "Harry Potter" is one tag, not two. Repeats are
    matched without regard to case, keeping the first spelling.
    """
    names = []
    seen = set()
    for raw in SEPARATOR_RE.split(text or ""):
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def join_tag_names(tags):
    """Return tags as the comma-separated text that parse_tag_names reads back."""
    return ", ".join(str(tag) for tag in tags)
