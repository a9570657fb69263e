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

  function typesetIn(root) {
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
    for (const formula of formulas) {
      window.renderMathInElement(formula, OPTIONS);
    }
  }

  // mkdocs-jupyter 0.27 hands notebook pages to MathJax, which it would fetch
  // from a CDN unless window.MathJax already offers typesetPromise. This
  // stand-in gives it those few calls and typesets with KaTeX instead, so
  // notebooks and posts share one renderer and no page leaves the site.
  if (!window.MathJax) {
    window.MathJax = {
      startup: { promise: Promise.resolve() },
      typesetPromise(roots) {
        for (const root of roots || [document]) {
          typesetIn(root);
        }
        return Promise.resolve();
      },
      typesetClear() {},
      texReset() {},
    };
  }

  const typesetPage = () => typesetIn(document);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(typesetPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typesetPage, { once: true });
  } else {
    typesetPage();
  }
})();
