"""What the accessibility tests share: axe-core's run with the WCAG 2.2 AA rules,
a readable report of what it found, and the contrast of the focus indicator."""

from axe_playwright_python.sync_playwright import Axe

# The rules issue 11 names: WCAG 2.0/2.1/2.2 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    # Passed rules are only counted; their nodes would cost time for nothing.
    "resultTypes": ["violations"],
}

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}

_axe = Axe()


def axe_run(page):
    """Return axe-core's results (a dict) for the page as it is now."""
    return _axe.run(page, options=AXE_OPTIONS).response


def axe_counts(results):
    """Return (rules checked, violations, elements in violation) of one run."""
    checked = sum(
        len(results[kind])
        for kind in ("passes", "violations", "incomplete")
        if kind in results
    )
    nodes = sum(len(violation["nodes"]) for violation in results["violations"])
    return checked, len(results["violations"]), nodes


def axe_report(where, results):
    """Return one line a violation and one an element: rule id, target, help."""
    lines = []
    for violation in results["violations"]:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): "
            f"{violation['help']} <{violation['helpUrl'].split('?')[0]}>"
        )
        for node in violation["nodes"][:8]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {target}  {summary[:200]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


# The focused element's indicator and the colour it is drawn against, read from
# computed styles: the outline (or a box-shadow ring) and the first background
# that is not transparent, walking up from the element (outline-offset draws
# the outline outside the element, so its parent's background when offset).
FOCUS_STYLE_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const backgroundOf = (start) => {
    for (let node = start; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg[3] > 0) return bg;
    }
    return [255, 255, 255, 1];
  };
  const style = getComputedStyle(el);
  const offset = parseFloat(style.outlineOffset) || 0;
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none" ? style.boxShadow : "";
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute("aria-label") || el.id || "")
      .trim().slice(0, 40),
    outline: outlined ? parse(style.outlineColor) : null,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    shadow: shadow ? parse(shadow) : null,
    inside: backgroundOf(el),
    around: backgroundOf(offset > 0 ? el.parentElement : el),
  };
}
"""


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    """WCAG's contrast ratio of two opaque colours, 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_problem(page):
    """Return why the focused element's indicator fails (None when it passes):
    no outline or ring, or one below 3:1 against the background it is drawn on."""
    focus = page.evaluate(FOCUS_STYLE_JS)
    if focus is None:
        return None
    name = f"<{focus['tag']}> {focus['text']!r}"
    ring = focus["outline"] or focus["shadow"]
    if ring is None:
        return f"{name}: no focus outline or box-shadow"
    background = focus["around"] if focus["outline"] else focus["inside"]
    ratio = contrast(ring, background)
    if ratio < 3:
        return f"{name}: focus ring {ring[:3]} on {background[:3]} is {ratio:.2f}:1"
    return None
