"""Made-up names and prose for synthetic archives, from small word lists.

Every function takes a random.Random, so a seed always gives the same text.
Nothing here is taken from real fiction: sentences are filled-in templates.
"""

import random

NOUNS = (
    "light", "harbour", "lantern", "river", "winter", "garden", "storm", "shadow",
    "tide", "crown", "letter", "promise", "window", "morning", "silence", "orchard",
    "bridge", "thread", "compass", "island", "mirror", "feather", "candle", "ocean",
    "forest", "station", "signal", "echo", "anchor", "ribbon", "meadow", "ghost",
    "dream", "kingdom", "stranger", "road", "season", "summer", "autumn", "frost",
    "ember", "map", "song", "house", "door", "star", "field", "city", "boat", "key",
    "wolf", "sparrow", "rain", "salt", "glass", "clock", "tower", "shore", "name",
    "heart",
)  # fmt: skip
ADJECTIVES = (
    "quiet", "last", "golden", "broken", "little", "silver", "long", "hidden",
    "gentle", "wild", "burning", "distant", "hollow", "bright", "northern", "secret",
    "falling", "small", "second", "lonely", "velvet", "iron", "borrowed", "brave",
    "careful", "familiar", "cold", "early", "empty", "restless",
)  # fmt: skip
VERBS = (
    "kept", "carried", "remembered", "found", "lost", "burned", "built", "left",
    "followed", "folded", "watched", "crossed", "mended", "answered", "held",
    "waited for", "forgot", "noticed", "opened", "closed", "gathered", "counted",
    "painted", "traded", "buried", "named",
)  # fmt: skip
ADVERBS = (
    "slowly", "quietly", "again", "carefully", "at last", "anyway", "softly",
    "twice", "together", "alone", "without a word", "before dawn",
)  # fmt: skip
PREPOSITIONS = (
    "across", "under", "beside", "behind", "through", "toward", "over", "near",
    "past", "into", "along", "beyond",
)  # fmt: skip
SUBJECTS = (
    "She", "He", "They", "The old keeper", "Nobody", "Everyone", "The captain",
    "Her brother", "His mother", "The stranger", "The youngest of them", "I",
)  # fmt: skip
SAID = ("said", "asked", "whispered", "called", "muttered", "admitted")
LINES = (
    "You came back", "It is only rain", "We should go", "Stay a little longer",
    "I never asked you to", "Tell me the truth", "Not tonight", "Look at the sky",
    "Where did you find it", "That was not the plan", "Hold this for me",
    "I kept it for you", "Nobody has to know", "Do you remember the bridge",
)  # fmt: skip
COMMENT_LINES = (
    "I love this so much", "This chapter broke my heart", "Oh no, the ending",
    "Can't wait for the next chapter", "The description of the harbour is lovely",
    "I reread this every winter", "Thank you for writing this",
    "That last line made me gasp", "Their friendship is everything",
    "Please tell me they are going to be okay", "This is my comfort fic",
    "Kudos forever", "The pacing here is perfect", "I screamed",
)  # fmt: skip
NAME_ONSETS = (
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t",
    "v", "w", "z", "br", "ch", "cl", "dr", "fl", "gr", "kr", "sh", "st", "th", "tr",
    "el", "al", "or",
)  # fmt: skip
NAME_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y", "ae", "ie")
NAME_CODAS = (
    "", "n", "r", "s", "l", "th", "x", "nd", "ra", "na", "ric", "wen", "lyn", "mir",
    "dan", "sa", "ko", "to",
)  # fmt: skip
MEDIA = (
    "(TV)", "(Video Games)", "(Anime)", "(Comics)", "(Movies)", "(Podcast)",
    "(Cartoon)", "(Web Series)",
)  # fmt: skip
TROPES = (
    "Angst", "Fluff", "Hurt/Comfort", "Slow Burn", "Found Family", "Friendship",
    "Alternate Universe - Modern Setting", "Romance", "Humor", "Canon Compliant",
    "Enemies to Lovers", "Friends to Lovers", "Established Relationship",
    "Post-Canon", "Pre-Canon", "Character Study", "Drabble", "Whump",
    "Alternate Universe - Canon Divergence", "Fix-It", "Emotional Hurt/Comfort",
    "Pining", "Mutual Pining", "Happy Ending", "Sad Ending", "Domestic Fluff",
    "Missing Scene", "Time Travel", "Getting Together", "Protective Siblings",
    "Slice of Life", "Hospitals", "Road Trips", "Banter", "Worldbuilding",
    "Fake Dating", "Soulmates", "Mystery", "Ghosts", "Letters", "Nightmares",
    "Recovery", "Grief/Mourning", "Holidays", "Coffee Shops", "Rivals to Lovers",
)  # fmt: skip


def pick(rng: random.Random, words: tuple[str, ...]) -> str:
    """Return one of the words, earlier ones more often (a rough Zipf)."""
    return words[int(len(words) * rng.random() ** 2)]


def person_name(rng: random.Random) -> str:
    """Return an invented given name and family name."""
    return f"{_syllables(rng)} {_syllables(rng)}"


def handle(rng: random.Random) -> str:
    """Return an invented account name such as quietlantern4821."""
    return f"{pick(rng, ADJECTIVES)}{pick(rng, NOUNS)}{rng.randrange(10_000)}"


def title(rng: random.Random) -> str:
    """Return an invented work title."""
    noun, other, adjective = pick(rng, NOUNS), pick(rng, NOUNS), pick(rng, ADJECTIVES)
    form = rng.randrange(7)
    if form == 0:
        text = f"the {adjective} {noun}"
    elif form == 1:
        text = f"{noun}s of the {other}"
    elif form == 2:
        text = f"what the {noun} {pick(rng, VERBS)}"
    elif form == 3:
        text = f"{noun} and {other}"
    elif form == 4:
        article = "an" if noun[0] in "aeiou" else "a"
        text = f"{article} {noun} for the {adjective} {other}"
    elif form == 5:
        text = f"{pick(rng, PREPOSITIONS)} the {adjective} {noun}"
    else:
        text = f"{adjective} {noun}s"
    return _title_case(text)


def fandom_name(rng: random.Random) -> str:
    """Return an invented fandom: a show, game or book series."""
    form = rng.randrange(3)
    base = _title_case(f"{pick(rng, ADJECTIVES)} {pick(rng, NOUNS)}")
    if form == 0:
        return f"{base} {rng.choice(MEDIA)}"
    if form == 1:
        return f"{base} Series - {_syllables(rng)} {_syllables(rng)}"
    return f"The {base} {rng.choice(MEDIA)}"


def freeform_name(rng: random.Random, rank: int) -> str:
    """Return an additional tag; the most used ones are common tropes."""
    if rank < len(TROPES):
        return TROPES[rank]
    noun, adjective = pick(rng, NOUNS), pick(rng, ADJECTIVES)
    form = rng.randrange(4)
    if form == 0:
        return _title_case(f"{adjective} {noun}")
    if form == 1:
        return f"Alternate Universe - {_title_case(f'{adjective} {noun}')}"
    if form == 2:
        return f"{_syllables(rng)}'s {_title_case(noun)}"
    return f"{_title_case(noun)} {_syllables(rng)}"


def sentence(rng: random.Random) -> str:
    """Return one sentence of made-up prose."""
    form = rng.randrange(6)
    noun, other = pick(rng, NOUNS), pick(rng, NOUNS)
    adjective, verb, adverb = (
        pick(rng, ADJECTIVES),
        pick(rng, VERBS),
        pick(rng, ADVERBS),
    )
    if form == 0:
        return (
            f"The {adjective} {noun} {verb} the {other} {pick(rng, PREPOSITIONS)} "
            f"the {pick(rng, NOUNS)}."
        )
    if form == 1:
        return f"{rng.choice(SUBJECTS)} {verb} the {noun} and waited {adverb}."
    if form == 2:
        speaker = rng.choice(SUBJECTS)
        speaker = speaker if speaker == "I" else speaker[0].lower() + speaker[1:]
        return f"“{rng.choice(LINES)},” {speaker} {rng.choice(SAID)}."
    if form == 3:
        return (
            f"{rng.choice(SUBJECTS)} {verb} the {adjective} {noun}, and the {other} "
            f"{pick(rng, VERBS)} it {adverb}."
        )
    if form == 4:
        return f"There was a {noun} {pick(rng, PREPOSITIONS)} the {adjective} {other}."
    return f"{rng.choice(SUBJECTS)} {pick(rng, VERBS)} nothing {adverb}."


def paragraph(rng: random.Random, sentences: int = 0) -> str:
    """Return a paragraph of three to seven sentences (or as many as asked)."""
    count = sentences or rng.randint(3, 7)
    return " ".join(sentence(rng) for _ in range(count))


def chapter_html(rng: random.Random, words: int) -> str:
    """Return a chapter body of paragraphs, about this many words long."""
    paragraphs, written = [], 0
    while written < words:
        text = paragraph(rng)
        paragraphs.append(f"<p>{text}</p>")
        written += len(text.split())
    return "".join(paragraphs)


def comment_html(rng: random.Random) -> str:
    """Return a short reader's comment."""
    lines = rng.sample(COMMENT_LINES, rng.randint(1, 3))
    return f"<p>{'! '.join(lines)}!</p>"


def _syllables(rng: random.Random) -> str:
    parts = [rng.choice(NAME_ONSETS) + rng.choice(NAME_VOWELS)]
    parts.extend(
        rng.choice(NAME_ONSETS) + rng.choice(NAME_VOWELS)
        for _ in range(rng.randint(0, 1))
    )
    return ("".join(parts) + rng.choice(NAME_CODAS)).capitalize()


def _title_case(text: str) -> str:
    small = {"a", "and", "of", "the", "for"}
    words = text.split()
    return " ".join(
        word if i and word in small else word[:1].upper() + word[1:]
        for i, word in enumerate(words)
    )
