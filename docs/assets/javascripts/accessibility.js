/*
 * accessibility.js: names and roles that Material's templates and scripts leave
 * out, so that screen readers can tell the page's regions apart and axe-core
 * finds no violation. It runs on every page Material shows (the first load and
 * each instant-navigation swap, announced by document$).
 *
 * - The search dialog gets a name; the instant-navigation progress bar, a
 *   purely visual cue, is hidden from assistive technology.
 * - Navigation landmarks without a name get one (Material wraps a code block's
 *   copy button, a post's authors and its metadata in unnamed navs), and
 *   repeated names are numbered, so that each landmark is distinguishable.
 * - Display formulas, tables and notebook code cells that scroll sideways (on
 *   a phone) join the tab order, so that a keyboard can scroll them.
 */
(() => {
  "use strict";

  function setOnce(element, name, value) {
    if (element && !element.hasAttribute(name)) {
      element.setAttribute(name, value);
    }
  }

  // A name for a navigation landmark that Material leaves unnamed.
  function navName(nav) {
    const heading = nav.previousElementSibling;
    if (heading && heading.matches(".md-post__title")) {
      return heading.textContent.trim();
    }
    if (nav.matches(".md-code__nav")) {
      return "Code block";
    }
    if (nav.matches(".md-post__authors")) {
      return "Authors";
    }
    if (nav.matches(".md-post__action")) {
      return "Read the post";
    }
    if (nav.parentElement && nav.parentElement.matches(".md-post")) {
      return "About this post";
    }
    return "Navigation";
  }

  // Landmarks of one kind must have different names: unnamed navs get one,
  // and repeated names get a number ("Code block 2").
  function nameNavs() {
    const seen = new Map();
    for (const nav of document.querySelectorAll("nav")) {
      if (nav.hasAttribute("aria-labelledby")) {
        continue;
      }
      if (!nav.hasAttribute("aria-label") || nav.dataset.uaNamed) {
        nav.dataset.uaNamed = nav.dataset.uaNamed || navName(nav);
        nav.setAttribute("aria-label", nav.dataset.uaNamed);
      }
      const name = nav.getAttribute("aria-label");
      const count = (seen.get(name) || 0) + 1;
      seen.set(name, count);
      if (count > 1) {
        nav.setAttribute("aria-label", `${name} ${count}`);
      }
    }
  }

  function nameTheme() {
    setOnce(document.querySelector(".md-search[role=dialog]"), "aria-label", "Search");
    // A purely visual cue: instant navigation announces the new page anyway.
    setOnce(document.querySelector(".md-progress"), "aria-hidden", "true");
    nameNavs();
  }

  // Display formulas, tables and notebook code wider than the column scroll
  // sideways: a keyboard can scroll them only if they can take focus. A
  // table's scroller is the outer of Material's two wrappers (hooks/layout.py).
  const SCROLLERS = [
    "div.arithmatex",
    ".highlight-ipynb",
    ".md-typeset__scrollwrap:not(.md-typeset__table > *)",
  ].join(", ");

  function focusScrollers() {
    for (const box of document.querySelectorAll(SCROLLERS)) {
      if (box.scrollWidth > box.clientWidth) {
        setOnce(box, "tabindex", "0");
      }
    }
  }

  function start() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      // Material adds the code-block navs during the same emission: wait a frame.
      window.document$.subscribe(() => requestAnimationFrame(nameTheme));
      // Measuring every formula forces a layout: wait until the browser is
      // idle; again when math.js typesets math left in TeX, and after a
      // resize, which can make more formulas scroll.
      const later = () => requestIdleCallback(focusScrollers, { timeout: 3000 });
      window.document$.subscribe(later);
      document.addEventListener("ua:typeset", later);
      window.addEventListener("resize", later);
      // Blocks far down a post are not laid out until the reader nears them
      // (content-visibility in reading.css), so their width is unknown until
      // then. The event does not bubble: listen in the capture phase.
      document.addEventListener(
        "contentvisibilityautostatechange",
        (event) => {
          const block = event.target;
          if (!event.skipped && (block.matches(SCROLLERS) || block.querySelector(SCROLLERS))) {
            later();
          }
        },
        { capture: true },
      );
    } else {
      nameTheme();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
