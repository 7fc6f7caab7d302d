"""The writing editor on the posting pages: django-prose-editor's ProseMirror.

The editor is a textarea that static/js/writing-editor.js turns into a
ProseMirror editor writing HTML back into the textarea; the server reads the
textarea as always (stories.text.format_typed_text, then the one sanitizer).
Without JavaScript the textarea is all there is, and posts the same.

The package's own widget loads its modules through an inline import map and
lets Tiptap inject a <style> element, both refused by the site's
Content-Security-Policy: the widget here loads the package's bundle from a
module file of the site's and gives Tiptap's few rules in a stylesheet.
"""

from html.parser import HTMLParser

from django import forms

# What the editor keeps: paragraphs, emphasis, scene breaks, links, quotes, lists.
EDITOR_TAGS = frozenset(
    {"p", "br", "em", "i", "strong", "b", "hr", "a", "blockquote", "ul", "ol", "li"}
)
# The sanitizer sets rel on every link; the editor's link dialog writes href
# and title.
EDITOR_ATTRIBUTES = {"a": frozenset({"href", "rel", "title"})}
# The fields of the posting forms that hold HTML an author writes.
EDITOR_FIELDS = frozenset(
    {"summary", "notes", "end_notes", "chapter_notes", "body", "chapter_end_notes"}
)
EDITOR_ATTRIBUTE = "data-writing-editor"


class _MarkupReader(HTMLParser):
    """Tell whether markup uses anything the editor would drop."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.editable = True

    def handle_starttag(self, tag, attrs):
        allowed = EDITOR_ATTRIBUTES.get(tag, frozenset())
        if tag not in EDITOR_TAGS or any(name not in allowed for name, _ in attrs):
            self.editable = False

    handle_startendtag = handle_starttag


def editor_keeps(markup):
    """Return whether the editor keeps everything in this markup.

    Markup it would drop on loading (a table, an aligned paragraph, a heading)
    is left in the plain textarea, so editing never loses what was written.
    """
    reader = _MarkupReader()
    reader.feed(markup or "")
    reader.close()
    return reader.editable


class Preload(forms.widgets.MediaAsset):
    """A file the page needs soon, fetched while the page loads."""

    element_template = '<link href="{path}"{attributes}>'


class WritingEditor(forms.Textarea):
    """A textarea that becomes the writing editor where JavaScript runs."""

    class Media:
        css = {
            "all": [
                # The toolbar's icons: asked for only once the script has drawn
                # it, the font would otherwise load after the page.
                Preload(
                    "django_prose_editor/material-icons.woff2",
                    rel="preload",
                    type="font/woff2",
                    crossorigin="",
                    **{"as": "font"},
                ),
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "css/writing-editor.css",
            ]
        }
        js = [forms.Script("js/writing-editor.js", type="module")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if editor_keeps(self.format_value(value)):
            context["widget"]["attrs"][EDITOR_ATTRIBUTE] = ""
        return context


def with_writing_editor(*forms_):
    """Give these posting forms the writing editor on their HTML fields.

    Only the posting pages call it, so the editor and its files are loaded
    there alone. Return the first form, for chaining.
    """
    for form in forms_:
        if form is None:
            continue
        for name in EDITOR_FIELDS & set(form.fields):
            field = form.fields[name]
            field.widget = WritingEditor(attrs=field.widget.attrs)
    return forms_[0] if forms_ else None
