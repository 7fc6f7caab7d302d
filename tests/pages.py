"""Reading pages as a reader sees them."""


def titles(response):
    """Return the titles of the works a listing shows, in order."""
    return [work.title for work in response.context["works"]]


def text(response):
    """Return the page with runs of white space folded, as a reader sees it."""
    return " ".join(response.content.decode().split())
