"""What the catalogue's tests share: reading feeds as an e-reader does, and
checking every feed they read against the OPDS 1.2 schema with Debian's jing.

Every feed read through `read_feed` is written to a folder and validated in
one jing run when the session ends (a JVM start costs about half a second);
test_schema.py validates its own set of feeds in a test of its own.
"""

import base64
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

SCHEMA = Path(__file__).parent / "schema" / "opds.rnc"
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NS = {"atom": ATOM, "dc": DC, "os": OPENSEARCH}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"


def jing(paths):
    """Validate these files against the OPDS schema in one run of jing."""
    return subprocess.run(
        ["jing", "-c", str(SCHEMA), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def basic(username, password):
    """Return the Authorization header an e-reader sends."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class Feed:
    """A feed document as read: its XML tree, with a few ways into it."""

    def __init__(self, response):
        self.response = response
        self.root = etree.fromstring(response.content)

    def xpath(self, path, node=None):
        return (self.root if node is None else node).xpath(path, namespaces=NS)

    @property
    def entries(self):
        return self.xpath("atom:entry")

    @property
    def titles(self):
        return [entry.findtext(f"{{{ATOM}}}title") for entry in self.entries]

    def link(self, rel, node=None):
        """Return the href of the link with this rel, or None."""
        found = self.xpath(f"atom:link[@rel='{rel}']/@href", node)
        return found[0] if found else None

    def entry(self, title):
        (found,) = [
            entry
            for entry in self.entries
            if entry.findtext(f"{{{ATOM}}}title") == title
        ]
        return found


@pytest.fixture(scope="session")
def feeds_kept(tmp_path_factory):
    """Keep every feed the tests read; validate them all with jing at the end."""
    folder = tmp_path_factory.mktemp("opds-feeds")
    kept = []

    def keep(name, content):
        path = (
            folder / f"{len(kept):04d}-{re.sub(r'[^A-Za-z0-9]+', '-', name)[:60]}.xml"
        )
        path.write_bytes(content)
        kept.append(path)
        return path

    yield keep
    if kept and shutil.which("jing") is not None:
        result = jing(kept)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def read_feed(client, feeds_kept, request):
    """Return a function that GETs a catalogue feed and reads it (kept for jing)."""

    def read(url, *, status=200, headers=None):
        response = client.get(url, headers=headers or {})
        assert response.status_code == status, response.content[:500]
        assert response["Content-Type"] in (NAVIGATION, ACQUISITION)
        feeds_kept(f"{request.node.name}-{url}", response.content)
        return Feed(response)

    return read
