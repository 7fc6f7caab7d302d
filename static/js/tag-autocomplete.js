// Suggest tag names under inputs marked data-tag-autocomplete="KIND" (empty
// for any kind). Inputs hold comma-separated names: suggestions are for the
// name after the last comma, and choosing one keeps the names before it.
// Without this script the inputs are plain text fields and work the same.
(function () {
  "use strict";

  const script = document.currentScript;
  const url = script && script.dataset.url;
  const DELAY_MS = 200;
  const MIN_LENGTH = 2;
  // The separators stories.tagging.parse_tag_names splits on.
  const SEPARATOR = /[,，、]/;

  if (!url || !window.fetch || !window.AbortController) {
    return;
  }

  function splitLast(value) {
    let cut = -1;
    for (let i = value.length - 1; i >= 0; i -= 1) {
      if (SEPARATOR.test(value[i])) {
        cut = i;
        break;
      }
    }
    const before = value.slice(0, cut + 1);
    return {
      before: before ? `${before.trimEnd()} ` : "",
      typed: value.slice(cut + 1).trim(),
    };
  }

  function attach(input, index) {
    const list = document.createElement("datalist");
    list.id = `tag-suggestions-${index}`;
    input.after(list);
    input.setAttribute("list", list.id);
    // The browser's own history would crowd out the suggestions.
    input.setAttribute("autocomplete", "off");

    const kind = input.dataset.tagAutocomplete;
    let timer = null;
    let pending = null;
    let lastTyped = "";

    async function suggest() {
      const { before, typed } = splitLast(input.value);
      if (typed === lastTyped) {
        return;
      }
      lastTyped = typed;
      if (pending) {
        pending.abort();
      }
      if (typed.length < MIN_LENGTH) {
        list.replaceChildren();
        return;
      }
      pending = new AbortController();
      const query = new URLSearchParams({ q: typed });
      if (kind) {
        query.set("kind", kind);
      }
      try {
        const response = await fetch(`${url}?${query}`, {
          headers: { Accept: "application/json" },
          signal: pending.signal,
        });
        if (!response.ok) {
          return;
        }
        const { results } = await response.json();
        list.replaceChildren(
          ...results.map((tag) => {
            const option = document.createElement("option");
            option.value = before + tag.name;
            option.label = `${tag.name} (${tag.works})`;
            return option;
          }),
        );
      } catch (error) {
        if (error.name !== "AbortError") {
          list.replaceChildren();
        }
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DELAY_MS);
    });
  }

  function start() {
    document.querySelectorAll("input[data-tag-autocomplete]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
