/*
 * math.js: typesets formulas with KaTeX, served from this site.
 *
 * pymdownx.arithmatex (generic mode) and mkdocs-jupyter both mark math as
 * <span class="arithmatex">\(...\)</span> (inline) and
 * <div class="arithmatex">\[...\]</div> (display). KaTeX's auto-render replaces
 * them on every page Material shows, including instant-navigation swaps. A
 * formula KaTeX cannot parse is not hidden: it stays as its TeX source, in
 * ERROR_COLOUR, inside a .katex-error element.
 */
(() => {
  "use strict";

  const ERROR_COLOUR = "#d32f2f";

  const OPTIONS = {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
    errorColor: ERROR_COLOUR,
  };

  // Formulas within this distance of the window are typeset at once, so that
  // the first screenful never shifts; the others follow in slices of at most
  // SLICE_MS, so that a page full of math never blocks input for long.
  const NEAR_PX = 1000;
  const SLICE_MS = 30;

  function nextTask() {
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  async function typesetIn(root) {
    const formulas = [...root.querySelectorAll(".arithmatex")];
    if (root.matches && root.matches(".arithmatex")) {
      formulas.push(root);
    }
    if (!formulas.length) {
      return;
    }
    if (typeof window.renderMathInElement !== "function") {
      console.error("math.js: KaTeX's auto-render is not loaded; formulas stay TeX");
      return;
    }
    // One layout for every position, before typesetting changes any of them.
    const limit = window.innerHeight + NEAR_PX;
    const near = formulas.map((formula) => {
      const box = formula.getBoundingClientRect();
      return box.top < limit && box.bottom > -NEAR_PX;
    });
    const later = formulas.filter((_, index) => !near[index]);
    formulas
      .filter((_, index) => near[index])
      .forEach((formula) => window.renderMathInElement(formula, OPTIONS));
    let start = performance.now();
    for (const formula of later) {
      if (performance.now() - start > SLICE_MS) {
        await nextTask();
        start = performance.now();
      }
      if (formula.isConnected) {
        window.renderMathInElement(formula, OPTIONS);
      }
    }
    // accessibility.js then finds the formulas too wide for the column.
    document.dispatchEvent(new CustomEvent("ua:typeset"));
  }

  // mkdocs-jupyter 0.27 hands notebook pages to MathJax, which it would fetch
  // from a CDN unless window.MathJax already offers typesetPromise. This
  // stand-in gives it those few calls and typesets with KaTeX instead, so
  // notebooks and posts share one renderer and no page leaves the site.
  if (!window.MathJax) {
    window.MathJax = {
      startup: { promise: Promise.resolve() },
      typesetPromise(roots) {
        return Promise.all((roots || [document]).map(typesetIn));
      },
      typesetClear() {},
      texReset() {},
    };
  }

  const typesetPage = () =>
    typesetIn(document).catch((error) => console.error("math.js:", error));
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(typesetPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typesetPage, { once: true });
  } else {
    typesetPage();
  }
})();
