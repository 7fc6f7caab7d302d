"""The dark theme of static/css/reader.css, read as a browser would: every
text on every background it can meet at WCAG AA contrast (4.5:1), the focus
ring and the borders of form fields at 3:1 (WCAG 2.2, 1.4.11 and 2.4.13)."""

import re

import pytest
from django.conf import settings

TEXTS_ON_BACKGROUNDS = {
    # Text anywhere: the page, cards and form fields, panels (filters, meta).
    ("ink", "paper"),
    ("ink", "surface"),
    ("ink", "panel"),
    ("muted", "paper"),
    ("muted", "surface"),
    ("muted", "panel"),
    ("link", "paper"),
    ("link", "surface"),
    ("link", "panel"),
    ("accent", "paper"),
    ("accent", "surface"),
    ("accent", "panel"),
    # Messages, notices, errors, the reader's place and the import's guesses.
    ("ink", "message-bg"),
    ("link", "message-bg"),
    ("ink", "accent-soft"),
    ("link", "accent-soft"),
    ("accent", "accent-soft"),
    ("ink", "notice-bg"),
    ("link", "notice-bg"),
    ("notice-ink", "notice-bg"),
    ("ink", "info-bg"),
    ("link", "info-bg"),
    ("muted", "info-bg"),
    # Rating and status badges, buttons, the header.
    ("ink", "rating-explicit"),
    ("ink", "rating-mature"),
    ("ink", "rating-teen"),
    ("ink", "rating-general"),
    ("rec-ink", "rec-bg"),
    ("private-ink", "private-bg"),
    ("on-ink", "ink"),
    ("on-header", "header"),
}
FOCUS_BACKGROUNDS = [
    "paper",
    "surface",
    "panel",
    "header",
    "message-bg",
    "accent-soft",
    "notice-bg",
    "info-bg",
]


def stylesheet():
    return (settings.BASE_DIR / "static/css/reader.css").read_text()


def declarations(block):
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", block))


def dark_blocks():
    css = stylesheet()
    chosen = re.search(r"html\.pref-theme-dark \{([^}]*)\}", css).group(1)
    device = re.search(
        r"@media \(prefers-color-scheme: dark\) \{"
        r"\s*html\.pref-theme-system \{([^}]*)\}",
        css,
    ).group(1)
    return declarations(chosen), declarations(device)


def luminance(colour):
    colour = colour.strip().lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted([luminance(first), luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_chosen_dark_theme_and_the_devices_are_the_same():
    chosen, device = dark_blocks()
    assert chosen == device


@pytest.mark.parametrize(("text", "background"), sorted(TEXTS_ON_BACKGROUNDS))
def test_dark_text_has_aa_contrast(text, background):
    colours, _ = dark_blocks()
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}"


@pytest.mark.parametrize("background", FOCUS_BACKGROUNDS)
def test_the_dark_focus_ring_stands_out_on_every_background(background):
    colours, _ = dark_blocks()
    ratio = contrast(colours["focus"], colours[background])
    assert ratio >= 3, f"focus on {background}: {ratio:.2f}"


@pytest.mark.parametrize("background", ["paper", "surface", "panel"])
def test_dark_form_fields_are_outlined_at_three_to_one(background):
    colours, _ = dark_blocks()
    assert contrast(colours["field-line"], colours[background]) >= 3


def test_every_colour_the_rules_name_has_a_dark_value():
    css = stylesheet()
    named = set(re.findall(r"var\(--([\w-]+)\)", css))
    colours, _ = dark_blocks()
    not_colours = {"reading-font", "reading-size", "reading-width"}
    assert named - not_colours <= set(colours)
