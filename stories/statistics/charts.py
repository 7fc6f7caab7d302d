"""Charts of an author's series, drawn by pygal as SVG on the server.

A chart is served on its own address and shown with <img>, so the page needs
no script and no inline style. pygal writes its look as one <style> element
in the SVG, a <script> with its configuration and a hidden tooltip with a
style="" attribute: the scripts and the tooltip (which only its script
shows) are taken out, and the response's Content-Security-Policy allows the
one <style> left by its hash, so the chart also draws under the policy when
opened on its own.
"""

import base64
import hashlib

import pygal
from django.utils.formats import date_format
from lxml import etree
from pygal.style import Style

from stories.statistics.queries import Period, Point

SVG = "{http://www.w3.org/2000/svg}"
# The archive's ink and accent on white; the font the site uses.
CHART_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#222222",
    foreground_strong="#111111",
    foreground_subtle="#666666",
    colors=("#8a1c1c",),
    font_family="Georgia, 'Noto Serif', serif",
    label_font_size=12,
    major_label_font_size=12,
    title_font_size=16,
    # Bars of the accent at 3:1 and more against white (WCAG 1.4.11).
    opacity=".9",
    opacity_hover="1",
)
WIDTH = 720
HEIGHT = 320
# At most this many dates are written under the bars; the table has them all.
LABELS_SHOWN = 8
# About this many steps up the value axis.
TICKS = 5


def whole_ticks(highest: int) -> list[int]:
    """Return at most TICKS + 1 whole numbers from 0 past highest, evenly
    spaced: there is no half a kudos to mark on the axis."""
    step = 1
    while highest / step > TICKS:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if highest / step <= TICKS:
                break
    top = max(step, -(-highest // step) * step)
    return list(range(0, top + 1, step))


def label_of(start, period: Period) -> str:
    """Return how a period's start is written under its bar."""
    return date_format(start, "M Y" if period.name == "month" else "j M")


def chart_svg(
    *, title: str, points: list[Point], period: Period
) -> tuple[bytes, list[str]]:
    """Return a series as a bar chart in SVG, and the CSP sources of its styles."""
    chart = pygal.Bar(
        style=CHART_STYLE,
        width=WIDTH,
        height=HEIGHT,
        show_legend=False,
        js=[],
        # width and height on the <svg>: an <img> of it knows its size.
        explicit_size=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, -(-len(points) // LABELS_SHOWN)),
        truncate_label=-1,
        print_values=False,
        value_formatter=lambda value: f"{value:,.0f}",
        show_y_guides=True,
        margin=16,
    )
    ticks = whole_ticks(max((point.value for point in points), default=0))
    chart.range = (0, ticks[-1])
    chart.y_labels = ticks
    chart.x_labels = [label_of(point.start, period) for point in points]
    chart.add(title, [point.value for point in points])
    return clean(chart.render(), title=title)


def clean(svg: bytes, *, title: str) -> tuple[bytes, list[str]]:
    """Return pygal's SVG titled, without scripts, comments or style
    attributes, and the CSP sources ('sha256-...') of its <style> elements."""
    root = etree.fromstring(svg)
    for element in root.findall(f"{SVG}title"):
        element.text = title
    for script in list(root.iter(f"{SVG}script")):
        script.getparent().remove(script)
    for comment in root.xpath("//comment()"):
        comment.getparent().remove(comment)
    for tooltip in root.xpath("//*[@style]"):
        tooltip.getparent().remove(tooltip)
    sources = [
        f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"
        for text in (style.text or "" for style in root.iter(f"{SVG}style"))
    ]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), sources
