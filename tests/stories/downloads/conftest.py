import pytest

from stories import services
from stories.models import Creatorship, CreatorshipStatus
from stories.series.services import series_create
from stories.text import ALLOWED_TAGS
from tests.factories import UserFactory, make_work

HOSTILE_BODY = (
    "<p>Before the storm <script>alert('stolen')</script>"
    '<b onclick="steal()">bold words</b> &lt;not a tag&gt; '
    '<img src="http://tracker.example/pixel.png" alt="a lantern"> '
    '<iframe src="http://evil.example/"></iframe></p>'
    "<p align=center>A centred line <em><p>nested paragraph</p></em></p>"
    '<ul>stray text<li>an item</li></ul><center><big>Big</big></center><a href="#x">'
    'a same-page link</a> <a href="/tags/">a relative link</a>'
    # What the sanitizer keeps and HTML5's content models refuse, for EPUBCheck.
    "<details>no summary<p>inside</p></details><figure><p>fig</p>"
    "<figcaption>caption</figcaption></figure><ruby>漢<rt>kan</rt></ruby>"
    "<table><tr><td>cell</td></tr></table><dl><p>loose</p><dt>t</dt><dd>d</dd></dl>"
    "<h1>A heading <div>with a block</div></h1><pre>pre <p>with a block</p></pre>"
    '<p lang="not a tag" dir="sideways">odd attributes</p><li>a lost item</li>'
    '<a href="http://a.example/">outer <a href="http://b.example/">inner</a></a>'
    '<span><blockquote>quote in a span</blockquote></span><p>a <a href="x y">'
    "spaced link</a> and <acronym>HTML</acronym></p>"
)
CJK_BODY = "<p>灯籠の番人は夜ごとに火を灯した。</p><p>她在桥下哼着一首老歌。</p>"


def random_markup(rng, depth=0):
    """Return markup of the sanitizer's allowed tags nested at random."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        if depth > 4 or rng.random() < 0.3:
            parts.append(rng.choice(["words", "more &amp; words", "灯"]))
            continue
        tag = rng.choice(sorted(ALLOWED_TAGS))
        attributes = " ".join(rng.sample(RANDOM_ATTRIBUTES, rng.randint(0, 2)))
        parts.append(f"<{tag} {attributes}>{random_markup(rng, depth + 1)}</{tag}>")
    return "".join(parts)


RANDOM_ATTRIBUTES = [
    'align="center"',
    'align="bogus"',
    'lang="fr"',
    'dir="rtl"',
    'title="t"',
    'href="/x"',
    'href="#y"',
    'src="http://images.example/a.png"',
    'alt="a"',
]


@pytest.fixture(autouse=True)
def downloads_dir(settings, tmp_path):
    """Keep each test's built files in a folder of its own."""
    settings.DOWNLOADS_DIR = tmp_path / "downloads"
    return settings.DOWNLOADS_DIR


@pytest.fixture
def rich_work(author):
    """A posted work with every part a download shows, and hostile markup."""
    co_creator = UserFactory(username="inkwell")
    work = make_work(
        owner=author,
        title='<Lanterns> & "Keepers"',
        characters=("Mira Vale",),
        relationships=("Mira Vale/Tobin Ash",),
        freeforms=("Slow Burn", "Found Family"),
        summary="<p>A keeper of lanterns finds a <em>stranger</em>.</p>",
        notes="<p>Work notes: thank you, beta reader.</p>",
        end_notes="<p>Work end notes: more soon.</p>",
    )
    services.chapter_create(
        work=work,
        text=services.ChapterText(
            body=HOSTILE_BODY,
            title="The Storm",
            notes="<p>Chapter notes before the storm.</p>",
            end_notes="<p>Chapter end notes after the storm.</p>",
        ),
    )
    services.chapter_create(
        work=work, text=services.ChapterText(body=CJK_BODY, title="灯籠")
    )
    Creatorship.objects.create(
        work=work, user=co_creator, status=CreatorshipStatus.ACCEPTED, position=1
    )
    prequel = make_work(owner=author, title="Prequel")
    series_create(owner=author, title="The Lantern Cycle", works=[prequel, work])
    work.refresh_from_db()
    return work
