// Focus where the reader is sent: after a form posts, the server redirects to
// the address of what it made (a comment, #comment-N). Browsers scroll there
// but leave focus at the top of the page, so a keyboard or screen-reader user
// would start again from the header. Elements that may take this focus say so
// with tabindex="-1" (which keeps them out of the Tab order). Without this
// script the page still scrolls to them, and Tab starts from there.
(function () {
  "use strict";

  function focusTarget() {
    let id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return;
    }
    const target = id && document.getElementById(id);
    if (target && target.getAttribute("tabindex") === "-1") {
      target.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusTarget);
  } else {
    focusTarget();
  }
  window.addEventListener("hashchange", focusTarget);
})();
