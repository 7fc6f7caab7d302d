// The writing editor of the posting pages (stories/posting/editor.py): each
// textarea marked data-writing-editor becomes django-prose-editor's ProseMirror
// editor, which writes its HTML back into the textarea as the author types.
// The form posts the textarea as it would without JavaScript.
import {
  Blockquote,
  Bold,
  BulletList,
  Document,
  Dropcursor,
  Editor,
  Gapcursor,
  HardBreak,
  History,
  HorizontalRule,
  Italic,
  Link,
  ListItem,
  Menu,
  OrderedList,
  Paragraph,
  Text,
} from "../django_prose_editor/editor.js";

// As stories.text.format_typed_text reads typed text: markup with a block
// element is HTML; otherwise blank lines part paragraphs, newlines break lines.
const BLOCK_TAG = /<\s*(p|div|br|hr|blockquote|ul|ol|table|h[1-6]|pre|dl|center|details)\b/i;
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function asHtml(text) {
  const typed = text.replace(/\r\n?/g, "\n").trim();
  if (!typed || BLOCK_TAG.test(typed)) {
    return typed;
  }
  return typed
    .split(/\n[ \t]*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => `<p>${part.replace(/\n/g, "<br>")}</p>`)
    .join("");
}

function extensions() {
  return [
    Document,
    Dropcursor,
    Gapcursor,
    Paragraph,
    HardBreak,
    Text,
    History,
    Menu,
    Bold,
    Italic,
    HorizontalRule,
    Link.configure({ openOnClick: false, enableTarget: false }),
    Blockquote,
    BulletList,
    // The sanitizer keeps no list type or start: the editor offers none.
    OrderedList.configure({ enableListAttributes: false }),
    ListItem,
  ];
}

// The textarea's label, help text and error, given to the editing area that
// stands in for it (the textarea itself is hidden).
function accessibleAttributes(textarea) {
  const attributes = { role: "textbox", "aria-multiline": "true" };
  if (textarea.labels.length) {
    attributes["aria-label"] = textarea.labels[0].textContent.trim().replace(/:$/, "");
  }
  for (const name of ["aria-describedby", "aria-invalid", "aria-required"]) {
    if (textarea.hasAttribute(name)) {
      attributes[name] = textarea.getAttribute(name);
    }
  }
  return attributes;
}

function createEditor(textarea) {
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  return new Editor({
    element: wrapper,
    editable: !disabled,
    extensions: extensions(),
    content: asHtml(textarea.value),
    // Tiptap would add a <style> element, which the site's policy refuses:
    // its rules are in css/writing-editor.css.
    injectCSS: false,
    editorProps: { attributes: accessibleAttributes(textarea) },
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
}

for (const textarea of document.querySelectorAll("textarea[data-writing-editor]")) {
  try {
    createEditor(textarea);
  } catch (error) {
    // The plain textarea still posts.
    console.warn("The writing editor could not start:", error);
  }
}
