// A listing's filters are open in its page, so that they work without this
// script; on a narrow screen this closes them behind their "Filters" toggle,
// so the results come first into view, and opens them again on a wide one,
// where the toggle is hidden.
(function () {
  "use strict";

  const NARROW = "(max-width: 52rem)";

  function ready() {
    if (!window.matchMedia) {
      return;
    }
    const narrow = window.matchMedia(NARROW);
    const toggles = document.querySelectorAll("details[data-narrow-closed]");
    function fit() {
      toggles.forEach(function (toggle) {
        toggle.open = !narrow.matches;
      });
    }
    fit();
    if (narrow.addEventListener) {
      narrow.addEventListener("change", fit);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
